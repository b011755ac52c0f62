"""What every operation on one site shares: the site, its store, its lock and the plugins.

The runtime builds one per site and process; operations never build their own.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from publisher_restore.analyser.registry import collect_rules
from publisher_restore.analyser.rules.base import Rule
from publisher_restore.analyser.settings import AnalyserSettings
from publisher_restore.lifecycle import Lifecycle
from publisher_restore.operations.site_lock import SiteLock
from publisher_restore.restore.journal import WorkArea
from publisher_restore.restore.store import RestorePointStore
from publisher_restore.site import STATE_FOLDER, Site


class PluginRules:
    """Every plugin's analyser rules, collected on first use and then kept."""

    def __init__(self, lifecycle: Lifecycle) -> None:
        self._lifecycle = lifecycle
        self._guard = threading.Lock()
        self._rules: tuple[Rule, ...] | None = None

    def get(self) -> tuple[Rule, ...]:
        with self._guard:
            if self._rules is None:
                self._rules = tuple(collect_rules(self._lifecycle.pm))
            return self._rules


@dataclass(frozen=True)
class SiteEnvironment:
    """One site as the operations see it."""

    site: Site
    store: RestorePointStore
    lifecycle: Lifecycle
    plugin_rules: PluginRules
    lock: SiteLock = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lock", SiteLock(self.store.lock))

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The analyser rules every plugin registered."""
        return self.plugin_rules.get()

    @property
    def state_dir(self) -> Path:
        """The restore folder's state folder; not created here, so a check writes nothing."""
        return self.site.restore_dir / STATE_FOLDER

    @property
    def work(self) -> WorkArea:
        """Where a restore stages files and keeps its journal."""
        return WorkArea(self.state_dir)

    def analyser_settings(self) -> AnalyserSettings:
        """The site's ``uSync:Restore:Analyser`` section, validated."""
        return AnalyserSettings.from_section(self.site.settings.analyser)
