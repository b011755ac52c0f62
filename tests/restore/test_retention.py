"""Retention: pre-restore points are not counted by KeepLast, and latest is never pruned."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from publisher_restore.restore.manifest import Manifest, Reason
from publisher_restore.restore.retention import select_for_pruning
from publisher_restore.service import RestoreService
from tests.restore.helpers import damage
from tests.restore.test_interruptions import run_cli

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def history(*reasons: str, pinned: str = "") -> list[Manifest]:
    """Points one day apart, oldest first, named by position and kind (``m2``, ``pr3``)."""
    points = []
    for age, code in enumerate(reversed(reasons)):
        reason = Reason.PRE_RESTORE if code.startswith("pr") else Reason.MANUAL
        points.append(
            Manifest(
                id=code, created=NOW - timedelta(days=age), reason=reason, pinned=code == pinned
            )
        )
    return points


def pruned(points: list[Manifest], **rules: int | None) -> list[str]:
    rules.setdefault("keep_last", None)
    rules.setdefault("keep_days", None)
    return [p.id for p in select_for_pruning(points, now=NOW, **rules)]  # type: ignore[arg-type]


def test_keep_last_one_after_a_restore_keeps_the_restored_point_and_its_pre_restore_point() -> None:
    assert pruned(history("m1", "m2", "pr3"), keep_last=1) == ["m1"]


def test_keep_last_counts_points_taken_on_purpose_and_keeps_the_pre_restore_points_since() -> None:
    points = history("m0", "pr1", "m1", "m2", "pr2", "m3", "pr3")
    assert pruned(points, keep_last=2) == ["m1", "pr1", "m0"]


def test_latest_and_pinned_points_survive_every_rule() -> None:
    points = history("m1", "m2", "pr3", "pr4", pinned="m1")
    assert pruned(points, keep_days=0) == ["pr3"]
    assert pruned(points, keep_last=1) == []


def test_prune_keep_last_1_right_after_a_restore_keeps_what_latest_names(sample_site: Path) -> None:
    service = RestoreService.open(sample_site)
    older = service.create(note="older")
    point = service.create(note="restored")
    damage(service)
    restored = json.loads(run_cli(sample_site, "restore", "latest", "--yes", "--json").stdout)
    assert restored["restore_point"] == point.id and restored["pre_restore_point"]

    done = run_cli(sample_site, "prune", "--keep-last", "1", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["deleted"] == [older.id]
    kept = [p.id for p in service.points()]
    assert kept == [restored["pre_restore_point"], point.id]
    assert json.loads(run_cli(sample_site, "show", "latest", "--json").stdout)["id"] == point.id
