"""The four report formats."""

from __future__ import annotations

import json

from publisher_restore.analyser import AnalyserSettings
from publisher_restore.analyser.findings import AnalysisProblem, AnalysisResult
from publisher_restore.analyser.render import (
    render_json,
    render_markdown,
    render_sarif,
    render_text,
)
from publisher_restore.analyser.rules import builtin_rules
from publisher_restore.usync.models import AnyItem
from tests.analyser.helpers import analyse, base_items, find, replaced, with_property, without


def _incoming() -> list[AnyItem]:
    """DC109 (pageTitle renamed), DC102 (blogPost gone) and DC302 (da becomes da-DK)."""
    danish = find(base_items(), "da").model_copy(update={"iso_code": "da-DK"})
    items = replaced(with_property("pageBase", "pageTitle", alias="title"), "da", danish)
    return [i for i in items if not (i.alias == "blogPost" and i.item_type == "ContentType")]


def _result() -> AnalysisResult:
    result = analyse(_incoming())
    problem = AnalysisProblem(
        side="incoming", path="uSync/v9/Content/x.config", line=3, problem="not well-formed"
    )
    return result.model_copy(update={"problems": [problem]})


def test_text_groups_by_severity_with_impact_first() -> None:
    text = render_text(_result())
    damaging, risky, notice = (text.index(h) for h in ("DAMAGING (1)", "RISKY (1)", "NOTICE (1)"))
    assert damaging < risky < notice
    # hello-world's blocks value goes with the page: the quote block and its two values
    assert (
        "  [21 values / 3 items, holding 1 block with 2 values (en-US 9, da 5)] DC102 blogPost"
        in text
    )
    assert "incoming: uSync/v9/Content/x.config:3: not well-formed" in text
    assert text.splitlines()[-1].startswith("3 findings (1 damaging, 1 risky, 1 notice)")


def test_json_has_findings_in_the_catalogue_shape_and_a_summary() -> None:
    data = json.loads(render_json(_result()))
    assert list(data) == ["findings", "summary", "problems", "semantics"]
    first = data["findings"][0]
    assert first["code"] == "DC102" and first["severity"] == "damaging"
    assert first["impact"] == {
        "items": 3,
        "values": 21,
        "cultures": {"en-US": 9, "invariant": 7, "da": 5},
        "blocks": 0,
        "block_values": 0,
        "block_items": 0,
        "held_blocks": 1,
        "held_values": 2,
    }
    assert data["summary"]["by_code"] == {"DC102": 1, "DC109": 1, "DC302": 1}
    assert data["problems"][0]["line"] == 3


def test_sarif_has_one_rule_per_code_and_results_at_the_incoming_file() -> None:
    log = json.loads(render_sarif(_result(), builtin_rules()))
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len(rules) == len({r["id"] for r in rules}) == 26
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {"DC102": "error", "DC302": "warning", "DC109": "note"}
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location["uri"].startswith("uSync/v9/")
    notification = run["invocations"][0]["toolExecutionNotifications"][0]
    assert notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "uSync/v9/Content/x.config"
    )


def test_sarif_marks_acknowledged_results_as_suppressed() -> None:
    fingerprint = analyse(without("blogPost")).findings[0].fingerprint
    settings = AnalyserSettings.from_section(
        {"Acknowledge": [{"Fingerprint": fingerprint, "Reason": "blog retired"}]}
    )
    result = analyse(without("blogPost"), settings=settings)
    log = json.loads(render_sarif(result, builtin_rules()))
    suppressions = log["runs"][0]["results"][0]["suppressions"]
    assert suppressions == [{"kind": "external", "justification": "blog retired"}]
    assert "acknowledged: blog retired" in render_text(result)
    assert "**Acknowledged:** blog retired" in render_markdown(result)


def test_markdown_has_a_table_per_severity() -> None:
    text = render_markdown(_result())
    assert text.startswith("## Damaging-change analysis")
    assert "### :red_circle: Damaging (1)" in text
    assert "| DC109 | `pageBase.pageTitle` |" in text
    assert "### Unreadable files (1)" in text


def test_empty_result_renders_cleanly() -> None:
    result = analyse(base_items())
    assert render_text(result).startswith("0 findings")
    assert json.loads(render_json(result))["findings"] == []
    assert json.loads(render_sarif(result, []))["runs"][0]["results"] == []
    assert "0 findings" in render_markdown(result)
