"""The damaging-change analyser: compares current and incoming uSync items by the catalogue."""

from __future__ import annotations

from publisher_restore.analyser.engine import analyse_sets, run_rules
from publisher_restore.analyser.findings import (
    AnalysisProblem,
    AnalysisResult,
    Finding,
    Impact,
    Semantics,
    Severity,
    Summary,
)
from publisher_restore.analyser.settings import Acknowledgement, AnalyserSettings
from publisher_restore.analyser.sides import ItemSource, SimpleItemSource

__all__ = [
    "Acknowledgement",
    "AnalyserSettings",
    "AnalysisProblem",
    "AnalysisResult",
    "Finding",
    "Impact",
    "ItemSource",
    "Semantics",
    "Severity",
    "SimpleItemSource",
    "Summary",
    "analyse_sets",
    "run_rules",
]
