"""Restore points of one site: create, list, show, verify, delete, pin, prune, recover.

Every call that changes the site or the store holds the site lock (re-entrant for
the operation that already holds it) and first finishes any restore a crash
interrupted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel

from publisher_restore.errors import (
    HostileInputError,
    IntegrityError,
    RecoveryNeededError,
    StorageError,
)
from publisher_restore.operations.environment import SiteEnvironment
from publisher_restore.progress import Progress, SilentProgress
from publisher_restore.restore import apply as applying
from publisher_restore.restore.archive import verify_archive
from publisher_restore.restore.create import create_restore_point
from publisher_restore.restore.manifest import Manifest, Reason
from publisher_restore.restore.retention import select_for_pruning
from publisher_restore.restore.store import UnreadablePoint
from publisher_restore.site import Site


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
        self, *, reason: Reason = Reason.MANUAL, note: str = "", include_media: bool | None = None
    ) -> Manifest:
        """Take a restore point (media per argument, else per configuration)."""
        media = self.env.site.settings.include_media if include_media is None else include_media
        with self.env.lock.hold():
            self.recover_held()
            return self.create_held(reason=reason, note=note, include_media=media)

    def create_held(self, *, reason: Reason, note: str, include_media: bool) -> Manifest:
        """Take a restore point inside an operation that holds the site lock.

        Nothing is recovered first: the caller may have a restore staged, which a
        recovery would discard.
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
        )
        self.env.lifecycle.restore_point_created(manifest)
        return manifest

    def verify(self, point_id: str) -> VerifyResult:
        """Read the whole archive and check every file's hash."""
        point = self.env.store.get(point_id)
        try:
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

    def delete(self, point_id: str) -> str:
        """Delete a point, also one whose manifest is unreadable; returns its id."""
        store = self.env.store
        with self.env.lock.hold():
            if point_id in {p.point_id for p in store.listing()[1]}:
                store.delete_unreadable(point_id)
                return point_id
            point = store.get(point_id)
            store.delete(point)
        return point.id

    def pin(self, point_id: str, pinned: bool = True) -> Manifest:
        """Pin (or unpin) a point: pinned points are never pruned."""
        with self.env.lock.hold():
            point = self.env.store.get(point_id).model_copy(update={"pinned": pinned})
            self.env.store.update_manifest(point)
        return point

    def prune(
        self, *, keep_last: int | None, keep_days: int | None, dry_run: bool = False
    ) -> list[Manifest]:
        """Delete the points no retention rule keeps; configuration fills missing rules."""
        retention = self.env.site.settings.retention
        keep_last = retention.keep_last if keep_last is None else keep_last
        keep_days = retention.keep_days if keep_days is None else keep_days
        with self.env.lock.hold():
            doomed = select_for_pruning(
                self.env.store.points(), keep_last=keep_last, keep_days=keep_days
            )
            if not dry_run:
                for point in doomed:
                    self.env.store.delete(point)
        return doomed

    def recover(self, *, rollback: bool = False) -> str | None:
        """Finish (or undo) a restore that a crash interrupted; None when there was none."""
        with self.env.lock.hold():
            return self.recover_held(rollback=rollback)

    def recover_held(self, *, rollback: bool = False) -> str | None:
        """``recover`` for a caller that holds the site lock already."""
        work = self.env.work
        if not work.exists():
            return None
        root = self.env.site.root
        journal = work.read()
        if journal.phase == "staging":
            work.discard()
            return f"discarded an unfinished restore of {journal.point_id} (the site was untouched)"
        if rollback or journal.phase == "rolling-back":
            applying.roll_back(root, work)
            return f"rolled back an interrupted restore of {journal.point_id}"
        applying.complete(root, work, self.progress)
        return f"completed an interrupted restore of {journal.point_id}"

    def refuse_if_interrupted(self) -> None:
        """``RecoveryNeededError`` while an interrupted restore waits to be finished."""
        if self.env.work.exists():
            raise RecoveryNeededError(
                "a restore was interrupted; run 'publisher-restore recover' "
                "(or any restore/create, which completes it) first"
            )

    def _verify(self, point: Manifest) -> None:
        self.progress.begin("verify", files=point.file_count, total_bytes=point.content_bytes)
        with self.env.store.open_archive(point) as stream:
            verify_archive(
                stream,
                point.files,
                archive_sha256=point.archive_sha256 or None,
                progress=lambda n: self.progress.advance(nbytes=n),
            )
        self.progress.end()
