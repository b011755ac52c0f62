"""The storage provider interface: a small object store every backend implements.

Restore points are stored as named objects: content-addressed objects under
``objects/`` (packs of small files, large files on their own, chunks of the file
index) and one manifest per point (``points/<id>/manifest.v2``; points written by
older versions: ``points/<id>/manifest.json`` beside ``archive.tar.zst``).  A
restore point exists only once its manifest exists, and the manifest is always
written last, so a provider needs no transactions: atomic single-object writes
and a no-overwrite mode are enough.

Three optional methods make that fast where a provider can: ``read_range`` (one
frame of a pack without the rest), ``write_batch`` (many writes made durable at
once, before the manifest) and ``adopt_file`` (a temp file moved into place
instead of copied).  Their defaults work on any provider.

Every method's contract is checked by
``publisher_restore.testing.storage_conformance.StorageConformance``, which
each provider (local, memory, Azure) must pass.

Errors: a missing object is ``ObjectNotFoundError``, a refused overwrite
``ObjectExistsError``, an invalid name or any other permanent failure
``StorageError`` (all from ``publisher_restore.errors``); a lock not obtained
in time is ``LockTimeoutError``.  Exceptions raised by a progress callback
propagate unchanged, and the failed write leaves no object behind.

Locks say who holds them: ``lock(name, holder=...)`` records the holder (pid, host,
operation, start) where waiters can read it, ``on_wait`` tells a waiter who it waits
for (again each time the holder changes), and ``lock_holder(name)`` answers "is it
held, and by whom" without taking it and without writing anything.
"""

from __future__ import annotations

import contextlib
import os
import socket
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from pydantic import BaseModel, ConfigDict

ProgressCallback = Callable[[int], None]
"""Called with the number of bytes just transferred."""


class LockHolder(BaseModel):
    """Who holds a lock: as the holder wrote it (any field may be unknown)."""

    model_config = ConfigDict(frozen=True)

    pid: int | None = None
    host: str = ""
    operation: str = ""
    started: datetime | None = None

    @classmethod
    def here(cls, operation: str) -> LockHolder:
        """This process, starting ``operation`` now."""
        return cls(pid=os.getpid(), host=socket.gethostname(), operation=operation, started=_now())

    def describe(self) -> str:
        """``pid 123 on web-1 (create, started 2026-05-01 09:30:00 UTC)``, with what is known."""
        who = f"pid {self.pid}" if self.pid is not None else "another process"
        who += f" on {self.host}" if self.host else ""
        details = [self.operation] if self.operation else []
        if self.started is not None:
            details.append(f"started {self.started.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC")
        return f"{who} ({', '.join(details)})" if details else who


class LockWait(BaseModel):
    """What a waiter is told: who holds the lock, how many wait ahead, when it gives up."""

    model_config = ConfigDict(frozen=True)

    holder: LockHolder | None
    """None while the holder has not said who it is (or between two holders)."""
    ahead: int = 0
    """Waiters queued before this one (0 where the provider keeps no queue)."""
    timeout: float
    """Seconds this waiter waits on one holder before it gives up."""


LockWaitCallback = Callable[[LockWait], None]


def _now() -> datetime:
    return datetime.now(UTC)


class ObjectInfo(BaseModel):
    """What a listing says of one stored object."""

    model_config = ConfigDict(frozen=True)

    name: str
    size: int


