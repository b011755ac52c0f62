"""Partial restore: only the selected items and paths are planned, checked and written."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from publisher_restore.errors import IntegrityError, PlanOutdatedError
from publisher_restore.operations.decisions import Choice, Decision
from publisher_restore.operations.restore_selection import RestoreSelection, exact_path
from publisher_restore.plugin_manager import build_plugin_manager
from publisher_restore.publisher.errors import SelectionError
from publisher_restore.restore.plan import FileOp
from publisher_restore.runtime import Runtime
from tests.conftest import CORPUS, copy_site
from tests.restore.helpers import fingerprint

SITE = "navsjon-sportfiske"
V9 = "uSync/v9"
TEMPLATE = f"{V9}/Templates/webpage.config"
NEW_KEY = "0d5e4c40-1111-4a4a-9c9c-1234567890ab"
RESTORE_POINT = Decision(choice=Choice.RESTORE_POINT, decided_by="test")


def runtime_of(site: Path) -> Runtime:
    return Runtime.open(site, build_plugin_manager(load_entry_points=False))


def alias_of(path: Path) -> str:
    found = re.search(r'Alias="([^"]+)"', path.read_text(encoding="utf-8-sig"))
    assert found, path
    return found.group(1)


def flip_mandatory(path: Path) -> None:
    text = path.read_text(encoding="utf-8-sig")
    assert "<Mandatory>false</Mandatory>" in text, path
    path.write_text(text.replace("<Mandatory>false</Mandatory>", "<Mandatory>true</Mandatory>"))


@pytest.fixture
def damaged(tmp_path: Path) -> tuple[Path, Runtime, str]:
    """A corpus site with a point, then: two content types edited, a page gone, a view edited."""
    site = copy_site(CORPUS / SITE, tmp_path / SITE)
    runtime = runtime_of(site)
    point = runtime.restore_points().create(note="before the edits")
    for name in ("contentgriddefault.config", "featurecomponentcode.config"):
        flip_mandatory(site / V9 / "ContentTypes" / name)
    (site / V9 / "Content/bootstrap.config").unlink()
    view = site / "Views/Home.cshtml"
    view.write_text(view.read_text(encoding="utf-8") + "\n@* edited *@\n", encoding="utf-8")
    (site / "wwwroot/css/late.css").write_text("p { margin: 0 }\n", encoding="utf-8")
    return site, runtime, point.id


def test_an_item_is_restored_and_nothing_else_is_touched(
    damaged: tuple[Path, Runtime, str],
) -> None:
    site, runtime, point_id = damaged
    grid = site / V9 / "ContentTypes/contentgriddefault.config"
    operation = runtime.restore()
    full = operation.prepare(point_id).plan
    selection = RestoreSelection(items=(f"ContentType:{alias_of(grid)}",))
    prepared = operation.prepare(point_id, selection=selection)
    assert [op.path for op in prepared.plan.operations] == [f"{V9}/ContentTypes/{grid.name}"]
    assert [(c.change, c.item_type, c.files) for c in prepared.plan.changes] == [
        ("update", "ContentType", [f"{V9}/ContentTypes/{grid.name}"])
    ]
    assert len(full.operations) == 5  # two types, the page, the view, the late stylesheet
    assert sorted(f for c in full.changes for f in c.files) == sorted(
        op.path for op in full.operations
    )
    before = fingerprint(site)

    result = operation.execute(prepared, RESTORE_POINT)

    after = fingerprint(site)
    assert {
        path for path in before.keys() | after.keys() if before.get(path) != after.get(path)
    } == {f"{V9}/ContentTypes/{grid.name}"}
    assert "<Mandatory>true</Mandatory>" in (
        site / V9 / "ContentTypes/featurecomponentcode.config"
    ).read_text(encoding="utf-8-sig")
    assert (site / "wwwroot/css/late.css").exists()  # a full restore would remove it
    assert result.written == 1 and result.deleted == 0 and result.pre_restore_point
    assert len(runtime.restore().prepare(point_id).plan.operations) == 4


def test_a_glob_restores_the_matching_files_and_keeps_new_files_elsewhere(
    damaged: tuple[Path, Runtime, str],
) -> None:
    site, runtime, point_id = damaged
    operation = runtime.restore()
    prepared = operation.prepare(point_id, selection=RestoreSelection(paths=("Views/**",)))
    assert [(op.action, op.path) for op in prepared.plan.operations] == [
        ("write", "Views/Home.cshtml")
    ]
    assert prepared.plan.selection == sorted(
        p.relative_to(site).as_posix() for p in (site / "Views").rglob("*.cshtml")
    )
    operation.execute(prepared, RESTORE_POINT)
    assert "edited" not in (site / "Views/Home.cshtml").read_text(encoding="utf-8")
    assert not (site / V9 / "Content/bootstrap.config").exists()
    assert (site / "wwwroot/css/late.css").exists()


def test_the_token_covers_the_selection_exactly(damaged: tuple[Path, Runtime, str]) -> None:
    site, runtime, point_id = damaged
    operation = runtime.restore()
    prepared = operation.prepare(point_id, selection=RestoreSelection(paths=("Views/**",)))
    assert set(prepared.inputs.files) == set(prepared.plan.selection or ())
    (site / V9 / "ContentTypes/featurecomponentcode.config").unlink()  # outside: no matter
    (site / "Views/WebPage.cshtml").write_text("changed after the check\n", encoding="utf-8")
    before = fingerprint(site)

    with pytest.raises(PlanOutdatedError, match=r"first: Views/WebPage.cshtml\); run check again"):
        operation.execute(prepared, RESTORE_POINT)

    assert fingerprint(site) == before
    again = operation.prepare(point_id, selection=RestoreSelection(paths=("Views/**",)))
    operation.execute(again, RESTORE_POINT)
    assert not (site / V9 / "ContentTypes/featurecomponentcode.config").exists()


def test_a_plan_that_reaches_outside_its_selection_is_refused(
    damaged: tuple[Path, Runtime, str],
) -> None:
    site, runtime, point_id = damaged
    operation = runtime.restore()
    prepared = operation.prepare(point_id, selection=RestoreSelection(paths=("Views/**",)))
    record = next(
        r for r in prepared.plan.point.files if r.path == f"{V9}/Content/bootstrap.config"
    )
    widened = prepared.model_copy(deep=True)
    widened.plan.operations.append(FileOp(path=record.path, action="write", record=record))
    before = fingerprint(site)
    with pytest.raises(IntegrityError, match="could not have planned"):
        operation.execute(widened, RESTORE_POINT)
    unselected = prepared.model_copy(deep=True)
    unselected.inputs = unselected.inputs.model_copy(update={"selection": None})
    with pytest.raises(IntegrityError, match="token does not match"):
        operation.execute(unselected, RESTORE_POINT)
    assert fingerprint(site) == before


def test_findings_are_those_of_the_partial_restore(tmp_path: Path) -> None:
    site = copy_site(CORPUS / SITE, tmp_path / SITE)
    template = site / TEMPLATE
    kept = template.read_bytes()
    template.unlink()
    runtime = runtime_of(site)
    point = runtime.restore_points().create()
    template.write_bytes(kept)  # 40 pages use it: restoring the point deletes it
    (site / "Views/Home.cshtml").write_text("@* edited *@\n", encoding="utf-8")

    full = runtime.restore().prepare(point.id)
    partial = runtime.restore().prepare(point.id, selection=RestoreSelection(paths=("Views/**",)))

    assert "DC401" in {f.code for f in full.plan.findings}
    assert partial.plan.findings == []
    assert partial.request.findings == [] and partial.request.changes == 1


def test_an_item_that_moved_to_another_file_is_restored_to_its_old_file(
    sample_site: Path,
) -> None:
    runtime = runtime_of(sample_site)
    point = runtime.restore_points().create()
    old = sample_site / "uSync/v9/ContentTypes/blogpost.config"
    moved = old.with_name("article.config")
    moved.write_text(old.read_text("utf-8-sig").replace("<Mandatory>false", "<Mandatory>true"))
    old.write_text('<Empty Key="x" Alias="blogPost" Change="Rename" />', encoding="utf-8")
    views = sorted((sample_site / "Views").glob("*.cshtml"))
    views[0].unlink()

    operation = runtime.restore()
    prepared = operation.prepare(point.id, selection=RestoreSelection(items=("DocType:blogPost",)))
    assert sorted((op.action, op.path) for op in prepared.plan.operations) == [
        ("delete", "uSync/v9/ContentTypes/article.config"),
        ("write", "uSync/v9/ContentTypes/blogpost.config"),
    ]
    [change] = prepared.plan.changes
    assert change.files == [
        "uSync/v9/ContentTypes/article.config",
        "uSync/v9/ContentTypes/blogpost.config",
    ]
    operation.execute(prepared, RESTORE_POINT)
    assert not moved.exists() and 'Alias="blogPost"' in old.read_text("utf-8-sig")
    assert not views[0].exists()


def test_items_are_named_by_key_alias_node_path_or_as_only_the_site_has_them(
    damaged: tuple[Path, Runtime, str],
) -> None:
    site, runtime, point_id = damaged
    model = site / V9 / "ContentTypes/featurecomponentcode.config"
    source = model.read_text(encoding="utf-8-sig")
    key = re.search(r'Key="([^"]+)"', source)
    assert key
    added = source.replace(alias_of(model), "zzNewType").replace(key.group(1), NEW_KEY)
    (site / V9 / "ContentTypes/zz-new.config").write_text(added, encoding="utf-8")
    operation = runtime.restore()

    def planned(*items: str) -> list[tuple[str, str]]:
        plan = operation.prepare(point_id, selection=RestoreSelection(items=items)).plan
        return sorted((op.action, op.path) for op in plan.operations)

    page = f"{V9}/Content/bootstrap.config"
    page_key = "d90cea4b-03c1-4f98-aa7e-ce5219c3f318"
    assert planned(f"Content:{page_key}") == [("write", page)]
    assert planned(f"Document:{page_key.replace('-', '').upper()}") == [("write", page)]
    assert planned("Content:/Home/Boka/Bootstrap") == [("write", page)]
    assert planned("ContentType:ZZNEWTYPE") == [("delete", f"{V9}/ContentTypes/zz-new.config")]
    with pytest.raises(SelectionError, match=r"no DataType with alias 'nope' in restore point"):
        planned("DataType:nope")
    with pytest.raises(SelectionError, match="expected TYPE:ALIAS_OR_KEY"):
        planned("home")


def test_exact_path_escapes_glob_characters() -> None:
    from publisher_restore.config.patterns import PathMatcher

    odd = "wwwroot/css/a[1]*?.css"
    matcher = PathMatcher([exact_path(odd)])
    assert matcher.matches(odd) and not matcher.matches("wwwroot/css/a1xy.css")


def test_narrowing_a_checked_restore_refuses_a_selected_file_changed_since(
    damaged: tuple[Path, Runtime, str],
) -> None:
    site, runtime, point_id = damaged
    operation = runtime.restore()
    checked = operation.prepare(point_id)
    narrowed = operation.narrow(checked, ["Views/Home.cshtml", f"{V9}/Content/bootstrap.config"])
    assert sorted(op.path for op in narrowed.plan.operations) == [
        "Views/Home.cshtml",
        f"{V9}/Content/bootstrap.config",
    ]
    with pytest.raises(IntegrityError, match="not a change of this check"):
        operation.narrow(checked, ["Views/WebPage.cshtml"])
    (site / "Views/Home.cshtml").write_text("edited again\n", encoding="utf-8")
    with pytest.raises(PlanOutdatedError, match="1 selected file differs"):
        operation.narrow(checked, ["Views/Home.cshtml"])
    operation.narrow(checked, [f"{V9}/Content/bootstrap.config"])  # the other change still fits


def test_cli_check_and_restore_take_item_and_path(damaged: tuple[Path, Runtime, str]) -> None:
    site, _runtime, point_id = damaged

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "publisher_restore", "--site", str(site), *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)

    checked = cli("check", point_id, "--path", "Views/**", "--item", "Content:Bootstrap", "--json")
    assert checked.returncode == 0, checked.stderr
    report = json.loads(checked.stdout)
    assert sorted(c["path"] for c in report["changes"]) == [
        "Views/Home.cshtml",
        f"{V9}/Content/bootstrap.config",
    ]
    assert report["summary"]["selected_paths"] == len(report["selection"])
    wrong = cli("restore", point_id, "--item", "Nonsense:x", "--yes")
    assert wrong.returncode == 2 and wrong.stderr.startswith("error: --item 'Nonsense:x'")
    restored = cli("restore", point_id, "--path", "Views/**", "--yes", "--json")
    assert restored.returncode == 0, restored.stderr
    assert json.loads(restored.stdout)["written"] == 1
    assert (site / "wwwroot/css/late.css").exists()
