"""The values hooks receive: one context per operation, its result, and the register callbacks.

``hookspecs`` names these types; plugins import them from ``publisher_restore``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, Field

from publisher_restore.analyser.rules.base import Rule
from publisher_restore.operations.decisions import OperationKind
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
