"""Conformance tests for ``StorageProvider.lock``.

Part of ``StorageConformance``; see ``storage_conformance`` for how to use it.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from publisher_restore.errors import LockTimeoutError
from publisher_restore.storage.base import LockHolder, LockWait, StorageProvider
from publisher_restore.testing.storage_object_contract import (
    SourceFailure,
    fail_after_first_chunk,
    names,
    run_threads,
)

SHORT = 0.2


@contextlib.contextmanager
def lock_held_in_thread(provider: StorageProvider, name: str) -> Iterator[None]:
    """Hold ``name`` in another thread for the ``with`` block."""
    acquired, release = threading.Event(), threading.Event()

    def hold() -> None:
        with provider.lock(name, timeout=10):
            acquired.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert acquired.wait(10), "the holder thread never got the lock"
        yield
    finally:
        release.set()
        holder.join(30)


@contextlib.contextmanager
def lock_held_in_subprocess(setup_code: str, name: str) -> Iterator[subprocess.Popen[str]]:
    """Hold ``name`` in a child interpreter until the block ends (stdin closes) or it is killed."""
    script = textwrap.dedent(setup_code) + textwrap.dedent(
        f"""
        import sys
        with provider.lock({name!r}, timeout=30):
            print("locked", flush=True)
            sys.stdin.read()
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        if line.strip() != "locked":
            child.kill()
            raise AssertionError(f"lock holder failed: {child.communicate()[1]}")
        yield child
    finally:
        if child.poll() is None:
            child.communicate(timeout=30)


def assert_times_out(provider: StorageProvider, name: str, timeout: float = SHORT) -> None:
    """``lock(name)`` gives up with ``LockTimeoutError`` after about ``timeout`` seconds."""
    started = time.monotonic()
    with pytest.raises(LockTimeoutError, match=name), provider.lock(name, timeout=timeout):
        pytest.fail("got a lock that someone else holds")
    elapsed = time.monotonic() - started
    assert timeout * 0.9 <= elapsed < timeout + 5


class LockContract:
    """A lock excludes every other holder until released, and never outlives its ``with``."""

    def test_lock_excludes_another_thread(self, provider: StorageProvider) -> None:
        with lock_held_in_thread(provider, "store"):
            assert_times_out(provider, "store")

    def test_lock_is_not_reentrant(self, provider: StorageProvider) -> None:
        with provider.lock("store", timeout=1):
            assert_times_out(provider, "store")

    def test_waiter_gets_lock_when_released(self, provider: StorageProvider) -> None:
        holding = threading.Event()

        def hold_briefly() -> None:
            with provider.lock("store", timeout=10):
                holding.set()
                time.sleep(0.3)

        holder = threading.Thread(target=hold_briefly)
        holder.start()
        assert holding.wait(10)
        started = time.monotonic()
        with provider.lock("store", timeout=10):
            waited = time.monotonic() - started
        holder.join()
        assert 0.1 < waited < 5

    def test_lock_released_after_block(self, provider: StorageProvider) -> None:
        with provider.lock("store", timeout=1):
            pass
        with provider.lock("store", timeout=SHORT):
            pass

    def test_lock_released_after_exception(self, provider: StorageProvider) -> None:
        with pytest.raises(SourceFailure), provider.lock("store", timeout=1):
            raise SourceFailure("the work inside the lock failed")
        with provider.lock("store", timeout=SHORT):
            pass

    def test_locks_with_other_names_are_independent(self, provider: StorageProvider) -> None:
        with provider.lock("store", timeout=1), provider.lock("other", timeout=SHORT):
            pass

    def test_lock_serialises_read_modify_write(self, provider: StorageProvider) -> None:
        provider.put_bytes("counter", b"0")

        def increment(_index: int) -> None:
            for _ in range(3):
                with provider.lock("store", timeout=30):
                    value = int(provider.get_bytes("counter"))
                    time.sleep(0.005)
                    provider.put_bytes("counter", str(value + 1).encode(), overwrite=True)

        run_threads(increment, 3)
        assert provider.get_bytes("counter") == b"9"

    def test_list_never_shows_locks_or_temp(
        self, provider: StorageProvider, tmp_path: Path
    ) -> None:
        source = tmp_path / "big"
        source.write_bytes(b"x" * (3 * 1024 * 1024))
        provider.put_bytes("points/1/manifest.json", b"{}")
        with provider.lock("store", timeout=1), provider.lock("points", timeout=1):
            with pytest.raises(SourceFailure):
                provider.put_file("points/2/archive", source, progress=fail_after_first_chunk())
            assert names(provider) == ["points/1/manifest.json"]
        assert names(provider) == ["points/1/manifest.json"]
        assert names(provider, "points/") == ["points/1/manifest.json"]


class LockHolderContract:
    """A lock says who holds it: to ``lock_holder`` and to every waiter, as the holder said."""

    def test_lock_holder_names_the_holder_and_nobody_once_released(
        self, provider: StorageProvider
    ) -> None:
        assert provider.lock_holder("store") is None
        holder = LockHolder.here("create")
        with provider.lock("store", timeout=5, holder=holder):
            assert provider.lock_holder("store") == holder
            assert provider.lock_holder("other") is None
        assert provider.lock_holder("store") is None

    def test_a_waiter_is_told_who_holds_the_lock(self, provider: StorageProvider) -> None:
        heard: list[LockWait] = []
        holder = LockHolder.here("restore")
        with (
            provider.lock("store", timeout=5, holder=holder),
            pytest.raises(LockTimeoutError, match=r"\(restore, started "),
            provider.lock("store", timeout=SHORT, on_wait=heard.append),
        ):
            pytest.fail("got a lock that someone else holds")
        assert [wait.holder for wait in heard] == [holder]
        assert heard[0].timeout == SHORT


class CrossProcessLockContract:
    """For providers shared between processes: a lock excludes holders in other processes too."""

    def subprocess_setup_code(self, provider: StorageProvider) -> str:
        """Python that rebuilds ``provider`` as ``provider`` in a fresh interpreter."""
        raise NotImplementedError("a cross-process provider's test class must override this")

    def test_lock_excludes_another_process(self, provider: StorageProvider) -> None:
        with lock_held_in_subprocess(self.subprocess_setup_code(provider), "store"):
            assert_times_out(provider, "store", timeout=0.5)
        with provider.lock("store", timeout=10):
            pass
