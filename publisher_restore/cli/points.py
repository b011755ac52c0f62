"""Commands that manage restore points: create, list, show, verify, delete, pin, prune.

A restore that is running or was interrupted is named wherever it is found: ``create``
finishes an interrupted one first and says which (text, and ``recovered``/``recovery``
in its JSON); the others leave it as it is and say so in a warning on stderr.
"""

from __future__ import annotations

from pathlib import Path

import click

from publisher_restore.cli.output import (
    emit_json,
    human_size,
    json_option,
    on_terminal,
    plural,
    progress_for,
    warn,
)
from publisher_restore.cli.state import CliState
from publisher_restore.errors import IntegrityError, OperationCancelled
from publisher_restore.operations.restore_points import RestorePoints
from publisher_restore.operations.restore_state import Recovery
from publisher_restore.restore.manifest import Manifest
from publisher_restore.restore.store import LATEST

point_argument = click.argument("point_id", metavar="ID|latest")


REHASH_HELP = (
    "Read and hash every file, even those whose size and modification time match the "
    "previous point."
)


@click.command()
@click.option("--media/--no-media", default=None, help="Include wwwroot/media files.")
@click.option("--note", default="", help="A note stored with the restore point.")
@click.option("--rehash", is_flag=True, help=REHASH_HELP)
@json_option
@click.pass_obj
def create(state: CliState, media: bool | None, note: str, rehash: bool, as_json: bool) -> None:
    """Take a restore point of the site now."""
    service = state.restore_points(progress_for(as_json))
    if media is None and not as_json and on_terminal():
        if service.site.has_media_folder:
            media = click.confirm(
                "Include media files?", default=service.site.settings.include_media, err=True
            )
        else:
            click.echo("Not asking about media: this site has no wwwroot/media folder.", err=True)
    created = service.create_point(note=note, include_media=media, rehash=rehash)
    manifest = created.restore_point
    if as_json:
        emit_json(manifest.summary() | recovery_json(created.recovered))
        return
    if created.recovered is not None:
        click.echo(f"{sentence(created.recovered.message)}, before taking the restore point.")
    click.echo(
        f"Created restore point {manifest.id}: {plural(manifest.file_count, 'file')}, "
        f"{plural(manifest.item_count, 'item')}, {human_size(manifest.archive_size)} stored "
        f"({human_size(manifest.added_bytes)} new)"
        + (" (with media)" if manifest.includes_media else "")
    )
    for problem in manifest.problems:
        click.echo(f"  warning: {problem.path}:{problem.line or '-'}: {problem.problem}", err=True)
    for left_out in manifest.skipped:
        click.echo(f"  skipped: {left_out.path}: {left_out.reason}", err=True)


@click.command("list")
@json_option
@click.pass_obj
def list_points(state: CliState, as_json: bool) -> None:
    """List restore points, newest first."""
    service = state.restore_points()
    warn_unfinished_restore(service)
    points = service.points()
    for broken in service.unreadable_points():
        warn(f"restore point {broken.point_id} not listed: {broken.error}")
    if as_json:
        emit_json([p.summary() for p in points])
        return
    if not points:
        click.echo("No restore points yet.")
        return
    click.echo(list_row("ID", "CREATED (UTC)", "REASON", "FILES", "SIZE", "ADDED", "FLAGS", "NOTE"))
    for p in points:
        click.echo(list_row(*_list_cells(p)))


def _list_cells(point: Manifest) -> tuple[str, ...]:
    marks = (("media", point.includes_media), ("pinned", point.pinned))
    flags = " ".join(name for name, on in marks if on)
    added = point.archive_size if point.is_legacy else point.added_bytes
    return (
        point.id,
        f"{point.created:%Y-%m-%d %H:%M:%S}",
        point.reason.value,
        str(point.file_count),
        human_size(point.archive_size),
        human_size(added),
        flags,
        point.note,
    )


