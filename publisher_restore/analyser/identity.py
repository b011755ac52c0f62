"""The analyser's use of the one pairing rule (``usync.pairing``): current and incoming sides.

The rule, its answers for duplicate Keys and Empty markers, and reference matching live in
``usync.identity`` and ``usync.pairing``; this adapter only hands the analyser's sides over.
"""

from __future__ import annotations

from publisher_restore.analyser.sides import Side
from publisher_restore.usync.identity import ref_in, same_ref
from publisher_restore.usync.models import AnyItem
from publisher_restore.usync.pairing import Pair, Pairing, pair

__all__ = ["Pair", "Pairing", "pair_sides", "ref_in", "same_ref"]


def pair_sides(current: Side, incoming: Side) -> Pairing[AnyItem]:
    """Pair the changed items; files both sides hold unchanged take part as ``common``."""
    held = {id(shared) for shared in incoming.shared}
    common = [shared for shared in current.shared if id(shared) in held]
    return pair(
        [*current.items, *current.empties], [*incoming.items, *incoming.empties], common=common
    )
