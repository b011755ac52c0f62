"""Runs every registered rule over two item sets and settles the findings."""

from __future__ import annotations

from datetime import date

import pluggy

from publisher_restore.analyser.acks import apply_settings
from publisher_restore.analyser.context import AnalysisContext
from publisher_restore.analyser.findings import (
    AnalysisProblem,
    AnalysisResult,
    Finding,
    Semantics,
    summarise,
)
from publisher_restore.analyser.registry import collect_rules
from publisher_restore.analyser.rules import builtin_rules
from publisher_restore.analyser.rules.base import Rule
from publisher_restore.analyser.settings import AnalyserSettings
from publisher_restore.analyser.sides import ItemSource, Side


def analyse_sets(
    current: ItemSource,
    incoming: ItemSource,
    *,
    semantics: Semantics,
    settings: AnalyserSettings | None = None,
    pm: pluggy.PluginManager | None = None,
    today: date | None = None,
) -> AnalysisResult:
    """Compare the items the target has now with the items about to be imported over it.

    ``semantics="import"``: only Empty Delete and Clean markers delete (a push, a sync pack).
    ``semantics="complete"``: the incoming set is the whole desired state (a restore, two
    whole exports); what it lacks is deleted.  Without ``pm``, the built-in rules only: the
    plugin manager is the runtime's to build, once per process.
    """
    rules = builtin_rules() if pm is None else collect_rules(pm)
    return run_rules(current, incoming, semantics, rules, settings, today)


def run_rules(
    current: ItemSource,
    incoming: ItemSource,
    semantics: Semantics,
    rules: list[Rule],
    settings: AnalyserSettings | None = None,
    today: date | None = None,
) -> AnalysisResult:
    """The analysis with an explicit rule list (no plugin manager)."""
    ctx = AnalysisContext(Side.build(current), Side.build(incoming), semantics)
    return analyse_context(ctx, rules, settings, today)


def analyse_context(
    ctx: AnalysisContext,
    rules: list[Rule],
    settings: AnalyserSettings | None = None,
    today: date | None = None,
) -> AnalysisResult:
    """Run the rules over a built context (the publisher writes from the same pairing)."""
    config = settings or AnalyserSettings()
    semantics = ctx.semantics
    raw: list[Finding] = []
    for rule in rules:
        if rule.code not in config.disabled:
            raw.extend(rule.check(ctx))
    findings = apply_settings(raw, config, today)
    problems = [
        AnalysisProblem(side=side_name, path=p.path, line=p.line, problem=p.problem)
        for side_name, side in (("current", ctx.current), ("incoming", ctx.incoming))
        for p in side.problems
    ]
    return AnalysisResult(
        semantics=semantics,
        findings=findings,
        summary=summarise(findings, len(problems)),
        problems=problems,
    )
