"""Turning a ``prompt`` decision into an answer: ``--yes``, a person, or a clear stop.

- ``--yes`` answers with the safe choice: take a restore point, then continue.
- With someone to ask (a terminal, and no ``--no-input``), the operation is kept in the
  target's pending-plan store while the person is asked, so the target's dashboard can
  answer it too; the first answer wins.
- With nobody to ask and no ``--yes``: when an unacknowledged finding reaches the target
  policy's ``Threshold``, the operation stops with ``DecisionRequiredError`` (exit 13) and
  the target is untouched; below it, it continues without a restore point.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from publisher_restore.analyser.wording import counted
from publisher_restore.errors import DecisionRequiredError
from publisher_restore.operations.decisions import Choice, Decision
from publisher_restore.operations.import_plan import PreparedImport

Poll = Callable[[], Decision | None]
"""Returns the answer someone else gave (the dashboard), or None while there is none."""


class Asker(Protocol):
    """Asks a person; returns their answer, or the one ``elsewhere`` reports first."""

    def __call__(self, prepared: PreparedImport, elsewhere: Poll) -> Decision: ...


class PendingAnswers(Protocol):
    """Where an operation waits while a person decides (the target's pending-plan store)."""

    def hold(self, prepared: PreparedImport) -> None: ...

    def answered(self) -> Decision | None: ...

    def record_answer(self, decision: Decision) -> Decision:
        """Record ``decision``; returns the answer that won (an earlier one wins)."""
        ...


@dataclass(frozen=True)
class Answering:
    """Who may answer a prompt: ``--yes``, and a person (None: nobody can be asked)."""

    yes: bool = False
    ask: Asker | None = None


def resolve(
    decision: Decision, prepared: PreparedImport, answering: Answering, pending: PendingAnswers
) -> Decision:
    """A final decision for ``prepared`` (see the module docstring)."""
    if decision.is_final:
        return decision
    if answering.yes:
        return Decision(
            choice=Choice.RESTORE_POINT,
            decided_by="--yes",
            reason=f"the safe answer to the prompt ({decision.reason or decision.decided_by})",
            include_media=decision.include_media,
        )
    if answering.ask is not None:
        pending.hold(prepared)
        answer = pending.record_answer(answering.ask(prepared, pending.answered))
        if answer.choice is Choice.RESTORE_POINT and decision.include_media:
            answer = answer.model_copy(update={"include_media": True})  # the policy's media
        return answer
    threshold = prepared.threshold
    if not prepared.request.reaches(threshold):
        return Decision(
            choice=Choice.CONTINUE,
            decided_by=decision.decided_by or "policy",
            reason=f"nobody to ask and no finding at or above {threshold.value}",
            include_media=decision.include_media,
        )
    raise DecisionRequiredError(stop_message(prepared, decision))


def stop_message(prepared: PreparedImport, decision: Decision) -> str:
    """Why the operation stopped, what reached the threshold, and what to do."""
    reaching = [
        f
        for f in prepared.request.findings
        if not f.acknowledged and f.severity.rank >= prepared.threshold.rank
    ]
    first = reaching[0]
    more = f" and {len(reaching) - 1} more" if len(reaching) > 1 else ""
    why = decision.reason or f"{decision.decided_by} asked for a person"
    return (
        f"{prepared.operation.value} to {prepared.target} stopped: it needs a decision ({why}) "
        "and nobody can be asked (no terminal, or --no-input); "
        f"{counted(len(reaching), 'finding')} at or above {prepared.threshold.value}: "
        f"{first.code} [{first.severity.value}] {first.message.rstrip('.')}{more}; "
        "rerun with --yes to take a restore point and continue, or on a terminal to choose; "
        "the target was not changed"
    )
