"""Every hand-made case in fixtures/analyser/cases: real XML through the real loader."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from publisher_restore.analyser import AnalysisResult, run_rules
from publisher_restore.analyser.loading import load_pair
from publisher_restore.analyser.rules import builtin_rules
from publisher_restore.analyser.sources import load_side
from tests.analyser.helpers import BASE, FIXTURES

CASES = sorted(p.name for p in (FIXTURES / "cases").iterdir() if p.is_dir())


def build_incoming(case: Path, target: Path, spec: dict[str, Any]) -> Path:
    """The base site with the case's removals and overlay applied."""
    shutil.copytree(BASE, target)
    usync = target / "uSync" / "v9"
    for relative in spec.get("remove", []):
        (usync / relative).unlink()
    overlay = case / "incoming"
    for path in overlay.rglob("*"):
        if path.is_file():
            destination = usync / path.relative_to(overlay)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
    return target


def _matches(result: AnalysisResult, expected: list[dict[str, Any]]) -> None:
    assert len(result.findings) == len(expected), [f.message for f in result.findings]
    for finding, want in zip(result.findings, expected, strict=True):
        assert finding.code == want["code"]
        assert finding.severity.value == want["severity"]
        if "property_alias" in want:
            assert finding.property_alias == want["property_alias"]
        for key, value in want.get("impact", {}).items():
            assert getattr(finding.impact, key) == value, (key, finding.message)


@pytest.mark.parametrize("name", CASES)
def test_fixture_case(name: str, tmp_path: Path) -> None:
    case = FIXTURES / "cases" / name
    spec = json.loads((case / "case.json").read_text(encoding="utf-8"))
    incoming = build_incoming(case, tmp_path / "incoming", spec)
    cur, inc = load_pair(BASE, incoming)
    lazy = run_rules(cur, inc, spec["semantics"], builtin_rules())
    full_cur, _ = load_side(BASE)
    full_inc, _ = load_side(incoming)
    full = run_rules(full_cur, full_inc, spec["semantics"], builtin_rules())
    for result in (lazy, full):
        _matches(result, spec["expect"])
        assert [[p.side, p.path] for p in result.problems] == spec.get("problems", [])
