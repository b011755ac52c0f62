"""SARIF 2.1.0: one rule per catalogue code, each result located at the incoming file."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from publisher_restore.analyser.findings import AnalysisResult, Finding, Severity
from publisher_restore.analyser.rules.base import Rule
from publisher_restore.version import __version__

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
CATALOGUE = "docs/damaging-changes.md"
LEVELS = {Severity.DAMAGING: "error", Severity.RISKY: "warning", Severity.NOTICE: "note"}


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": "".join(word.capitalize() for word in rule.title.replace("/", " ").split()),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.why},
        "help": {"text": f"{rule.code} in the damaging-change catalogue ({CATALOGUE})."},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"severity": rule.severity.value},
    }


def _result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "ruleId": finding.code,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": finding.path or "", "uriBaseId": "INCOMING"}
                }
            }
        ],
        "partialFingerprints": {"publisherRestore/v1": finding.fingerprint},
        "properties": {
            "severity": finding.severity.value,
            "item_type": finding.item_type,
            "item_key": finding.item_key,
            "item_alias": finding.item_alias,
            "property_alias": finding.property_alias,
            "impact": finding.impact.model_dump() if finding.impact else None,
        },
    }
    if finding.code in index:
        entry["ruleIndex"] = index[finding.code]
    if finding.acknowledgement is not None:
        entry["suppressions"] = [
            {"kind": "external", "justification": finding.acknowledgement.reason}
        ]
    if finding.lapsed_acknowledgement is not None:
        lapsed = finding.lapsed_acknowledgement
        entry["properties"]["lapsed_acknowledgement"] = lapsed.model_dump()
        entry["message"]["text"] += f" (Acknowledgement no longer applies: {lapsed.why}.)"
    return entry


def render_sarif(result: AnalysisResult, rules: Sequence[Rule] = ()) -> str:
    """A SARIF 2.1.0 log with one run."""
    codes = sorted({r.code for r in rules} | {f.code for f in result.findings})
    by_code = {r.code: r for r in rules}
    described = [by_code[c] for c in codes if c in by_code]
    index = {rule.code: i for i, rule in enumerate(described)}
    notifications = [
        {
            "level": "warning",
            "message": {"text": f"{p.side}: {p.problem}"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": p.path}}}],
        }
        for p in result.problems
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "publisher-restore",
                "version": __version__,
                "rules": [_rule(rule) for rule in described],
            }
        },
        "originalUriBaseIds": {"INCOMING": {"description": {"text": "the incoming folder"}}},
        "results": [_result(f, index) for f in result.findings],
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
    }
    return json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2)
