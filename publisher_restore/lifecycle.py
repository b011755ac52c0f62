"""The only module that calls hooks: typed functions around ``pm.hook``.

Before-hooks may veto by raising ``OperationVetoed``; after-hooks always fire
and receive the outcome, even when the operation failed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import click

    from publisher_restore.restore.manifest import Manifest


class Lifecycle:
    """Typed access to the plugin manager's hooks for one process."""

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self.pm = pm

    def collect_storage_providers(self, register: Callable[..., None]) -> None:
        self.pm.hook.register_storage_providers(register=register)

    def collect_analyser_rules(self, register: Callable[..., None]) -> None:
        self.pm.hook.register_analyser_rules(register=register)

    def add_commands(self, cli: click.Group) -> None:
        self.pm.hook.register_commands(cli=cli)

    def restore_point_created(self, manifest: Manifest) -> None:
        self.pm.hook.restore_point_created(restore_point=manifest, reason=manifest.reason.value)

    @contextlib.contextmanager
    def restoring(self, context: Any, result: Any) -> Iterator[None]:
        """``before_restore`` then the body, then ``after_restore`` with the outcome."""
        try:
            self.pm.hook.before_restore(context=context)
            yield
        except BaseException as error:
            result.error = str(error) or type(error).__name__
            raise
        finally:
            self.pm.hook.after_restore(context=context, result=result)
