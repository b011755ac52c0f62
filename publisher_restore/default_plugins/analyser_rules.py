"""Built-in damaging-change rules, registered through the same hook as any plugin."""

from __future__ import annotations

from collections.abc import Callable

from publisher_restore.hookspecs import hookimpl


@hookimpl
def register_analyser_rules(register: Callable[..., None]) -> None:
    from publisher_restore.analyser.rules import builtin_rules

    for rule in builtin_rules():
        register(rule)
