"""What an operation asks before it changes a site, and the answers it accepts.

A prepared operation carries a ``DecisionRequest``; the ``decide_damaging_change``
hook (or a person, through a terminal or a browser) answers it with a ``Decision``.
A terminal prompt, a dashboard form and ``--yes`` are three ways of giving the same
answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from publisher_restore.analyser.findings import Finding, Severity


class OperationKind(StrEnum):
    """The operations that write a site and so ask for a decision first."""

    RESTORE = "restore"
    PUSH = "push"
    PULL = "pull"
    IMPORT = "import"
    UNDO = "undo"


class Choice(StrEnum):
    """The answers to a decision request."""

    RESTORE_POINT = "restore-point"
    """Take a restore point of the target, then continue."""
    CONTINUE = "continue"
    """Continue without a restore point."""
    ABORT = "abort"
    """Stop; nothing is changed."""
    PROMPT = "prompt"
    """Ask a person (a terminal prompt, the dashboard); never an answer to execute with."""


FINAL_CHOICES = (Choice.RESTORE_POINT, Choice.CONTINUE, Choice.ABORT)


class Decision(BaseModel):
    """One answer: the choice, who gave it and why."""

    model_config = ConfigDict(frozen=True)

    choice: Choice
    decided_by: str = ""
    """``policy``, a plugin's name, ``--yes``, ``user@host``: shown in results and history."""
    reason: str = ""
    include_media: bool = False
    """For the restore point of a push, pull or import; a restore's pre-restore point always
    covers the scopes the restore replaces."""

    @property
    def is_final(self) -> bool:
        """True unless it asks a person to decide."""
        return self.choice is not Choice.PROMPT


class DecisionRequest(BaseModel):
    """What must be decided before an operation executes, with the findings behind it."""

    model_config = ConfigDict(frozen=True)

    operation: OperationKind
    question: str
    findings: list[Finding] = Field(default_factory=list)
    """The analyser's findings, most severe first."""
    highest: Severity | None = None
    """The most severe unacknowledged finding, None when there is none."""
    changes: int = 0
    """How many items or files the operation changes."""
    default: Choice = Choice.RESTORE_POINT
    """The safe answer (what ``--yes`` gives)."""

    @classmethod
    def build(
        cls, operation: OperationKind, question: str, findings: Sequence[Finding], changes: int
    ) -> DecisionRequest:
        """A request whose findings are sorted most severe first."""
        ordered = sorted(findings, key=lambda f: -f.severity.rank)
        open_ = [f.severity for f in ordered if not f.acknowledged]
        return cls(
            operation=operation,
            question=question,
            findings=ordered,
            highest=max(open_, key=lambda s: s.rank) if open_ else None,
            changes=changes,
        )

    def reaches(self, threshold: Severity) -> bool:
        """True when an unacknowledged finding is at or above ``threshold``."""
        return self.highest is not None and self.highest.rank >= threshold.rank
