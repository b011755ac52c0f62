"""An exclusive OS file lock (``flock``) that the kernel drops when its holder dies.

The lock file is never deleted: removing it while another process waits on
the old inode would let two processes "hold" the lock at once.  The holder
writes who it is into the file so a waiter can say who it is waiting for.
The descriptor is opened close-on-exec, so child processes never inherit it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from publisher_restore.errors import LockTimeoutError

POLL_INTERVAL = 0.05


@contextlib.contextmanager
def hold_file_lock(path: Path, *, timeout: float, label: str) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``path`` for the ``with`` block, polling until ``timeout``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        _acquire(fd, path, timeout=timeout, label=label)
        try:
            _write_holder(fd)
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, path: Path, *, timeout: float, label: str) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise LockTimeoutError(
                    f"{label} is locked by {describe_holder(path)}; gave up after {timeout:g} s"
                ) from None
            time.sleep(min(POLL_INTERVAL, remaining))


def _write_holder(fd: int) -> None:
    holder = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(holder).encode(), 0)


def describe_holder(path: Path) -> str:
    """Who holds the lock, as written by the holder; a plain phrase when unknown."""
    try:
        holder = json.loads(path.read_bytes())
        return f"pid {int(holder['pid'])} on {holder['host']} since {holder['started']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "another process (holder details not yet written)"
