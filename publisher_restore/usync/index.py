"""Look items up the way uSync matches them on import: Key first, then Alias."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from publisher_restore.usync.models import AnyItem, EmptyItem
from publisher_restore.usync.parsers.common import normalise_guid

TREE_ITEM_TYPES = frozenset({"Content", "Media"})
"""Tree serializers (content, media, blueprints) match by Key only (usync-format.md §3.2)."""


def _key(value: str | None) -> str | None:
    return normalise_guid(value) or (value.strip().lower() if value and value.strip() else None)


class ItemIndex:
    """Items by (item_type, key) with a case-insensitive alias fallback; Empty markers apart."""

    def __init__(self, items: Iterable[AnyItem]) -> None:
        self._items: list[AnyItem] = []
        self._by_type: dict[str, list[AnyItem]] = {}
        self._by_key: dict[tuple[str, str], AnyItem] = {}
        self._by_alias: dict[tuple[str, str], AnyItem] = {}
        self._actions: list[EmptyItem] = []
        self._duplicates: list[tuple[AnyItem, AnyItem]] = []
        for item in items:
            self._add(item)

    def _add(self, item: AnyItem) -> None:
        if isinstance(item, EmptyItem):
            self._actions.append(item)
            return
        key = _key(item.key)
        if key is not None:
            kept = self._by_key.setdefault((item.item_type, key), item)
            if kept is not item:
                self._duplicates.append((item, kept))
                return
        self._items.append(item)
        self._by_type.setdefault(item.item_type, []).append(item)
        if item.alias:
            self._by_alias.setdefault((item.item_type, item.alias.lower()), item)

    def find(self, item_type: str, key: str | None, alias: str | None = None) -> AnyItem | None:
        """The item uSync would update for this Key/Alias, or None if it would create one."""
        normalised = _key(key)
        if normalised is not None:
            found = self._by_key.get((item_type, normalised))
            if found is not None:
                return found
        if not alias or item_type in TREE_ITEM_TYPES:
            return None
        return self._by_alias.get((item_type, alias.lower()))

    def find_like(self, item: AnyItem) -> AnyItem | None:
        """The indexed counterpart of an item (or of the item an Empty marker names)."""
        return self.find(item.item_type, item.key, item.alias)

    def of_type(self, item_type: str) -> tuple[AnyItem, ...]:
        """Every indexed item of one type, in load order."""
        return tuple(self._by_type.get(item_type, ()))

    @property
    def item_types(self) -> tuple[str, ...]:
        """The item types present, in first-seen order."""
        return tuple(self._by_type)

    @property
    def actions(self) -> tuple[EmptyItem, ...]:
        """Empty markers (delete, rename, clean, none), kept out of the item lookup."""
        return tuple(self._actions)

    def actions_of_type(self, item_type: str) -> tuple[EmptyItem, ...]:
        """Empty markers that name items of one type."""
        return tuple(action for action in self._actions if action.item_type == item_type)

    @property
    def duplicates(self) -> tuple[tuple[AnyItem, AnyItem], ...]:
        """(ignored, kept) pairs of items sharing a type and Key; the first one loaded is kept."""
        return tuple(self._duplicates)

    def __iter__(self) -> Iterator[AnyItem]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, item: object) -> bool:
        return any(indexed is item for indexed in self._items)
