"""``history`` and ``undo``: the operations that wrote this site, and undoing one of them."""

from __future__ import annotations

import click

from publisher_restore.cli.output import emit_json, json_option, on_terminal, plural, progress_for
from publisher_restore.cli.restoring import print_plan as print_restore_plan
from publisher_restore.cli.state import CliState
from publisher_restore.errors import OperationCancelled
from publisher_restore.operations.history import HistoryEntry, OperationHistory, current_user
from publisher_restore.operations.undo import UndoOperation
from publisher_restore.operations.undo_plan import PreparedUndo


@click.command("history")
@json_option
@click.pass_obj
def history(state: CliState, as_json: bool) -> None:
    """List the pushes, pulls, imports and undos that wrote this site, newest first."""
    entries, unreadable = OperationHistory(state.runtime.env.store.provider).entries()
    if as_json:
        emit_json(
            {
                "operations": [
                    {**e.record.model_dump(mode="json"), "undone_by": e.undone_by} for e in entries
                ],
                "unreadable": unreadable,
            }
        )
        return
    if not entries:
        click.echo("No operations recorded yet.")
    for entry in entries:
        click.echo(_line(entry))
    for problem in unreadable:
        click.echo(f"unreadable: {problem}")


def _line(entry: HistoryEntry) -> str:
    record = entry.record
    counts = record.counts()
    written = counts.get("written", 0)
    point = record.restore_point or "no restore point"
    undone = f", undone by {entry.undone_by}" if entry.undone_by else ""
    undoes = f" of {record.undoes}" if record.undoes else ""
    return (
        f"{record.id}  {record.started:%Y-%m-%d %H:%M:%S} UTC  {record.kind.value}{undoes}  "
        f"{record.outcome.value}  {plural(written, 'change')} written  from {record.source}  "
        f"by {record.who}  ({point}{undone})"
    )


@click.command("undo")
@click.argument("operation_id", metavar="OPERATION")
@click.option("--check", is_flag=True, help="Show what undoing would do; change nothing.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--force", is_flag=True, help="Put conflicting changes back too.")
@json_option
@click.pass_obj
def undo(
    state: CliState, operation_id: str, check: bool, yes: bool, force: bool, as_json: bool
) -> None:
    """Undo one operation: only what it changed, from the restore point it took.

    An item or file changed again since is a conflict, left alone unless --force.
    """
    operation = UndoOperation(state.runtime.env, current_user(), progress_for(as_json))
    prepared = operation.prepare(operation_id, force=force)
    if check:
        if as_json:
            emit_json(prepared.report())
        else:
            _print_undo(prepared)
        return
    decision = operation.decide(prepared)
    if not yes:
        _confirm(prepared, as_json)
    result = operation.execute(prepared, decision)
    if as_json:
        emit_json(result.model_dump(mode="json"))
        return
    if result.pre_undo_point:
        click.echo(f"Pre-undo restore point: {result.pre_undo_point}")
    click.echo(
        f"Undid {result.undone}: {plural(result.written, 'file')} written, "
        f"{result.deleted} removed"
        + (f"; {plural(result.conflicts, 'conflict')} left alone" if result.conflicts else "")
        + (f" (operation {result.operation_id})." if result.operation_id else ".")
    )


def _confirm(prepared: PreparedUndo, as_json: bool) -> None:
    if not on_terminal():
        raise OperationCancelled(
            "undo needs confirmation: pass --yes when not on a terminal; nothing was changed"
        )
    if not as_json:
        _print_undo(prepared)
    if prepared.restore is None:
        return
    if not click.confirm(f"Undo {prepared.undoes}?", default=False, err=True):
        raise OperationCancelled("undo cancelled; nothing was changed")


def _print_undo(prepared: PreparedUndo) -> None:
    click.echo(
        f"Undoing {prepared.source} from restore point {prepared.restore_point}: "
        f"{plural(len(prepared.selected), 'path')} put back, "
        f"{plural(len(prepared.conflicts), 'conflict')}"
        + (f" ({len(prepared.forced)} forced)" if prepared.forced else "")
        + f", {len(prepared.unchanged)} already as before."
    )
    for conflict in prepared.conflicts:
        what = f"{conflict.item_type} {conflict.alias!r}" if conflict.item_type else "file"
        forced = " (forced: put back)" if conflict.path in prepared.forced else ""
        click.echo(f"  conflict {what}  {conflict.path}: {conflict.reason}{forced}")
    if prepared.restore is not None:
        print_restore_plan(prepared.restore.plan, details=False)
    else:
        click.echo("Nothing to put back.")


COMMANDS = (history, undo)
