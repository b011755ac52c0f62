"""The ``publisher-restore`` command group and its error handling.

Expected errors print one line on stderr and exit with the error's code:
1 general, 2 usage, 3 configuration or site, 4 unreadable item, 5 integrity or
hostile input, 6 storage, 7 locked, 8 no such restore point, 9 cancelled,
10 analyser findings at or above --fail-on, 11 interrupted restore needs recovery,
12 the site or the inputs changed since the check (run check again; nothing changed),
13 a push, pull or import needs a decision and nobody can give it (nothing changed),
130 interrupted by Ctrl-C (SIGINT).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from publisher_restore.cli.lazy_group import LazyGroup
from publisher_restore.cli.output import fail
from publisher_restore.errors import OperationCancelled, PublisherRestoreError
from publisher_restore.lifecycle import Lifecycle
from publisher_restore.plugin_manager import build_plugin_manager
from publisher_restore.version import __version__

PROG = "publisher-restore"
_CLI = "publisher_restore.cli"
COMMANDS = {
    **{
        name: f"{_CLI}.points:{attribute}"
        for name, attribute in {
            "create": "create",
            "list": "list_points",
            "show": "show",
            "verify": "verify",
            "export": "export",
            "import-point": "import_point",
            "delete": "delete",
            "pin": "pin",
            "prune": "prune",
        }.items()
    },
    "check": f"{_CLI}.restoring:check",
    "restore": f"{_CLI}.restoring:restore",
    "recover": f"{_CLI}.restoring:recover",
    "push": f"{_CLI}.publish:push",
    "pull": f"{_CLI}.publish:pull",
    "pack": f"{_CLI}.pack:pack_group",
    "history": f"{_CLI}.history:history",
    "undo": f"{_CLI}.history:undo",
    "serve": f"{_CLI}.serve:serve",
    "dashboard": f"{_CLI}.serve:dashboard",
    "demo": f"{_CLI}.demo:demo",
    "analyse": f"{_CLI}.analyse:analyse_command",
}
"""Every built-in command by name, and where it is defined (imported when it runs)."""


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
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
    from publisher_restore.cli.state import CliState
    from publisher_restore.runtime import Runtime

    ctx.obj = CliState(Runtime.open(site_dir, ctx.obj or build_plugin_manager()))


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: plugin commands, then the group, errors as one line."""
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        pm = build_plugin_manager()
        Lifecycle(pm).add_commands(cli)
        # Without standalone mode click returns ctx.exit(n) codes instead of exiting.
        code = cli.main(args=args, prog_name=PROG, obj=pm, standalone_mode=False)
    except PublisherRestoreError as error:
        fail(str(error), error.exit_code)
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        fail(f"{where}{error.strerror or error}", 1)
    except KeyboardInterrupt:
        _fail_interrupted(args)
    except click.exceptions.Abort as abort:
        if _by_ctrl_c(abort):
            if abort.__cause__ is None:  # at a prompt: click leaves the cursor after it
                click.echo(err=True)
            _fail_interrupted(args)
        fail("cancelled; nothing was changed", OperationCancelled.exit_code)
    except click.UsageError as error:
        fail(usage_message(error), error.exit_code)
    except click.ClickException as error:
        fail(error.format_message(), error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    if isinstance(code, int) and code:
        sys.exit(code)


def _fail_interrupted(args: list[str]) -> NoReturn:
    # Imported here: saying what state the site is in reads the restore journal, which
    # needs most of the package; every other run is spared the import.
    from publisher_restore.cli.interrupted import INTERRUPTED_EXIT_CODE, interrupted_message

    fail(interrupted_message(args), INTERRUPTED_EXIT_CODE, prefix="")


def _by_ctrl_c(abort: click.exceptions.Abort) -> bool:
    """Click turns Ctrl-C into Abort (``from`` it, or ``from None`` at a prompt)."""
    return isinstance(abort.__cause__ or abort.__context__, KeyboardInterrupt)


def usage_message(error: click.UsageError) -> str:
    """A usage error as one line; ``--site`` after the command says where it belongs."""
    command = error.ctx.command_path if error.ctx else PROG
    if isinstance(error, click.NoSuchOption) and error.option_name.split("=")[0] == "--site":
        name = error.ctx.info_name if error.ctx else "COMMAND"
        return (
            f"--site is a global option: put it before the command, as in "
            f"'{PROG} --site DIR {name} ...'"
        )
    return f"{error.format_message().rstrip('.')}; see '{command} --help'"
