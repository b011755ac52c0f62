"""What every prepared operation has in common: a value that can be printed, stored and executed.

Each operation's plan extends ``PreparedOperation`` with its own changes and inputs.
A plan is plain data: it can be written as JSON, shown in a browser, kept in the
pending-plan store while a person decides, and executed by another process,
which first checks the token still fits the site.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel, Field

from publisher_restore.operations.decisions import DecisionRequest, OperationKind


class PreparedOperation(BaseModel):
    """The part of a plan every operation shares."""

    operation: OperationKind
    token: str
    """Fingerprint of the inputs (``sha256:...``); execute refuses when it no longer fits."""
    prepared_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    source: str
    """Where the changes come from, in words (``restore point 2026...``)."""
    request: DecisionRequest
    """What must be decided before it executes."""
