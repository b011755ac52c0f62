"""Bytes of one item file -> its typed item model."""

from __future__ import annotations

from publisher_restore.usync.models import AnyItem
from publisher_restore.usync.parsers import parse_element
from publisher_restore.usync.xmlsafe import parse_xml


def parse_item(data: bytes, path: str) -> AnyItem:
    """Parse item bytes safely; raises ItemParseError or HostileInputError naming ``path``."""
    return parse_element(parse_xml(data, path), path)
