"""Loading both sides together (shared files parsed once, lazily) finds exactly what a full load
finds."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable
from pathlib import Path

import pytest

from publisher_restore.analyser import AnalysisResult, loading, run_rules
from publisher_restore.analyser.findings import Semantics
from publisher_restore.analyser.loading import load_pair
from publisher_restore.analyser.rules import builtin_rules
from publisher_restore.analyser.sources import load_side
from tests.analyser.corpus_cases import (
    copy_usync,
    mark_deleted,
    remove_composition,
    remove_property,
    set_text,
    type_file,
)


def _both_ways(
    current: Path, incoming: Path, semantics: Semantics
) -> tuple[AnalysisResult, AnalysisResult]:
    cur, _ = load_side(current)
    inc, _ = load_side(incoming)
    full = run_rules(cur, inc, semantics, builtin_rules())
    lazy_cur, lazy_inc = load_pair(current, incoming)
    lazy = run_rules(lazy_cur, lazy_inc, semantics, builtin_rules())
    return full, lazy


def _delete_first_content(usync: Path) -> None:
    mark_deleted(usync / "Content" / "contact-us.config")


def _empty_a_value(usync: Path) -> None:
    for path in sorted((usync / "Content").glob("*.config")):
        text = path.read_text(encoding="utf-8-sig")
        start = text.find("<Value><![CDATA[")
        if start != -1 and text[start + 16 : start + 19] != "]]>":
            end = text.index("]]>", start)
            path.write_text(text[: start + 16] + text[end:], encoding="utf-8")
            return


def _delete_a_used_data_type(usync: Path) -> None:
    mark_deleted(usync / "DataTypes" / "Textstring.config")


CHANGES: dict[str, tuple[str, Callable[[Path], None]]] = {
    "property": (
        "navsjon-sportfiske",
        lambda u: remove_property(type_file(u, "contentHeadingDefault"), "pageTitle"),
    ),
    "composition": (
        "clean-starter-kit",
        lambda u: remove_composition(type_file(u, "article"), "sEOControls"),
    ),
    "variations": (
        "zmenu",
        lambda u: set_text(type_file(u, "contactlessMenu"), "Info/Variations", "Nothing"),
    ),
    "content": ("zmenu", _delete_first_content),
    "value": ("clean-starter-kit", _empty_a_value),
    "data-type": ("nearbeach", _delete_a_used_data_type),
    "language": ("zmenu", lambda u: mark_deleted(u / "Languages" / "ru.config")),
}


@pytest.fixture(params=["plain", "compressed"])
def held_as(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways the current side's bytes are held: plain (a site under ``PLAIN_BUDGET``,
    as every corpus site is) and compressed (a site over it)."""
    if request.param == "compressed":
        monkeypatch.setattr(loading, "PLAIN_BUDGET", 0)
    return str(request.param)


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_shared_loading_finds_what_a_full_load_finds(
    change: str, held_as: str, tmp_path: Path
) -> None:
    site, edit = CHANGES[change]
    version = "v17" if site == "clean-starter-kit" else "v9"
    current = copy_usync(site, version, tmp_path / "a")
    incoming = copy_usync(site, version, tmp_path / "b")
    edit(incoming)
    for semantics in ("complete", "import"):
        full, lazy = _both_ways(current, incoming, semantics)
        assert full.findings, change
        assert [f.model_dump() for f in lazy.findings] == [f.model_dump() for f in full.findings]
        assert lazy.problems == full.problems


def test_unchanged_files_are_shared_and_broken_ones_reported_on_both_sides(
    held_as: str, tmp_path: Path
) -> None:
    current = copy_usync("navsjon-sportfiske", "v9", tmp_path / "a")
    incoming = copy_usync("navsjon-sportfiske", "v9", tmp_path / "b")
    cur, inc = load_pair(current, incoming)
    assert cur.shared == inc.shared
    assert len(cur.shared) > 300
    assert (
        [p.path for p in cur.problems]
        == [p.path for p in inc.problems]
        == ["uSync/v9/Content/boka.config"]
    )
    assert run_rules(cur, inc, "complete", builtin_rules()).findings == []
    home = next(s for s in cur.shared if s.path.endswith("/home.config"))
    assert home.data == (current / "Content" / "home.config").read_bytes()


SITE_VERSIONS = {
    "clean-starter-kit": "v17",
    "j-indies": "v9",
    "navsjon-sportfiske": "v9",
    "nearbeach": "v9",
    "umbracalendar": "v17",
    "zmenu": "v9",
}


def _sweeping_changes(usync: Path) -> None:
    """Changes whose findings count every page: each template and each language deleted,
    and a property removed from every content type (each page's values counted)."""
    for folder in ("Templates", "Languages"):
        for path in sorted((usync / folder).glob("*.config")):
            mark_deleted(path)
    for path in sorted((usync / "ContentTypes").glob("*.config")):
        if "<GenericProperty>" in path.read_text(encoding="utf-8-sig"):
            text = path.read_text(encoding="utf-8-sig")
            start = text.index("<GenericProperty>")
            end = text.index("</GenericProperty>", start) + len("</GenericProperty>")
            path.write_text(text[:start] + text[end:], encoding="utf-8")


@pytest.mark.parametrize("site", sorted(SITE_VERSIONS))
def test_pages_parsed_again_count_what_pages_kept_count(
    site: str, held_as: str, tmp_path: Path
) -> None:
    """Unchanged pages' models are held weakly and parsed again when asked for: on every
    corpus site, changes that count every page find what a full load finds."""
    current = copy_usync(site, SITE_VERSIONS[site], tmp_path / "a")
    incoming = copy_usync(site, SITE_VERSIONS[site], tmp_path / "b")
    _sweeping_changes(incoming)
    full, lazy = _both_ways(current, incoming, "complete")
    assert full.findings, site
    assert [f.model_dump() for f in lazy.findings] == [f.model_dump() for f in full.findings]
    assert lazy.problems == full.problems


def test_an_unchanged_page_is_parsed_again_once_nobody_holds_it(tmp_path: Path) -> None:
    current = copy_usync("zmenu", "v9", tmp_path / "a")
    incoming = copy_usync("zmenu", "v9", tmp_path / "b")
    cur, _ = load_pair(current, incoming)
    page = next(s for s in cur.shared if s.content_type is not None)
    first = page.model()
    assert first is not None and page.holds(first) and page.model() is first
    dumped, gone = first.model_dump(), weakref.ref(first)
    del first
    gc.collect()
    assert gone() is None  # the shared item did not keep it
    again = page.model()
    assert again is not None and page.holds(again)
    assert again.model_dump() == dumped
