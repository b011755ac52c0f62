"""Fingerprints, acknowledgements, severity overrides and ready-to-paste suggestions."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from publisher_restore.analyser.findings import Acknowledged, Finding, Severity
from publisher_restore.analyser.settings import Acknowledgement, AnalyserSettings


def fingerprint(finding: Finding) -> str:
    """Code + item key + property key + what changed: stable while the change is the same."""
    item = finding.item_key or f"{finding.item_type}:{finding.item_alias.casefold()}"
    prop = finding.property_key or (finding.property_alias or "").casefold()
    payload = json.dumps([finding.code, item, prop, finding.detail], sort_keys=True, default=str)
    return f"{finding.code}:{hashlib.sha256(payload.encode()).hexdigest()[:16]}"


def _matches(ack: Acknowledgement, finding: Finding, today: date) -> bool:
    if ack.fingerprint != finding.fingerprint:
        return False
    if ack.expires is not None and today > ack.expires:
        return False
    if ack.max_values is None and ack.max_items is None:
        return True
    impact = finding.impact
    if impact is None:
        return False  # a ceiling cannot be checked without a count: do not wave it through
    within_values = ack.max_values is None or impact.values <= ack.max_values
    return within_values and (ack.max_items is None or impact.items <= ack.max_items)


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
    if settings.downgrade_zero_impact and impact is not None and not impact.values + impact.items:
        severity = severity.lowered()
    if severity is not finding.severity:
        update |= {"severity": severity, "original_severity": finding.severity}
    finding = finding.model_copy(update=update)
    for ack in settings.acknowledgements:
        if _matches(ack, finding, today):
            expires = ack.expires.isoformat() if ack.expires else None
            note = Acknowledged(reason=ack.reason, expires=expires)
            return finding.model_copy(update={"acknowledged": True, "acknowledgement": note})
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
