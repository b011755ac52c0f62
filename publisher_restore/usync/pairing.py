"""``pair(current, incoming)``: two sides paired by the identity rule, every outcome a value.

The defined answers (see ``usync.identity`` for the rule itself):

- Items pair by Key, the same file first (two files with one Key on both sides pair file by
  file), then by Key alone, then by Alias among items whose Keys the other side does not
  hold (never by Alias for content and media).
- A current file whose Key the incoming side still holds is a ``Duplicate`` that survives: an
  item is never deleted while its Key is present on the incoming side, whatever the file is
  called (uSync leaves the old file behind after a rename).  Two current files with one Key
  that the incoming side lacks are one item: one is unmatched, the other a duplicate of it.
- An incoming file whose Key is already paired or created is a ``Duplicate`` of that item.
- Incoming Empty markers resolve against the current items, Key then Alias: a Delete marker
  deletes its target unless the incoming side still holds the item (``kept``) or nothing
  current is named (``gone``); Rename and None markers are no-ops; Clean markers are left to
  the content rules with their target (the parent).
- Marker files also pair with marker files (for reports of what changes on disk).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, Literal

from publisher_restore.usync.identity import (
    TREE_TYPES,
    E,
    Grouping,
    Identified,
    ItemIndex,
    alias_key,
    inner_path,
    key_fold,
)
from publisher_restore.usync.models import EmptyAction, EmptyItem

Side = Literal["current", "incoming"]
MatchedBy = Literal["path", "key", "alias"]
MarkerEffect = Literal["delete", "kept", "gone", "rename", "clean", "none"]
"""What an incoming Empty marker does: ``delete`` its target; ``kept``: a Delete marker whose
item the incoming side still holds (nothing is deleted); ``gone``: a Delete marker naming
nothing current; ``rename`` and ``none``: no-ops on import (a renamed item's new file carries
it); ``clean``: deletes the children of its target missing from the set (see the rules)."""

_Id = tuple[str, str, str]  # (version group, item type, folded Key)


@dataclass(frozen=True)
class Pair(Generic[E]):
    """A current item and the incoming item that overwrites it, and what matched them."""

    current: E
    incoming: E
    matched_by: MatchedBy = "key"

    @property
    def recreated(self) -> bool:
        """Matched by Alias although both have a Key and the Keys differ (DC114)."""
        cur, inc = key_fold(self.current.key), key_fold(self.incoming.key)
        return bool(cur and inc and cur != inc)


@dataclass(frozen=True)
class Duplicate(Generic[E]):
    """A file whose Key another file of its side already holds: the same item, not another.

    ``kept_as`` stands for the item: for a current file, the incoming entry that still holds
    its Key (the item stays) or the current sibling that is paired, deleted or kept; for an
    incoming file, the incoming entry that updates or creates the item.
    """

    side: Side
    entry: E
    kept_as: Identified


@dataclass(frozen=True)
class MarkerOutcome:
    """An incoming Empty marker, the current item it names, and what it does to it."""

    marker: EmptyItem
    effect: MarkerEffect
    target: Identified | None = None


@dataclass
class Matching(Generic[E]):
    """Entries of two sides paired: by Key (same file first), then Alias; the rest apart."""

    changed: list[Pair[E]] = field(default_factory=list)
    """Pairs of two different entries (the ones that may hold a change)."""
    unchanged: list[E] = field(default_factory=list)
    """The same object on both sides (an unchanged file read once), paired with itself."""
    unmatched_current: list[E] = field(default_factory=list)
    """Current items the incoming side does not hold (one entry per Key): deleted or kept."""
    unmatched_incoming: list[E] = field(default_factory=list)
    """Incoming items the current side does not hold (one entry per Key): created."""
    duplicates: list[Duplicate[E]] = field(default_factory=list)
    _by_current: dict[int, Pair[E]] = field(default_factory=dict, repr=False)
    _unchanged_ids: set[int] = field(default_factory=set, repr=False)
    _surviving: set[int] = field(default_factory=set, repr=False)
    _duplicate_ids: dict[int, Duplicate[E]] | None = field(default=None, repr=False)
    _all_pairs: list[Pair[E]] | None = field(default=None, repr=False)

    @property
    def pairs(self) -> list[Pair[E]]:
        """Every pair, each unchanged entry paired with itself first (built on first use)."""
        if self._all_pairs is None:
            self._all_pairs = [Pair(e, e, "path") for e in self.unchanged] + self.changed
        return self._all_pairs

    def pair_of(self, current: E) -> Pair[E] | None:
        """The pair a current entry belongs to, if an incoming entry overwrites it."""
        found = self._by_current.get(id(current))
        if found is None and id(current) in self._unchanged_ids:
            return Pair(current, current, "path")
        return found

    def incoming_for(self, current: E) -> E | None:
        """The incoming entry that overwrites ``current`` (itself when unchanged), if any."""
        found = self._by_current.get(id(current))
        if found is not None:
            return found.incoming
        return current if id(current) in self._unchanged_ids else None

    def survives(self, current: object) -> bool:
        """Paired, unchanged, or a duplicate file whose Key the incoming side still holds."""
        ident = id(current)
        return ident in self._by_current or ident in self._unchanged_ids or ident in self._surviving

    def duplicate_of(self, entry: object) -> Duplicate[E] | None:
        """The duplicate record of an entry (a second file holding one Key), if it is one."""
        if self._duplicate_ids is None:
            self._duplicate_ids = {id(d.entry): d for d in self.duplicates}
        return self._duplicate_ids.get(id(entry))


@dataclass
class Pairing(Generic[E]):
    """Items paired, marker files paired, and every incoming marker resolved."""

    items: Matching[E]
    markers: Matching[E]
    outcomes: list[MarkerOutcome]
    deleted_by: dict[int, EmptyItem]
    """id(current item) -> the Delete marker that deletes it."""

    @property
    def pairs(self) -> list[Pair[E]]:
        """Paired items (an unchanged item is paired with itself)."""
        return self.items.pairs

    @property
    def unmatched_current(self) -> list[E]:
        """Current items the incoming side does not hold."""
        return self.items.unmatched_current

    @property
    def delete_markers(self) -> dict[int, EmptyItem]:
        """id(current item) -> the Delete marker that deletes it."""
        return self.deleted_by

    @property
    def duplicates(self) -> list[Duplicate[E]]:
        """Files whose Key another file of their side holds (item files only)."""
        return self.items.duplicates

    def pair_of(self, current: E) -> Pair[E] | None:
        """The pair a current item belongs to."""
        return self.items.pair_of(current)

    def incoming_for(self, current: E) -> E | None:
        """The incoming item that overwrites ``current`` (itself when unchanged)."""
        return self.items.incoming_for(current)

    def survives(self, current: object) -> bool:
        """Whether the incoming side still holds the item ``current`` is (by Key)."""
        return self.items.survives(current)


def pair(
    current: Sequence[E],
    incoming: Sequence[E],
    *,
    common: Sequence[Identified] = (),
    grouping: Grouping = Grouping.OWN_FOLDER,
) -> Pairing[E]:
    """Pair two sides as uSync matches items (see the module docstring for every answer).

    ``common`` are entries both sides hold unchanged (never compared, but they hold their
    Key on both sides); the same object in ``current`` and ``incoming`` is unchanged too.
    """
    cur_items, cur_markers = _split(current)
    inc_items, inc_markers = _split(incoming)
    sides = _Sides(
        _Holders((cur_items, common), grouping),
        _Holders((inc_items, common), grouping),
        {id(entry) for entry in common},
    )
    items = _Matcher(cur_items, inc_items, sides, grouping).run()
    no_common = _Sides(_Holders((cur_markers,), grouping), _Holders((inc_markers,), grouping))
    markers = _Matcher(cur_markers, inc_markers, no_common, grouping).run()
    resolver = _MarkerResolver(items, sides)
    outcomes = [resolver.resolve(m) for m in inc_markers if isinstance(m, EmptyItem)]
    deleted_by: dict[int, EmptyItem] = {}
    for outcome in outcomes:
        if outcome.effect == "delete" and outcome.target is not None:
            deleted_by.setdefault(id(outcome.target), outcome.marker)
    return Pairing(items, markers, outcomes, deleted_by)


def _split(entries: Sequence[E]) -> tuple[list[E], list[E]]:
    items: list[E] = []
    markers: list[E] = []
    for entry in entries:
        (markers if isinstance(entry, EmptyItem) else items).append(entry)
    return items, markers


def _free(candidates: list[E] | None, taken: set[int]) -> E | None:
    for candidate in candidates or ():
        if id(candidate) not in taken:
            return candidate
    return None


class _Holders:
    """Who holds a Key on one side (``ItemIndex``), built only when first asked."""

    def __init__(self, sources: Iterable[Iterable[Identified]], grouping: Grouping) -> None:
        self._sources = sources
        self._grouping = grouping
        self._index: ItemIndex[Identified] | None = None

    def index(self) -> ItemIndex[Identified]:
        if self._index is None:
            self._index = ItemIndex(grouping=self._grouping)
            for source in self._sources:
                for entry in source:
                    self._index.add(entry)
        return self._index

    def of(self, entry: Identified) -> Identified | None:
        return self.index().holder(entry.item_type, entry.key, near=entry.path)


@dataclass(frozen=True)
class _Sides:
    """The Key holders of each side (``common`` entries included), and which are common."""

    current: _Holders
    incoming: _Holders
    common_ids: set[int] = field(default_factory=set)


class _Matcher(Generic[E]):
    def __init__(
        self, current: list[E], incoming: list[E], sides: _Sides, grouping: Grouping
    ) -> None:
        self.group: Callable[[str], str] = grouping.group_of()
        self.sides = sides
        incoming_ids = {id(entry) for entry in incoming}
        self.result: Matching[E] = Matching()
        self.taken: set[int] = set()
        self.result.unchanged = [e for e in current if id(e) in incoming_ids]
        same = self.result._unchanged_ids = {id(e) for e in self.result.unchanged}
        self.current = [e for e in current if id(e) not in same]
        self.incoming = [e for e in incoming if id(e) not in same]

    def _id(self, entry: Identified) -> _Id | None:
        key = key_fold(entry.key)
        return None if key is None else (self.group(entry.path), entry.item_type, key)

    def run(self) -> Matching[E]:
        left = self._by_path(self.incoming)
        left = self._by_key(left)
        left = self._by_alias(left)
        self._settle_current()
        self._settle_incoming(left)
        return self.result

    def _add(self, cur: E, inc: E, how: MatchedBy) -> None:
        found = Pair(cur, inc, how)
        self.result.changed.append(found)
        self.result._by_current[id(cur)] = found
        self.taken.add(id(cur))

    def _at(self, entry: E) -> tuple[str, str, str | None, str]:
        return (
            self.group(entry.path),
            entry.item_type,
            key_fold(entry.key),
            inner_path(entry.path),
        )

    def _by_path(self, incoming: list[E]) -> list[E]:
        """The same Key (or none) in the same file: duplicates pair file by file."""
        index: dict[tuple[str, str, str | None, str], list[E]] = {}
        for entry in self.current:
            index.setdefault(self._at(entry), []).append(entry)
        left: list[E] = []
        for entry in incoming:
            match = _free(index.get(self._at(entry)), self.taken)
            if match is None:
                left.append(entry)
            else:
                self._add(match, entry, "path")
        return left

    def _by_key(self, incoming: list[E]) -> list[E]:
        index: dict[_Id, list[E]] = {}
        for entry in self.current:
            found = self._id(entry)
            if found is not None and id(entry) not in self.taken:
                index.setdefault(found, []).append(entry)
        left: list[E] = []
        for entry in incoming:
            found = self._id(entry)
            match = None if found is None else _free(index.get(found), self.taken)
            if match is None:
                left.append(entry)
            else:
                self._add(match, entry, "key")
        return left

    def _by_alias(self, incoming: list[E]) -> list[E]:
        """Alias fallback, only between items whose Keys the other side does not hold."""
        wanted = [e for e in incoming if self._alias_candidate(e, self.sides.current)]
        if not wanted:
            return incoming
        index: dict[tuple[str, str, str], list[E]] = {}
        for entry in self.current:
            if id(entry) not in self.taken and self._alias_candidate(entry, self.sides.incoming):
                index.setdefault(self._alias_id(entry), []).append(entry)
        paired: set[int] = set()
        for entry in wanted:
            match = _free(index.get(self._alias_id(entry)), self.taken)
            if match is not None:
                self._add(match, entry, "alias")
                paired.add(id(entry))
        return [e for e in incoming if id(e) not in paired]

    def _alias_candidate(self, entry: E, other_side: _Holders) -> bool:
        if entry.item_type in TREE_TYPES or not entry.alias:
            return False
        return key_fold(entry.key) is None or other_side.of(entry) is None

    def _alias_id(self, entry: E) -> tuple[str, str, str]:
        return (self.group(entry.path), entry.item_type, alias_key(entry.alias))

    def _settle_current(self) -> None:
        first: dict[_Id, E] = {}
        for entry in self.current:
            if id(entry) in self.taken:
                continue
            found = self._id(entry)
            holder = None if found is None else self.sides.incoming.of(entry)
            sibling = None if found is None else first.get(found)
            if holder is not None:
                self._duplicate("current", entry, holder)
                self.result._surviving.add(id(entry))
            elif sibling is not None:
                self._duplicate("current", entry, sibling)
            else:
                self.result.unmatched_current.append(entry)
                if found is not None:
                    first[found] = entry

    def _settle_incoming(self, left: list[E]) -> None:
        """A leftover whose Key an incoming entry already stands for is a duplicate of it.

        The stand-in is the incoming entry of a pair, an unchanged or common entry, or the
        first leftover with that Key (which creates the item).
        """
        standing: dict[_Id, Identified] = {}
        for found_pair in self.result.changed:
            found = self._id(found_pair.incoming)
            if found is not None:
                standing.setdefault(found, found_pair.incoming)
        for entry in left:
            found = self._id(entry)
            holder = None if found is None else standing.get(found) or self._held(entry)
            if holder is not None:
                self._duplicate("incoming", entry, holder)
            else:
                self.result.unmatched_incoming.append(entry)
                if found is not None:
                    standing[found] = entry

    def _held(self, entry: E) -> Identified | None:
        """An unchanged or common entry of the incoming side holding ``entry``'s Key."""
        index = self.sides.incoming.index()
        for holder in index.holders(entry.item_type, entry.key, near=entry.path):
            if id(holder) in self.result._unchanged_ids or id(holder) in self.sides.common_ids:
                return holder
        return None

    def _duplicate(self, side: Side, entry: E, kept_as: Identified) -> None:
        self.result.duplicates.append(Duplicate(side, entry, kept_as))


class _MarkerResolver(Generic[E]):
    """Resolves incoming Empty markers against the current items (Key, then Alias)."""

    def __init__(self, items: Matching[E], sides: _Sides) -> None:
        self.items = items
        self.sides = sides

    def resolve(self, marker: EmptyItem) -> MarkerOutcome:
        action = marker.action
        if action is EmptyAction.NONE:
            return MarkerOutcome(marker, "none")
        target = self.sides.current.index().find_like(marker)
        if action is EmptyAction.RENAME:
            return MarkerOutcome(marker, "rename", target)
        if action is EmptyAction.CLEAN:
            return MarkerOutcome(marker, "clean", target)
        if target is None:
            return MarkerOutcome(marker, "gone")
        if self._still_held(marker, target):
            return MarkerOutcome(marker, "kept", target)
        return MarkerOutcome(marker, "delete", target)

    def _still_held(self, marker: EmptyItem, target: Identified) -> bool:
        if id(target) in self.sides.common_ids or self.items.survives(target):
            return True
        return self.sides.incoming.of(marker) is not None
