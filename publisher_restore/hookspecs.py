"""Every hook specification of publisher-restore, in one module.

Plugins implement these with ``@hookimpl`` (``publisher_restore.hookimpl``) and
register through the ``publisher_restore`` entry-point group.  Built-in plugins
in ``publisher_restore.default_plugins`` use exactly the same hooks.  Only
``publisher_restore.lifecycle`` calls them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from collections.abc import Callable

    import click

PROJECT_NAME = "publisher_restore"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def register_storage_providers(register: Callable[..., None]) -> None:
    """Register storage providers.

    :param register: call ``register(name, factory)``; ``name`` is the key of the
        provider's section under ``uSync:Restore:Storage`` (e.g. ``"Azure"``,
        matched case-insensitively) and ``factory(request)`` builds the provider
        from a ``publisher_restore.storage.registry.StorageRequest``.  A name
        registered twice is an error.
    """


@hookspec
def register_analyser_rules(register: Callable[..., None]) -> None:
    """Register damaging-change analyser rules.

    :param register: call ``register(rule)`` once per rule object; each rule
        carries its catalogue code.  A code registered twice is an error.
    """


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add commands to the ``publisher-restore`` command group.

    :param cli: the top-level click group.
    """


@hookspec
def restore_point_created(restore_point: Any, reason: str) -> None:
    """A restore point was written, verified and published.

    :param restore_point: its ``publisher_restore.restore.manifest.Manifest``.
    :param reason: why it was taken (``manual``, ``pre-restore``, ``push``, ...).
    """


@hookspec
def before_restore(context: Any) -> None:
    """A restore is about to apply; raise ``OperationVetoed`` to stop it.

    :param context: the ``RestoreContext`` (site, restore point, plan).
    """


@hookspec
def after_restore(context: Any, result: Any) -> None:
    """A restore finished, failed or was cancelled; always fires.

    :param context: the ``RestoreContext`` given to ``before_restore``.
    :param result: the ``RestoreResult``, whose ``error`` is set on failure.
    """
