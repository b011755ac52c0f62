"""Everything a rule needs about one comparison, built once and shared by every rule."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar, cast

from publisher_restore.analyser.findings import Finding, Impact, Semantics, Severity
from publisher_restore.analyser.identity import Pair, Pairing, pair_sides
from publisher_restore.analyser.impact import ContentIndex
from publisher_restore.analyser.shared import SharedItem
from publisher_restore.analyser.sides import Side, SimpleItemSource
from publisher_restore.analyser.typegraph import TypeGraph
from publisher_restore.usync.folders import handler_folder
from publisher_restore.usync.identity import inner_path
from publisher_restore.usync.models import AnyItem, EmptyItem, LanguageItem, PropertyType

T = TypeVar("T")


@dataclass(frozen=True)
class Deletion:
    """A current item the import removes, and what removes it."""

    item: AnyItem
    marker: EmptyItem | None  # None: absent from an authoritative (complete) incoming set


@dataclass
class AnalysisContext:
    """Both sides, their pairing and inheritance graphs, the content index, the semantics."""

    current: Side
    incoming: Side
    semantics: Semantics
    pairing: Pairing[AnyItem] = field(init=False)
    _memo: dict[str, object] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.pairing = pair_sides(self.current, self.incoming)

    @cached_property
    def after(self) -> Side:
        """The site as it will be: incoming items, plus the current items the import keeps."""
        kept = [i for i in self.pairing.unmatched_current if self.after_of(i) is i]
        if self.semantics == "complete" and not kept:
            return self.incoming
        source = SimpleItemSource([*self.incoming.items, *kept], shared=self.incoming.shared)
        return Side.build(source)

    def after_of(self, item: AnyItem) -> AnyItem | None:
        """What a current item becomes: its incoming pair, itself if kept, or None if deleted.

        A second file holding the Key of an item the incoming side still holds becomes that
        item (uSync updates the one item both files name).
        """
        incoming = self.pairing.incoming_for(item)
        if incoming is not None:
            return incoming
        if self.current.is_shared(item):
            return item  # unchanged: the incoming side holds this very item
        duplicate = self.pairing.items.duplicate_of(item)
        if duplicate is not None and self.pairing.survives(item):
            kept = duplicate.kept_as
            # the pairing was given only items and shared items
            return kept.model() if isinstance(kept, SharedItem) else cast(AnyItem, kept)
        if id(item) in self._deleted_ids:
            return None
        if self.semantics == "complete" and self.handler_exported(item):
            return None  # absent from its folder (an unreadable file: reported, not kept)
        return item

    def handler_exported(self, item: AnyItem) -> bool:
        """Whether the incoming side has the handler folder ``item`` lives in.

        uSync imports per handler folder: a set without ``Content/`` (say) did not export
        content, so absence from it deletes nothing.  An item outside any handler folder
        counts as exported.
        """
        folder = handler_folder(item.path)
        return folder is None or folder in self.incoming.handler_folders

    def held_by_incoming(self, item: AnyItem) -> bool:
        """Whether the incoming side holds ``item`` (paired, unchanged, or by its Key)."""
        return self.pairing.survives(item) or self.current.is_shared(item)

    @cached_property
    def _deleted_ids(self) -> set[int]:
        return {id(d.item) for d in self.deletions}

    @cached_property
    def current_graph(self) -> TypeGraph:
        """Compositions and parents of the current site."""
        return TypeGraph(self.current)

    @cached_property
    def after_graph(self) -> TypeGraph:
        """Compositions and parents as they will be after the import."""
        return TypeGraph(self.after)

    def memo(self, name: str, factory: Callable[[], T]) -> T:
        """A value computed once per comparison and shared by the rules that need it."""
        if name not in self._memo:
            self._memo[name] = factory()
        return cast(T, self._memo[name])

    @cached_property
    def content(self) -> ContentIndex:
        """The current site's content and media, for impact counts."""
        return ContentIndex(self.current.content(), self.current.shared_content())

    @cached_property
    def default_culture(self) -> str | None:
        """The current site's default language ISO code, if known."""
        for item in self.current.of_type("Language"):
            if isinstance(item, LanguageItem) and item.is_default:
                return item.iso_code
        return None

    @cached_property
    def deletions(self) -> list[Deletion]:
        """Current items the import deletes: by Delete marker, or by absence when complete.

        Absence deletes only where the incoming side has the item's handler folder.
        """
        found = [
            Deletion(item, self.pairing.delete_markers.get(id(item)))
            for item in self.pairing.unmatched_current
        ]
        if self.semantics == "complete":
            return [d for d in found if d.marker is not None or self._absent_deletes(d.item)]
        return [d for d in found if d.marker is not None]

    def _absent_deletes(self, item: AnyItem) -> bool:
        return self.handler_exported(item) and not self._unreadable(item)

    def _unreadable(self, item: AnyItem) -> bool:
        # Absent because its incoming file is broken is not a delete: the problem is reported.
        return inner_path(item.path) in self._broken_incoming

    @cached_property
    def _broken_incoming(self) -> set[str]:
        return {inner_path(p.path) for p in self.incoming.problems}

    def deleted(self, *item_types: str) -> list[Deletion]:
        """Deletions of items of the given types."""
        return [d for d in self.deletions if d.item.item_type in item_types]

    def pairs(self, kind: type[T]) -> Iterator[tuple[T, T, Pair[AnyItem]]]:
        """Changed paired items whose both sides are of the model class ``kind``.

        A pair whose two sides are the same object (a file shared by both sides, see
        ``analyser.loading``) cannot hold a change and is skipped.
        """
        for pair in self.pairing.items.changed:
            cur, inc = pair.current, pair.incoming
            if isinstance(cur, kind) and isinstance(inc, kind):
                yield cur, inc, pair


@dataclass(frozen=True)
class Subject:
    """What a finding is about: the item (current and incoming sides) and maybe a property."""

    current: AnyItem | None
    incoming: AnyItem | None = None
    prop: PropertyType | None = None

    @property
    def item(self) -> AnyItem:
        """The side that names the item: incoming when it exists, else current."""
        found = self.incoming or self.current
        assert found is not None
        return found


def make_finding(
    code: str,
    severity: Severity,
    subject: Subject,
    message: str,
    detail: dict[str, Any] | None = None,
    impact: Impact | None = None,
) -> Finding:
    """A finding located at the incoming file (or the current one when it has none)."""
    item = subject.current or subject.item
    path_item = subject.incoming or subject.current
    return Finding(
        code=code,
        severity=severity,
        item_type=item.item_type,
        item_key=item.key,
        item_alias=item.alias,
        property_alias=subject.prop.alias if subject.prop else None,
        property_key=subject.prop.key if subject.prop else None,
        message=message,
        detail=detail or {},
        impact=impact,
        path=path_item.path if path_item else None,
    )
