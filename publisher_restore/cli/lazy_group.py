"""A click group whose commands are imported when one of them runs, not at start-up.

Importing every command module (and, through them, the operations, the analyser, the web
app) took 0.6 s before any command started: half of an unchanged ``create``.  Each
command now loads only its own module; ``--help`` loads them all to list them.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import click


class LazyGroup(click.Group):
    """Commands named in ``lazy`` (name -> "module:attribute") load on first use."""

    def __init__(self, *args: Any, lazy: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            self.add_command(_load(self.lazy[cmd_name]), cmd_name)
        return super().get_command(ctx, cmd_name)

    def load_all(self) -> dict[str, click.Command]:
        """Every command, loaded (for callers that look at them all)."""
        for name in self.lazy:
            if name not in self.commands:
                self.add_command(_load(self.lazy[name]), name)
        return dict(self.commands)


def _load(target: str) -> click.Command:
    module_name, attribute = target.split(":")
    command = getattr(importlib.import_module(module_name), attribute)
    if not isinstance(command, click.Command):
        raise TypeError(f"{target} is not a click command")
    return command
