"""``pack export`` and ``pack import``: sync packs (``.usync``, ``docs/pack-format.md``)."""

from __future__ import annotations

from pathlib import Path

import click

from publisher_restore.cli.output import (
    emit_json,
    human_size,
    json_option,
    plural,
    progress_for,
    warn,
)
from publisher_restore.cli.publishing import decision_options, finish, publish_run
from publisher_restore.cli.state import CliState
from publisher_restore.operations.import_plan import ImportOptions
from publisher_restore.operations.pack_import import import_pack
from publisher_restore.publisher.collect import collect_pack, parse_specs


@click.group("pack")
def pack_group() -> None:
    """Sync packs: export a selection of this site, import a pack into it."""


@pack_group.command("export")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The pack to write (FILE.usync).",
)
@click.option(
    "--item",
    "items",
    multiple=True,
    metavar="TYPE:ALIAS_OR_KEY",
    help="Only this item and what it needs; repeatable. None: every item.",
)
@click.option("--no-dependencies", is_flag=True, help="Do not add what the items need.")
@click.option("--files", is_flag=True, help="Views and static files too.")
@click.option("--media", is_flag=True, help="Media files too.")
@click.option("--overwrite", is_flag=True, help="Replace FILE if it exists.")
@json_option
@click.pass_obj
def export_command(
    state: CliState,
    out: Path,
    items: tuple[str, ...],
    no_dependencies: bool,
    files: bool,
    media: bool,
    overwrite: bool,
    as_json: bool,
) -> None:
    """Write a sync pack of this site's items (all, or --item and their dependencies)."""
    collected = collect_pack(
        state.runtime.site,
        parse_specs(items),
        out,
        dependencies=not no_dependencies,
        files=files,
        media=media,
        overwrite=overwrite,
        progress=progress_for(as_json),
    )
    manifest = collected.manifest
    if as_json:
        data = manifest.model_dump(mode="json")
        emit_json(
            {
                "pack": str(out),
                "size": out.stat().st_size,
                "manifest": data,
                "notes": collected.notes(),
            }
        )
        return
    for note in collected.notes():
        warn(note)
    click.echo(
        f"Wrote {out}: {plural(len(manifest.items), 'item')}, "
        f"{plural(len(manifest.files), 'site file')} ({human_size(out.stat().st_size)}) "
        f"from site {manifest.source_site}."
    )


@pack_group.command("import")
@click.argument("pack", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--mirror",
    is_flag=True,
    help="Make this site match: items only it holds, in the handler folders the pack "
    "covers, are deleted (Delete markers).",
)
@click.option("--media", is_flag=True, help="Write the pack's media files too.")
@decision_options
@json_option
@click.pass_obj
def import_command(
    state: CliState,
    pack: Path,
    mirror: bool,
    media: bool,
    yes: bool,
    no_input: bool,
    as_json: bool,
) -> None:
    """Import a sync pack into this site (every check first; this site's Import policy).

    Exit 13 when a decision is needed and nobody can answer it; 5 for a hostile pack.
    """
    run, keeper = publish_run(yes, no_input, as_json)
    options = ImportOptions(mirror=mirror, media=media)
    result = import_pack(pack, state.runtime.env, options, run)
    finish(result, keeper, as_json)


COMMANDS = (pack_group,)
