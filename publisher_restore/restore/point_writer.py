"""Storing one point's objects: frames into packs, large files, index chunks.

Every object is written without overwrite under a name that states its content, so an
object that is already there is simply shared (``ObjectExistsError`` is not an error
here).  Objects the point shares with the point it was compared with are not written
at all.  Writes of whole packs run in the background (at most ``UPLOADS`` at a time,
which bounds memory to that many packs), so reading the site goes on meanwhile.
"""

from __future__ import annotations

import hashlib
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from publisher_restore.errors import ObjectExistsError, StorageError
from publisher_restore.restore.index_chunks import EncodedChunk
from publisher_restore.restore.objects import FILE_PREFIX, pack_name
from publisher_restore.storage.base import StorageProvider

PACK_TARGET = 8 * 1024 * 1024
"""Compressed bytes per pack: few objects per point, and ranged reads for single files."""
UPLOADS = 2


class PointWriter:
    """Collects the objects a point names; writes the new ones."""

    def __init__(self, provider: StorageProvider, known: dict[str, int]) -> None:
        self.provider = provider
        self.names: list[str] = []
        """Object names by slot (an open pack's slot holds '' until it is written)."""
        self.sizes: dict[str, int] = {}
        """Every object the point names, with its size."""
        self.added = 0
        """Bytes this point wrote."""
        self._known = dict(known)
        self._slots: dict[str, int] = {}
        self._pack = bytearray()
        self._pack_slot: int | None = None
        self._stored_files: dict[str, int] | None = None
        self._pool = ThreadPoolExecutor(UPLOADS, thread_name_prefix="upload")
        self._pending: list[Future[None]] = []
        self._count = threading.Lock()
        self._new: list[str] = []

    def slot(self, name: str, size: int | None = None) -> int:
        """The slot of an object that is stored already (shared with another point)."""
        found = self._slots.get(name)
        if found is None:
            found = self._slots[name] = len(self.names)
            self.names.append(name)
            self.sizes[name] = self._known.get(name, 0) if size is None else size
        return found

    def add_frame(self, frame: bytes) -> tuple[int, int, int]:
        """Append a compressed block to the open pack: (slot, frame offset, frame length)."""
        if self._pack_slot is None:
            self._pack_slot = len(self.names)
            self.names.append("")
        offset = len(self._pack)
        self._pack += frame
        slot = self._pack_slot
        if len(self._pack) >= PACK_TARGET:
            self.seal()
        return slot, offset, len(frame)

    def seal(self) -> None:
        """Write the open pack (in the background)."""
        if self._pack_slot is None:
            return
        data = bytes(self._pack)
        name = pack_name(hashlib.sha256(data).hexdigest())
        self.names[self._pack_slot] = name
        self._slots[name] = self._pack_slot
        self.sizes[name] = len(data)
        self._pack, self._pack_slot = bytearray(), None
        self._wait(UPLOADS)
        self._pending.append(self._pool.submit(self._put, name, data))

    def has_file(self, name: str) -> bool:
        """Whether a large file's object is stored already (one listing, on first use)."""
        if name in self._known or name in self._slots:
            return True
        if self._stored_files is None:
            self._stored_files = {i.name: i.size for i in self.provider.list(FILE_PREFIX)}
        return name in self._stored_files

    def add_file(self, name: str, temp: Path) -> int:
        """Store a large file's object written to ``temp`` (consumed) unless it is stored
        already."""
        if name in self._slots:
            temp.unlink(missing_ok=True)
            return self._slots[name]
        stored = temp.stat().st_size  # the object's bytes: compressed, or the file's own
        if self.has_file(name):
            temp.unlink(missing_ok=True)
            stored = self._stored_size(name, stored)
        else:
            try:
                self.provider.adopt_file(name, temp)
                self._count_added(name, stored)
            except ObjectExistsError:
                pass
        return self.slot(name, stored)

    def _stored_size(self, name: str, written: int) -> int:
        """The size of an object stored already (another zstd may have written it)."""
        if name in self._known:
            return self._known[name]
        return (self._stored_files or {}).get(name, written)

    def add_index(self, chunks: list[EncodedChunk]) -> list[str]:
        """Store the index chunks that are new; their names in order."""
        for chunk in chunks:
            if chunk.name in self._slots:
                continue
            if chunk.name not in self._known:
                self._wait(UPLOADS * 8)
                self._pending.append(self._pool.submit(self._put, chunk.name, chunk.data))
                self.slot(chunk.name, len(chunk.data))
            else:
                self.slot(chunk.name)
        return [chunk.name for chunk in chunks]

    def wait(self) -> None:
        """Wait for every write in flight; the first failure is raised."""
        self._wait(0)

    def finish(self) -> None:
        """Seal the open pack and wait for every write; the first failure is raised."""
        self.seal()
        self._wait(0)
        self._pool.shutdown()

    def abandon(self) -> None:
        """Stop: wait for writes in flight, ignore their outcome."""
        for pending in self._pending:
            pending.exception()
        self._pool.shutdown()

    def _put(self, name: str, data: bytes) -> None:
        try:
            self.provider.put_bytes(name, data)
        except ObjectExistsError:
            return
        self._count_added(name, len(data))

    def _count_added(self, name: str, size: int) -> None:
        with self._count:
            self.added += size
            self._new.append(name)

    def remove_new(self) -> None:
        """Delete the objects this point wrote (it failed: no manifest will name them).

        Under the site lock no other point can have come to share them.  Best effort: what
        is left (storage gone away) the next collection finds through the intent.
        """
        with self._count:
            names, self._new = list(self._new), []
        for name in names:
            try:
                self.provider.delete(name)
            except StorageError:
                return

    def _wait(self, most: int) -> None:
        """Wait until at most ``most`` writes are in flight, raising the first failure."""
        while len(self._pending) > most:
            self._pending.pop(0).result()
