"""Commands that compare and roll back: check, restore, recover.

``check`` compares the manifest with the site and reads from the archive only the
files it compares item by item (each checked against its hash as it is read);
``check --verify`` (like ``verify``) reads the whole archive first.  ``restore``
always verifies the whole archive before it changes anything.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from typing import Any

import click

from publisher_restore.cli.output import (
    emit_json,
    json_option,
    on_terminal,
    plural,
    progress_for,
)
from publisher_restore.cli.points import REHASH_HELP, recovery_json
from publisher_restore.cli.state import CliState
from publisher_restore.errors import IntegrityError, OperationCancelled
from publisher_restore.operations.restore_selection import RestoreSelection
from publisher_restore.restore.plan import RestorePlan
from publisher_restore.usync.diff import ChangeDetail


def selection_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--item`` and ``--path`` (both repeatable): restore only part of a point."""
    command = click.option(
        "--path",
        "paths",
        multiple=True,
        metavar="GLOB",
        help="Only site paths matching this glob (e.g. 'Views/**'); repeatable.",
    )(command)
    return click.option(
        "--item",
        "items",
        multiple=True,
        metavar="TYPE:ALIAS_OR_KEY",
        help="Only this uSync item (e.g. ContentType:home); repeatable.",
    )(command)


def _selection(items: tuple[str, ...], paths: tuple[str, ...]) -> RestoreSelection | None:
    return RestoreSelection(items=items, paths=paths) if items or paths else None


@click.command()
@click.argument("point_id", metavar="ID|latest")
@click.option("--details", is_flag=True, help="Show every changed field, not only counts.")
@selection_options
@click.option(
    "--verify",
    "verify_archive",
    is_flag=True,
    help="Also read the whole archive and check every hash, as 'verify' does.",
)
@click.option("--rehash", is_flag=True, help=REHASH_HELP)
@json_option
@click.pass_obj
def check(
    state: CliState,
    point_id: str,
    details: bool,
    items: tuple[str, ...],
    paths: tuple[str, ...],
    verify_archive: bool,
    rehash: bool,
    as_json: bool,
) -> None:
    """Report everything restoring a point (or part of it) would change (changes nothing)."""
    progress = progress_for(as_json)
    operation = state.restore(progress)
    selection = _selection(items, paths)
    plan = operation.prepare(point_id, selection=selection, rehash=rehash).plan
    if verify_archive:
        verified = state.restore_points(progress).verify(plan.point.id)
        if not verified.ok:
            raise IntegrityError(f"restore point {verified.point_id}: {verified.error}")
    if as_json:
        emit_report(plan, {"archive_verified": verify_archive})
        return
    print_plan(plan, details)
    if verify_archive:
        click.echo(f"The archive of {plan.point.id} was read in full: every hash matches.")
    else:
        click.echo(
            "Compared with the point's index (files whose size and modification time match "
            "it were not read; --rehash reads them); from storage only the changed uSync "
            f"files were read. 'publisher-restore verify {plan.point.id}' (or check --verify) "
            "reads all of it; restore reads and checks every file it writes first."
        )


@click.command()
@click.argument("point_id", metavar="ID|latest")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--no-pre-restore", is_flag=True, help="Skip the pre-restore restore point.")
@selection_options
@click.option("--rehash", is_flag=True, help=REHASH_HELP)
@json_option
@click.pass_obj
def restore(
    state: CliState,
    point_id: str,
    yes: bool,
    no_pre_restore: bool,
    items: tuple[str, ...],
    paths: tuple[str, ...],
    rehash: bool,
    as_json: bool,
) -> None:
    """Roll the site (or part of it) back to a restore point: verify, snapshot, then apply."""
    operation = state.restore(progress_for(as_json))
    selection = _selection(items, paths)
    prepared = operation.prepare(point_id, recover=True, selection=selection, rehash=rehash)
    prepared.refuse_if_blocked()
    decision = operation.decide(prepared, pre_restore=not no_pre_restore)
    if not yes and not _confirm(as_json)(prepared.plan):
        raise OperationCancelled("restore cancelled; nothing was changed")
    result = operation.execute(prepared, decision)
    if as_json:
        emit_json(result.model_dump(mode="json") | recovery_json(prepared.recovery))
        return
    if result.recovered:
        click.echo(_sentence(result.recovered))
    if result.pre_restore_point:
        click.echo(f"Pre-restore restore point: {result.pre_restore_point}")
    click.echo(
        f"Restored {result.restore_point}: {plural(result.written, 'file')} written, "
        f"{result.deleted} removed."
    )


