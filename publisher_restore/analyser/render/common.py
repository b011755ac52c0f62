"""Wording shared by the human-facing renderers."""

from __future__ import annotations

from publisher_restore.analyser.findings import INVARIANT, Finding, Severity

SEVERITY_ORDER = (Severity.DAMAGING, Severity.RISKY, Severity.NOTICE)


def impact_label(finding: Finding) -> str:
    """'11 values / 6 items (en-US 6, da 5)', 'not counted', or '3 items'."""
    impact = finding.impact
    if impact is None:
        return "not counted"
    text = f"{impact.items} item{'s' if impact.items != 1 else ''}"
    if impact.values:
        text = f"{impact.values} value{'s' if impact.values != 1 else ''} / {text}"
    cultures = [f"{c} {n}" for c, n in impact.cultures.items() if c != INVARIANT]
    return f"{text} ({', '.join(cultures)})" if cultures else text


def subject(finding: Finding) -> str:
    """'blogpost.pageTitle' or 'blogpost'."""
    if finding.property_alias:
        return f"{finding.item_alias}.{finding.property_alias}"
    return finding.item_alias


def grading_note(finding: Finding) -> str:
    """Why a finding's severity is not its default one, or ''."""
    if finding.original_severity is None:
        return ""
    return f" (configured: was {finding.original_severity.value})"
