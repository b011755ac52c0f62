"""What every command gets from the group: the runtime of the ``--site`` folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pluggy

from publisher_restore.cli.output import say_waiting, warn
from publisher_restore.operations.restore import RestoreOperation
from publisher_restore.operations.restore_points import RestorePoints
from publisher_restore.progress import Progress
from publisher_restore.runtime import Runtime


@dataclass
class CliState:
    """The process's runtime: plugins now, the ``--site`` folder when a command needs it."""

    runtime: Runtime
    _warned: bool = field(default=False, init=False)

    @property
    def site_dir(self) -> Path:
        return self.runtime.site_dir

    @property
    def pm(self) -> pluggy.PluginManager:
        return self.runtime.pm

    def restore_points(self, progress: Progress | None = None) -> RestorePoints:
        """Restore points of the ``--site`` folder."""
        self._warn_once()
        return self.runtime.restore_points(progress)

    def restore(self, progress: Progress | None = None) -> RestoreOperation:
        """Check and restore on the ``--site`` folder."""
        self._warn_once()
        return self.runtime.restore(progress)

    def _warn_once(self) -> None:
        """The site's warnings (a web-served restore folder, ...), once per command; and
        from now on, a line whenever the command waits for the site lock."""
        if not self._warned:
            self._warned = True
            for warning in self.runtime.site.warnings:
                warn(warning)
            self.runtime.env.lock.on_wait = say_waiting
