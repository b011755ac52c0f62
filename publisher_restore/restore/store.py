"""Restore points on a storage provider: naming, listing, publishing, deleting, collecting.

Layout on the provider::

    objects/pack/<sha256>          packs of small files      (restore.objects)
    objects/file/<sha256>[.zst]    large files on their own
    objects/index/<sha256>         chunks of points' file indexes (restore.index_chunks)
    points/<id>/manifest.v2        a point: header line, then its body (written last)
    creating/<id>                  a create (or import) at work, until its manifest is written
    points/<id>/manifest.json      a version-1 point (older versions), beside
    points/<id>/archive.tar.zst    its archive

A point is listed only through its manifest, which is written after every object it
names is stored (and durable), so an interrupted create lists nothing.  Objects are
write-once and shared by every point that holds the same bytes; a point is deleted by
deleting its manifest, and its objects go when no manifest names them any more
(``collect_garbage``, a mark and sweep under the site lock; see the protocol there).

The manifest's first line is the header (a ``Manifest`` as JSON: what ``list`` reads);
the rest is the body, zstd-compressed JSON: the index chunks in order and every object
the point needs with its size.  The header's ``contents_sha256`` is the body's digest.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import BinaryIO

from pydantic import ValidationError

from publisher_restore.errors import (
    IntegrityError,
    ObjectNotFoundError,
    RestorePointNotFoundError,
    StorageError,
)
from publisher_restore.restore.contents import PointContents
from publisher_restore.restore.index_chunks import IndexReader
from publisher_restore.restore.legacy import (
    LEGACY_ARCHIVE,
    LEGACY_MANIFEST,
    legacy_bytes,
    read_legacy,
)
from publisher_restore.restore.manifest import (
    MANIFEST_VERSION,
    Manifest,
    Reason,
    unreadable_manifest,
)
from publisher_restore.restore.objects import (
    INDEX_PREFIX,
    OBJECTS_PREFIX,
    compressor,
    decode_frame,
    object_problem,
)
from publisher_restore.storage.base import (
    LockHolder,
    LockWaitCallback,
    StorageProvider,
)

POINTS_PREFIX = "points/"
MANIFEST_NAME = "manifest.v2"
MANIFEST_NAME_V1 = LEGACY_MANIFEST
INTENTS_PREFIX = "creating/"
STORE_LOCK = "site"
LATEST = "latest"
HEADER_READ = 64 * 1024
MAX_HEADER = 16 * 1024 * 1024
MAX_BODY = 256 * 1024 * 1024
READ_THREADS = 8


def manifest_object(point_id: str) -> str:
    return f"{POINTS_PREFIX}{point_id}/{MANIFEST_NAME}"


def legacy_manifest_object(point_id: str) -> str:
    return f"{POINTS_PREFIX}{point_id}/{MANIFEST_NAME_V1}"


def archive_object(manifest: Manifest) -> str:
    """A version-1 point's archive."""
    return f"{POINTS_PREFIX}{manifest.id}/{manifest.archive_name or LEGACY_ARCHIVE}"


def intent_object(point_id: str) -> str:
    return f"{INTENTS_PREFIX}{point_id}"


@dataclass(frozen=True)
class UnreadablePoint:
    """A listed point whose manifest is damaged: its id and what is wrong."""

    point_id: str
    error: str


@dataclass(frozen=True)
class PointBody:
    """What a version-2 manifest names: its index chunks in order, every object with its size."""

    index: list[str]
    objects: dict[str, int]

    def to_bytes(self) -> bytes:
        document = {"index": self.index, "objects": dict(sorted(self.objects.items()))}
        return json.dumps(document, separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes, where: str) -> PointBody:
        try:
            document = json.loads(data)
            index, objects = document["index"], document["objects"]
            if not isinstance(index, list) or not isinstance(objects, dict):
                raise ValueError("index is a list, objects a mapping")
            for name in [*index, *objects]:
                if not isinstance(name, str) or object_problem(name):
                    raise ValueError(f"{name!r} is not an object name")
            if any(not name.startswith(INDEX_PREFIX) or name not in objects for name in index):
                raise ValueError("an index chunk is not among the objects")
            if any(not isinstance(size, int) or size < 0 for size in objects.values()):
                raise ValueError("object sizes are counts")
        except (ValueError, TypeError, KeyError) as error:
            raise IntegrityError(f"{where}: unreadable restore-point manifest ({error})") from None
        return cls(list(index), dict(objects))


