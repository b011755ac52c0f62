"""An in-process object store for tests: a dict of bytes guarded by a mutex.

Locks are per-name ``threading.Lock`` objects, so they exclude other threads
of this process (and, like every provider's lock, are not re-entrant).
"""

from __future__ import annotations

import contextlib
import io
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from publisher_restore.errors import (
    LockTimeoutError,
    ObjectExistsError,
    ObjectNotFoundError,
    StorageError,
)
from publisher_restore.storage.base import (
    LockHolder,
    LockWait,
    LockWaitCallback,
    ObjectInfo,
    ProgressCallback,
    StorageProvider,
    check_name,
)
from publisher_restore.storage.fsutil import copy_stream


class MemoryStorageProvider(StorageProvider):
    """Objects kept in memory for the life of the instance."""

    scheme = "memory"

    def __init__(self) -> None:
        self._objects: dict[str, bytes] = {}
        self._mutex = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._holders: dict[str, LockHolder] = {}

    def describe(self) -> str:
        return f"in-memory storage {id(self):#x}"

    def put_file(
        self,
        name: str,
        source: Path,
        *,
        overwrite: bool = False,
        progress: ProgressCallback | None = None,
    ) -> None:
        check_name(name)
        buffer = io.BytesIO()
        try:
            with open(source, "rb") as stream:
                copy_stream(stream, buffer, progress)
        except OSError as error:
            raise StorageError(f"cannot read {source} to store it as {name!r}: {error}") from error
        self._publish(name, buffer.getvalue(), overwrite=overwrite)

    def put_bytes(self, name: str, data: bytes, *, overwrite: bool = False) -> None:
        check_name(name)
        self._publish(name, bytes(data), overwrite=overwrite)

    def open_read(self, name: str) -> BinaryIO:
        check_name(name)
        with self._mutex:
            data = self._objects.get(name)
        if data is None:
            raise ObjectNotFoundError(f"no object {name!r} in {self.describe()}")
        return io.BytesIO(data)

    def read_range(self, name: str, offset: int, length: int) -> bytes:
        check_name(name)
        with self._mutex:
            data = self._objects.get(name)
        if data is None:
            raise ObjectNotFoundError(f"no object {name!r} in {self.describe()}")
        return data[offset : offset + max(length, 0)]

    def stat(self, name: str) -> ObjectInfo | None:
        check_name(name)
        with self._mutex:
            data = self._objects.get(name)
        return None if data is None else ObjectInfo(name=name, size=len(data))

    def list(self, prefix: str = "") -> Iterator[ObjectInfo]:
        with self._mutex:
            snapshot = sorted((n, len(d)) for n, d in self._objects.items() if n.startswith(prefix))
        for name, size in snapshot:
            yield ObjectInfo(name=name, size=size)

    def delete(self, name: str) -> None:
        check_name(name)
        with self._mutex:
            self._objects.pop(name, None)

    @contextlib.contextmanager
    def lock(
        self,
        name: str,
        *,
        timeout: float = 30.0,
        holder: LockHolder | None = None,
        on_wait: LockWaitCallback | None = None,
    ) -> Iterator[None]:
        check_name(name)
        with self._mutex:
            name_lock = self._locks.setdefault(name, threading.Lock())
        self._wait_for(name, name_lock, timeout, on_wait)
        with self._mutex:
            self._holders[name] = holder or LockHolder.here("")
        try:
            yield
        finally:
            with self._mutex:
                self._holders.pop(name, None)
            name_lock.release()

    def lock_holder(self, name: str) -> LockHolder | None:
        check_name(name)
        with self._mutex:
            name_lock = self._locks.get(name)
            if name_lock is None or not name_lock.locked():
                return None
            return self._holders.get(name, LockHolder())

    def _wait_for(
        self,
        name: str,
        name_lock: threading.Lock,
        timeout: float,
        on_wait: LockWaitCallback | None,
    ) -> None:
        """Acquire, restarting the clock when the holder changes (no queue: no order)."""
        deadline = time.monotonic() + max(timeout, 0.0)
        seen: LockHolder | None = None
        while not name_lock.acquire(timeout=min(0.05, max(deadline - time.monotonic(), 0))):
            holder = self.lock_holder(name)
            if holder is not None and holder != seen:
                if seen is not None:
                    deadline = time.monotonic() + timeout
                seen = holder
                if on_wait is not None and timeout > 0:
                    on_wait(LockWait(holder=holder, timeout=timeout))
            if time.monotonic() >= deadline:
                who = seen.describe() if seen else "another thread"
                raise LockTimeoutError(
                    f"lock {name!r} of {self.describe()} is held by {who}; "
                    f"gave up after {timeout:g} s"
                )

    def _publish(self, name: str, data: bytes, *, overwrite: bool) -> None:
        with self._mutex:
            if not overwrite and name in self._objects:
                raise ObjectExistsError(f"object {name!r} already exists in {self.describe()}")
            self._objects[name] = data
