"""Issue 11's targets, judged on one run's measurements."""

from __future__ import annotations

from pydantic import BaseModel

from benchmarks.harness import scenarios as s
from benchmarks.harness.measure import MB, Measurement

EVERY_COMMAND = "every publisher-restore command"


class Target(BaseModel):
    """One target: what was compared, the limit, the measured value, met or missed."""

    operation: str
    tool: str
    text: str
    limit: float
    measured: float
    unit: str
    met: bool


def memory_limit_mb(items: int) -> float:
    """200 MB at 20,000 items and 400 MB at 100,000 (the issue); linear between, 200 below."""
    if items <= 20_000:
        return 200.0
    if items >= 100_000:
        return 400.0
    return 200.0 + 200.0 * (items - 20_000) / 80_000


class Results:
    """Lookup of measurements by operation and tool."""

    def __init__(self, measurements: list[Measurement]) -> None:
        self.by_key = {(m.operation, m.tool): m for m in measurements}
        self.all = measurements

    def get(self, operation: str, tool: str) -> Measurement | None:
        return self.by_key.get((operation, tool))


def _ratio(
    results: Results, operation: str, anchor_op: str, anchor: str, limit: float, text: str
) -> Target | None:
    ours, theirs = results.get(operation, s.PR), results.get(anchor_op, anchor)
    if ours is None or theirs is None or theirs.wall_s <= 0:
        return None
    ratio = ours.wall_s / theirs.wall_s
    return Target(
        operation=operation,
        tool=anchor,
        text=text,
        limit=limit,
        measured=round(ratio, 2),
        unit="x",
        met=ratio <= limit,
    )


def evaluate(measurements: list[Measurement], items: int, media_bytes: int) -> list[Target]:
    """Every target the run has the measurements for (the media one only when there is media)."""
    results = Results(measurements)
    found = [
        _ratio(results, s.CREATE, s.CREATE, s.RESTIC_FIRST, 1.0, "≤ 1.0x restic first backup"),
        _ratio(results, s.CREATE, s.CREATE, s.ZIP, 0.5, "≤ 0.5x zip -qr"),
        _ratio(
            results,
            s.CREATE_MEDIA,
            s.CREATE_MEDIA,
            s.RESTIC_FIRST,
            1.0,
            "≤ 1.0x restic first backup",
        ),
        _ratio(results, s.SECOND, s.SECOND, s.RESTIC_SECOND, 1.0, "≤ 1.0x restic unchanged backup"),
        _ratio(results, s.RESTORE, s.RESTORE, s.RESTIC_RESTORE, 1.0, "≤ 1.0x restic restore"),
        _ratio(results, s.CHECK, s.RESTORE, s.PR, 1.0, "check ≤ restore"),
        _second_create_bytes(results),
        _pre_restore_bytes(results) if media_bytes else None,
        _peak_memory(results, items),
    ]
    return [target for target in found if target is not None]


def _second_create_bytes(results: Results) -> Target | None:
    second = results.get(s.SECOND, s.PR)
    if second is None or second.bytes_added is None:
        return None
    added = second.bytes_added / MB
    return Target(
        operation=s.SECOND,
        tool=s.PR,
        text="adds ≤ 1 MB",
        limit=1.0,
        measured=round(added, 3),
        unit="MB",
        met=added <= 1.0,
    )


def _pre_restore_bytes(results: Results) -> Target | None:
    """No media bytes: the pre-restore point adds no more than a full point without media + 1 MB.

    The site was damaged (files deleted) and its media folder is the one the restored point
    already holds, so whatever a pre-restore point stores beyond a complete copy of the
    non-media files can only be media.
    """
    pre, plain = results.get(s.PRE_RESTORE, s.PR), results.get(s.CREATE, s.PR)
    if pre is None or plain is None or pre.bytes_added is None or plain.bytes_added is None:
        return None
    limit = (plain.bytes_added + MB) / MB
    added = pre.bytes_added / MB
    return Target(
        operation=s.PRE_RESTORE,
        tool=s.PR,
        text=f"no media bytes: adds ≤ a point without media + 1 MB ({limit:.1f} MB)",
        limit=round(limit, 3),
        measured=round(added, 3),
        unit="MB",
        met=added <= limit,
    )


def _peak_memory(results: Results, items: int) -> Target | None:
    ours = [m for m in results.all if m.tool == s.PR]
    if not ours:
        return None
    worst = max(ours, key=lambda m: m.peak_rss_mb)
    limit = memory_limit_mb(items)
    return Target(
        operation=EVERY_COMMAND,
        tool=s.PR,
        text=f"peak memory ≤ {limit:.0f} MB at {items:,} items (worst: {worst.operation})",
        limit=limit,
        measured=worst.peak_rss_mb,
        unit="MB",
        met=worst.peak_rss_mb <= limit,
    )
