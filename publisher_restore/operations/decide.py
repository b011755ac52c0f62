"""Asking the ``decide_damaging_change`` hook, and checking the answer a plugin gave."""

from __future__ import annotations

from publisher_restore.errors import OperationCancelled, PublisherRestoreError
from publisher_restore.lifecycle import Lifecycle
from publisher_restore.operations.contexts import DecisionContext
from publisher_restore.operations.decisions import Choice, Decision, DecisionRequest


class DecisionError(PublisherRestoreError):
    """A plugin answered ``decide_damaging_change`` with something that is not a decision."""


def ask_plugins(
    lifecycle: Lifecycle, context: DecisionContext, request: DecisionRequest
) -> Decision | None:
    """The first plugin's decision (the built-in policy answers last), None when none answers."""
    answer = lifecycle.decide_damaging_change(context, request)
    if answer is None or isinstance(answer, Decision):
        return answer
    if isinstance(answer, Choice):
        return Decision(choice=answer, decided_by="plugin")
    raise DecisionError(
        f"a decide_damaging_change plugin answered {answer!r} for the {context.operation.value}; "
        "expected a publisher_restore.Decision (or None); nothing was changed"
    )


def refuse_unless_final(decision: Decision, what: str) -> None:
    """Execute needs a final answer: abort stops here, prompt must be answered first."""
    if decision.choice is Choice.ABORT:
        by = f" by {decision.decided_by}" if decision.decided_by else ""
        why = f": {decision.reason}" if decision.reason else ""
        raise OperationCancelled(f"{what} aborted{by}{why}; nothing was changed")
    if decision.choice is Choice.PROMPT:
        raise DecisionError(
            f"{what} needs a person's answer (restore point / continue / abort) before it "
            "can execute; nothing was changed"
        )
