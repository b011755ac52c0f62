"""Push, pack import and undo between two copies of a real site (the clean starter kit).

The cases "How it is judged" names, each literally: a push that removes a property real
content uses reports DC101 with its impact and, answered with ``--yes``, leaves a ``push``
restore point on the target and the change written; the same change from a pack with
``--no-input`` under the default policy stops (exit 13) and leaves the target byte for
byte as it was; ``Always`` takes a point with no findings; ``Never`` takes none; undo
after a push followed by an unrelated edit restores the pushed items only and keeps the
edit, and reports an item edited after the push as a conflict.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from publisher_restore.restore.manifest import Manifest
from publisher_restore.service import RestoreService
from tests.publisher.sites import (
    ARTICLE_CONTROLS,
    edit_description,
    every_file,
    remove_property,
    restore_points,
    run,
    set_publisher,
    site_pair,
)

HOME_TYPE = "uSync/v17/ContentTypes/home.config"
AUTHOR_TYPE = "uSync/v17/ContentTypes/author.config"
CONTACT_VIEW = "Views/contact.cshtml"


def point_manifest(site: Path, point_id: str) -> Manifest:
    return RestoreService.open(site).store.get(point_id)


def test_a_push_removing_a_used_property_reports_dc101_and_yes_leaves_a_push_point(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = site_pair(tmp_path)
    remove_property(source, ARTICLE_CONTROLS, "articleDate")

    pushed = run(capsys, "--site", source, "push", "--to", target, "--yes", "--json")

    assert pushed.code == 0, pushed.err
    plan, result = pushed.json()["plan"], pushed.json()["result"]
    assert isinstance(plan, dict) and isinstance(result, dict)
    [finding] = plan["request"]["findings"]
    assert finding["code"] == "DC101" and finding["severity"] == "damaging"
    assert finding["impact"]["items"] == 7 and finding["impact"]["values"] == 7
    assert "deletes 7 values on 7 pages" in finding["message"]
    [change] = [c for c in plan["items"] if c["change"] != "none"]
    assert change["path"] == ARTICLE_CONTROLS and change["change"] == "update"
    assert any(d["path"].startswith("Property/articleDate") for d in change["details"])
    assert result["decision"]["decided_by"] == "--yes"
    [point_id] = restore_points(target)
    assert result["restore_point"] == point_id
    point = point_manifest(target, point_id)
    assert point.reason.value == "push"
    assert "from site source" in point.note and "DC101" in point.note
    assert (target / ARTICLE_CONTROLS).read_bytes() == (source / ARTICLE_CONTROLS).read_bytes()
    steps = [s["step"] for s in result["steps"]]
    assert steps == [
        "collect",
        "prepare",
        "decide",
        "restore-point",
        "write",
        "record",
        "after-hooks",
    ]
    history = run(capsys, "--site", target, "history", "--json").json()["operations"]
    assert isinstance(history, list)
    [record] = history
    assert record["id"] == result["operation_id"] and record["restore_point"] == point_id
    [written] = record["changes"]
    assert written["path"] == ARTICLE_CONTROLS and written["outcome"] == "written"
    assert written["before"] != written["after"]


def test_the_same_change_from_a_pack_with_no_input_stops_with_13_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = site_pair(tmp_path)
    remove_property(source, ARTICLE_CONTROLS, "articleDate")
    pack = tmp_path / "change.usync"
    exported = run(capsys, "--site", source, "pack", "export", "--out", pack)
    assert exported.code == 0, exported.err
    before = every_file(target)

    imported = run(capsys, "--site", target, "pack", "import", pack, "--no-input")

    assert imported.code == 13
    [line] = imported.err.strip().splitlines()[-1:]
    assert line.startswith("error: import to target stopped: it needs a decision")
    assert "DC101" in line and "--yes" in line and "the target was not changed" in line
    assert every_file(target) == before, "the target must be byte-identical"
    assert not (target / "uSync" / "restore").exists()


def test_always_takes_a_point_with_no_findings_and_never_takes_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = site_pair(tmp_path)
    edit_description(source, HOME_TYPE, "Landing page (edited)")
    set_publisher(target, Push="Always")

    always = run(capsys, "--site", source, "push", "--to", target, "--no-input", "--json")

    assert always.code == 0, always.err
    result = always.json()["result"]
    assert isinstance(result, dict)
    assert always.json()["plan"]["request"]["findings"] == []  # type: ignore[index]
    assert result["decision"]["decided_by"] == "policy"
    [point_id] = restore_points(target)
    assert result["restore_point"] == point_id
    assert point_manifest(target, point_id).reason.value == "push"

    edit_description(source, AUTHOR_TYPE, "Writers (edited)")
    set_publisher(target, Push="Never")
    never = run(capsys, "--site", source, "push", "--to", target, "--no-input", "--json")

    assert never.code == 0, never.err
    assert never.json()["result"]["restore_point"] is None  # type: ignore[index]
    assert restore_points(target) == [point_id]
    assert (target / AUTHOR_TYPE).read_bytes() == (source / AUTHOR_TYPE).read_bytes()
    operation = never.json()["result"]["operation_id"]  # type: ignore[index]
    refused = run(capsys, "--site", target, "undo", str(operation), "--check")
    assert refused.code == 9
    assert "took no restore point (continue, decided by policy" in refused.err


def test_undo_puts_back_only_the_pushed_items_keeps_later_edits_and_reports_a_conflict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = site_pair(tmp_path)
    original = {path: (target / path).read_bytes() for path in (ARTICLE_CONTROLS, HOME_TYPE)}
    remove_property(source, ARTICLE_CONTROLS, "articleDate")
    edit_description(source, HOME_TYPE, "Pushed description")
    pushed = run(capsys, "--site", source, "push", "--to", target, "--yes", "--json")
    assert pushed.code == 0, pushed.err
    operation = str(pushed.json()["result"]["operation_id"])  # type: ignore[index]
    edit_description(target, AUTHOR_TYPE, "An unrelated edit after the push")
    (target / CONTACT_VIEW).write_text("<p>edited after the push</p>\n", encoding="utf-8")
    edit_description(target, HOME_TYPE, "Edited again after the push")
    edited_home = (target / HOME_TYPE).read_bytes()
    unrelated = {p: (target / p).read_bytes() for p in (AUTHOR_TYPE, CONTACT_VIEW)}

    checked = run(capsys, "--site", target, "undo", operation, "--check", "--json")

    assert checked.code == 0, checked.err
    report = checked.json()
    [conflict] = report["conflicts"]  # type: ignore[misc]
    assert conflict["path"] == HOME_TYPE and conflict["item_type"] == "ContentType"
    assert "changed since the operation" in conflict["reason"]
    assert report["summary"]["selected"] == 1  # type: ignore[index]
    plan = report["plan"]
    assert isinstance(plan, dict)
    assert [c["path"] for c in plan["changes"]] == [ARTICLE_CONTROLS]

    undone = run(capsys, "--site", target, "undo", operation, "--yes", "--json")

    assert undone.code == 0, undone.err
    result = undone.json()
    assert result["written"] == 1 and result["conflicts"] == 1 and result["pre_undo_point"]
    assert (target / ARTICLE_CONTROLS).read_bytes() == original[ARTICLE_CONTROLS]
    assert (target / HOME_TYPE).read_bytes() == edited_home, "a conflict is left alone"
    assert {p: (target / p).read_bytes() for p in unrelated} == unrelated
    entries = run(capsys, "--site", target, "history", "--json").json()["operations"]
    assert isinstance(entries, list)
    by_id = {e["id"]: e for e in entries}
    assert by_id[operation]["undone_by"] == result["operation_id"]
    assert by_id[str(result["operation_id"])]["undoes"] == operation

    forced = run(capsys, "--site", target, "undo", operation, "--force", "--yes")
    assert forced.code == 0, forced.err
    assert (target / HOME_TYPE).read_bytes() == original[HOME_TYPE]


def test_pull_from_a_site_folder_imports_under_this_sites_pull_policy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = site_pair(tmp_path)
    edit_description(source, HOME_TYPE, "Pulled description")
    set_publisher(target, Pull="Always", Push="Never")

    pulled = run(
        capsys,
        "--site",
        target,
        "pull",
        "--from",
        source,
        "--item",
        "ContentType:home",
        "--no-dependencies",
        "--no-input",
        "--json",
    )

    assert pulled.code == 0, pulled.err
    result = pulled.json()["result"]
    assert isinstance(result, dict) and result["operation"] == "pull"
    [point_id] = restore_points(target)
    assert point_manifest(target, point_id).reason.value == "pull"
    assert (target / HOME_TYPE).read_bytes() == (source / HOME_TYPE).read_bytes()
    assert json.loads(pulled.out)["plan"]["pack"]["selection"]["items"] == ["ContentType:home"]


def test_analyse_takes_a_sync_pack_as_its_incoming_side(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = site_pair(tmp_path)
    remove_property(source, ARTICLE_CONTROLS, "articleDate")
    pack = tmp_path / "change.usync"
    assert run(capsys, "--site", source, "pack", "export", "--out", pack).code == 0

    analysed = run(capsys, "analyse", "--current", target, "--incoming", pack, "--json")

    assert analysed.code == 0, analysed.err
    report = analysed.json()
    assert report["semantics"] == "import"
    findings = report["findings"]
    assert isinstance(findings, list)
    assert [(f["code"], f["impact"]["values"]) for f in findings] == [("DC101", 7)]
    not_a_pack = tmp_path / "not-a-pack.usync"
    not_a_pack.write_bytes(b"PK\x05\x06" + bytes(18))
    refused = run(capsys, "analyse", "--current", target, "--incoming", not_a_pack)
    assert refused.code == 5 and refused.err.startswith("error: not-a-pack.usync")


def test_prompt_with_nobody_to_ask_continues_without_a_point_below_the_threshold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = site_pair(tmp_path)
    edit_description(source, HOME_TYPE, "A harmless edit")

    pushed = run(capsys, "--site", source, "push", "--to", target, "--no-input", "--json")

    assert pushed.code == 0, pushed.err
    result = pushed.json()["result"]
    assert isinstance(result, dict)
    assert result["decision"]["choice"] == "continue"
    assert result["decision"]["reason"] == "nobody to ask and no finding at or above risky"
    assert result["restore_point"] is None and restore_points(target) == []
    assert (target / HOME_TYPE).read_bytes() == (source / HOME_TYPE).read_bytes()
