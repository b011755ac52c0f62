"""``RestoreService``: restore points of one site for scripts, one call per job.

The CLI, the dashboard and the pipeline use ``Runtime`` and the two-step operations
(prepare, then execute), because a person may answer in between.  A script (a deploy
step, a test, a benchmark) usually has nobody to ask: here ``check`` and ``restore`` are
one call each, over the same operations (``restore`` still prepares, decides and
executes, so the site is re-checked under the lock), beside everything ``RestorePoints``
does (create, list, verify, delete, pin, prune).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pluggy

from publisher_restore.errors import OperationCancelled
from publisher_restore.lifecycle import Lifecycle
from publisher_restore.operations.contexts import RestoreContext, RestoreResult
from publisher_restore.operations.restore import RestoreOperation
from publisher_restore.operations.restore_points import RestorePoints, VerifyResult
from publisher_restore.progress import Progress, SilentProgress
from publisher_restore.restore.journal import WorkArea
from publisher_restore.restore.plan import RestorePlan
from publisher_restore.restore.store import RestorePointStore
from publisher_restore.runtime import Runtime

__all__ = ["RestoreContext", "RestoreResult", "RestoreService", "VerifyResult"]


class RestoreService(RestorePoints):
    """Restore points of one site, with ``check`` and ``restore``."""

    @classmethod
    def open(
        cls,
        root: Path,
        *,
        pm: pluggy.PluginManager | None = None,
        progress: Progress | None = None,
    ) -> RestoreService:
        """The service for the site at ``root``, with storage chosen by its configuration."""
        return cls(Runtime.open(root, pm).env, progress or SilentProgress())

    @property
    def store(self) -> RestorePointStore:
        return self.env.store

    @property
    def lifecycle(self) -> Lifecycle:
        return self.env.lifecycle

    @property
    def pm(self) -> pluggy.PluginManager:
        return self.env.lifecycle.pm

    @property
    def work(self) -> WorkArea:
        return self.env.work

    def check(self, point_id: str) -> RestorePlan:
        """What restoring ``point_id`` would change; changes nothing."""
        return self._operation().prepare(point_id).plan

    def restore(
        self,
        point_id: str,
        *,
        pre_restore: bool = True,
        confirm: Callable[[RestorePlan], bool] | None = None,
    ) -> RestoreResult:
        """Prepare, confirm, then execute (which re-checks the site under the lock)."""
        operation = self._operation()
        prepared = operation.prepare(point_id, recover=True)
        prepared.refuse_if_blocked()
        decision = operation.decide(prepared, pre_restore=pre_restore)
        if confirm is not None and not confirm(prepared.plan):
            raise OperationCancelled("restore cancelled; nothing was changed")
        return operation.execute(prepared, decision)

    def _operation(self) -> RestoreOperation:
        return RestoreOperation(self.env, self.progress)