def list_row(*cells: str) -> str:
    """One line of ``list``: id, created, reason, files, size, added, flags, note.

    SIZE is what the point needs in storage (objects shared with other points included);
    ADDED is what taking it added (an unchanged site adds almost nothing).
    """
    point_id, created, reason, files, size, added, flags, note = cells
    row = (
        f"{point_id:<26}  {created:<19}  {reason:<11} {files:>6} {size:>9} {added:>9}  "
        f"{flags:<12} {note}"
    )
    return row.rstrip()


@click.command()
@point_argument
@click.option("--files", "show_files", is_flag=True, help="List every archived file.")
@json_option
@click.pass_obj
def show(state: CliState, point_id: str, show_files: bool, as_json: bool) -> None:
    """Show one restore point's manifest."""
    service = state.restore_points()
    warn_unfinished_restore(service)
    point = service.get(point_id)
    if as_json:
        emit_json(point.full_dump())
        return
    _print_manifest(point, show_files)


def _stored(point: Manifest) -> str:
    """Where the point's bytes are and how many it needs (and added when it was taken)."""
    if point.is_legacy:
        return f"{point.archive_name} ({human_size(point.archive_size)}, version-1 archive)"
    return (
        f"{human_size(point.archive_size)} in shared objects ({human_size(point.added_bytes)} new)"
    )


def _print_manifest(point: Manifest, show_files: bool) -> None:
    rows = {
        "id": point.id,
        "created": f"{point.created:%Y-%m-%d %H:%M:%S} UTC",
        "reason": point.reason.value,
        "note": point.note,
        "created by": point.created_by,
        "site": point.site_name,
        "uSync folder": point.usync_folder,
        "scopes": ", ".join(s.value for s in point.scopes),
        "media": "yes" if point.includes_media else "no",
        "pinned": "yes" if point.pinned else "no",
        "files": f"{point.file_count} ({human_size(point.content_bytes)})",
        "stored": _stored(point),
        "items": str(point.item_count),
        "tool version": point.tool_version,
    }
    for label, value in rows.items():
        click.echo(f"{label:>13}: {value}")
    for problem in point.problems:
        click.echo(f"      problem: {problem.path}:{problem.line or '-'}: {problem.problem}")
    for left_out in point.skipped:
        click.echo(f"      skipped: {left_out.path}: {left_out.reason}")
    if show_files:
        for record in point.files:
            click.echo(f"  {record.sha256[:12]} {record.size:>10} {record.path}")


@click.command()
@click.argument("point_id", metavar="[ID|latest]", required=False)
@click.option("--all", "verify_all", is_flag=True, help="Verify every restore point.")
@json_option
@click.pass_obj
def verify(state: CliState, point_id: str | None, verify_all: bool, as_json: bool) -> None:
    """Check every file hash of a restore point's archive (default: latest)."""
    service = state.restore_points(progress_for(as_json))
    warn_unfinished_restore(service)
    results = service.verify_all() if verify_all else [service.verify(point_id or "latest")]
    if as_json:
        emit_json([{"id": r.point_id, "ok": r.ok, "error": r.error} for r in results])
    else:
        for r in results:
            click.echo(f"{r.point_id}: " + ("ok" if r.ok else f"FAILED: {r.error}"))
    failed = [r for r in results if not r.ok]
    if failed:
        raise IntegrityError(
            f"{len(failed)} of {plural(len(results), 'restore point')} failed verification"
        )


@click.command()
@point_argument
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@json_option
@click.pass_obj
def delete(state: CliState, point_id: str, yes: bool, as_json: bool) -> None:
    """Delete a restore point."""
    service = state.restore_points()
    warn_unfinished_restore(service)
    if not yes:
        if not on_terminal():
            raise OperationCancelled(
                "delete needs confirmation: pass --yes when not on a terminal; nothing was deleted"
            )
        shown = service.get(point_id).id if point_id == LATEST else point_id
        click.confirm(f"Delete restore point {shown}?", abort=True, err=True)
    deleted = service.delete(point_id)
    if as_json:
        emit_json({"deleted": deleted})
    else:
        click.echo(f"Deleted restore point {deleted}")


