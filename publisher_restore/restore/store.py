"""Restore points on a storage provider: naming, publishing, listing, deleting.

Layout on the provider::

    points/<id>/archive.tar.zst    written first
    points/<id>/manifest.json      written last: its presence makes the point exist

A point is listed only through its manifest, so an interrupted create leaves
at most an unlisted archive (or, on a provider with folders, an empty folder),
which ``remove_orphans`` deletes under the lock with the provider's temp leftovers.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pydantic import ValidationError

from publisher_restore.errors import IntegrityError, RestorePointNotFoundError
from publisher_restore.restore.manifest import Manifest, Reason
from publisher_restore.storage.base import (
    LockHolder,
    LockWaitCallback,
    ProgressCallback,
    StorageProvider,
)

POINTS_PREFIX = "points/"
MANIFEST_NAME = "manifest.json"
STORE_LOCK = "site"
LATEST = "latest"


def manifest_object(point_id: str) -> str:
    return f"{POINTS_PREFIX}{point_id}/{MANIFEST_NAME}"


def archive_object(manifest: Manifest) -> str:
    return f"{POINTS_PREFIX}{manifest.id}/{manifest.archive_name}"


@dataclass(frozen=True)
class UnreadablePoint:
    """A listed point whose manifest is damaged: its id and what is wrong."""

    point_id: str
    error: str


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

    def points(self) -> list[Manifest]:
        """Every readable restore point, newest first (``listing`` also names the others)."""
        return self.listing()[0]

    def listing(self) -> tuple[list[Manifest], list[UnreadablePoint]]:
        """Readable points newest first, and points whose manifest cannot be read.

        One damaged manifest must not hide every other point from list, prune and restore.
        """
        manifests: list[Manifest] = []
        unreadable: list[UnreadablePoint] = []
        for name in self._manifest_names():
            try:
                manifests.append(self._load(name))
            except IntegrityError as error:
                unreadable.append(UnreadablePoint(name.split("/")[1], str(error)))
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
        if self.provider.stat(manifest_object(point_id)) is None:
            raise RestorePointNotFoundError(f"no restore point with id {point_id!r}")
        return self._load(manifest_object(point_id))

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

    def publish(
        self, manifest: Manifest, archive: Path, progress: ProgressCallback | None = None
    ) -> None:
        """Store the archive, then the manifest; the point is listed only after both."""
        self.provider.put_file(archive_object(manifest), archive, progress=progress)
        self.provider.put_bytes(manifest_object(manifest.id), _manifest_bytes(manifest))

    def update_manifest(self, manifest: Manifest) -> None:
        """Rewrite an existing point's manifest (pinning, notes)."""
        self.provider.put_bytes(
            manifest_object(manifest.id), _manifest_bytes(manifest), overwrite=True
        )

    def open_archive(self, manifest: Manifest) -> BinaryIO:
        """A stream over the point's archive bytes."""
        return self.provider.open_read(archive_object(manifest))

    def delete(self, manifest: Manifest) -> None:
        """Unlist the point first (manifest), then remove its archive."""
        self.provider.delete(manifest_object(manifest.id))
        self.provider.delete(archive_object(manifest))

    def delete_unreadable(self, point_id: str) -> None:
        """Remove a point whose manifest cannot be read: the manifest first, then the rest."""
        names = sorted(
            (info.name for info in self.provider.list(f"{POINTS_PREFIX}{point_id}/")),
            key=lambda name: name != manifest_object(point_id),
        )
        for name in names:
            self.provider.delete(name)

    def remove_orphans(self) -> list[str]:
        """Delete objects of points that never got a manifest; call with the lock held."""
        complete = {name.rsplit("/", 2)[1] for name in self._manifest_names()}
        removed = []
        for info in self.provider.list(POINTS_PREFIX):
            point_id = info.name[len(POINTS_PREFIX) :].split("/", 1)[0]
            if point_id not in complete:
                self.provider.delete(info.name)
                removed.append(info.name)
        self.provider.cleanup_temp(older_than=0)
        return removed

    def _manifest_names(self) -> Iterator[str]:
        for info in self.provider.list(POINTS_PREFIX):
            rest = info.name[len(POINTS_PREFIX) :]
            if rest.count("/") == 1 and rest.endswith("/" + MANIFEST_NAME):
                yield info.name

    def _load(self, name: str) -> Manifest:
        data = self.provider.get_bytes(name)
        try:
            manifest = Manifest.model_validate_json(data)
        except ValidationError as error:
            problem = error.errors()[0]
            where = ".".join(str(p) for p in problem["loc"]) or "document"
            raise IntegrityError(
                f"{name}: unreadable restore-point manifest ({where}: {problem['msg']})"
            ) from None
        if manifest_object(manifest.id) != name:
            raise IntegrityError(
                f"{name}: the manifest names another restore point ({manifest.id})"
            )
        return manifest


def _manifest_bytes(manifest: Manifest) -> bytes:
    return manifest.model_dump_json(indent=2).encode("utf-8")
