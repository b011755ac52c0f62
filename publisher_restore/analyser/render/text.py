"""Plain-text report: grouped by severity, biggest impact first."""

from __future__ import annotations

from collections.abc import Sequence

from publisher_restore.analyser.findings import AnalysisResult, Finding
from publisher_restore.analyser.render.common import (
    SEVERITY_ORDER,
    grading_note,
    impact_label,
    lapsed_note,
    subject,
)
from publisher_restore.analyser.rules.base import Rule


def _finding_lines(finding: Finding) -> list[str]:
    lines = [
        f"  [{impact_label(finding)}] {finding.code} {subject(finding)}{grading_note(finding)}",
        f"      {finding.message}",
        f"      at {finding.path or '-'}  fingerprint {finding.fingerprint}",
    ]
    if finding.acknowledgement is not None:
        until = (
            f" until {finding.acknowledgement.expires}" if finding.acknowledgement.expires else ""
        )
        lines.append(f"      acknowledged{until}: {finding.acknowledgement.reason}")
    if finding.lapsed_acknowledgement is not None:
        lines.append(f"      {lapsed_note(finding)}")
    return lines


def render_text(result: AnalysisResult, rules: Sequence[Rule] = ()) -> str:
    """The report for a terminal."""
    lines: list[str] = []
    for severity in SEVERITY_ORDER:
        group = [f for f in result.findings if f.severity is severity]
        if group:
            lines.append(f"{severity.value.upper()} ({len(group)})")
            for finding in group:
                lines.extend(_finding_lines(finding))
            lines.append("")
    if result.problems:
        lines.append(f"UNREADABLE FILES ({len(result.problems)})")
        lines.extend(
            f"  {p.side}: {p.path}{f':{p.line}' if p.line else ''}: {p.problem}"
            for p in result.problems
        )
        lines.append("")
    summary = result.summary
    counts = ", ".join(f"{n} {s}" for s, n in summary.by_severity.items())
    lines.append(
        f"{summary.total} findings ({counts}); {summary.acknowledged} acknowledged; "
        f"{summary.problems} unreadable files; {result.semantics} semantics."
    )
    return "\n".join(lines)
