"""Macro files (Umbraco 8 to 13): settings and parameters."""

from __future__ import annotations

from lxml import etree

from publisher_restore.usync.models import MacroItem, MacroProperty
from publisher_restore.usync.parsers.common import Element, envelope, optional_text, text, to_int

_NOT_FIELDS = frozenset({"Name", "Properties", "Info"})


def parse_macro(root: Element, path: str) -> MacroItem:
    """Build a MacroItem; every simple setting (MacroSource, CachedDuration...) lands in fields."""
    return MacroItem(
        **envelope(root, path),
        name=text(root, "Name"),
        fields={
            str(child.tag): child.text or ""
            for child in root.iterchildren(tag=etree.Element)
            if child.tag not in _NOT_FIELDS and len(child) == 0
        },
        properties=tuple(
            MacroProperty(
                alias=text(prop, "Alias").strip(),
                name=text(prop, "Name"),
                sort_order=to_int(optional_text(prop, "SortOrder")),
                editor_alias=text(prop, "EditorAlias").strip(),
            )
            for prop in root.iterfind("Properties/Property")
        ),
    )
