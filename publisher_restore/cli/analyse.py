"""``publisher-restore analyse``: compare two uSync folders by the damaging-change catalogue."""

from __future__ import annotations

import json
from pathlib import Path

import click

from publisher_restore.analyser.acks import suggest
from publisher_restore.analyser.findings import Semantics, Severity
from publisher_restore.analyser.render import RENDERERS
from publisher_restore.cli.output import plural
from publisher_restore.cli.state import CliState
from publisher_restore.errors import DamagingChangeError
from publisher_restore.operations.analysis import settings_from_file

FOLDER = click.Path(exists=True, file_okay=False, path_type=Path)


@click.command("analyse")
@click.option(
    "--current",
    "current_dir",
    type=FOLDER,
    required=True,
    help="The target as it is now: a site root or a uSync folder.",
)
@click.option(
    "--incoming",
    "incoming_dir",
    type=click.Path(exists=True, path_type=Path),
    required=True,
    help="What will be imported over it: a site root, a uSync folder or a sync pack "
    "(FILE.usync, analysed with import semantics, as pack import applies it).",
)
@click.option(
    "--partial",
    is_flag=True,
    help="Import semantics: only Empty Delete/Clean markers delete (a push, a pack). "
    "Default: complete semantics, where what the incoming side lacks is deleted.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(RENDERERS)),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (same as --format json).")
@click.option(
    "--fail-on",
    type=click.Choice([s.value for s in Severity]),
    default=None,
    help="Exit with code 10 when an unacknowledged finding is at or above this.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A JSON settings file holding uSync:Restore:Analyser "
    "(default: the current site's appsettings).",
)
@click.option(
    "--suggest-acks",
    is_flag=True,
    help="Print ready-to-paste Acknowledge entries for the open findings instead.",
)
@click.pass_obj
def analyse_command(
    state: CliState,
    current_dir: Path,
    incoming_dir: Path,
    partial: bool,
    fmt: str,
    as_json: bool,
    fail_on: str | None,
    config_file: Path | None,
    suggest_acks: bool,
) -> None:
    """Report the damaging changes of importing INCOMING over CURRENT.

    Each side finds its own uSync version folder, so v15 -> v16 compares item by item.
    Files that are not readable XML are reported, never fatal.  INCOMING may be a sync
    pack (FILE.usync): it is checked as hostile input first (exit 5) and analysed with
    import semantics.

    Exit codes: 0 when no unacknowledged finding reaches --fail-on (or none is given);
    10 when one does; 3 for an unusable folder or configuration.
    """
    analysis = state.runtime.analysis()
    settings = settings_from_file(config_file) if config_file else None
    if incoming_dir.is_file():
        result = analysis.compare_pack(
            current_dir, incoming_dir, semantics="import", settings=settings
        )
    else:
        semantics: Semantics = "import" if partial else "complete"
        result = analysis.compare_folders(
            current_dir, incoming_dir, semantics=semantics, settings=settings
        )
    if suggest_acks:
        click.echo(json.dumps(suggest(result.findings), indent=2))
    else:
        click.echo(RENDERERS["json" if as_json else fmt](result, list(analysis.rules)))
    if fail_on is not None:
        blocking = result.blocking(Severity(fail_on))
        if blocking:
            found = plural(len(blocking), "unacknowledged finding")
            count = f"{found} at or above {fail_on}"
            raise DamagingChangeError(f"{count} (exit code {DamagingChangeError.exit_code})")