class StorageProvider(ABC):
    """An object store for restore points.

    Names are relative, ``/``-separated, without ``..`` or a leading ``/``.
    Listings use plain string order and ``prefix`` is a string prefix, not a
    folder (``points/a`` matches ``points/ab/x``).  Locks are not re-entrant:
    a second ``lock(name)`` waits even in the same thread.
    """

    scheme: str = ""

    @abstractmethod
    def describe(self) -> str:
        """A human description of where objects go; never contains a secret."""

    @abstractmethod
    def put_file(
        self,
        name: str,
        source: Path,
        *,
        overwrite: bool = False,
        progress: ProgressCallback | None = None,
    ) -> None:
        """Store the file at ``source`` as ``name``, atomically.

        Readers see either no object or the whole of it.  With
        ``overwrite=False`` an existing object raises ``ObjectExistsError``.
        Large files are streamed, never read whole into memory.
        """

    @abstractmethod
    def put_bytes(self, name: str, data: bytes, *, overwrite: bool = False) -> None:
        """Store a small object atomically, with the same rules as ``put_file``."""

    @abstractmethod
    def open_read(self, name: str) -> BinaryIO:
        """A stream over the object's bytes; ``ObjectNotFoundError`` if missing."""

    def get_bytes(self, name: str) -> bytes:
        """The whole object; for small objects such as manifests."""
        with self.open_read(name) as stream:
            return stream.read()

    @abstractmethod
    def stat(self, name: str) -> ObjectInfo | None:
        """The object's info, or None when it does not exist."""

    @abstractmethod
    def list(self, prefix: str = "") -> Iterator[ObjectInfo]:
        """Every object whose name starts with ``prefix``, in name order."""

    @abstractmethod
    def delete(self, name: str) -> None:
        """Remove the object; removing a missing object is not an error."""

    @abstractmethod
    def lock(
        self,
        name: str,
        *,
        timeout: float = 30.0,
        holder: LockHolder | None = None,
        on_wait: LockWaitCallback | None = None,
    ) -> contextlib.AbstractContextManager[None]:
        """An exclusive lock held for the ``with`` block.

        The lock must not outlive a dead holder (an OS file lock, a lease
        that expires).  Raises ``LockTimeoutError`` once one holder has kept it
        for ``timeout`` seconds of this wait (the clock restarts when the holder
        changes, so a waiter behind a queue that moves does not give up).
        ``holder`` is recorded for ``lock_holder`` and other waiters to read;
        ``on_wait`` is called when the wait starts and whenever the holder changes.
        """

    def read_range(self, name: str, offset: int, length: int) -> bytes:
        """``length`` bytes of the object from ``offset`` (fewer only where the object ends);
        ``ObjectNotFoundError`` if missing.  This default reads and skips from the start."""
        with self.open_read(name) as stream:
            skip = offset
            while skip > 0:
                chunk = stream.read(min(skip, 1 << 20))
                if not chunk:
                    return b""
                skip -= len(chunk)
            return _read_exactly(stream, length)

    def write_batch(self) -> contextlib.AbstractContextManager[None]:
        """Writes made inside the block may defer making their bytes durable until it ends.

        Each write is still atomic and visible at once; when the block ends without an
        error, every write made inside it is durable (so a manifest written after it
        never names an object a power cut could lose).  This default: every write is
        durable already.
        """
        return contextlib.nullcontext()

    def adopt_file(self, name: str, source: Path, *, overwrite: bool = False) -> None:
        """``put_file`` for a temp file the caller gives up: the provider may move it into
        place instead of copying it.  ``source`` is gone when this returns or raises."""
        try:
            self.put_file(name, source, overwrite=overwrite)
        finally:
            source.unlink(missing_ok=True)

    def lock_holder(self, name: str) -> LockHolder | None:
        """Who holds ``name`` now, or None when nobody does; never takes the lock for long
        and never creates anything.  A holder that has not said who it is comes back as
        an empty ``LockHolder``.  This default tries the lock without waiting.
        """
        from publisher_restore.errors import LockTimeoutError

        try:
            with self.lock(name, timeout=0):
                return None
        except LockTimeoutError:
            return LockHolder()

    def cleanup_temp(self, *, older_than: float = 600.0) -> int:
        """Remove leftovers of interrupted writes idle for ``older_than`` seconds; returns a count.

        The default age spares writes still in progress in other processes;
        pass ``older_than=0`` only while holding the lock every writer takes.
        """
        return 0

    def local_path(self, name: str) -> Path | None:
        """The object's path on the local disk when the provider has one, else None."""
        return None


def _read_exactly(stream: BinaryIO, length: int) -> bytes:
    parts: list[bytes] = []
    wanted = length
    while wanted > 0:
        chunk = stream.read(wanted)
        if not chunk:
            break
        parts.append(chunk)
        wanted -= len(chunk)
    return b"".join(parts)


def check_name(name: str) -> str:
    """Reject names that could escape the provider's root."""
    from publisher_restore.errors import StorageError

    parts = name.split("/")
    if not name or name.startswith("/") or "\\" in name or any(p in ("", ".", "..") for p in parts):
        raise StorageError(f"invalid storage object name {name!r}")
    return name
