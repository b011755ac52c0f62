"""Issue 7's false alarms, on real corpus sites changed as uSync changes them.

(a) Two files with one Key (uSync leaves the old file behind after a rename, or turns it into
a Rename marker while the new file carries the item): nothing is deleted, so no finding, in
both semantics and through ``check``.  (b) DC401 counts only the pages the import keeps.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from publisher_restore.analyser import AnalysisResult, Semantics, run_rules
from publisher_restore.analyser.loading import load_pair
from publisher_restore.analyser.rules import builtin_rules
from publisher_restore.restore.plan import RestorePlan
from publisher_restore.service import RestoreService
from tests.analyser.corpus_cases import mark_deleted, parse, set_text
from tests.conftest import CORPUS, copy_site

NAVSJON = "navsjon-sportfiske"
FOLDER = "uSync/v9/Media/medlemsdag-2015.config"  # a media folder holding 20 media items
Edit = Callable[[Path], None]


def _site(tmp_path: Path, name: str, site: str, edit: Edit) -> Path:
    root = copy_site(CORPUS / site, tmp_path / name)
    edit(root)
    return root


def _analyse(current: Path, incoming: Path, semantics: Semantics) -> AnalysisResult:
    cur, inc = load_pair(current, incoming)
    return run_rules(cur, inc, semantics, builtin_rules())


def _check(tmp_path: Path, current: Path, incoming: Path, version: str) -> RestorePlan:
    """``check`` of a point taken of ``incoming``, on a site that is now ``current``."""
    site = copy_site(incoming, tmp_path / "checked")
    service = RestoreService.open(site)
    point = service.create()
    shutil.rmtree(site / "uSync" / version)
    shutil.copytree(current / "uSync" / version, site / "uSync" / version)
    return service.check(point.id)


def _renamed_copy(source: Path, target: Path, alias: str) -> None:
    """The file uSync writes for the item under a new name: same Key, new alias."""
    text = source.read_text(encoding="utf-8-sig")
    text = re.sub(r'Alias="[^"]*"', f'Alias="{alias}"', text, count=1)
    text = re.sub(r'<NodeName Default="[^"]*"', f'<NodeName Default="{alias}"', text, count=1)
    target.write_text(text, encoding="utf-8")


def _rename_marker(path: Path) -> None:
    root = parse(path).getroot()
    key, alias = root.get("Key"), root.get("Alias")
    path.write_text(
        f'<?xml version="1.0" encoding="utf-8"?>\n<Empty Key="{key}" Alias="{alias}" '
        'Change="Rename" />\n',
        encoding="utf-8",
    )


def _stale_copy_left_behind(root: Path) -> None:
    # The folder was renamed from "Medlemsdag 2015 (gammal)"; the old file stayed, and it
    # sorts before the live one.
    live = root / FOLDER
    _renamed_copy(
        live, live.with_name("0-medlemsdag-2015-gammal.config"), "Medlemsdag 2015 (gammal)"
    )


def _resorted(root: Path) -> None:
    set_text(root / FOLDER, "Info/SortOrder", "42")


def _renamed_with_marker(root: Path) -> None:
    live = root / FOLDER
    _renamed_copy(live, live.with_name("medlemsdag-2015-arkiv.config"), "Medlemsdag 2015 arkiv")
    _rename_marker(live)


def _no_edit(_root: Path) -> None:
    pass


CASES: dict[str, tuple[Edit, Edit]] = {
    "stale file on the target, live file unchanged": (_stale_copy_left_behind, _no_edit),
    "stale file on the target, live file changed": (_stale_copy_left_behind, _resorted),
    "stale file in the export": (_no_edit, _stale_copy_left_behind),
    "rename marker plus the new file": (_no_edit, _renamed_with_marker),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_two_files_with_one_key_delete_nothing(case: str, tmp_path: Path) -> None:
    edit_current, edit_incoming = CASES[case]
    current = _site(tmp_path, "current", NAVSJON, edit_current)
    incoming = _site(tmp_path, "incoming", NAVSJON, edit_incoming)
    for semantics in ("complete", "import"):
        found = _analyse(current, incoming, semantics).findings
        assert [(f.code, f.message) for f in found] == [], semantics
    plan = _check(tmp_path, current, incoming, "v9")
    assert plan.findings == []
    key = parse(current / FOLDER).getroot().get("Key")
    assert [c for c in plan.changes if c.key == key and c.change != "update"] == []


def test_the_same_rename_still_reports_a_real_deletion(tmp_path: Path) -> None:
    # The twin: the folder really goes (its file a Delete marker, no other file holds it).
    current = _site(tmp_path, "current", NAVSJON, _stale_copy_left_behind)
    incoming = _site(tmp_path, "incoming", NAVSJON, lambda root: mark_deleted(root / FOLDER))
    found = _analyse(current, incoming, "import").findings
    assert [f.code for f in found] == ["DC701"]
    assert "with 20 descendants" in found[0].message


# -- (b) DC401 ----------------------------------------------------------------------------

KIT = "clean-starter-kit"
V17 = "uSync/v17"
ARTICLE_TEMPLATE = f"{V17}/Templates/article.config"
ARTICLES = sorted(
    path.relative_to(CORPUS / KIT).as_posix()
    for path in (CORPUS / KIT / V17 / "Content").glob("*.config")
    if ">article</Template>" in path.read_text(encoding="utf-8-sig")
)


def _deletes(template: bool, pages: list[str], how: str) -> Edit:
    def edit(root: Path) -> None:
        for rel in ([ARTICLE_TEMPLATE] if template else []) + pages:
            if how == "marker":
                mark_deleted(root / rel)
            else:
                (root / rel).unlink()

    return edit


def _dc401(tmp_path: Path, pages: list[str], how: str) -> list[tuple[int | None, str]]:
    current = _site(tmp_path, "current", KIT, _no_edit)
    incoming = _site(tmp_path, "incoming", KIT, _deletes(True, pages, how))
    semantics: Semantics = "import" if how == "marker" else "complete"
    found = _analyse(current, incoming, semantics).findings
    return [(f.impact.items if f.impact else None, f.message) for f in found if f.code == "DC401"]


@pytest.mark.parametrize("how", ["marker", "absence"])
def test_dc401_is_silent_when_every_page_using_the_template_goes_too(
    how: str, tmp_path: Path
) -> None:
    assert len(ARTICLES) == 7
    assert _dc401(tmp_path, ARTICLES, how) == []


@pytest.mark.parametrize("how", ["marker", "absence"])
def test_dc401_counts_only_the_pages_the_import_keeps(how: str, tmp_path: Path) -> None:
    assert _dc401(tmp_path, ARTICLES[:3], how) == [
        (4, "Deleting template 'article' leaves 4 pages that use it without a template.")
    ]


def test_dc401_is_silent_when_the_pages_go_with_their_deleted_parent(tmp_path: Path) -> None:
    current = _site(tmp_path, "current", KIT, _no_edit)
    blog = f"{V17}/Content/blog.config"
    incoming = _site(tmp_path, "incoming", KIT, _deletes(True, [blog], "marker"))
    found = _analyse(current, incoming, "import").findings
    assert "DC401" not in {f.code for f in found}
    assert "DC701" in {f.code for f in found}
