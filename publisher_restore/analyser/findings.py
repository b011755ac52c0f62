"""The analyser's result values: severities, impact, findings and the whole result."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Semantics = Literal["import", "complete"]


class Severity(StrEnum):
    """Catalogue severities, from most to least serious."""

    DAMAGING = "damaging"
    RISKY = "risky"
    NOTICE = "notice"

    @property
    def rank(self) -> int:
        """3 for damaging, 2 for risky, 1 for notice."""
        return _RANKS[self]

    def lowered(self) -> Severity:
        """One level less serious (notice stays notice)."""
        return {Severity.DAMAGING: Severity.RISKY}.get(self, Severity.NOTICE)


_RANKS = {Severity.DAMAGING: 3, Severity.RISKY: 2, Severity.NOTICE: 1}

INVARIANT = "invariant"


class Impact(BaseModel):
    """What a finding hits on the current site: items, non-empty values, values per culture.

    Values held in blocks (Block List, Block Grid, Nested Content, rich-text blocks) count in
    ``values`` and ``cultures`` too; ``block_values`` says how many of them sit in ``blocks``
    blocks on ``block_items`` of the ``items``.  ``held_blocks``/``held_values`` are what the
    counted values hold inside them (a lost block value takes its blocks along).
    """

    model_config = ConfigDict(frozen=True)

    items: int = 0
    values: int = 0
    cultures: dict[str, int] = Field(default_factory=dict)
    blocks: int = 0
    block_values: int = 0
    block_items: int = 0
    held_blocks: int = 0
    held_values: int = 0

    @property
    def is_zero(self) -> bool:
        """Nothing hit at all: no item, value or block."""
        return not (self.items or self.values or self.blocks or self.held_blocks)


class Acknowledged(BaseModel):
    """The configured acknowledgement a finding matched."""

    model_config = ConfigDict(frozen=True)

    reason: str
    expires: str | None = None


class LapsedAcknowledgement(BaseModel):
    """An acknowledgement whose fingerprint matches but which no longer covers the finding."""

    model_config = ConfigDict(frozen=True)

    reason: str
    expires: str | None = None
    why: str
    """'expired on 2025-01-31', or the ceiling the impact now exceeds."""


class Finding(BaseModel):
    """One damaging change, in the catalogue's JSON shape."""

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    item_type: str
    item_key: str | None
    item_alias: str
    property_alias: str | None = None
    message: str
    detail: dict[str, Any] = Field(default_factory=dict)
    impact: Impact | None = None
    acknowledged: bool = False
    fingerprint: str = ""
    path: str | None = None
    property_key: str | None = None
    original_severity: Severity | None = None
    acknowledgement: Acknowledged | None = None
    lapsed_acknowledgement: LapsedAcknowledgement | None = None


class AnalysisProblem(BaseModel):
    """A file on one side that could not be read; the analysis went on without it."""

    model_config = ConfigDict(frozen=True)

    side: Literal["current", "incoming"]
    path: str
    line: int | None = None
    problem: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{self.side}: {where}: {self.problem}"


class Summary(BaseModel):
    """Counts of findings by severity and code, and the worst unacknowledged severity."""

    total: int = 0
    by_severity: dict[str, int] = Field(default_factory=dict)
    by_code: dict[str, int] = Field(default_factory=dict)
    acknowledged: int = 0
    highest: Severity | None = None
    problems: int = 0


class AnalysisResult(BaseModel):
    """Findings (sorted: severity, then impact), their summary and per-file problems."""

    semantics: Semantics
    findings: list[Finding] = Field(default_factory=list)
    summary: Summary = Field(default_factory=Summary)
    problems: list[AnalysisProblem] = Field(default_factory=list)

    def blocking(self, fail_on: Severity) -> list[Finding]:
        """Unacknowledged findings at or above ``fail_on``."""
        return [f for f in self.findings if not f.acknowledged and f.severity.rank >= fail_on.rank]


def summarise(findings: list[Finding], problems: int) -> Summary:
    """The summary block of a result."""
    by_severity = {s.value: 0 for s in Severity}
    by_code: dict[str, int] = {}
    for finding in findings:
        by_severity[finding.severity.value] += 1
        by_code[finding.code] = by_code.get(finding.code, 0) + 1
    open_ = [f.severity for f in findings if not f.acknowledged]
    return Summary(
        total=len(findings),
        by_severity=by_severity,
        by_code=dict(sorted(by_code.items())),
        acknowledged=sum(1 for f in findings if f.acknowledged),
        highest=max(open_, key=lambda s: s.rank) if open_ else None,
        problems=problems,
    )
