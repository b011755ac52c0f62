"""Fingerprints, acknowledgements, severity overrides and ready-to-paste suggestions."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from publisher_restore.analyser.findings import (
    Acknowledged,
    Finding,
    LapsedAcknowledgement,
    Severity,
)
from publisher_restore.analyser.settings import Acknowledgement, AnalyserSettings


def fingerprint(finding: Finding) -> str:
    """Code + item key + property key + what changed: stable while the change is the same."""
    item = finding.item_key or f"{finding.item_type}:{finding.item_alias.casefold()}"
    prop = finding.property_key or (finding.property_alias or "").casefold()
    payload = json.dumps([finding.code, item, prop, finding.detail], sort_keys=True, default=str)
    return f"{finding.code}:{hashlib.sha256(payload.encode()).hexdigest()[:16]}"


def lapse(ack: Acknowledgement, finding: Finding, today: date) -> str | None:
    """Why a matching acknowledgement no longer covers the finding, or None when it does."""
    if ack.expires is not None and today > ack.expires:
        return f"expired on {ack.expires.isoformat()}"
    if ack.max_values is None and ack.max_items is None:
        return None
    impact = finding.impact
    if impact is None:
        return "its ceiling cannot be checked: the impact is not counted"
    if ack.max_values is not None and impact.values > ack.max_values:
        return f"the impact is {impact.values} values, over its MaxValues of {ack.max_values}"
    if ack.max_items is not None and impact.items > ack.max_items:
        return f"the impact is {impact.items} items, over its MaxItems of {ack.max_items}"
    return None


def apply_settings(
    findings: list[Finding], settings: AnalyserSettings, today: date | None = None
) -> list[Finding]:
    """Fingerprint, re-grade and acknowledge findings; returns them sorted for reading."""
    day = today or date.today()
    result = [_settle(f, settings, day) for f in findings]
    return sorted(result, key=_order)


def _settle(finding: Finding, settings: AnalyserSettings, today: date) -> Finding:
    update: dict[str, Any] = {"fingerprint": fingerprint(finding)}
    severity = settings.severity_overrides.get(finding.code, finding.severity)
    impact = finding.impact
    if settings.downgrade_zero_impact and impact is not None and impact.is_zero:
        severity = severity.lowered()
    if severity is not finding.severity:
        update |= {"severity": severity, "original_severity": finding.severity}
    finding = finding.model_copy(update=update)
    lapsed: LapsedAcknowledgement | None = None
    for ack in settings.acknowledgements:
        if ack.fingerprint != finding.fingerprint:
            continue
        expires = ack.expires.isoformat() if ack.expires else None
        why = lapse(ack, finding, today)
        if why is None:
            note = Acknowledged(reason=ack.reason, expires=expires)
            return finding.model_copy(update={"acknowledged": True, "acknowledgement": note})
        lapsed = lapsed or LapsedAcknowledgement(reason=ack.reason, expires=expires, why=why)
    if lapsed is not None:
        return finding.model_copy(update={"lapsed_acknowledgement": lapsed})
    return finding


def _order(finding: Finding) -> tuple[int, int, int, str, str, str]:
    impact = finding.impact
    values = impact.values if impact else -1
    items = impact.items if impact else -1
    return (
        -finding.severity.rank,
        -values,
        -items,
        finding.code,
        finding.item_alias.casefold(),
        finding.property_alias or "",
    )


def suggest(findings: list[Finding], minimum: Severity = Severity.NOTICE) -> dict[str, Any]:
    """A ``uSync:Restore:Analyser:Acknowledge`` block for the unacknowledged findings."""
    entries = []
    for finding in findings:
        if finding.acknowledged or finding.severity.rank < minimum.rank:
            continue
        entry: dict[str, Any] = {
            "Fingerprint": finding.fingerprint,
            "Reason": f"TODO: why this is intended - {finding.message}",
            "Expires": None,
        }
        if finding.impact is not None:
            entry["MaxValues"] = finding.impact.values
            entry["MaxItems"] = finding.impact.items
        entries.append(entry)
    return {"uSync": {"Restore": {"Analyser": {"Acknowledge": entries}}}}
