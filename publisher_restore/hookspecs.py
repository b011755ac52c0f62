"""Every hook specification of publisher-restore, in one module.

Plugins implement these with ``@hookimpl`` (``publisher_restore.hookimpl``) and
register through the ``publisher_restore`` entry-point group.  Built-in plugins
in ``publisher_restore.default_plugins`` use exactly the same hooks.  Only
``publisher_restore.lifecycle`` calls them.  ``docs/hooks.md`` lists them with an
example plugin.

The parameter types live with the layers that fire the hooks (the analyser,
storage, operations); they are named here for type checkers only, so this module
imports nothing of the package at run time and sits below every layer that
collects plugins.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click

    from publisher_restore.operations.contexts import (
        DecisionContext,
        PublishContext,
        PublishResult,
        RegisterAnalyserRule,
        RegisterStorageProvider,
        RestoreContext,
        RestoreResult,
    )
    from publisher_restore.operations.decisions import Decision, DecisionRequest
    from publisher_restore.operations.history import OperationRecord
    from publisher_restore.operations.undo_plan import UndoContext, UndoResult
    from publisher_restore.restore.manifest import Manifest

PROJECT_NAME = "publisher_restore"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def register_storage_providers(register: RegisterStorageProvider) -> None:
    """Register storage providers.

    :param register: call ``register(name, factory)``; ``name`` is the key of the
        provider's section under ``uSync:Restore:Storage`` (e.g. ``"Azure"``,
        matched case-insensitively) and ``factory(request)`` builds the provider
        from a ``publisher_restore.storage.registry.StorageRequest``.  A name
        registered twice is an error.
    """


@hookspec
def register_analyser_rules(register: RegisterAnalyserRule) -> None:
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
def restore_point_created(restore_point: Manifest, reason: str) -> None:
    """A restore point was written, verified and published.

    :param restore_point: its ``Manifest`` (id, created, reason, files, items).
    :param reason: why it was taken (``manual``, ``pre-restore``, ``push``, ...).
    """


@hookspec
def before_restore(context: RestoreContext) -> None:
    """A restore is about to apply; raise ``OperationVetoed`` to stop it.

    :param context: the ``RestoreContext`` (site, restore point, plan).
    """


@hookspec
def after_restore(context: RestoreContext, result: RestoreResult) -> None:
    """A restore finished, failed or was cancelled; always fires.

    :param context: the ``RestoreContext`` given to ``before_restore``.
    :param result: the ``RestoreResult``, whose ``error`` is set on failure.
    """


@hookspec(firstresult=True)
def decide_damaging_change(context: DecisionContext, request: DecisionRequest) -> Decision | None:
    """Decide what happens before an operation changes a site; the first answer wins.

    Answer with a ``Decision`` whose ``choice`` is ``restore-point`` (take one and
    continue), ``continue`` (without), ``abort`` or ``prompt`` (ask a person), or
    return None to leave it to the next plugin.  The built-in policy
    (``uSync:Restore:Publisher``) answers last.

    :param context: the ``DecisionContext`` (target site, operation, source, plan token).
    :param request: the ``DecisionRequest`` (question, findings most severe first,
        highest severity, number of changes, the safe default).
    """


@hookspec
def before_push(context: PublishContext) -> None:
    """A push is about to write this site (the target); raise ``OperationVetoed`` to stop it.

    Fires on the target, under its lock, after the plan token was checked and before the
    restore point; ``before_import`` fires right after it.

    :param context: the ``PublishContext`` (target site, source, plan, decision;
        ``take_restore_point()``).
    """


@hookspec
def after_push(context: PublishContext, result: PublishResult) -> None:
    """A push finished, failed or was vetoed; always fires after ``before_push``.

    :param context: the ``PublishContext`` given to ``before_push``.
    :param result: the ``PublishResult`` (outcome, restore point, one record per change,
        ``error`` on failure or veto).
    """


@hookspec
def before_pull(context: PublishContext) -> None:
    """A pull is about to write this site; raise ``OperationVetoed`` to stop it.

    :param context: the ``PublishContext`` (this site is the target; the source is the
        site or server pulled from).
    """


@hookspec
def after_pull(context: PublishContext, result: PublishResult) -> None:
    """A pull finished, failed or was vetoed; always fires after ``before_pull``.

    :param context: the ``PublishContext`` given to ``before_pull``.
    :param result: the ``PublishResult``.
    """


@hookspec
def before_import(context: PublishContext) -> None:
    """Items are about to be imported into this site: a pack import, a push or a pull.

    Fires for every operation that writes items into a site (after ``before_push`` or
    ``before_pull``; ``context.operation`` says which); raise ``OperationVetoed`` to stop
    it.  The built-in restore-point plugin takes the decided restore point here
    (``trylast``: after every veto).

    :param context: the ``PublishContext``.
    """


@hookspec
def after_import(context: PublishContext, result: PublishResult) -> None:
    """Items were imported into this site (or the import failed or was vetoed); always fires.

    Fires after ``after_push``/``after_pull`` too.  This is where a plugin tells a running
    Umbraco site to run uSync's import now (when ``result.written`` is not 0).

    :param context: the ``PublishContext`` given to ``before_import``.
    :param result: the ``PublishResult``.
    """


@hookspec
def before_undo(context: UndoContext) -> None:
    """An undo is about to restore an operation's changes; raise ``OperationVetoed`` to stop.

    :param context: the ``UndoContext`` (site, the operation's record, the checked undo).
    """


@hookspec
def after_undo(context: UndoContext, result: UndoResult) -> None:
    """An undo finished, failed or was vetoed; always fires after ``before_undo``.

    :param context: the ``UndoContext`` given to ``before_undo``.
    :param result: the ``UndoResult`` (``error`` set on failure or veto).
    """


@hookspec
def operation_recorded(record: OperationRecord) -> None:
    """An operation's final record was written to the site's history.

    :param record: the ``OperationRecord`` (id, kind, source, who, outcome, decision,
        restore point, every change with the hash before and after).
    """
