"""Which restore points a prune removes.

A point is kept when any rule keeps it:

- it is pinned, or the newest point of all, or the one ``latest`` names (the newest
  point that is not a pre-restore point);
- ``keep_last``: it is among the newest ``keep_last`` points that are not pre-restore
  points, or it is a pre-restore point taken since the oldest of those (it holds the
  site as it was before a restore within the history those points cover, so undoing
  that restore stays possible as long as that history is kept);
- ``keep_days``: it is newer than ``keep_days`` days.

Pre-restore points are not counted by ``keep_last``: a restore must not push the
point it restored (or any point a person took) out of the count.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from publisher_restore.restore.manifest import Manifest, Reason


def select_for_pruning(
    points: Sequence[Manifest],
    *,
    keep_last: int | None,
    keep_days: int | None,
    now: datetime | None = None,
) -> list[Manifest]:
    """The points to delete, newest first; nothing when no rule is given."""
    if keep_last is None and keep_days is None:
        return []
    ordered = sorted(points, key=lambda m: (m.created, m.id), reverse=True)
    kept = _always_kept(ordered) | _kept_by_count(ordered, keep_last)
    if keep_days is not None:
        cutoff = (now or datetime.now(UTC)) - timedelta(days=keep_days)
        kept |= {p.id for p in ordered if p.created >= cutoff}
    return [point for point in ordered if point.id not in kept]


def _always_kept(ordered: Sequence[Manifest]) -> set[str]:
    """The newest point, the one ``latest`` names, and every pinned point."""
    kept = {p.id for p in ordered if p.pinned}
    if ordered:
        kept.add(ordered[0].id)
    latest = next((p for p in ordered if p.reason != Reason.PRE_RESTORE), None)
    if latest is not None:
        kept.add(latest.id)
    return kept


def _kept_by_count(ordered: Sequence[Manifest], keep_last: int | None) -> set[str]:
    """The newest ``keep_last`` points taken on purpose, and the pre-restore points since."""
    if keep_last is None:
        return set()
    kept: set[str] = set()
    counted = 0
    for point in ordered:  # newest first
        if counted == max(keep_last, 1):
            break
        kept.add(point.id)
        counted += point.reason != Reason.PRE_RESTORE
    return kept
