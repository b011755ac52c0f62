"""Wording shared by the human-facing renderers."""

from __future__ import annotations

from publisher_restore.analyser.findings import INVARIANT, Finding, Severity
from publisher_restore.analyser.wording import counted

SEVERITY_ORDER = (Severity.DAMAGING, Severity.RISKY, Severity.NOTICE)


def impact_label(finding: Finding) -> str:
    """'11 values / 6 items (en-US 6, da 5)', '26 values in 11 blocks / 9 items', 'not counted'."""
    impact = finding.impact
    if impact is None:
        return "not counted"
    text = counted(impact.items, "item")
    if impact.blocks:
        blocks = counted(impact.blocks, "block")
        if impact.block_values == impact.values:
            where = f" in {blocks}"
        else:
            where = f" ({impact.block_values} in {blocks})"
        text = f"{counted(impact.values, 'value')}{where} / {text}"
    elif impact.values:
        text = f"{counted(impact.values, 'value')} / {text}"
    if impact.held_blocks:
        inner = counted(impact.held_values, "value")
        text += f", holding {counted(impact.held_blocks, 'block')} with {inner}"
    cultures = [f"{c} {n}" for c, n in impact.cultures.items() if c != INVARIANT]
    return f"{text} ({', '.join(cultures)})" if cultures else text


def lapsed_note(finding: Finding) -> str:
    """'acknowledgement expired on 2025-01-31: <reason>', or '' when none lapsed."""
    lapsed = finding.lapsed_acknowledgement
    if lapsed is None:
        return ""
    return f"acknowledgement no longer applies ({lapsed.why}): {lapsed.reason}"


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
