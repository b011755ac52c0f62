"""Any item type without a model: kept with its leaf values by XPath-like path."""

from __future__ import annotations

from collections import Counter

from lxml import etree

from publisher_restore.usync.models import GenericItem
from publisher_restore.usync.parsers.common import Element, envelope

_ENVELOPE_ATTRIBUTES = frozenset({"Key", "Alias", "Level"})


def parse_generic(root: Element, path: str) -> GenericItem:
    """Build a GenericItem; never raises for a well-formed document."""
    fields = {
        f"@{attribute}": value
        for attribute, value in root.attrib.items()
        if attribute not in _ENVELOPE_ATTRIBUTES
    }
    _collect(root, "", fields)
    return GenericItem(**envelope(root, path, validate=False), fields=fields)


def _collect(element: Element, prefix: str, fields: dict[str, str]) -> None:
    """Add ``prefix/Child[n]`` -> text for every leaf and ``.../@attr`` for child attributes."""
    children = list(element.iterchildren(tag=etree.Element))
    counts = Counter(str(child.tag) for child in children)
    seen: Counter[str] = Counter()
    for child in children:
        tag = str(child.tag)
        seen[tag] += 1
        name = f"{tag}[{seen[tag]}]" if counts[tag] > 1 else tag
        child_path = f"{prefix}/{name}" if prefix else name
        for attribute, value in child.attrib.items():
            fields[f"{child_path}/@{attribute}"] = value
        if len(child):
            _collect(child, child_path, fields)
        else:
            fields[child_path] = child.text or ""
