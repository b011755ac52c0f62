"""The restore-point service: one entry point for the CLI, the dashboard and pipelines.

Every operation that changes the site or the store holds the store lock and
first finishes any restore a crash interrupted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pluggy
from pydantic import BaseModel, Field

from publisher_restore.errors import (
    HostileInputError,
    IntegrityError,
    OperationCancelled,
    RecoveryNeededError,
    SiteError,
    StorageError,
)
from publisher_restore.lifecycle import Lifecycle
from publisher_restore.plugin_manager import build_plugin_manager
from publisher_restore.progress import Progress, SilentProgress
from publisher_restore.restore import apply as applying
from publisher_restore.restore.archive import verify_archive
from publisher_restore.restore.check import plan_restore
from publisher_restore.restore.create import create_restore_point
from publisher_restore.restore.journal import WorkArea
from publisher_restore.restore.manifest import Manifest, Reason
from publisher_restore.restore.plan import RestorePlan
from publisher_restore.restore.retention import select_for_pruning
from publisher_restore.restore.store import RestorePointStore, UnreadablePoint
from publisher_restore.site import Site
from publisher_restore.storage.registry import StorageRequest, open_storage


class RestoreResult(BaseModel):
    """The outcome of a restore, as ``restore --json`` prints it."""

    restore_point: str
    pre_restore_point: str | None = None
    written: int = 0
    deleted: int = 0
    recovered: str | None = None
    error: str | None = None
    summary: dict[str, object] = Field(default_factory=dict)


@dataclass
class RestoreContext:
    """What the restore hooks receive."""

    site: Site
    point: Manifest
    plan: RestorePlan


@dataclass
class VerifyResult:
    point_id: str
    ok: bool
    error: str | None = None


@dataclass
class RestoreService:
    """Restore points of one site on its configured storage."""

    site: Site
    store: RestorePointStore
    lifecycle: Lifecycle
    progress: Progress = field(default_factory=SilentProgress)

    @classmethod
    def open(
        cls,
        root: Path,
        *,
        pm: pluggy.PluginManager | None = None,
        progress: Progress | None = None,
    ) -> RestoreService:
        """The service for the site at ``root``, with storage chosen by its configuration."""
        site = Site.open(root)
        pm = pm or build_plugin_manager()
        storage = site.settings.storage
        request = StorageRequest(
            site_root=site.root,
            restore_dir=site.restore_dir,
            provider=storage.provider,
            options=storage.options,
            source=storage.source,
        )
        provider = open_storage(pm, request)
        return cls(site, RestorePointStore(provider), Lifecycle(pm), progress or SilentProgress())

    @property
    def pm(self) -> pluggy.PluginManager:
        return self.lifecycle.pm

    @property
    def work(self) -> WorkArea:
        return WorkArea(self.site.state_dir)

    def points(self) -> list[Manifest]:
        return self.store.points()

    def unreadable_points(self) -> list[UnreadablePoint]:
        """Points listed in storage whose manifest cannot be read."""
        return self.store.listing()[1]

    def get(self, point_id: str) -> Manifest:
        return self.store.get(point_id)

    def create(
        self, *, reason: Reason = Reason.MANUAL, note: str = "", include_media: bool | None = None
    ) -> Manifest:
        """Take a restore point (media per argument, else per configuration)."""
        media = self.site.settings.include_media if include_media is None else include_media
        with self.store.lock():
            self._recover_locked()
            manifest = self._create_locked(reason, note, media)
        return manifest

    def check(self, point_id: str) -> RestorePlan:
        """What restoring ``point_id`` would change; changes nothing."""
        self._refuse_if_interrupted()
        return plan_restore(self.site, self.store, self.store.get(point_id), self.progress, self.pm)

    def restore(
        self,
        point_id: str,
        *,
        pre_restore: bool = True,
        confirm: Callable[[RestorePlan], bool] | None = None,
    ) -> RestoreResult:
        """Verify (while staging), optionally snapshot, then apply the point under a journal."""
        with self.store.lock():
            recovered = self._recover_locked()
            point = self.store.get(point_id)
            plan = plan_restore(self.site, self.store, point, self.progress, self.pm)
            result = RestoreResult(restore_point=point.id, recovered=recovered)
            result.summary = plan.summary()
            if plan.blocked:
                raise SiteError(
                    f"restore refused, nothing was changed: {len(plan.blocked)} path(s) cannot "
                    f"be written safely; first: {plan.blocked[0]}"
                )
            if confirm is not None and not confirm(plan):
                raise OperationCancelled("restore cancelled; nothing was changed")
            # Staging reads and verifies the whole archive before anything else happens.
            applying.stage(self.work, self.store, plan, self.progress)
            try:
                self._apply_staged(RestoreContext(self.site, point, plan), result, pre_restore)
            finally:
                applying.discard_unapplied(self.work)
        return result

    def _apply_staged(
        self, context: RestoreContext, result: RestoreResult, pre_restore: bool
    ) -> None:
        point, plan = context.point, context.plan
        with self.lifecycle.restoring(context, result):
            if pre_restore and plan.operations:
                pre = self._create_locked(
                    Reason.PRE_RESTORE, f"before restoring {point.id}", point.includes_media
                )
                result.pre_restore_point = pre.id
            applying.apply_staged(self.site.root, self.work, self.progress)
            result.written = sum(op.action == "write" for op in plan.operations)
            result.deleted = sum(op.action == "delete" for op in plan.operations)

    def verify(self, point_id: str) -> VerifyResult:
        """Read the whole archive and check every file's hash."""
        point = self.store.get(point_id)
        try:
            self._verify_locked(point)
        except (OSError, IntegrityError, HostileInputError, StorageError) as error:
            return VerifyResult(point.id, False, str(error))
        return VerifyResult(point.id, True)

    def verify_all(self) -> list[VerifyResult]:
        """Verify every point; a point whose manifest is unreadable fails too."""
        points, unreadable = self.store.listing()
        results = [self.verify(point.id) for point in points]
        return results + [VerifyResult(p.point_id, False, p.error) for p in unreadable]

    def delete(self, point_id: str) -> str:
        """Delete a point, also one whose manifest is unreadable; returns its id."""
        with self.store.lock():
            if point_id in {p.point_id for p in self.store.listing()[1]}:
                self.store.delete_unreadable(point_id)
                return point_id
            point = self.store.get(point_id)
            self.store.delete(point)
        return point.id

    def pin(self, point_id: str, pinned: bool = True) -> Manifest:
        with self.store.lock():
            point = self.store.get(point_id).model_copy(update={"pinned": pinned})
            self.store.update_manifest(point)
        return point

    def prune(
        self, *, keep_last: int | None, keep_days: int | None, dry_run: bool = False
    ) -> list[Manifest]:
        """Delete the points no retention rule keeps; configuration fills missing rules."""
        retention = self.site.settings.retention
        keep_last = retention.keep_last if keep_last is None else keep_last
        keep_days = retention.keep_days if keep_days is None else keep_days
        with self.store.lock():
            doomed = select_for_pruning(
                self.store.points(), keep_last=keep_last, keep_days=keep_days
            )
            if not dry_run:
                for point in doomed:
                    self.store.delete(point)
        return doomed

    def recover(self, *, rollback: bool = False) -> str | None:
        """Finish (or undo) a restore that a crash interrupted; None when there was none."""
        with self.store.lock():
            return self._recover_locked(rollback=rollback)

    def _recover_locked(self, *, rollback: bool = False) -> str | None:
        work = self.work
        if not work.exists():
            return None
        journal = work.read()
        if journal.phase == "staging":
            work.discard()
            return f"discarded an unfinished restore of {journal.point_id} (the site was untouched)"
        if rollback or journal.phase == "rolling-back":
            applying.roll_back(self.site.root, work)
            return f"rolled back an interrupted restore of {journal.point_id}"
        applying.complete(self.site.root, work, self.progress)
        return f"completed an interrupted restore of {journal.point_id}"

    def _refuse_if_interrupted(self) -> None:
        if self.work.exists():
            raise RecoveryNeededError(
                "a restore was interrupted; run 'publisher-restore recover' "
                "(or any restore/create, which completes it) first"
            )

    def _create_locked(self, reason: Reason, note: str, include_media: bool) -> Manifest:
        manifest = create_restore_point(
            self.site,
            self.store,
            self.progress,
            reason=reason,
            note=note,
            include_media=include_media,
        )
        self.lifecycle.restore_point_created(manifest)
        return manifest

    def _verify_locked(self, point: Manifest) -> None:
        self.progress.begin("verify", files=point.file_count, total_bytes=point.content_bytes)
        with self.store.open_archive(point) as stream:
            verify_archive(
                stream,
                point.files,
                archive_sha256=point.archive_sha256 or None,
                progress=lambda n: self.progress.advance(nbytes=n),
            )
        self.progress.end()
