"""The source's items as the selection sees them: the one place that knows how items are found.

Lookups go Key first, then Alias, as uSync matches on import, through the project's one
identity rule (``usync.identity.ItemIndex``).
"""

from __future__ import annotations

from collections.abc import Iterable

from publisher_restore.usync.identity import ItemIndex
from publisher_restore.usync.loader import ItemSet
from publisher_restore.usync.models import AnyItem, EmptyItem, ParseProblem


class SourceItems:
    """Every item file of one source, with Key-then-Alias lookup over the live items."""

    def __init__(
        self,
        items: Iterable[AnyItem],
        label: str = "the source",
        unreadable: Iterable[ParseProblem] = (),
    ) -> None:
        self._files = tuple(items)
        self._index: ItemIndex[AnyItem] = ItemIndex(self._files)
        self.label = label
        self.unreadable = tuple(unreadable)

    @classmethod
    def from_item_set(cls, item_set: ItemSet, label: str = "the source") -> SourceItems:
        """Wrap what ``usync.loader.load_items`` read (unreadable files kept as problems)."""
        return cls(item_set.items, label, item_set.problems)

    def find(self, item_type: str, key: str | None, alias: str | None = None) -> AnyItem | None:
        """The live item uSync would match for this Key/Alias (tree types by Key only)."""
        return self._index.find(item_type, key, alias)

    def of_type(self, item_type: str) -> tuple[AnyItem, ...]:
        """Every live item of one type (one per Key), in load order."""
        return self._index.of_type(item_type)

    def markers(self, item_type: str) -> tuple[EmptyItem, ...]:
        """Empty markers (delete, rename, clean) that name items of one type."""
        return self._index.actions_of_type(item_type)

    @property
    def files(self) -> tuple[AnyItem, ...]:
        """Every item file read, markers and same-Key files included, in load order."""
        return self._files
