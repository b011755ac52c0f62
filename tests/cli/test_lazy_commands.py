"""Commands load when they run: starting the CLI imports no operation, analyser or web code."""

from __future__ import annotations

import subprocess
import sys

import click

from publisher_restore.cli.lazy_group import LazyGroup
from publisher_restore.cli.main import COMMANDS, cli

HEAVY = ("publisher_restore.operations", "publisher_restore.analyser", "publisher_restore.web")


def test_starting_the_cli_imports_no_operation_analyser_or_web_module() -> None:
    code = (
        "import sys, publisher_restore.cli.main; "
        f"print([m for m in sys.modules if m.startswith({HEAVY!r})])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_every_listed_command_loads_under_its_own_name() -> None:
    assert isinstance(cli, LazyGroup)
    loaded = cli.load_all()
    assert set(COMMANDS) <= set(loaded)
    for name in COMMANDS:
        command = loaded[name]
        assert isinstance(command, click.Command) and command.name == name, name
