"""The ``publisher-restore`` command group and its error handling.

Expected errors print one line on stderr and exit with the error's code:
1 general, 2 usage, 3 configuration or site, 4 unreadable item, 5 integrity or
hostile input, 6 storage, 7 locked, 8 no such restore point, 9 cancelled,
10 analyser findings at or above --fail-on, 11 interrupted restore needs recovery,
12 the site or the inputs changed since the check (run check again; nothing changed).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from publisher_restore.cli import points, restoring, serve
from publisher_restore.cli.demo import demo
from publisher_restore.cli.state import CliState
from publisher_restore.errors import PublisherRestoreError
from publisher_restore.lifecycle import Lifecycle
from publisher_restore.plugin_manager import build_plugin_manager
from publisher_restore.runtime import Runtime
from publisher_restore.version import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--site",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default="current directory",
    help="The Umbraco site folder (the one holding uSync/).",
)
@click.version_option(__version__, prog_name="publisher-restore")
@click.pass_context
def cli(ctx: click.Context, site_dir: Path) -> None:
    """Restore points and damaging-change protection for uSync sites."""
    ctx.obj = CliState(Runtime.open(site_dir, ctx.obj or build_plugin_manager()))


def _add_commands(group: click.Group) -> None:
    for command in (*points.COMMANDS, *restoring.COMMANDS, *serve.COMMANDS, demo):
        group.add_command(command)
    try:
        from publisher_restore.cli.analyse import analyse_command
    except ImportError:  # pragma: no cover - the analyser ships with the package
        return
    group.add_command(analyse_command)


_add_commands(cli)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: plugin commands, then the group, errors as one line."""
    pm = build_plugin_manager()
    Lifecycle(pm).add_commands(cli)
    try:
        # Without standalone mode click returns ctx.exit(n) codes instead of exiting.
        code = cli.main(args=argv, obj=pm, standalone_mode=False)
    except PublisherRestoreError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(error.exit_code)
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        click.echo(f"error: {where}{error.strerror or error}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(9)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    if isinstance(code, int) and code:
        sys.exit(code)
