"""Killed creates and restores (SIGKILL in a subprocess) never leave a silent mix."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from publisher_restore.service import RestoreService
from tests.restore.helpers import damage, fingerprint

CLI = [sys.executable, "-m", "publisher_restore"]


def run_cli(
    site: Path, *args: str, crash_at: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PUBLISHER_RESTORE_CRASH_AT"}
    if crash_at:
        env["PUBLISHER_RESTORE_CRASH_AT"] = crash_at
    return subprocess.run(
        [*CLI, "--site", str(site), *args], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def damaged_site(sample_site: Path) -> tuple[Path, str, dict[str, str], dict[str, str]]:
    """A site with a restore point, then damaged: (site, point id, point state, damaged state)."""
    service = RestoreService.open(sample_site)
    good = fingerprint(sample_site)
    point = service.create()
    damage(service)
    return sample_site, point.id, good, fingerprint(sample_site)


@pytest.mark.parametrize("op", [1, 2, 3])
def test_restore_killed_while_applying_is_completed_by_the_next_run(
    damaged_site: tuple[Path, str, dict[str, str], dict[str, str]], op: int
) -> None:
    site, point_id, good, damaged = damaged_site
    killed = run_cli(
        site, "restore", point_id, "--yes", "--no-pre-restore", crash_at=f"apply-op:{op}"
    )
    assert killed.returncode == -signal.SIGKILL
    assert fingerprint(site) not in (good, damaged), "the kill should land mid-apply"

    checked = run_cli(site, "check", point_id)
    assert checked.returncode == 11 and "interrupted" in checked.stderr

    recovered = run_cli(site, "recover", "--json")
    assert recovered.returncode == 0, recovered.stderr
    assert "completed" in recovered.stdout
    assert fingerprint(site) == good


def test_restore_killed_while_applying_can_be_rolled_back(
    damaged_site: tuple[Path, str, dict[str, str], dict[str, str]],
) -> None:
    site, point_id, _good, damaged = damaged_site
    killed = run_cli(site, "restore", point_id, "--yes", "--no-pre-restore", crash_at="apply-op:2")
    assert killed.returncode == -signal.SIGKILL
    rolled = run_cli(site, "recover", "--rollback")
    assert rolled.returncode == 0, rolled.stderr
    assert fingerprint(site) == damaged


@pytest.mark.parametrize("undone", [1, 4])
def test_restore_killed_while_rolling_back_finishes_the_rollback(
    damaged_site: tuple[Path, str, dict[str, str], dict[str, str]], undone: int
) -> None:
    """Also when every original was already put back: a repeated undo must delete nothing."""
    site, point_id, _good, damaged = damaged_site
    run_cli(site, "restore", point_id, "--yes", "--no-pre-restore", crash_at="apply-op:4")
    killed = run_cli(site, "recover", "--rollback", crash_at=f"rollback-op:{undone}")
    assert killed.returncode == -signal.SIGKILL
    assert run_cli(site, "recover").returncode == 0
    assert fingerprint(site) == damaged


def test_restore_killed_after_staging_leaves_the_site_untouched(
    damaged_site: tuple[Path, str, dict[str, str], dict[str, str]],
) -> None:
    site, point_id, good, damaged = damaged_site
    killed = run_cli(site, "restore", point_id, "--yes", "--no-pre-restore", crash_at="staged")
    assert killed.returncode == -signal.SIGKILL
    assert fingerprint(site) == damaged
    again = run_cli(site, "restore", point_id, "--yes", "--no-pre-restore", "--json")
    assert again.returncode == 0, again.stderr
    assert "discarded an unfinished restore" in again.stdout
    assert fingerprint(site) == good


def stored_objects(site: Path) -> set[str]:
    objects = site / "uSync/restore/objects"
    return {p.relative_to(objects).as_posix() for p in objects.rglob("*") if p.is_file()}


@pytest.mark.parametrize("step", ["create-intent", "create-objects", "create-archived"])
def test_killed_create_leaves_nothing_listed_and_is_cleaned(sample_site: Path, step: str) -> None:
    """Killed before its manifest: nothing listed; the next create collects what it stored."""
    first = RestoreService.open(sample_site).create(note="before")
    (sample_site / "Views/Partials/nav.cshtml").write_text("changed since the first point\n")
    kept = stored_objects(sample_site)
    killed = run_cli(sample_site, "create", "--no-media", crash_at=step)
    assert killed.returncode == -signal.SIGKILL
    assert [p["id"] for p in json.loads(run_cli(sample_site, "list", "--json").stdout)] == [
        first.id
    ]
    intents = sample_site / "uSync/restore/creating"
    assert [p.name for p in intents.iterdir()], "the killed create leaves its intent"
    if step != "create-intent":
        assert stored_objects(sample_site) > kept, "the killed create stored objects"

    assert run_cli(sample_site, "create", "--no-media").returncode == 0
    service = RestoreService.open(sample_site)
    points = service.points()
    assert len(points) == 2 and not intents.exists()
    named = set().union(*(service.store.body(p).objects for p in points))
    assert {f"objects/{name}" for name in stored_objects(sample_site)} == named
    assert all(service.verify(p.id).ok for p in points)


def test_create_killed_after_its_manifest_is_listed_and_whole(sample_site: Path) -> None:
    killed = run_cli(sample_site, "create", "--no-media", crash_at="create-published")
    assert killed.returncode == -signal.SIGKILL
    service = RestoreService.open(sample_site)
    [point] = service.points()
    assert service.verify(point.id).ok
    assert run_cli(sample_site, "create", "--no-media").returncode == 0
    assert all(service.verify(p.id).ok for p in service.points())
    assert not (sample_site / "uSync/restore/creating").exists()


def test_two_creates_at_once_are_serialised(sample_site: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PUBLISHER_RESTORE_CRASH_AT"}
    with RestoreService.open(sample_site).store.lock():
        procs = [
            subprocess.Popen(
                [*CLI, "--site", str(sample_site), "create", "--no-media", "--json"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        # Unlocked, a create takes well under this; here both must wait for the store lock.
        with contextlib.suppress(subprocess.TimeoutExpired):
            procs[0].wait(timeout=1.5)
        assert [p.poll() for p in procs] == [None, None], "a create ran under another's lock"
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    points = RestoreService.open(sample_site).points()
    assert len(points) == 2 and points[0].id != points[1].id
    for point in points:
        assert RestoreService.open(sample_site).verify(point.id).ok
