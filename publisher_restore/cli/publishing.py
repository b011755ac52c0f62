"""What push, pull and pack import share on the terminal: the plan, the steps, the prompt.

- ``print_plan``: counts, then each change, then the findings most severe first (each
  message carries its impact), then notes; on stdout, unless ``--json``.
- ``StepPrinter``: one line per finished step on stderr (collect, prepare, decide, ...).
- ``TerminalAsker``: the prompt (restore point and continue / continue without / abort);
  while it waits it also polls the target's pending-plan store, so an answer given in
  the target's dashboard lets the operation continue.
- ``answering_for``: ``--yes``, ``--no-input`` and the terminal turned into ``Answering``.
"""

from __future__ import annotations

import select
import sys
from typing import Any

import click

from publisher_restore.cli.output import emit_json, on_terminal, plural, progress_for
from publisher_restore.errors import PublisherRestoreError
from publisher_restore.operations.answers import Answering, Poll
from publisher_restore.operations.contexts import PublishOutcome, PublishResult
from publisher_restore.operations.decisions import Choice, Decision
from publisher_restore.operations.history import current_user
from publisher_restore.operations.import_plan import PreparedImport
from publisher_restore.operations.pipeline import PublishRun
from publisher_restore.operations.steps import StepRecord, Steps

POLL_SECONDS = 0.5
DETAIL_WIDTH = 100
SHOWN_CHANGES = 200
_CHOICES = {
    "r": Choice.RESTORE_POINT,
    "restore-point": Choice.RESTORE_POINT,
    "c": Choice.CONTINUE,
    "continue": Choice.CONTINUE,
    "a": Choice.ABORT,
    "abort": Choice.ABORT,
}


class PartialFailure(PublisherRestoreError):
    """Some changes failed to write (the others were written); the result lists them."""


def decision_options(command: Any) -> Any:
    """``--yes`` and ``--no-input``."""
    command = click.option(
        "--no-input",
        is_flag=True,
        help="Never ask: without --yes, stop (exit 13) when a decision is needed and "
        "findings reach the policy's Threshold.",
    )(command)
    return click.option(
        "--yes",
        is_flag=True,
        help="Answer a prompt with the safe choice: take a restore point, then continue.",
    )(command)


def answering_for(yes: bool, no_input: bool) -> Answering:
    """Who may answer: ``--yes``; a person when on a terminal and not ``--no-input``."""
    interactive = on_terminal() and not no_input
    return Answering(yes=yes, ask=TerminalAsker() if interactive else None)


def step_listener(as_json: bool) -> StepPrinter | None:
    """Step lines on a terminal, as progress bars are; none under ``--json`` or off one."""
    return None if as_json or not sys.stderr.isatty() else StepPrinter()


class StepPrinter:
    """One line per finished step, on stderr."""

    def step_finished(self, record: StepRecord) -> None:
        where = "" if record.where == "target" else f" ({record.where})"
        text = (
            record.detail
            if len(record.detail) <= DETAIL_WIDTH
            else (record.detail[: DETAIL_WIDTH - 3] + "...")
        )
        detail = f"  {text}" if text else ""
        click.echo(
            f"{record.step.value:>13}{where}: {record.status}{detail} ({record.seconds:.2f} s)",
            err=True,
        )


def print_plan(prepared: PreparedImport) -> None:
    """The plan, as a person reads it (stdout)."""
    summary = prepared.summary()
    items = summary["items"]
    click.echo(
        f"{prepared.operation.value.capitalize()} from {prepared.source} to {prepared.target}: "
        f"{items['create']} created, {items['update']} updated, {items['delete']} deleted, "
        f"{prepared.unchanged} unchanged."
    )
    changes = [c for c in prepared.items if c.change != "none" or c.note]
    for change in changes[:SHOWN_CHANGES]:
        click.echo(f"  {change.change:<6} {change.item_type} {change.alias!r}  {change.path}")
        if change.note:
            click.echo(f"         {change.note}")
    if len(changes) > SHOWN_CHANGES:
        click.echo(f"  ... and {len(changes) - SHOWN_CHANGES} more (--json lists them all)")
    for file in prepared.files:
        click.echo(f"  {file.change:<6} {file.scope.value} file  {file.path}")
    print_findings(prepared)
    for note in prepared.notes:
        click.echo(f"  note: {note}")
    for problem in prepared.problems:
        click.echo(f"  problem: {problem}")


