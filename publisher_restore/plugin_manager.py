"""Builds the plugin manager: hook specs, built-in plugins, entry-point plugins."""

from __future__ import annotations

from types import ModuleType

import pluggy

from publisher_restore import hookspecs
from publisher_restore.default_plugins import analyser_rules, policy, restore_point, storage

DEFAULT_PLUGINS: tuple[ModuleType, ...] = (storage, analyser_rules, policy, restore_point)


def build_plugin_manager(*, load_entry_points: bool = True) -> pluggy.PluginManager:
    """A new plugin manager with every spec and plugin; one per process or test, never global."""
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    for module in DEFAULT_PLUGINS:
        pm.register(module, name=module.__name__)
    if load_entry_points:
        pm.load_setuptools_entrypoints(hookspecs.PROJECT_NAME)
    pm.check_pending()
    return pm
