"""Built-in damaging-change rules, registered through the same hook as any plugin."""

from __future__ import annotations

from typing import TYPE_CHECKING

from publisher_restore.hookspecs import hookimpl

if TYPE_CHECKING:  # the plugin manager loads this module on every start: import lightly
    from publisher_restore.operations.contexts import RegisterAnalyserRule


@hookimpl
def register_analyser_rules(register: RegisterAnalyserRule) -> None:
    from publisher_restore.analyser.rules import builtin_rules

    for rule in builtin_rules():
        register(rule)
