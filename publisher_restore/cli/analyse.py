"""``publisher-restore analyse``: compare two uSync folders by the damaging-change catalogue."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import pluggy

from publisher_restore.analyser.acks import suggest
from publisher_restore.analyser.engine import run_rules
from publisher_restore.analyser.findings import Semantics, Severity
from publisher_restore.analyser.loading import load_pair
from publisher_restore.analyser.registry import collect_rules
from publisher_restore.analyser.render import RENDERERS
from publisher_restore.analyser.settings import AnalyserSettings
from publisher_restore.analyser.sources import analyser_section
from publisher_restore.cli.output import plural
from publisher_restore.errors import ConfigError, DamagingChangeError

FOLDER = click.Path(exists=True, file_okay=False, path_type=Path)


def _plugin_manager(ctx: click.Context) -> pluggy.PluginManager:
    state = ctx.obj
    pm = getattr(state, "pm", state)
    if isinstance(pm, pluggy.PluginManager):
        return pm
    from publisher_restore.plugin_manager import build_plugin_manager

    return build_plugin_manager()


def _settings(config: Path | None, section: dict[str, Any]) -> AnalyserSettings:
    if config is None:
        return AnalyserSettings.from_section(section)
    try:
        data = json.loads(config.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as error:
        raise ConfigError(f"{config}: cannot read analyser settings: {error}") from None
    node: Any = data
    for key in ("usync", "restore", "analyser"):
        if isinstance(node, dict):
            node = next((v for k, v in node.items() if str(k).casefold() == key), {})
    if not isinstance(node, dict):
        raise ConfigError(f"{config}: uSync:Restore:Analyser is not an object")
    return AnalyserSettings.from_section(node)


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
    type=FOLDER,
    required=True,
    help="What will be imported over it: a site root or a uSync folder.",
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
@click.pass_context
def analyse_command(
    ctx: click.Context,
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
    Files that are not readable XML are reported, never fatal.

    Exit codes: 0 when no unacknowledged finding reaches --fail-on (or none is given);
    10 when one does; 3 for an unusable folder or configuration.
    """
    current, incoming = load_pair(current_dir, incoming_dir)
    section = {} if config_file else analyser_section(current.folder)
    settings = _settings(config_file, section)
    rules = collect_rules(_plugin_manager(ctx))
    semantics: Semantics = "import" if partial else "complete"
    result = run_rules(current, incoming, semantics, rules, settings)
    if suggest_acks:
        click.echo(json.dumps(suggest(result.findings), indent=2))
    else:
        click.echo(RENDERERS["json" if as_json else fmt](result, rules))
    if fail_on is not None:
        blocking = result.blocking(Severity(fail_on))
        if blocking:
            found = plural(len(blocking), "unacknowledged finding")
            count = f"{found} at or above {fail_on}"
            raise DamagingChangeError(f"{count} (exit code {DamagingChangeError.exit_code})")
