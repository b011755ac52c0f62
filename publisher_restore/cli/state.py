"""What every command gets from the group: the site folder and the plugins."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pluggy

from publisher_restore.cli.output import warn
from publisher_restore.progress import Progress
from publisher_restore.service import RestoreService


@dataclass
class CliState:
    """The ``--site`` folder and the process's plugin manager."""

    site_dir: Path
    pm: pluggy.PluginManager

    def service(self, progress: Progress | None = None) -> RestoreService:
        """The restore-point service of the ``--site`` folder."""
        service = RestoreService.open(self.site_dir, pm=self.pm, progress=progress)
        for warning in service.site.warnings:
            warn(warning)
        return service
