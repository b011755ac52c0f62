"""Domain files: hostname, wildcard flag, language and content root."""

from __future__ import annotations

from publisher_restore.usync.models import DomainItem
from publisher_restore.usync.parsers.common import (
    Element,
    child_bool,
    envelope,
    guid_or_raw,
    optional_text,
    text,
    to_int,
)


def parse_domain(root: Element, path: str) -> DomainItem:
    """Build a DomainItem; the alias is the hostname (``*1234`` for wildcard domains)."""
    root_element = root.find("Info/Root")
    return DomainItem(
        **envelope(root, path),
        is_wildcard=child_bool(root, "Info/IsWildcard") or False,
        language=text(root, "Info/Language").strip(),
        root_key=None if root_element is None else guid_or_raw(root_element.get("Key")),
        root_path=text(root_element),
        sort_order=to_int(optional_text(root, "Info/SortOrder")),
    )
