"""RelationType files: name, object types and flags."""

from __future__ import annotations

from publisher_restore.usync.models import RelationTypeItem
from publisher_restore.usync.parsers.common import (
    Element,
    child_bool,
    envelope,
    guid_or_raw,
    optional_text,
    text,
)


def parse_relation_type(root: Element, path: str) -> RelationTypeItem:
    """Build a RelationTypeItem (object types are GUIDs, absent for untyped relations)."""
    return RelationTypeItem(
        **envelope(root, path),
        name=text(root, "Info/Name"),
        parent_type=guid_or_raw(optional_text(root, "Info/ParentType")),
        child_type=guid_or_raw(optional_text(root, "Info/ChildType")),
        bidirectional=child_bool(root, "Info/Bidirectional"),
        is_dependency=child_bool(root, "Info/IsDependency"),
    )
