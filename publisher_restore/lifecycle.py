"""The only module that calls hooks: typed functions around ``pm.hook``.

Before-hooks may veto by raising ``OperationVetoed``; after-hooks always fire
and receive the outcome, even when the operation failed.  Like ``hookspecs``,
this module names the hooks' parameter types for type checkers only.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
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
    from publisher_restore.operations.decisions import DecisionRequest
    from publisher_restore.operations.history import OperationRecord
    from publisher_restore.operations.undo_plan import UndoContext, UndoResult
    from publisher_restore.restore.manifest import Manifest


class Lifecycle:
    """Typed access to the plugin manager's hooks for one process."""

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self.pm = pm

    def collect_storage_providers(self, register: RegisterStorageProvider) -> None:
        self.pm.hook.register_storage_providers(register=register)

    def collect_analyser_rules(self, register: RegisterAnalyserRule) -> None:
        self.pm.hook.register_analyser_rules(register=register)

    def add_commands(self, cli: click.Group) -> None:
        self.pm.hook.register_commands(cli=cli)

    def restore_point_created(self, manifest: Manifest) -> None:
        self.pm.hook.restore_point_created(restore_point=manifest, reason=manifest.reason.value)

    @contextlib.contextmanager
    def restoring(self, context: RestoreContext, result: RestoreResult) -> Iterator[None]:
        """``before_restore`` then the body, then ``after_restore`` with the outcome."""
        try:
            self.pm.hook.before_restore(context=context)
            yield
        except BaseException as error:
            result.error = str(error) or type(error).__name__
            raise
        finally:
            self.pm.hook.after_restore(context=context, result=result)

    def decide_damaging_change(self, context: DecisionContext, request: DecisionRequest) -> object:
        """The first plugin's answer, unchecked (``operations.decide`` validates it), or None."""
        answer: object = self.pm.hook.decide_damaging_change(context=context, request=request)
        return answer

    def before_publish(self, context: PublishContext) -> None:
        """``before_push`` or ``before_pull`` (by the operation), then ``before_import``."""
        kind = context.operation.value
        if kind == "push":
            self.pm.hook.before_push(context=context)
        elif kind == "pull":
            self.pm.hook.before_pull(context=context)
        self.pm.hook.before_import(context=context)

    def after_publish(self, context: PublishContext, result: PublishResult) -> None:
        """``after_push`` or ``after_pull``, then ``after_import`` (even if the first raised)."""
        kind = context.operation.value
        try:
            if kind == "push":
                self.pm.hook.after_push(context=context, result=result)
            elif kind == "pull":
                self.pm.hook.after_pull(context=context, result=result)
        finally:
            self.pm.hook.after_import(context=context, result=result)

    @contextlib.contextmanager
    def undoing(self, context: UndoContext, result: UndoResult) -> Iterator[None]:
        """``before_undo`` then the body, then ``after_undo`` with the outcome."""
        try:
            self.pm.hook.before_undo(context=context)
            yield
        except BaseException as error:
            result.error = str(error) or type(error).__name__
            raise
        finally:
            self.pm.hook.after_undo(context=context, result=result)

    def operation_recorded(self, record: OperationRecord) -> None:
        self.pm.hook.operation_recorded(record=record)
