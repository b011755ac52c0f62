"""An in-process object store for tests: a dict of bytes guarded by a mutex.

Locks are per-name ``threading.Lock`` objects, so they exclude other threads
of this process (and, like every provider's lock, are not re-entrant).
"""

from __future__ import annotations

import contextlib
import io
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from publisher_restore.errors import (
    LockTimeoutError,
    ObjectExistsError,
    ObjectNotFoundError,
    StorageError,
)
from publisher_restore.storage.base import ObjectInfo, ProgressCallback, StorageProvider, check_name
from publisher_restore.storage.fsutil import copy_stream


class MemoryStorageProvider(StorageProvider):
    """Objects kept in memory for the life of the instance."""

    scheme = "memory"

    def __init__(self) -> None:
        self._objects: dict[str, bytes] = {}
        self._mutex = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

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
    def lock(self, name: str, *, timeout: float = 30.0) -> Iterator[None]:
        check_name(name)
        with self._mutex:
            name_lock = self._locks.setdefault(name, threading.Lock())
        if not name_lock.acquire(timeout=max(timeout, 0.0)):
            raise LockTimeoutError(
                f"lock {name!r} of {self.describe()} is held by another thread; "
                f"gave up after {timeout:g} s"
            )
        try:
            yield
        finally:
            name_lock.release()

    def _publish(self, name: str, data: bytes, *, overwrite: bool) -> None:
        with self._mutex:
            if not overwrite and name in self._objects:
                raise ObjectExistsError(f"object {name!r} already exists in {self.describe()}")
            self._objects[name] = data