@dataclass
class GarbageReport:
    """What a collection did: objects removed (and their bytes), or why it was put off."""

    removed: int = 0
    removed_bytes: int = 0
    postponed: str | None = None
    intents: list[str] = field(default_factory=list)


class RestorePointStore:
    """Restore points kept on one storage provider."""

    def __init__(self, provider: StorageProvider) -> None:
        self.provider = provider

    def lock(
        self,
        timeout: float = 60.0,
        *,
        holder: LockHolder | None = None,
        on_wait: LockWaitCallback | None = None,
    ) -> contextlib.AbstractContextManager[None]:
        """The site-wide lock that serialises creates, restores, deletes and prunes."""
        return self.provider.lock(STORE_LOCK, timeout=timeout, holder=holder, on_wait=on_wait)

    def lock_holder(self) -> LockHolder | None:
        """Who holds the site-wide lock now (None: nobody); takes and writes nothing."""
        return self.provider.lock_holder(STORE_LOCK)

    # -- reading -----------------------------------------------------------------------------

    def points(self) -> list[Manifest]:
        """Every readable restore point, newest first (``listing`` also names the others)."""
        return self.listing()[0]

    def listing(self) -> tuple[list[Manifest], list[UnreadablePoint]]:
        """Readable points newest first, and points whose manifest cannot be read.

        Only headers are read; one damaged manifest must not hide every other point.
        """
        manifests: list[Manifest] = []
        unreadable: list[UnreadablePoint] = []
        for point_id, name in self._manifest_names():
            try:
                manifests.append(self._load(name))
            except IntegrityError as error:
                unreadable.append(UnreadablePoint(point_id, str(error)))
        manifests.sort(key=lambda m: (m.created, m.id), reverse=True)
        return manifests, unreadable

    def get(self, point_id: str) -> Manifest:
        """The manifest of ``point_id``; ``latest`` is the newest point not taken by a restore.

        A pre-restore point holds the state a restore replaced, so ``restore latest``
        run twice must not silently undo the first restore.
        """
        if point_id == LATEST:
            return self._latest()
        if "/" in point_id or point_id.startswith(".") or not point_id:
            raise RestorePointNotFoundError(f"no restore point with id {point_id!r}")
        for name in (manifest_object(point_id), legacy_manifest_object(point_id)):
            if self.provider.stat(name) is not None:
                return self._load(name)
        raise RestorePointNotFoundError(f"no restore point with id {point_id!r}")

    def _latest(self) -> Manifest:
        points = self.points()
        chosen = [p for p in points if p.reason != Reason.PRE_RESTORE]
        if chosen:
            return chosen[0]
        if points:
            raise RestorePointNotFoundError(
                f"'latest' never names a pre-restore point and there are only those; "
                f"name one by id (newest: {points[0].id})"
            )
        raise RestorePointNotFoundError("there are no restore points yet")

    def body(self, manifest: Manifest) -> PointBody:
        """What a version-2 point names, checked against its header's digest."""
        name = manifest_object(manifest.id)
        data = self._get(name)
        _header, _, packed = data.partition(b"\n")
        text = decode_frame(packed, name, MAX_BODY)
        if hashlib.sha256(text).hexdigest() != manifest.contents_sha256:
            raise IntegrityError(f"{name}: the manifest's body does not match its header")
        return PointBody.from_bytes(text, name)

    def load_contents(self, manifest: Manifest) -> PointContents:
        """A version-2 point's file index, every chunk checked."""
        body = self.body(manifest)
        reader = IndexReader()
        for name, data in zip(body.index, self._read_all(body.index), strict=True):
            reader.add(name, data)
        contents = reader.contents
        if len(contents) != manifest.file_count:
            raise IntegrityError(
                f"restore point {manifest.id}: its index lists {len(contents)} files, "
                f"its header {manifest.file_count}"
            )
        return contents

    def _read_all(self, names: list[str]) -> Iterator[bytes]:
        """Objects read in order (several at once: remote stores answer slowly, not little)."""
        if len(names) < 4:
            yield from (self._get(name) for name in names)
            return
        with ThreadPoolExecutor(READ_THREADS) as pool:
            yield from pool.map(self._get, names)

    def _get(self, name: str) -> bytes:
        try:
            return self.provider.get_bytes(name)
        except ObjectNotFoundError:
            raise IntegrityError(f"{name}: missing from storage") from None

    def open_archive(self, manifest: Manifest) -> BinaryIO:
        """A stream over a version-1 point's archive."""
        return self.provider.open_read(archive_object(manifest))

    # -- writing -----------------------------------------------------------------------------

    def publish(self, manifest: Manifest, body: PointBody) -> int:
        """Write a version-2 manifest (after every object it names); returns its size."""
        data = _manifest_bytes(manifest, body.to_bytes())
        self.provider.put_bytes(manifest_object(manifest.id), data)
        return len(data)

    def update_manifest(self, manifest: Manifest) -> None:
        """Rewrite an existing point's header (pinning): its body stays as it is."""
        if manifest.is_legacy:
            self.provider.put_bytes(
                legacy_manifest_object(manifest.id), legacy_bytes(manifest), overwrite=True
            )
            return
        name = manifest_object(manifest.id)
        _header, _, packed = self._get(name).partition(b"\n")
        self.provider.put_bytes(name, _header_line(manifest) + b"\n" + packed, overwrite=True)

    def begin_writing(self, point_id: str, operation: str) -> None:
        """Say that a point's objects are being written (before the first of them)."""
        note = {"pid": os.getpid(), "host": socket.gethostname(), "operation": operation,
                "started": datetime.now(UTC).isoformat()}  # fmt: skip
        self.provider.put_bytes(intent_object(point_id), json.dumps(note).encode("utf-8"))

    def end_writing(self, point_id: str) -> None:
        """The point's manifest is written (or its writer gave up): its intent goes."""
        self.provider.delete(intent_object(point_id))

    def delete(self, manifest: Manifest, *, collect: bool = True) -> GarbageReport | None:
        """Unlist the point (its manifest first), then remove what no other point needs."""
        if manifest.is_legacy:
            self.provider.delete(legacy_manifest_object(manifest.id))
            self.provider.delete(archive_object(manifest))
        else:
            self.provider.delete(manifest_object(manifest.id))
        return self.collect_garbage() if collect else None

    def delete_unreadable(self, point_id: str) -> None:
        """Remove a point whose manifest cannot be read: the manifest first, then the rest.

        Its objects are not collected: an unreadable manifest cannot say what it needed,
        so the next collection after it is gone does.
        """
        manifests = {manifest_object(point_id), legacy_manifest_object(point_id)}
        names = sorted(
            (info.name for info in self.provider.list(f"{POINTS_PREFIX}{point_id}/")),
            key=lambda name: name not in manifests,
        )
        for name in names:
            self.provider.delete(name)
        self.collect_garbage()

    def remove_orphans(self) -> list[str]:
        """Delete what interrupted creates left; call with the lock held.

        Files of version-1 points that never got a manifest, the provider's temp files,
        and, when a create died after writing objects (its intent is still there), every
        object no manifest names.
        """
        complete = {point_id for point_id, _name in self._manifest_names()}
        removed = []
        for info in self.provider.list(POINTS_PREFIX):
            point_id = info.name[len(POINTS_PREFIX) :].split("/", 1)[0]
            if point_id not in complete:
                self.provider.delete(info.name)
                removed.append(info.name)
        self.provider.cleanup_temp(older_than=0)
        if any(True for _ in self.provider.list(INTENTS_PREFIX)):
            self.collect_garbage()
        return removed

    def collect_garbage(self) -> GarbageReport:
        """Delete every object no manifest names; call with the site lock held.

        The protocol: every writer of objects (create, import) holds the site lock from
        before its first object until after its manifest, and announces itself with an
        intent (``creating/<id>``) before its first object.  A collection also holds the
        lock, so no create runs meanwhile: any intent it finds is a create that died,
        whose objects no live create can publish any more, and they go with every other
        object no manifest names.  (A holder that lost its lock without knowing, an Azure
        lease that expired while the process was stopped, cannot write its manifest: every
        write under a lease checks the lease first.)  A manifest that cannot be read could
        name anything, so while there is one nothing is collected.
        """
        report = GarbageReport()
        marked: set[str] = set()
        for point_id, name in self._manifest_names():
            if name.endswith(MANIFEST_NAME_V1):
                continue
            try:
                manifest = self._load(name)
                marked.update(self.body(manifest).objects)
            except IntegrityError as error:
                report.postponed = f"restore point {point_id} cannot be read ({error})"
                return report
        for info in list(self.provider.list(OBJECTS_PREFIX)):
            if info.name not in marked:
                self.provider.delete(info.name)
                report.removed += 1
                report.removed_bytes += info.size
        for info in list(self.provider.list(INTENTS_PREFIX)):
            self.provider.delete(info.name)
            report.intents.append(info.name[len(INTENTS_PREFIX) :])
        return report

    def object_sizes(self, names: Iterable[str] | None = None) -> dict[str, int]:
        """Every stored object (or those under the given prefixes) with its size."""
        prefixes = list(names) if names is not None else [OBJECTS_PREFIX]
        return {info.name: info.size for p in prefixes for info in self.provider.list(p)}

    # -- helpers -----------------------------------------------------------------------------

    def _manifest_names(self) -> Iterator[tuple[str, str]]:
        """(point id, manifest name) of every point; a version-2 manifest wins over a v1 one."""
        found: dict[str, str] = {}
        for info in self.provider.list(POINTS_PREFIX):
            rest = info.name[len(POINTS_PREFIX) :]
            if rest.count("/") != 1:
                continue
            point_id, leaf = rest.split("/")
            if leaf == MANIFEST_NAME or (leaf == MANIFEST_NAME_V1 and point_id not in found):
                found[point_id] = info.name
        yield from found.items()

    def _load(self, name: str) -> Manifest:
        if name.endswith(MANIFEST_NAME_V1):
            manifest = read_legacy(self._get(name), name)
        else:
            manifest = self._header(name)
            manifest.attach(lambda: self.load_contents(manifest))
        point_id = name[len(POINTS_PREFIX) :].split("/", 1)[0]
        if manifest.id != point_id:
            raise IntegrityError(
                f"{name}: the manifest names another restore point ({manifest.id})"
            )
        return manifest

    def _header(self, name: str) -> Manifest:
        line = self._header_line(name)
        try:
            manifest = Manifest.model_validate_json(line)
        except ValidationError as error:
            raise unreadable_manifest(name, error) from None
        if manifest.manifest_version != MANIFEST_VERSION:
            raise IntegrityError(
                f"{name}: manifest version {manifest.manifest_version} is not one this "
                f"version reads ({MANIFEST_VERSION})"
            )
        return manifest

    def _header_line(self, name: str) -> bytes:
        try:
            data = self.provider.read_range(name, 0, HEADER_READ)
            while b"\n" not in data and len(data) % HEADER_READ == 0 and len(data) < MAX_HEADER:
                more = self.provider.read_range(name, len(data), HEADER_READ)
                if not more:
                    break
                data += more
        except ObjectNotFoundError:
            raise RestorePointNotFoundError(f"{name}: the restore point vanished") from None
        except StorageError:
            raise
        line, newline, _rest = data.partition(b"\n")
        if not newline:
            raise IntegrityError(f"{name}: unreadable restore-point manifest (no header line)")
        return line


def _header_line(manifest: Manifest) -> bytes:
    return manifest.model_dump_json().encode("utf-8")


def _manifest_bytes(manifest: Manifest, body: bytes) -> bytes:
    return _header_line(manifest) + b"\n" + compressor().compress(body)