def emit_report(plan: RestorePlan, extra: dict[str, Any]) -> None:
    """``check --json``: the plan's report, written change by change.

    The same document ``emit_json(plan.report() | extra)`` prints, without holding all of
    it in memory at once (a restore of a large site changes tens of thousands of items).
    """
    marker = "\u0000changes\u0000"
    report = plan.report(changes=False) | {"changes": marker} | extra
    ordered = {key: report[key] for key in ("restore_point", "summary", "changes")} | report
    text = json.dumps(ordered, indent=2, default=str, ensure_ascii=False)
    head, tail = text.split(json.dumps(marker), 1)
    click.echo(head, nl=False)
    if not plan.changes:
        click.echo("[]", nl=False)
    else:
        click.echo("[", nl=True)
        last = len(plan.changes) - 1
        for index, change in enumerate(plan.changes):
            body = json.dumps(change.model_dump(mode="json"), indent=2, ensure_ascii=False)
            click.echo(textwrap.indent(body, "    ") + ("," if index < last else ""))
        click.echo("  ]", nl=False)
    click.echo(tail)


def _confirm(as_json: bool) -> Callable[[RestorePlan], bool]:
    def ask(plan: RestorePlan) -> bool:
        if not on_terminal():
            raise OperationCancelled(
                "restore needs confirmation: pass --yes when not on a terminal; nothing was changed"
            )
        if not as_json:
            print_plan(plan, details=False)
        if not plan.operations:
            return True
        # On stderr: stdout carries only the result (JSON under --json), even when redirected.
        return click.confirm(f"Restore {plan.point.id} over the site?", default=False, err=True)

    return ask


@click.command()
@click.option("--rollback", is_flag=True, help="Undo the interrupted restore instead.")
@json_option
@click.pass_obj
def recover(state: CliState, rollback: bool, as_json: bool) -> None:
    """Complete (or roll back) a restore that was interrupted."""
    outcome = state.restore_points(progress_for(as_json)).recover(rollback=rollback)
    if as_json:
        emit_json(recovery_json(outcome))
    else:
        click.echo(_sentence(outcome.message if outcome else "nothing to recover"))


def print_plan(plan: RestorePlan, details: bool) -> None:
    """Summary counts first, then the changes (with fields on request), then findings."""
    summary = plan.summary()
    counts = summary["by_change"]
    click.echo(
        f"Restoring {plan.point.id} would change "
        f"{plural(summary['changes'], 'item or file', 'items or files')}: "
        f"{counts['create']} created, {counts['update']} updated, {counts['delete']} deleted "
        f"({plural(summary['files']['write'], 'file')} written, "
        f"{summary['files']['delete']} removed)."
    )
    if plan.selection is not None:
        click.echo(
            f"Partial restore: {plural(len(plan.selection), 'selected path')}; nothing else."
        )
    for change in plan.changes:
        label = f"{change.item_type} {change.alias!r}" if change.item_type else change.scope.value
        click.echo(f"  {change.change:<6} {label}  {change.path}")
        if details:
            for detail in change.details:
                click.echo(f"           {_describe(detail)}")
    for finding in plan.findings:
        click.echo(
            f"  [{getattr(finding, 'severity', '?')}] {getattr(finding, 'message', finding)}"
        )
    for problem in plan.problems:
        click.echo(f"  problem: {problem}")
    for blocked in plan.blocked:
        click.echo(f"  blocked: {blocked}")


def _describe(detail: ChangeDetail) -> str:
    if detail.change == "create":
        return f"+ {detail.path}: {_show(detail.new)}"
    if detail.change == "delete":
        return f"- {detail.path}: {_show(detail.old)}"
    return f"  {detail.path}: {_show(detail.old)} -> {_show(detail.new)}"


def _sentence(text: str) -> str:
    """First letter up, ids left as they are (``str.capitalize`` would lowercase them)."""
    return text[:1].upper() + text[1:] + "."


def _show(value: str | None) -> str:
    if value is None or value == "":
        return "(blank)"
    text = value.replace("\n", " ")
    return text if len(text) <= 60 else text[:57] + "..."


COMMANDS = (check, restore, recover)
