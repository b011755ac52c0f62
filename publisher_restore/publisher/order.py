"""uSync's order for writing and importing items: one table, used by everything that sorts items.

uSync imports handler by handler in ascending priority (``BackOfficeConstants.Priorites``,
see ``docs/usync-format.md`` §1.2): what an item refers to is in place before the item.
Within a handler, uSync's level-based handlers go by ``Level`` (a parent or master before its
children); the file path breaks the remaining ties so the order is always the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from publisher_restore.usync.folders import HANDLER_FOLDERS, handler_folder
from publisher_restore.usync.models import AnyItem, ContentItem


@dataclass(frozen=True)
class HandlerOrder:
    """One handler folder, the item type its files hold, and uSync's import priority."""

    folder: str
    item_type: str
    priority: int


def _handler(folder: str, priority: int) -> HandlerOrder:
    return HandlerOrder(folder, HANDLER_FOLDERS[folder], priority)


WRITE_ORDER: tuple[HandlerOrder, ...] = (
    _handler("Languages", 1005),
    _handler("Dictionary", 1006),
    _handler("DataTypes", 1010),
    _handler("Templates", 1020),
    _handler("ContentTypes", 1030),
    _handler("MediaTypes", 1040),
    _handler("MemberTypes", 1045),
    _handler("Macros", 1070),
    _handler("Media", 1200),
    _handler("Content", 1210),
    _handler("Blueprints", 1215),
    _handler("Domains", 1219),
    _handler("RelationTypes", 1230),
    _handler("Webhooks", 1250),
)
"""Every handler folder uSync writes, in import order (ascending priority)."""

UNKNOWN_PRIORITY = 10_000
"""Folders uSync core does not list (UserGroups, Forms, ...) go after every known one."""

_BY_FOLDER = {entry.folder.lower(): entry for entry in WRITE_ORDER}
_FOLDER_BY_TYPE = {
    entry.item_type.lower(): entry.folder for entry in WRITE_ORDER if entry.folder != "Blueprints"
}


def folder_for_item(item: AnyItem) -> str | None:
    """The handler folder an item belongs in: from its path, else from its type."""
    found = handler_folder(item.path)
    if found is not None:
        return found
    if isinstance(item, ContentItem) and item.is_blueprint:
        return "Blueprints"
    return _FOLDER_BY_TYPE.get(item.item_type.lower())


def handler_priority(folder: str | None) -> int:
    """uSync's import priority of a handler folder (unknown folders last)."""
    entry = _BY_FOLDER.get((folder or "").lower())
    return UNKNOWN_PRIORITY if entry is None else entry.priority


def write_order_key(item: AnyItem) -> tuple[int, str, int, str, str]:
    """Sort key: handler priority, folder, level, then path (case-folded, then exact)."""
    folder = folder_for_item(item)
    return (
        handler_priority(folder),
        (folder or "").lower(),
        item.level if item.level is not None else 0,
        item.path.casefold(),
        item.path,
    )


def in_write_order(items: Iterable[AnyItem]) -> list[AnyItem]:
    """The items sorted as uSync imports them; the same input always gives the same order."""
    return sorted(items, key=write_order_key)
