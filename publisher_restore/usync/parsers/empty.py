"""``<Empty Change="..."/>`` markers: deletes, renames, cleans and no-ops."""

from __future__ import annotations

from publisher_restore.usync.folders import item_type_for_path
from publisher_restore.usync.models import EmptyAction, EmptyItem
from publisher_restore.usync.parsers.common import Element, envelope

UNKNOWN_ITEM_TYPE = "Unknown"
_ACTIONS = {action.value.lower(): action for action in EmptyAction}


def parse_empty(root: Element, path: str) -> EmptyItem:
    """Build an EmptyItem whose item_type is the type of the item it names."""
    fields = envelope(root, path, validate=False)
    fields["item_type"] = root.get("itemType") or item_type_for_path(path) or UNKNOWN_ITEM_TYPE
    return EmptyItem(**fields, action=parse_action(root.get("Change")))


def parse_action(change: str | None) -> EmptyAction:
    """uSync reads ``Change`` with a default of None: an unknown value is a no-op, as there."""
    if change is None:
        return EmptyAction.NONE
    return _ACTIONS.get(change.strip().lower(), EmptyAction.NONE)
