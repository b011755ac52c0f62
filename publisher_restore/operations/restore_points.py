"""Restore points of one site: create, list, show, verify, delete, pin, prune, recover.

Every call that changes the site or the store holds the site lock (re-entrant for
the operation that already holds it); ``create`` first finishes any restore a crash
interrupted and says so in its result.  A call that finds nothing to change (no
such point, nothing to prune, nothing to recover) takes no lock and writes nothing:
it looks first, then locks and looks again.  ``verify`` applies the one rule of what a
point may hold (``restore.point_rules``) before it reads the archive, as ``check`` and
``restore`` do.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from publisher_restore.errors import (
    HostileInputError,
    IntegrityError,
    LockTimeoutError,
    RecoveryNeededError,
    StorageError,
)
from publisher_restore.operations.environment import SiteEnvironment
from publisher_restore.operations.restore_state import (
    Recovery,
    RestoreInProgress,
    find_restore_in_progress,
)
from publisher_restore.progress import Progress, SilentProgress
from publisher_restore.restore import apply as applying
from publisher_restore.restore.create import create_restore_point
from publisher_restore.restore.export import export_point, import_point
from publisher_restore.restore.manifest import Manifest, Reason
from publisher_restore.restore.point_rules import validate_point
from publisher_restore.restore.retention import select_for_pruning
from publisher_restore.restore.store import UnreadablePoint
from publisher_restore.restore.verify import verify_point
from publisher_restore.site import Site


class CreatedPoint(BaseModel):
    """A new restore point, and the interrupted restore finished before it, if any."""

    restore_point: Manifest
    recovered: Recovery | None = None


class ExportResult(BaseModel):
    """A point written to one ``.tar.zst`` file."""

    point_id: str
    path: str
    bytes: int
    file_count: int


class VerifyResult(BaseModel):
    """One restore point's verification: ok, or what is wrong."""

    point_id: str
    ok: bool
    error: str | None = None


