"""Builds the plugin manager: hook specs, built-in plugins, entry-point plugins."""

from __future__ import annotations

import importlib

import pluggy

from publisher_restore import hookspecs

DEFAULT_PLUGINS: tuple[str, ...] = (
    "publisher_restore.default_plugins.storage",
    "publisher_restore.default_plugins.analyser_rules",
)


def build_plugin_manager(*, load_entry_points: bool = True) -> pluggy.PluginManager:
    """A new plugin manager with every spec and plugin; one per process or test, never global."""
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    for module_name in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(module_name), name=module_name)
    if load_entry_points:
        pm.load_setuptools_entrypoints(hookspecs.PROJECT_NAME)
    pm.check_pending()
    return pm
