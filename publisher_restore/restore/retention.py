"""Which restore points a prune removes.

A point is kept when any rule keeps it: it is among the newest ``keep_last``,
or newer than ``keep_days``, or pinned, or the newest of all.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from publisher_restore.restore.manifest import Manifest


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
    cutoff = (now or datetime.now(UTC)) - timedelta(days=keep_days or 0)
    doomed = []
    for position, point in enumerate(ordered):
        kept_by_count = keep_last is not None and position < max(keep_last, 1)
        kept_by_age = keep_days is not None and point.created >= cutoff
        if position == 0 or point.pinned or kept_by_count or kept_by_age:
            continue
        doomed.append(point)
    return doomed