@dataclass
class RestorePoints:
    """The restore points of one site on its configured storage."""

    env: SiteEnvironment
    progress: Progress = field(default_factory=SilentProgress)

    @property
    def site(self) -> Site:
        return self.env.site

    def points(self) -> list[Manifest]:
        """Every readable restore point, newest first."""
        return self.env.store.points()

    def unreadable_points(self) -> list[UnreadablePoint]:
        """Points listed in storage whose manifest cannot be read."""
        return self.env.store.listing()[1]

    def get(self, point_id: str) -> Manifest:
        """One point by id, or ``latest``."""
        return self.env.store.get(point_id)

    def create(
        self,
        *,
        reason: Reason = Reason.MANUAL,
        note: str = "",
        include_media: bool | None = None,
        rehash: bool = False,
        created_by: str | None = None,
    ) -> Manifest:
        """Take a restore point (media per argument, else per configuration).

        ``created_by``: who the point names as its maker (default: this process's
        ``user@host``); the dashboard names the person signed in.
        """
        return self.create_point(
            reason=reason,
            note=note,
            include_media=include_media,
            rehash=rehash,
            created_by=created_by,
        ).restore_point

    def create_point(
        self,
        *,
        reason: Reason = Reason.MANUAL,
        note: str = "",
        include_media: bool | None = None,
        rehash: bool = False,
        created_by: str | None = None,
    ) -> CreatedPoint:
        """``create``, also saying which interrupted restore it finished first."""
        media = self.env.site.settings.include_media if include_media is None else include_media
        with self.env.lock.hold("create"):
            recovered = self.recover_held()
            point = self.create_held(
                reason=reason,
                note=note,
                include_media=media,
                rehash=rehash,
                created_by=created_by,
            )
        return CreatedPoint(restore_point=point, recovered=recovered)

    def create_held(
        self,
        *,
        reason: Reason,
        note: str,
        include_media: bool,
        rehash: bool = False,
        created_by: str | None = None,
    ) -> Manifest:
        """Take a restore point inside an operation that holds the site lock.

        Nothing is recovered first: the caller may have a restore staged, which a
        recovery would discard.  Files whose size and modification time match the
        previous point are not read again unless ``rehash``.
        """
        if not self.env.lock.held_here:
            raise RuntimeError("create_held needs the site lock held by this thread")
        manifest = create_restore_point(
            self.env.site,
            self.env.store,
            self.progress,
            reason=reason,
            note=note,
            include_media=include_media,
            rehash=rehash,
            created_by=created_by,
        )
        self.env.lifecycle.restore_point_created(manifest)
        return manifest

    def verify(self, point_id: str) -> VerifyResult:
        """Check the manifest against the rule for points, then read the whole archive and
        check every file's hash."""
        point = self.env.store.get(point_id)
        try:
            validate_point(self.env.site, point)
            self._verify(point)
        except (OSError, IntegrityError, HostileInputError, StorageError) as error:
            return VerifyResult(point_id=point.id, ok=False, error=str(error))
        return VerifyResult(point_id=point.id, ok=True)

    def verify_all(self) -> list[VerifyResult]:
        """Verify every point; a point whose manifest is unreadable fails too."""
        points, unreadable = self.env.store.listing()
        results = [self.verify(point.id) for point in points]
        return results + [
            VerifyResult(point_id=p.point_id, ok=False, error=p.error) for p in unreadable
        ]

    def export(self, point_id: str, out: Path) -> ExportResult:
        """Write one point (``latest`` too) as a self-contained ``.tar.zst`` file at ``out``
        (``tar --zstd -xf`` opens it); an existing ``out`` is never overwritten.

        Reads only: no lock, nothing written to the store.  The file appears at ``out``
        only once it is complete.
        """
        point = self.env.store.get(point_id)
        validate_point(self.env.site, point)
        partial = out.with_name(f".{out.name}.partial")
        try:
            with partial.open("xb") as stream:
                written = export_point(self.env.store, point, stream, self.progress)
                stream.flush()
                os.fsync(stream.fileno())
            os.link(partial, out)  # never over an existing file
        finally:
            partial.unlink(missing_ok=True)
        return ExportResult(
            point_id=point.id, path=str(out), bytes=written, file_count=point.file_count
        )

    def import_point(self, source: Path) -> Manifest:
        """Store the point in a file ``export`` wrote (read as hostile input); it keeps its id."""
        with source.open("rb") as stream, self.env.lock.hold("import-point"):
            point = import_point(self.env.site, self.env.store, stream, self.progress)
        self.env.lifecycle.restore_point_created(point)
        return point

    def delete(self, point_id: str) -> str:
        """Delete a point, also one whose manifest is unreadable; returns its id."""
        self._deletable(point_id)  # no such point: refused before the lock, nothing written
        with self.env.lock.hold("delete"):
            deleted = self._deletable(point_id)
            if isinstance(deleted, UnreadablePoint):
                self.env.store.delete_unreadable(deleted.point_id)
                return deleted.point_id
            self.env.store.delete(deleted)
        return deleted.id

    def _deletable(self, point_id: str) -> Manifest | UnreadablePoint:
        for unreadable in self.env.store.listing()[1]:
            if unreadable.point_id == point_id:
                return unreadable
        return self.env.store.get(point_id)

    def pin(self, point_id: str, pinned: bool = True) -> Manifest:
        """Pin (or unpin) a point: pinned points are never pruned."""
        self.env.store.get(point_id)  # no such point: refused before the lock
        with self.env.lock.hold("pin"):
            point = self.env.store.get(point_id).model_copy(update={"pinned": pinned})
            self.env.store.update_manifest(point)
        return point

    def prune(
        self, *, keep_last: int | None, keep_days: int | None, dry_run: bool = False
    ) -> list[Manifest]:
        """Delete the points no retention rule keeps; configuration fills missing rules.

        A dry run, or a prune that finds nothing to delete, takes no lock and writes nothing.
        """
        retention = self.env.site.settings.retention
        keep_last = retention.keep_last if keep_last is None else keep_last
        keep_days = retention.keep_days if keep_days is None else keep_days
        doomed = select_for_pruning(self.points(), keep_last=keep_last, keep_days=keep_days)
        if dry_run or not doomed:
            return doomed
        with self.env.lock.hold("prune"):
            doomed = select_for_pruning(self.points(), keep_last=keep_last, keep_days=keep_days)
            for point in doomed:
                self.env.store.delete(point, collect=False)
            self.env.store.collect_garbage()  # once, after every manifest is gone
        return doomed

    def recover(self, *, rollback: bool = False, operation: str = "recover") -> Recovery | None:
        """Finish (or undo) a restore that a crash interrupted; None when there was none.

        Waits for a restore that is running; with no journal it takes no lock at all.
        """
        if self.env.work.peek() is None:
            return None
        with self.env.lock.hold(operation):
            return self.recover_held(rollback=rollback)

    def recover_held(self, *, rollback: bool = False) -> Recovery | None:
        """``recover`` for a caller that holds the site lock already."""
        work = self.env.work
        journal = work.peek()
        if journal is None:
            return None
        root = self.env.site.root
        if journal.phase == "staging":
            work.discard()
            return Recovery.of(journal, "discarded")
        if rollback or journal.phase == "rolling-back":
            applying.roll_back(root, work)
            return Recovery.of(journal, "rolled back")
        applying.complete(root, work, self.progress)
        return Recovery.of(journal, "completed")

    def restore_in_progress(self) -> RestoreInProgress | None:
        """The site's unfinished restore, running or interrupted (reads only)."""
        return find_restore_in_progress(self.env)

    def refuse_if_interrupted(self) -> None:
        """Refuse to go on while a restore is unfinished: ``LockTimeoutError`` (exit 7) while
        it runs in another process, ``RecoveryNeededError`` (exit 11) once it was interrupted."""
        unfinished = self.restore_in_progress()
        if unfinished is None:
            return
        if unfinished.running:
            raise LockTimeoutError(unfinished.advice())
        raise RecoveryNeededError(unfinished.advice())

    def _verify(self, point: Manifest) -> None:
        self.progress.begin("verify", files=point.file_count, total_bytes=point.content_bytes)
        verify_point(self.env.store, point, lambda n: self.progress.advance(nbytes=n))
        self.progress.end()
