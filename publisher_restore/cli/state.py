"""What every command gets from the group: the runtime of the ``--site`` folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pluggy

from publisher_restore.operations.restore import RestoreOperation
from publisher_restore.operations.restore_points import RestorePoints
from publisher_restore.progress import Progress
from publisher_restore.runtime import Runtime


@dataclass
class CliState:
    """The process's runtime: plugins now, the ``--site`` folder when a command needs it."""

    runtime: Runtime

    @property
    def site_dir(self) -> Path:
        return self.runtime.site_dir

    @property
    def pm(self) -> pluggy.PluginManager:
        return self.runtime.pm

    def restore_points(self, progress: Progress | None = None) -> RestorePoints:
        """Restore points of the ``--site`` folder."""
        return self.runtime.restore_points(progress)

    def restore(self, progress: Progress | None = None) -> RestoreOperation:
        """Check and restore on the ``--site`` folder."""
        return self.runtime.restore(progress)
