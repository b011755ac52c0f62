"""Markdown report, for a pull-request comment."""

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

ICONS = {"damaging": ":red_circle:", "risky": ":orange_circle:", "notice": ":white_circle:"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _row(finding: Finding) -> str:
    ack = ""
    if finding.acknowledgement is not None:
        ack = f" **Acknowledged:** {_cell(finding.acknowledgement.reason)}"
    elif finding.lapsed_acknowledgement is not None:
        note = _cell(lapsed_note(finding))
        ack = f" **{note[:1].upper()}{note[1:]}**"
    return (
        f"| {finding.code} | `{_cell(subject(finding))}` | {impact_label(finding)} | "
        f"{_cell(finding.message)}{grading_note(finding)}{ack} | `{_cell(finding.path or '')}` |"
    )


def render_markdown(result: AnalysisResult, rules: Sequence[Rule] = ()) -> str:
    """A heading, a one-line summary and one table per severity."""
    summary = result.summary
    lines = ["## Damaging-change analysis", ""]
    counts = ", ".join(f"{ICONS[s]} {n} {s}" for s, n in summary.by_severity.items())
    lines += [f"{summary.total} findings: {counts} ({summary.acknowledged} acknowledged).", ""]
    for severity in SEVERITY_ORDER:
        group = [f for f in result.findings if f.severity is severity]
        if not group:
            continue
        lines += [
            f"### {ICONS[severity.value]} {severity.value.capitalize()} ({len(group)})",
            "",
            "| Code | Item | Impact | What happens | File |",
            "|---|---|---|---|---|",
        ]
        lines += [_row(f) for f in group]
        lines.append("")
    if result.problems:
        lines += [f"### Unreadable files ({len(result.problems)})", ""]
        lines += [f"- {p.side}: `{p.path}`: {_cell(p.problem)}" for p in result.problems]
        lines.append("")
    return "\n".join(lines)