def print_findings(prepared: PreparedImport, *, err: bool = False) -> None:
    findings = prepared.request.findings
    if not findings:
        click.echo("No damaging-change findings.", err=err)
        return
    click.echo(f"Findings, most severe first ({len(findings)}):", err=err)
    for finding in findings:
        acknowledged = " (acknowledged)" if finding.acknowledged else ""
        click.echo(
            f"  [{finding.severity.value}] {finding.code} {finding.message}{acknowledged}", err=err
        )


class TerminalAsker:
    """Asks at the terminal, and takes an answer given in the dashboard meanwhile."""

    def __call__(self, prepared: PreparedImport, elsewhere: Poll) -> Decision:
        print_findings(prepared, err=True)
        click.echo(
            f"{prepared.request.question}\n"
            "  [r] take a restore point and continue (default)\n"
            "  [c] continue without a restore point\n"
            "  [a] abort: change nothing\n"
            "(or answer in the target's dashboard) > ",
            err=True,
            nl=False,
        )
        while True:
            answer = elsewhere()
            if answer is not None:
                click.echo(
                    f"\nanswered elsewhere by {answer.decided_by}: {answer.choice.value}", err=True
                )
                return answer
            ready, _, _ = select.select([sys.stdin], [], [], POLL_SECONDS)
            if not ready:
                continue
            line = sys.stdin.readline()
            choice = Choice.ABORT if line == "" else _CHOICES.get(line.strip().lower() or "r")
            if choice is None:
                click.echo("type r, c or a > ", err=True, nl=False)
                continue
            return Decision(
                choice=choice,
                decided_by=current_user(),
                reason="answered at the terminal",
            )


class PlanKeeper:
    """Keeps the prepared plan (for ``--json``) and prints it for people."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json
        self.plan: PreparedImport | None = None

    def __call__(self, prepared: PreparedImport) -> None:
        self.plan = prepared
        if not self.as_json:
            print_plan(prepared)


def publish_run(yes: bool, no_input: bool, as_json: bool) -> tuple[PublishRun, PlanKeeper]:
    """The run of one push, pull or import from this terminal, and what keeps its plan."""
    keeper = PlanKeeper(as_json)
    run = PublishRun(
        answering=answering_for(yes, no_input),
        who=current_user(),
        steps=Steps(step_listener(as_json)),
        progress=progress_for(as_json),
        on_plan=keeper,
    )
    return run, keeper


def finish(result: PublishResult, keeper: PlanKeeper, as_json: bool) -> None:
    """The result: JSON (with the plan) or lines; exit 1 when some changes failed."""
    if as_json:
        plan = keeper.plan.report() if keeper.plan is not None else None
        emit_json({"plan": plan, "result": result.model_dump(mode="json")})
    report_result(result, print_result=not as_json)


def report_result(result: PublishResult, *, print_result: bool) -> None:
    """The result for people (stdout, unless ``--json`` printed it), then exit 1 when some
    changes failed."""
    if print_result:
        _print_result(result)
    if result.outcome is PublishOutcome.PARTIAL:
        raise PartialFailure(
            f"{plural(result.failed, 'change')} failed to write ({result.written} written); "
            f"the result lists each error; undo with 'undo {result.operation_id}'"
        )


def _print_result(result: PublishResult) -> None:
    verb = {"push": "Pushed", "pull": "Pulled", "import": "Imported"}[result.operation.value]
    if result.outcome is PublishOutcome.UNCHANGED:
        click.echo(f"Nothing to {result.operation.value}: {result.target} already holds it all.")
        return
    click.echo(
        f"{verb} {result.source} to {result.target}: {plural(result.written, 'file')} written"
        + (f", {result.failed} failed" if result.failed else "")
        + "."
    )
    for change in result.changes:
        if change.outcome == "failed":
            click.echo(f"  failed {change.path}: {change.error}")
    if result.restore_point:
        click.echo(f"Restore point on the target: {result.restore_point}")
    if result.operation_id:
        click.echo(f"Operation {result.operation_id} (undo it with: undo {result.operation_id})")
