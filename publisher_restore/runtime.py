"""One process's view of one site: plugins, settings, storage and lock, each built once.

The CLI starts here (and the web server will): ``Runtime.open(site_dir)`` builds
the plugin manager (unless given one); the site, its settings, its storage and its
lock are opened on first use, once, so commands that need no site (``analyse``,
``demo``) never open one.  Operations get what they need from it; nothing here is
global.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pluggy

from publisher_restore.analyser.rules.base import Rule
from publisher_restore.config import RestoreSettings
from publisher_restore.lifecycle import Lifecycle
from publisher_restore.operations.analysis import Analysis
from publisher_restore.operations.contexts import DecisionContext
from publisher_restore.operations.decide import ask_plugins
from publisher_restore.operations.decisions import Decision, DecisionRequest
from publisher_restore.operations.environment import PluginRules, SiteEnvironment
from publisher_restore.operations.pending import PendingPlans
from publisher_restore.operations.restore import RestoreOperation
from publisher_restore.operations.restore_points import RestorePoints
from publisher_restore.plugin_manager import build_plugin_manager
from publisher_restore.progress import Progress, SilentProgress
from publisher_restore.restore.store import RestorePointStore
from publisher_restore.site import Site
from publisher_restore.storage.registry import StorageRequest, open_storage


class Runtime:
    """The plugin manager and, once asked for, one site's environment."""

    def __init__(self, site_dir: Path, pm: pluggy.PluginManager) -> None:
        self.site_dir = site_dir
        self.pm = pm
        self.lifecycle = Lifecycle(pm)
        self.plugin_rules = PluginRules(self.lifecycle)
        self._guard = threading.Lock()
        self._env: SiteEnvironment | None = None

    @classmethod
    def open(cls, site_dir: Path, pm: pluggy.PluginManager | None = None) -> Runtime:
        """The runtime of the site at ``site_dir`` (the site itself is opened when first used)."""
        return cls(site_dir, pm or build_plugin_manager())

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Every plugin's analyser rules, collected once."""
        return self.plugin_rules.get()

    @property
    def env(self) -> SiteEnvironment:
        """The site, its settings, storage and lock; opened once (``SiteError`` if unusable)."""
        with self._guard:
            if self._env is None:
                self._env = _open_environment(self.site_dir, self.lifecycle, self.plugin_rules)
            return self._env

    @property
    def site(self) -> Site:
        return self.env.site

    @property
    def settings(self) -> RestoreSettings:
        return self.env.site.settings

    def restore_points(self, progress: Progress | None = None) -> RestorePoints:
        """Create, list, verify, delete, pin, prune and recover restore points."""
        return RestorePoints(self.env, progress or SilentProgress())

    def restore(self, progress: Progress | None = None) -> RestoreOperation:
        """Check (prepare) and restore (execute) a restore point."""
        return RestoreOperation(self.env, progress or SilentProgress())

    def analysis(self) -> Analysis:
        """The analyser with every plugin's rules (needs no site)."""
        return Analysis(self.rules)

    def pending(self) -> PendingPlans:
        """Prepared operations waiting for a person's answer."""
        return PendingPlans(self.env.state_dir)

    def decide(self, context: DecisionContext, request: DecisionRequest) -> Decision | None:
        """Ask ``decide_damaging_change``: a plugin's answer, else the built-in policy's."""
        return ask_plugins(self.lifecycle, context, request)


def _open_environment(site_dir: Path, lifecycle: Lifecycle, rules: PluginRules) -> SiteEnvironment:
    site = Site.open(site_dir)
    storage = site.settings.storage
    request = StorageRequest(
        site_root=site.root,
        restore_dir=site.restore_dir,
        provider=storage.provider,
        options=storage.options,
        source=storage.source,
    )
    store = RestorePointStore(open_storage(lifecycle.pm, request))
    return SiteEnvironment(site=site, store=store, lifecycle=lifecycle, plugin_rules=rules)
