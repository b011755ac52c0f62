"""The analyser on real sites: self-comparison, folder moves, and changes built from the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher_restore.analyser import AnalysisResult, run_rules
from publisher_restore.analyser.findings import Semantics
from publisher_restore.analyser.rules import builtin_rules
from publisher_restore.analyser.sources import load_side
from tests.analyser.corpus_cases import (
    copy_usync,
    filled_values,
    mark_deleted,
    parse,
    property_aliases,
    remove_composition,
    remove_property,
    set_text,
    type_file,
    users_of,
)
from tests.conftest import CORPUS, CORPUS_SITES


def compare(current: Path, incoming: Path, semantics: Semantics = "complete") -> AnalysisResult:
    """Load both sides as the CLI does and run every built-in rule."""
    cur, _ = load_side(current)
    inc, _ = load_side(incoming)
    return run_rules(cur, inc, semantics, builtin_rules())


def codes(result: AnalysisResult) -> list[str]:
    """Finding codes in report order."""
    return [f.code for f in result.findings]


@pytest.mark.parametrize("site", CORPUS_SITES)
def test_every_corpus_site_compared_with_itself_finds_nothing(site: str) -> None:
    for semantics in ("complete", "import"):
        result = compare(CORPUS / site, CORPUS / site, semantics)
        assert result.findings == [], [f.message for f in result.findings]


def test_broken_xml_is_reported_per_file_on_both_sides() -> None:
    site = CORPUS / "navsjon-sportfiske"
    result = compare(site, site)
    assert [(p.side, p.path) for p in result.problems] == [
        ("current", "uSync/v9/Content/boka.config"),
        ("incoming", "uSync/v9/Content/boka.config"),
    ]
    assert result.summary.problems == 2


def test_a_type_file_broken_on_the_incoming_side_is_not_a_delete(tmp_path: Path) -> None:
    current = copy_usync("nearbeach", "v9", tmp_path / "a")
    incoming = copy_usync("nearbeach", "v9", tmp_path / "b")
    home = type_file(incoming, "home")
    home.write_text("<ContentType Key=\n<<<<<<< HEAD\n", encoding="utf-8")
    result = compare(current, incoming)
    assert result.findings == []
    assert [(p.side, p.path.endswith("ContentTypes/home.config")) for p in result.problems] == [
        ("incoming", True)
    ]


def test_version_folder_move_compares_item_by_item(tmp_path: Path) -> None:
    # the same items under uSync/v16 on one side and uSync/v17 on the other
    old = copy_usync("clean-starter-kit", "v17", tmp_path / "old")
    new_site = tmp_path / "new" / "clean-starter-kit"
    copy_usync("clean-starter-kit", "v17", tmp_path / "new")
    (new_site / "uSync" / "v17").rename(new_site / "uSync" / "v18")
    result = compare(old.parent.parent, new_site)
    assert result.findings == []
    assert (
        result.findings
        == compare(
            CORPUS / "clean-starter-kit" / "uSync" / "v16",
            CORPUS / "clean-starter-kit" / "uSync" / "v17",
        ).findings
    )


def test_real_property_removal_counts_real_values(tmp_path: Path) -> None:
    current = copy_usync("navsjon-sportfiske", "v9", tmp_path / "a")
    incoming = copy_usync("navsjon-sportfiske", "v9", tmp_path / "b")
    remove_property(type_file(incoming, "contentHeadingDefault"), "pageTitle")
    result = compare(current, incoming)
    assert codes(result) == ["DC101"]
    finding = result.findings[0]
    assert finding.property_alias == "pageTitle"
    items, values, _ = filled_values(
        current, users_of(current, "contentHeadingDefault"), {"pageTitle"}
    )
    assert (finding.impact.items, finding.impact.values) == (items, values) == (40, 40)  # type: ignore[union-attr]
    assert finding.message == (
        "Removing property 'pageTitle' from 'contentHeadingDefault' deletes 40 values on 40 pages."
    )


def test_real_composition_removal_counts_every_lost_property(tmp_path: Path) -> None:
    current = copy_usync("clean-starter-kit", "v17", tmp_path / "a")
    incoming = copy_usync("clean-starter-kit", "v17", tmp_path / "b")
    remove_composition(type_file(incoming, "article"), "sEOControls")
    result = compare(current, incoming)
    assert codes(result) == ["DC103"]
    lost = property_aliases(type_file(current, "sEOControls"))
    assert set(result.findings[0].detail["lost_properties"]) == lost
    items, values, cultures = filled_values(current, {"article"}, lost)
    impact = result.findings[0].impact
    assert impact is not None
    assert (impact.items, impact.values, dict(impact.cultures)) == (items, values, dict(cultures))
    assert items == 7


def test_real_variation_narrowing_strands_non_default_cultures(tmp_path: Path) -> None:
    current = copy_usync("zmenu", "v9", tmp_path / "a")
    incoming = copy_usync("zmenu", "v9", tmp_path / "b")
    set_text(type_file(incoming, "contactlessMenu"), "Info/Variations", "Nothing")
    result = compare(current, incoming)
    assert codes(result)[0] == "DC106"
    impact = result.findings[0].impact
    assert impact is not None
    he = filled_values(current, {"contactlessMenu"}, None, "he")
    ru = filled_values(current, {"contactlessMenu"}, None, "ru")
    assert dict(impact.cultures) == {"he": he[1], "ru": ru[1]} == {"he": 7, "ru": 5}


def test_real_data_type_in_use_deleted(tmp_path: Path) -> None:
    current = copy_usync("navsjon-sportfiske", "v9", tmp_path / "a")
    incoming = copy_usync("navsjon-sportfiske", "v9", tmp_path / "b")
    heading = parse(type_file(current, "contentHeadingDefault")).getroot()
    definition = next(
        p.findtext("Definition")
        for p in heading.iterfind("GenericProperties/GenericProperty")
        if p.findtext("Alias") == "pageTitle"
    )
    data_type = next(
        p
        for p in (incoming / "DataTypes").glob("*.config")
        if parse(p).getroot().get("Key") == definition
    )
    mark_deleted(data_type)
    result = compare(current, incoming, "import")
    assert codes(result) == ["DC201"]
    assert "contentHeadingDefault.pageTitle" in result.findings[0].detail["properties"]
    assert result.findings[0].impact.values >= 39  # type: ignore[union-attr]


def test_real_language_deleted_and_media_type_gone(tmp_path: Path) -> None:
    current = copy_usync("zmenu", "v9", tmp_path / "a")
    incoming = copy_usync("zmenu", "v9", tmp_path / "b")
    mark_deleted(incoming / "Languages" / "ru.config")
    result = compare(current, incoming, "import")
    assert codes(result) == ["DC301"]
    ru = filled_values(current, _all_type_aliases(current), None, "ru")
    assert result.findings[0].impact.values == ru[1] > 0  # type: ignore[union-attr]
    navsjon = copy_usync("navsjon-sportfiske", "v9", tmp_path / "c")
    gone = copy_usync("navsjon-sportfiske", "v9", tmp_path / "d")
    type_file(gone, "Image", "MediaTypes").unlink()
    media = compare(navsjon, gone)
    assert codes(media) == ["DC102"]
    assert media.findings[0].impact.items == 197  # type: ignore[union-attr]
    assert "197 media items" in media.findings[0].message


def _all_type_aliases(usync: Path) -> set[str]:
    return {
        parse(path).getroot().get("Alias") or ""
        for folder in ("ContentTypes", "MediaTypes")
        for path in (usync / folder).glob("*.config")
    }
