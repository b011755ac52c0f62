"""Pairs incoming items with current ones exactly as uSync imports: Key first, Alias second."""

from __future__ import annotations

from dataclasses import dataclass, field

from publisher_restore.analyser.sides import TREE_TYPES, Side, alias_key
from publisher_restore.usync.models import AnyItem, EmptyAction, EmptyItem, ItemRef


@dataclass(frozen=True)
class Pair:
    """A current item and the incoming item that will overwrite it."""

    current: AnyItem
    incoming: AnyItem

    @property
    def recreated(self) -> bool:
        """Matched by Alias although both have a Key and the Keys differ (DC114)."""
        return bool(
            self.current.key and self.incoming.key and self.current.key != self.incoming.key
        )


@dataclass
class Pairing:
    """Which current items survive (paired), which are deleted and by what."""

    pairs: list[Pair] = field(default_factory=list)
    by_current_id: dict[int, Pair] = field(default_factory=dict)
    unmatched_current: list[AnyItem] = field(default_factory=list)
    delete_markers: dict[int, EmptyItem] = field(default_factory=dict)

    def pair_of(self, current: AnyItem) -> Pair | None:
        """The pair a current item belongs to, if it is overwritten."""
        return self.by_current_id.get(id(current))

    def incoming_for(self, current: AnyItem) -> AnyItem | None:
        """The incoming item that overwrites ``current``, if any."""
        pair = self.by_current_id.get(id(current))
        return None if pair is None else pair.incoming


def pair_sides(current: Side, incoming: Side) -> Pairing:
    """Pair by Key, then by Alias among the leftovers, then resolve Delete markers."""
    pairing = Pairing()
    leftovers: list[AnyItem] = []
    for item in incoming.items:
        group = current.by_key.get((item.item_type, item.key), []) if item.key else []
        match = _first_free(pairing, group)
        if match is not None:
            _add(pairing, Pair(match, item))
        else:
            leftovers.append(item)
    for item in leftovers:
        if item.item_type in TREE_TYPES or not item.alias:
            continue
        match = _first_free(
            pairing, current.by_alias.get((item.item_type, alias_key(item.alias)), [])
        )
        if match is not None:
            _add(pairing, Pair(match, item))
    pairing.unmatched_current = [
        item for item in current.items if id(item) not in pairing.by_current_id
    ]
    _resolve_delete_markers(pairing, current, incoming)
    return pairing


def _first_free(pairing: Pairing, group: list[AnyItem]) -> AnyItem | None:
    for item in group:
        if id(item) not in pairing.by_current_id:
            return item
    return None


def _add(pairing: Pairing, pair: Pair) -> None:
    pairing.pairs.append(pair)
    pairing.by_current_id[id(pair.current)] = pair


def _resolve_delete_markers(pairing: Pairing, current: Side, incoming: Side) -> None:
    # A Delete marker is stale when the incoming set also holds the live item it names.
    for marker in incoming.markers(EmptyAction.DELETE):
        if current.find_shared(marker.item_type, marker.key, marker.alias) is not None:
            continue  # the named item is unchanged and held by the incoming set too
        target = current.find(marker.item_type, marker.key, marker.alias)
        if target is None or id(target) in pairing.by_current_id:
            continue
        pairing.delete_markers.setdefault(id(target), marker)


def same_ref(a: ItemRef, b: ItemRef) -> bool:
    """Two references name the same item: equal Keys, or equal Aliases (uSync's fallback)."""
    if a.key and b.key and a.key == b.key:
        return True
    return bool(a.alias) and alias_key(a.alias) == alias_key(b.alias)


def ref_in(ref: ItemRef, refs: tuple[ItemRef, ...]) -> bool:
    """``ref`` names one of ``refs``."""
    return any(same_ref(ref, other) for other in refs)
