"""One side of a comparison (current or incoming), with the lookups of ``usync.identity``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from publisher_restore.analyser.shared import SharedItem
from publisher_restore.usync.folders import handler_folder
from publisher_restore.usync.identity import TREE_TYPES, ItemIndex, alias_key, culture_key
from publisher_restore.usync.models import (
    AnyItem,
    ContentItem,
    EmptyAction,
    EmptyItem,
    ParseProblem,
)

__all__ = [
    "TREE_TYPES",
    "TYPE_FAMILIES",
    "ItemSource",
    "Side",
    "SimpleItemSource",
    "alias_key",
    "culture_key",
    "folders_of",
]

TYPE_FAMILIES = frozenset({"ContentType", "MediaType", "MemberType"})


class ItemSource(Protocol):
    """Anything with parsed items and per-file problems (the loader's ItemSet fits)."""

    @property
    def items(self) -> Sequence[AnyItem]: ...

    @property
    def problems(self) -> Sequence[ParseProblem]: ...


@dataclass(frozen=True)
class SimpleItemSource:
    """An in-memory ItemSource, for callers that already hold items."""

    items: Sequence[AnyItem]
    problems: Sequence[ParseProblem] = ()
    shared: Sequence[SharedItem] = ()
    handler_folders: frozenset[str] = frozenset()
    """Handler folders present besides those the paths show (an empty folder still counts)."""


def folders_of(paths: Iterable[str]) -> set[str]:
    """The handler folders (canonical names: 'Content', 'DataTypes', ...) holding these paths."""
    return {folder for path in paths if (folder := handler_folder(path)) is not None}


@dataclass
class Side:
    """The live items of one side (Empty markers kept apart), found by Key, then Alias."""

    items: list[AnyItem] = field(default_factory=list)
    empties: list[EmptyItem] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)
    shared: list[SharedItem] = field(default_factory=list)
    handler_folders: set[str] = field(default_factory=set)
    index: ItemIndex[AnyItem] = field(default_factory=ItemIndex)
    shared_index: ItemIndex[SharedItem] = field(default_factory=ItemIndex)

    @classmethod
    def build(cls, source: ItemSource) -> Side:
        """Index a source; of two items with one Key, lookups find the first loaded.

        A source may also carry ``shared`` items (see ``analyser.shared``): unchanged, held
        by both sides, looked up and counted but never compared.  Its handler folders are
        those its items, problems and shared items sit in, plus any ``handler_folders`` it
        names (folders present without items).
        """
        side = cls(problems=list(source.problems))
        for item in source.items:
            if isinstance(item, EmptyItem):
                side.empties.append(item)
            else:
                side.items.append(item)
                side.index.add(item)
        for shared in getattr(source, "shared", ()):
            side.shared.append(shared)
            side.shared_index.add(shared)
        paths = [i.path for i in source.items] + [p.path for p in side.problems]
        side.handler_folders = folders_of([*paths, *(s.path for s in side.shared)])
        side.handler_folders.update(getattr(source, "handler_folders", ()))
        return side

    def find(self, item_type: str, key: str | None, alias: str) -> AnyItem | None:
        """Key first, then Alias (never Alias for content and media); shared items included."""
        found = self.find_entry(item_type, key, alias)
        return found.model() if isinstance(found, SharedItem) else found

    def find_entry(
        self, item_type: str, key: str | None, alias: str
    ) -> AnyItem | SharedItem | None:
        """As ``find``, but a shared item is returned as it is (not parsed)."""
        found: AnyItem | SharedItem | None = self.index.holder(item_type, key)
        if found is None:
            found = self.shared_index.holder(item_type, key)
        if found is not None or item_type in TREE_TYPES or not alias:
            return found
        return self.index.find(item_type, None, alias) or self.shared_index.find(
            item_type, None, alias
        )

    def is_shared(self, item: AnyItem) -> bool:
        """Whether ``item`` is the model of a shared (unchanged) item."""
        shared = self.find_shared(item.item_type, item.key, item.alias)
        return shared is not None and shared.holds(item)

    def find_shared(self, item_type: str, key: str | None, alias: str) -> SharedItem | None:
        """The shared (unchanged) item a Key or Alias names, if any."""
        return self.shared_index.find(item_type, key, alias)

    def of_type(self, *item_types: str) -> Iterable[AnyItem]:
        """Live items of the given types, in load order."""
        wanted = set(item_types)
        return (item for item in self.items if item.item_type in wanted)

    def content(self) -> list[ContentItem]:
        """Live content and media items (not blueprints): what impact is counted from."""
        return [
            item for item in self.items if isinstance(item, ContentItem) and not item.is_blueprint
        ]

    def shared_content(self) -> list[SharedItem]:
        """Shared content and media items (not blueprints)."""
        return [s for s in self.shared if s.content_type is not None]

    def markers(self, action: EmptyAction) -> list[EmptyItem]:
        """Empty markers with the given action."""
        return [empty for empty in self.empties if empty.action is action]
