"""The values hooks receive: one context per operation, its result, and the register callbacks.

``hookspecs`` names these types; plugins import them from ``publisher_restore``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import BaseModel, Field

from publisher_restore.analyser.rules.base import Rule
from publisher_restore.operations.decisions import Decision, OperationKind
from publisher_restore.operations.history import ChangeRecord
from publisher_restore.operations.import_plan import PreparedImport
from publisher_restore.operations.steps import StepRecord
from publisher_restore.restore.manifest import Manifest
from publisher_restore.restore.plan import RestorePlan
from publisher_restore.site import Site
from publisher_restore.storage.registry import StorageFactory

RegisterStorageProvider = Callable[[str, StorageFactory], None]
"""``register(name, factory)``: ``name`` keys the provider's ``uSync:Restore:Storage`` section."""

RegisterAnalyserRule = Callable[[Rule], None]
"""``register(rule)``: one call per rule object, each carrying its catalogue code."""


@dataclass(frozen=True)
class RestoreContext:
    """What the restore hooks receive: the site, the restore point and the plan being applied."""

    site: Site
    point: Manifest
    plan: RestorePlan


class RestoreResult(BaseModel):
    """The outcome of a restore, as ``restore --json`` prints it."""

    restore_point: str
    pre_restore_point: str | None = None
    written: int = 0
    deleted: int = 0
    recovered: str | None = None
    error: str | None = None
    summary: dict[str, object] = Field(default_factory=dict)


@dataclass(frozen=True)
class DecisionContext:
    """What ``decide_damaging_change`` knows besides the request: which site, which operation."""

    site: Site
    """The target: the site the operation writes (its settings hold the policy)."""
    operation: OperationKind
    source: str
    """Where the changes come from, in words (``restore point 2026...``, a pack, a site)."""
    plan_token: str
    """The prepared plan's token: the answer applies to this plan only."""


class PublishOutcome(StrEnum):
    """How a push, pull or import ended."""

    SUCCEEDED = "succeeded"
    PARTIAL = "partial"
    """Some changes failed (or were not attempted after one failed under ``StopOnError``)."""
    FAILED = "failed"
    VETOED = "vetoed"
    UNCHANGED = "unchanged"
    """The target already held everything: nothing was decided, written or recorded."""


@dataclass
class PublishContext:
    """What the push, pull and import hooks receive (the target side of the operation).

    ``take_restore_point()`` takes the restore point of the target (once; the built-in
    restore-point plugin calls it from ``before_push``/``before_pull``/``before_import``
    when ``decision.choice`` is ``restore-point``); ``restore_point`` is the one taken.
    """

    site: Site
    """The target: the site being written."""
    operation: OperationKind
    source: str
    plan: PreparedImport
    decision: Decision
    taker: Callable[[], Manifest] = field(repr=False)
    restore_point: Manifest | None = None

    def take_restore_point(self) -> Manifest:
        """Take the target's restore point for this operation (only once)."""
        if self.restore_point is None:
            self.restore_point = self.taker()
        return self.restore_point


class PublishResult(BaseModel):
    """The outcome of a push, pull or import, as ``--json`` prints it."""

    operation: OperationKind
    operation_id: str | None = None
    """The history record (None when nothing was written, so nothing was recorded)."""
    source: str
    target: str
    outcome: PublishOutcome = PublishOutcome.SUCCEEDED
    decision: Decision | None = None
    restore_point: str | None = None
    written: int = 0
    failed: int = 0
    not_attempted: int = 0
    changes: list[ChangeRecord] = Field(default_factory=list)
    steps: list[StepRecord] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    error: str | None = None
