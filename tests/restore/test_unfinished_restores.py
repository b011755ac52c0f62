"""A running restore is not an interrupted one, and every command that meets either says which.

The running restore is a real second process caught mid-apply (``apply-op:2:STOP``
stops it holding the site lock, its journal written); the interrupted one is killed
there (``apply-op:2``).  A create caught the same way shows what a waiter prints.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from publisher_restore.service import RestoreService
from tests.restore.helpers import damage, fingerprint
from tests.restore.test_interruptions import CLI, run_cli

Damaged = tuple[Path, str, dict[str, str]]


@pytest.fixture
def damaged(sample_site: Path) -> Damaged:
    """A site with a restore point, then damaged: (site, point id, the point's state)."""
    service = RestoreService.open(sample_site)
    good = fingerprint(sample_site)
    point = service.create()
    damage(service)
    return sample_site, point.id, good


@dataclass(frozen=True)
class Ran:
    """One command line run by ``run_batch``."""

    returncode: int
    stdout: str
    stderr: str


def run_batch(site: Path, *commands: tuple[str, ...]) -> list[Ran]:
    """Several commands on ``site``, one after another in one process (one start-up)."""
    done = subprocess.run(
        [sys.executable, "-m", "publisher_restore.testing.cli_batch"],
        input=json.dumps([["--site", str(site), *args] for args in commands]),
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return [Ran(r["exit_code"], r["stdout"], r["stderr"]) for r in json.loads(done.stdout)]


def popen_cli(site: Path, *args: str, crash_at: str | None = None) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "PUBLISHER_RESTORE_CRASH_AT"}
    if crash_at:
        env["PUBLISHER_RESTORE_CRASH_AT"] = crash_at
    return subprocess.Popen(
        [*CLI, "--site", str(site), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until_stopped(process: subprocess.Popen[str], timeout: float = 60) -> None:
    """Until the process has stopped itself (state ``T`` in /proc)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        state = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        if state == "T":
            return
        time.sleep(0.02)
    raise AssertionError("the process never reached its stop point")


@contextlib.contextmanager
def stopped_at(site: Path, crash_at: str, *args: str) -> Iterator[subprocess.Popen[str]]:
    """A CLI process stopped at a crash point for the block, then let go to finish."""
    process = popen_cli(site, *args, crash_at=f"{crash_at}:STOP")
    try:
        wait_until_stopped(process)
        yield process
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGCONT)
        process.communicate(timeout=120)


def first_stderr_line(process: subprocess.Popen[str], timeout: float = 30) -> str:
    """The first line a running process writes on stderr."""
    assert process.stderr is not None
    stream = process.stderr
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(stream.readline()))
    reader.start()
    reader.join(timeout)
    assert lines, "nothing on stderr"
    return lines[0]


def test_check_during_a_running_restore_says_it_runs_not_that_it_was_interrupted(
    damaged: Damaged,
) -> None:
    site, point_id, good = damaged
    args = ("restore", point_id, "--yes", "--no-pre-restore")
    with stopped_at(site, "apply-op:2", *args) as restoring:
        checked = run_cli(site, "check", point_id)
        assert checked.returncode == 7, checked.stderr
        assert f"a restore of {point_id} is running in pid {restoring.pid} on " in checked.stderr
        assert "(restore, started " in checked.stderr and "interrupted" not in checked.stderr

        listed = run_cli(site, "list")
        assert listed.returncode == 0 and point_id in listed.stdout
        assert f"warning: a restore of {point_id} is running in pid {restoring.pid}" in (
            listed.stderr
        )

        creating = popen_cli(site, "create", "--no-media", "--json")
        waiting = first_stderr_line(creating)
        assert waiting.startswith(f"waiting for the lock held by pid {restoring.pid} on ")
        assert "(restore, started " in waiting and "60 s" in waiting
    assert restoring.returncode == 0
    created = json.loads(creating.communicate(timeout=120)[0])
    assert creating.returncode == 0 and created["recovered"] is None
    assert fingerprint(site) == good
    assert run_cli(site, "check", point_id).returncode == 0


def test_an_interrupted_restore_is_named_by_check_list_and_the_create_that_completes_it(
    damaged: Damaged,
) -> None:
    site, point_id, good = damaged
    killed = run_cli(site, "restore", point_id, "--yes", "--no-pre-restore", crash_at="apply-op:2")
    assert killed.returncode == -signal.SIGKILL

    looks = (("list",), ("list", "--json"), ("verify", point_id), ("show", point_id))
    checked, *seen, created, after = run_batch(
        site, ("check", point_id), *looks, ("create", "--no-media", "--json"), ("list",)
    )
    assert checked.returncode == 11
    assert f"a restore of {point_id} started " in checked.stderr
    assert "was interrupted part-way through changing the site" in checked.stderr

    for args, ran in zip(looks, seen, strict=True):
        assert ran.returncode == 0, ran.stderr
        assert f"warning: a restore of {point_id} started " in ran.stderr, args
        assert "'publisher-restore recover' completes it" in ran.stderr
    assert json.loads(seen[1].stdout)[0]["id"] == point_id

    assert created.returncode == 0, created.stderr
    report = json.loads(created.stdout)
    assert report["recovery"]["point_id"] == point_id
    assert report["recovery"] | {"started": None} == {
        "point_id": point_id,
        "started": None,
        "phase": "applying",
        "action": "completed",
    }
    assert report["recovered"].startswith(f"completed an interrupted restore of {point_id}")
    assert fingerprint(site) == good
    assert after.stderr == ""


def test_create_says_in_words_which_restore_it_completed(
    damaged: Damaged,
) -> None:
    site, point_id, _good = damaged
    run_cli(site, "restore", point_id, "--yes", "--no-pre-restore", crash_at="apply-op:1")
    created = run_cli(site, "create", "--no-media")
    assert created.returncode == 0, created.stderr
    first, second = created.stdout.splitlines()[:2]
    assert first.startswith(f"Completed an interrupted restore of {point_id} started ")
    assert first.endswith(", before taking the restore point.")
    assert second.startswith("Created restore point ")


def test_a_second_create_says_whom_it_waits_for(sample_site: Path) -> None:
    with stopped_at(sample_site, "create-archived:1", "create", "--no-media") as first:
        second = popen_cli(sample_site, "create", "--no-media")
        line = first_stderr_line(second)
        assert line.startswith(f"waiting for the lock held by pid {first.pid} on ")
        assert "(create, started " in line and " UTC)" in line
    assert first.returncode == 0
    second.communicate(timeout=120)
    assert second.returncode == 0
    listed = json.loads(run_cli(sample_site, "list", "--json").stdout)
    assert len(listed) == 2
