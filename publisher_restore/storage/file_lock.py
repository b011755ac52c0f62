"""An exclusive OS file lock (``flock``) that the kernel drops when its holder dies, taken in turn.

Beside the lock file ``<name>.lock`` sits a queue folder ``<name>.queue/``: each waiter
takes a numbered ticket (``<n>.ticket``, numbers handed out under a short ``flock`` on
``counter``) and tries the lock only while its ticket is the lowest one, so a later
arrival never overtakes an earlier one (``flock`` alone wakes its waiters in no order).
A waiter keeps its ticket ``flock``-ed while it lives; a ticket whose ``flock`` can be
taken belongs to a dead waiter, and the waiter behind it removes it.

The lock file is never deleted: removing it while another process waits on
the old inode would let two processes "hold" the lock at once.  The holder
writes who it is (a ``LockHolder`` as JSON) into the file, so a waiter can say
who it is waiting for; ``lock_holder_of`` reads it without taking the lock.
Descriptors are opened close-on-exec, so child processes never inherit them.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from publisher_restore.errors import LockTimeoutError
from publisher_restore.storage.base import LockHolder, LockWait, LockWaitCallback

POLL_INTERVAL = 0.05
QUEUE_SUFFIX = ".queue"
TICKET_SUFFIX = ".ticket"
_NEW_PREFIX = "new-"
_COUNTER = "counter"


@contextlib.contextmanager
def hold_file_lock(
    path: Path,
    *,
    timeout: float,
    label: str,
    holder: LockHolder | None = None,
    on_wait: LockWaitCallback | None = None,
) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``path`` for the ``with`` block, in arrival order.

    ``LockTimeoutError`` once one holder has kept the lock for ``timeout`` seconds of
    this wait; ``on_wait`` hears who holds it when the wait starts and at each change.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        queue = path.with_name(path.name + QUEUE_SUFFIX)
        with _ticket(queue) as ticket:
            _acquire(fd, path, ticket, _Waiting(path, timeout, label, on_wait))
        try:
            _write_holder(fd, holder or LockHolder.here(""))
            _remove_strays(queue)
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def lock_holder_of(path: Path) -> LockHolder | None:
    """Who holds the lock at ``path`` now (an empty ``LockHolder`` when it has not said),
    or None when nobody does; creates nothing, and takes the lock only shared for an instant.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except (FileNotFoundError, NotADirectoryError):
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read_holder(fd) or LockHolder()
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


class _Waiting:
    """One waiter's clock and what it has told its listener."""

    def __init__(self, path: Path, timeout: float, label: str, on_wait: LockWaitCallback | None):
        self.path = path
        self.timeout = timeout
        self.label = label
        self.on_wait = on_wait
        self.deadline = time.monotonic() + timeout
        self.holder: LockHolder | None = None
        self.told = False

    def tick(self, ahead: int) -> None:
        """Note the holder now: tell the listener of a change, restart the clock for a new
        holder, and give up once one holder kept the lock ``timeout`` seconds."""
        holder = _holder_in(self.path)
        changed = holder is not None and holder != self.holder
        if changed and self.holder is not None:
            self.deadline = time.monotonic() + self.timeout
        if changed or not self.told:
            self.holder = holder or self.holder
            self._tell(ahead)
        if time.monotonic() >= self.deadline:
            who = self.holder.describe() if self.holder else "another process"
            raise LockTimeoutError(
                f"{self.label} is held by {who}; gave up after {self.timeout:g} s"
            )

    def _tell(self, ahead: int) -> None:
        self.told = True
        if self.on_wait is not None and self.timeout > 0:
            self.on_wait(LockWait(holder=self.holder, ahead=ahead, timeout=self.timeout))


def _acquire(fd: int, path: Path, ticket: _Ticket, waiting: _Waiting) -> None:
    while True:
        ahead = ticket.ahead()
        if ahead == 0:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                pass
        waiting.tick(ahead)
        time.sleep(POLL_INTERVAL)


class _Ticket:
    """This waiter's place in the queue: a numbered file it keeps ``flock``-ed."""

    def __init__(self, queue: Path, number: int, fd: int) -> None:
        self.queue = queue
        self.number = number
        self.fd = fd

    @property
    def path(self) -> Path:
        return self.queue / f"{self.number:020d}{TICKET_SUFFIX}"

    def ahead(self) -> int:
        """How many live tickets come before this one; dead ones at the front are removed."""
        earlier = sorted(n for n in _ticket_numbers(self.queue) if n < self.number)
        for position, number in enumerate(earlier):
            if _is_live(self.queue / f"{number:020d}{TICKET_SUFFIX}"):
                return len(earlier) - position
        return 0


@contextlib.contextmanager
def _ticket(queue: Path) -> Iterator[_Ticket]:
    queue.mkdir(exist_ok=True)
    # Locked under a name no waiter looks at, then renamed into the queue: a ticket is
    # never seen unlocked, so it is never taken for a dead waiter's.
    new = queue / f"{_NEW_PREFIX}{os.getpid()}-{uuid.uuid4().hex}"
    fd = os.open(new, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        ticket = _Ticket(queue, _next_number(queue), fd)
        os.rename(new, ticket.path)
        try:
            yield ticket
        finally:
            ticket.path.unlink(missing_ok=True)
    finally:
        new.unlink(missing_ok=True)
        os.close(fd)


def _next_number(queue: Path) -> int:
    """The next ticket number, from a counter bumped under its own short ``flock``."""
    fd = os.open(queue / _COUNTER, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            number = int(os.pread(fd, 32, 0) or b"0")
        except ValueError:  # a writer died mid-write: start after every ticket there is
            number = max(_ticket_numbers(queue), default=0) + 1
        text = str(number + 1).encode()
        os.pwrite(fd, text, 0)
        os.ftruncate(fd, len(text))
        return number
    finally:
        os.close(fd)


def _ticket_numbers(queue: Path) -> list[int]:
    numbers = []
    with contextlib.suppress(FileNotFoundError), os.scandir(queue) as entries:
        for entry in entries:
            stem = entry.name.removesuffix(TICKET_SUFFIX)
            if entry.name.endswith(TICKET_SUFFIX) and stem.isdigit():
                numbers.append(int(stem))
    return numbers


def _is_live(path: Path) -> bool:
    """True while the ticket's waiter holds its ``flock``; a dead waiter's ticket is removed."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return True
    path.unlink(missing_ok=True)
    os.close(fd)
    return False


def _remove_strays(queue: Path) -> None:
    """Remove half-made tickets of waiters that died before joining the queue."""
    with contextlib.suppress(FileNotFoundError), os.scandir(queue) as entries:
        strays = [Path(e.path) for e in entries if e.name.startswith(_NEW_PREFIX)]
    for stray in strays:
        _is_live(stray)


def _write_holder(fd: int, holder: LockHolder) -> None:
    os.ftruncate(fd, 0)
    os.pwrite(fd, holder.model_dump_json().encode(), 0)


def _holder_in(path: Path) -> LockHolder | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        return _read_holder(fd)
    finally:
        os.close(fd)


def _read_holder(fd: int) -> LockHolder | None:
    """The holder as written into the lock file; None when not (yet) written."""
    try:
        data = os.pread(fd, 4096, 0)
        return LockHolder.model_validate_json(data) if data else None
    except (OSError, ValidationError):
        return None