@click.command()
@point_argument
@click.option("--unpin", is_flag=True, help="Remove the pin instead.")
@json_option
@click.pass_obj
def pin(state: CliState, point_id: str, unpin: bool, as_json: bool) -> None:
    """Pin a restore point so prune never deletes it."""
    service = state.restore_points()
    warn_unfinished_restore(service)
    point = service.pin(point_id, not unpin)
    if as_json:
        emit_json(point.summary())
    else:
        click.echo(f"{point.id} is {'pinned' if point.pinned else 'no longer pinned'}")


@click.command()
@click.option(
    "--keep-last",
    type=click.IntRange(min=1),
    help="Keep the newest N points (pre-restore points are not counted; those since are kept).",
)
@click.option("--keep-days", type=click.IntRange(min=0), help="Keep points newer than D days.")
@click.option("--dry-run", is_flag=True, help="Only say what would be deleted.")
@json_option
@click.pass_obj
def prune(
    state: CliState, keep_last: int | None, keep_days: int | None, dry_run: bool, as_json: bool
) -> None:
    """Delete old restore points (never the newest, never latest, never a pinned one)."""
    service = state.restore_points()
    warn_unfinished_restore(service)
    doomed = service.prune(keep_last=keep_last, keep_days=keep_days, dry_run=dry_run)
    if as_json:
        emit_json({"dry_run": dry_run, "deleted": [p.id for p in doomed]})
        return
    verb = "Would delete" if dry_run else "Deleted"
    for point in doomed:
        click.echo(f"{verb} {point.id} ({point.created:%Y-%m-%d %H:%M} UTC, {point.reason.value})")
    click.echo(f"{verb} {plural(len(doomed), 'restore point')}.")


@click.command()
@point_argument
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The .tar.zst file to write (must not exist).",
)
@json_option
@click.pass_obj
def export(state: CliState, point_id: str, out: Path, as_json: bool) -> None:
    """Write one restore point as a .tar.zst file that tar --zstd -xf opens."""
    service = state.restore_points(progress_for(as_json))
    warn_unfinished_restore(service)
    if out.exists() or out.is_symlink():
        raise click.UsageError(f"{out} already exists; name a new file")
    exported = service.export(point_id, out)
    if as_json:
        emit_json(exported.model_dump())
        return
    click.echo(
        f"Exported {exported.point_id} to {exported.path}: "
        f"{plural(exported.file_count, 'file')}, {human_size(exported.bytes)}"
    )


@click.command("import-point")
@click.argument(
    "source", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@json_option
@click.pass_obj
def import_point(state: CliState, source: Path, as_json: bool) -> None:
    """Store a restore point from a file that export wrote (checked as untrusted input)."""
    service = state.restore_points(progress_for(as_json))
    warn_unfinished_restore(service)
    point = service.import_point(source)
    if as_json:
        emit_json(point.summary())
        return
    click.echo(
        f"Imported restore point {point.id}: {plural(point.file_count, 'file')}, "
        f"{plural(point.item_count, 'item')}, {human_size(point.added_bytes)} new"
    )


def warn_unfinished_restore(service: RestorePoints) -> None:
    """A warning naming the restore that is running or was interrupted, if there is one."""
    unfinished = service.restore_in_progress()
    if unfinished is not None:
        warn(unfinished.notice())


def recovery_json(recovery: Recovery | None) -> dict[str, object]:
    """``recovered`` (the sentence) and ``recovery`` (the data), as create, restore and
    recover print them."""
    if recovery is None:
        return {"recovered": None, "recovery": None}
    return {"recovered": recovery.message, "recovery": recovery.summary()}


def sentence(text: str) -> str:
    """First letter up, ids left as they are (``str.capitalize`` would lowercase them)."""
    return text[:1].upper() + text[1:]


COMMANDS = (create, list_points, show, verify, export, import_point, delete, pin, prune)
