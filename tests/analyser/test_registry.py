"""Rules arrive through the plugin hook; the catalogue is complete; duplicates are refused."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

import pluggy
import pytest

from publisher_restore.analyser import analyse_sets
from publisher_restore.analyser.context import AnalysisContext, Subject
from publisher_restore.analyser.findings import Finding, Severity
from publisher_restore.analyser.registry import RuleRegistrationError, RuleRegistry, collect_rules
from publisher_restore.analyser.rules.base import Rule
from publisher_restore.analyser.sides import SimpleItemSource
from publisher_restore.hookspecs import hookimpl
from publisher_restore.plugin_manager import build_plugin_manager
from tests.analyser.helpers import REPO, base_items, without_property
from tests.shared_folder import SHARED

CATALOGUE = SHARED / "docs" / "damaging-changes.md"


def _catalogue_codes(path: Path) -> dict[str, str]:
    rows = re.findall(r"^\| (DC\d{3}) \| (\w+) \|", path.read_text(encoding="utf-8"), re.M)
    return dict(rows)


def test_builtin_plugin_registers_every_catalogue_code_at_its_severity() -> None:
    rules = collect_rules(build_plugin_manager(load_entry_points=False))
    registered = {rule.code: rule.severity.value for rule in rules}
    assert registered == _catalogue_codes(CATALOGUE)
    assert registered == _catalogue_codes(REPO / "docs" / "damaging-changes.md")
    for rule in rules:
        assert rule.title and rule.why


class _ThirdPartyRule(Rule):
    code = "XY901"
    severity = Severity.NOTICE
    title = "Everything is noted"
    why = "A test plugin's rule."

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One notice per paired content type."""
        for pair in ctx.pairing.pairs:
            if pair.current.item_type == "ContentType":
                yield self.finding(Subject(pair.current, pair.incoming), "noted")


class _Plugin:
    def __init__(self, *rules: Rule) -> None:
        self.rules = rules

    @hookimpl
    def register_analyser_rules(self, register: Callable[..., None]) -> None:
        for rule in self.rules:
            register(rule)


def _pm_with(plugin: object) -> pluggy.PluginManager:
    pm = build_plugin_manager(load_entry_points=False)
    pm.register(plugin, name="test-plugin")
    return pm


def test_a_plugin_rule_runs_beside_the_builtin_ones() -> None:
    pm = _pm_with(_Plugin(_ThirdPartyRule()))
    items = SimpleItemSource(base_items())
    result = analyse_sets(items, items, semantics="import", pm=pm)
    assert {f.code for f in result.findings} == {"XY901"}
    assert len(result.findings) == 7


def test_a_code_registered_twice_is_an_error() -> None:
    pm = _pm_with(_Plugin(_ThirdPartyRule(), _ThirdPartyRule()))
    with pytest.raises(RuleRegistrationError, match="XY901 is registered twice"):
        collect_rules(pm)

    class Clash(_ThirdPartyRule):
        code = "DC101"

    with pytest.raises(RuleRegistrationError, match="DC101 is registered twice"):
        collect_rules(_pm_with(_Plugin(Clash())))


def test_a_rule_without_code_or_severity_is_refused() -> None:
    registry = RuleRegistry()
    with pytest.raises(RuleRegistrationError, match="no valid code"):
        registry.register(object())

    class NoSeverity:
        code = "XY902"

        def check(self, ctx: AnalysisContext) -> list[Finding]:
            return []

    with pytest.raises(RuleRegistrationError, match="XY902 has no Severity"):
        registry.register(NoSeverity())


def test_analyse_sets_is_the_api_check_uses() -> None:
    current = SimpleItemSource(base_items())
    incoming = SimpleItemSource(tuple(without_property("pageBase", "pageTitle")))
    result = analyse_sets(current, incoming, semantics="complete")
    assert [f.code for f in result.findings] == ["DC101"]
    shape = result.findings[0].model_dump(mode="json")
    for key in (
        "code",
        "severity",
        "item_type",
        "item_key",
        "item_alias",
        "property_alias",
        "message",
        "detail",
        "impact",
        "acknowledged",
        "fingerprint",
        "path",
    ):
        assert key in shape
    assert {"items", "values", "cultures"} <= set(shape["impact"])
    assert result.summary.by_severity == {"damaging": 1, "risky": 0, "notice": 0}
