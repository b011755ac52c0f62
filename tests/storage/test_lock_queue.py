"""The local lock is taken in arrival order, says who holds it, and waits while the queue moves."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from publisher_restore.storage.base import LockHolder, LockWait
from publisher_restore.storage.local import LocalStorageProvider
from tests.storage.test_local import setup_code

WAITERS = 5


def start_waiter(
    provider: LocalStorageProvider, name: str, order: list[str], timeout: float = 30
) -> threading.Thread:
    """A thread that waits for the lock, notes its turn; returns once it is in the queue."""
    queued = threading.Event()

    def wait_then_hold() -> None:
        def told(_wait: LockWait) -> None:
            queued.set()

        with provider.lock("site", timeout=timeout, on_wait=told):
            order.append(name)
            time.sleep(0.02)

    thread = threading.Thread(target=wait_then_hold, name=name)
    thread.start()
    assert queued.wait(10), f"{name} never started waiting"
    return thread


def test_waiters_get_the_lock_in_the_order_they_came(tmp_path: Path) -> None:
    provider = LocalStorageProvider(tmp_path / "restore")
    order: list[str] = []
    with provider.lock("site", timeout=5):
        waiters = [start_waiter(provider, f"waiter-{n}", order) for n in range(WAITERS)]
    for waiter in waiters:
        waiter.join(30)
    assert order == [f"waiter-{n}" for n in range(WAITERS)]
    assert list((tmp_path / "restore/.state/locks/site.lock.queue").glob("*.ticket")) == []


def test_a_waiter_behind_a_moving_queue_does_not_give_up(tmp_path: Path) -> None:
    """Two holders after each other, each shorter than the wait, longer than it together."""
    provider = LocalStorageProvider(tmp_path / "restore")
    order: list[str] = []
    heard: list[LockWait] = []
    with provider.lock("site", timeout=5, holder=LockHolder.here("first")):
        second = threading.Thread(target=lambda: _hold(provider, "second", seconds=1.0))
        second.start()
        time.sleep(0.3)  # the second holder is queued first
        waiter = threading.Thread(target=lambda: _wait(provider, heard, order, timeout=1.5))
        waiter.start()
        time.sleep(1.0)
    waiter.join(30)
    second.join(30)
    assert order == ["waiter"], "the waiter gave up although the lock changed hands"
    assert [w.holder.operation for w in heard if w.holder] == ["first", "second"]
    assert heard[0].ahead == 1


def _hold(provider: LocalStorageProvider, operation: str, seconds: float) -> None:
    with provider.lock("site", timeout=10, holder=LockHolder.here(operation)):
        time.sleep(seconds)


def _wait(
    provider: LocalStorageProvider, heard: list[LockWait], order: list[str], timeout: float
) -> None:
    with provider.lock("site", timeout=timeout, on_wait=heard.append):
        order.append("waiter")


def test_a_killed_waiter_does_not_hold_up_the_queue(tmp_path: Path) -> None:
    root = tmp_path / "restore"
    provider = LocalStorageProvider(root)
    queue = root / ".state/locks/site.lock.queue"
    order: list[str] = []
    with provider.lock("site", timeout=5):
        script = setup_code(root) + "with provider.lock('site', timeout=60):\n    pass\n"
        child = subprocess.Popen(
            [sys.executable, "-c", script],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        child_ticket = _wait_for_tickets(queue, 1)
        waiter = start_waiter(provider, "behind the dead one", order)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
        assert child_ticket.exists(), "a killed waiter leaves its ticket behind"
    started = time.monotonic()
    waiter.join(30)
    assert order == ["behind the dead one"] and time.monotonic() - started < 2
    assert not child_ticket.exists()


def _wait_for_tickets(queue: Path, count: int) -> Path:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        tickets = sorted(queue.glob("*.ticket"))
        if len(tickets) >= count:
            return tickets[0]
        time.sleep(0.02)
    raise AssertionError("the child never joined the queue")


def test_asking_who_holds_a_lock_creates_nothing(tmp_path: Path) -> None:
    provider = LocalStorageProvider(tmp_path / "no" / "restore")
    assert provider.lock_holder("site") is None
    assert not (tmp_path / "no").exists()
