"""Every corpus file loads; exactly one (boka.config) is a problem; bad files never abort."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from publisher_restore.errors import SiteError
from publisher_restore.usync.loader import FormatMarker, load_items, parse_file_bytes
from publisher_restore.usync.models import EmptyItem, GenericItem, ParseProblem

from .paths import CORPUS, SAMPLES

CORPUS_CONFIG_FILES = 1671
CORPUS_MARKERS = 8


def test_whole_corpus_loads_with_exactly_one_problem() -> None:
    started = time.perf_counter()
    loaded = load_items(CORPUS, CORPUS)
    elapsed = time.perf_counter() - started
    assert len(loaded.items) + len(loaded.problems) + len(loaded.markers) == CORPUS_CONFIG_FILES
    assert len(loaded.markers) == CORPUS_MARKERS
    assert len(loaded.problems) == 1
    problem = loaded.problems[0]
    assert problem.path == "navsjon-sportfiske/uSync/v9/Content/boka.config"
    assert problem.line == 21
    assert "conflict" in problem.problem
    assert str(problem).startswith("navsjon-sportfiske/uSync/v9/Content/boka.config:21: ")
    assert elapsed < 10, f"loading the corpus took {elapsed:.2f}s"


@pytest.mark.parametrize(
    ("site", "items", "empties", "generic"),
    [
        ("clean-starter-kit", 425, 1, 0),
        ("j-indies", 77, 0, 0),
        ("navsjon-sportfiske", 405, 23, 0),
        ("nearbeach", 95, 0, 0),
        ("umbracalendar", 145, 0, 0),
        ("zmenu", 515, 15, 6),
    ],
)
def test_site_counts(site: str, items: int, empties: int, generic: int) -> None:
    loaded = load_items(CORPUS / site, CORPUS / site / "uSync")
    kinds = Counter(type(item) for item in loaded.items)
    assert len(loaded.items) == items
    assert kinds[EmptyItem] == empties
    assert kinds[GenericItem] == generic
    assert all(item.path.startswith("uSync/v") and "\\" not in item.path for item in loaded.items)


def test_navsjon_loads_fast_and_names_only_boka() -> None:
    site = CORPUS / "navsjon-sportfiske"
    started = time.perf_counter()
    loaded = load_items(site, site / "uSync")
    elapsed = time.perf_counter() - started
    assert [p.path for p in loaded.problems] == ["uSync/v9/Content/boka.config"]
    assert loaded.markers == (
        FormatMarker(path="uSync/v9/usync.config", version="10.6.0.0", format="10.1.0"),
    )
    assert elapsed < 5, f"loading navsjon-sportfiske took {elapsed:.2f}s"


def test_marker_files_are_read_per_version_folder() -> None:
    site = CORPUS / "clean-starter-kit"
    loaded = load_items(site, site / "uSync")
    assert sorted(m.path for m in loaded.markers) == [
        "uSync/v16/usync.config",
        "uSync/v17-backup/usync.config",
        "uSync/v17/usync.config",
    ]
    v17 = next(m for m in loaded.markers if m.path == "uSync/v17/usync.config")
    assert (v17.version, v17.format) == ("17.0.0.0", "10.7.0")


def test_sample_site_without_marker_and_a_usync_named_content_node(tmp_path: Path) -> None:
    content = tmp_path / "uSync" / "v9" / "Content"
    content.mkdir(parents=True)
    (content / "usync.config").write_bytes(
        b'<Content Key="9e8d7c6b-5a49-4837-a625-14f3e2d1c0b9" Alias="uSync"><Info/></Content>'
    )
    loaded = load_items(tmp_path, tmp_path / "uSync")
    assert [item.alias for item in loaded.items] == ["uSync"]
    assert loaded.markers == ()
    v8 = load_items(SAMPLES / "v8", SAMPLES / "v8" / "uSync")
    assert (len(v8.items), v8.problems, v8.markers) == (5, (), ())


def test_bad_files_become_problems_and_loading_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "uSync" / "v9" / "DataTypes"
    folder.mkdir(parents=True)
    (folder / "a-broken.config").write_bytes(b"<DataType Key=")
    (folder / "b-hostile.config").write_bytes(
        b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x/>'
    )
    (folder / "c-nokey.config").write_bytes(b'<DataType Alias="x"/>')
    (folder / "d-link.config").symlink_to("/etc/passwd")
    (folder / "e-good.config").write_bytes(
        b'<DataType Key="0cc0eba1-9960-42c9-bf9b-60e150b429ae" Alias="Textstring">'
        b"<Info/></DataType>"
    )
    (folder / "notes.txt").write_text("not an item")
    loaded = load_items(tmp_path, tmp_path / "uSync")
    assert [item.alias for item in loaded.items] == ["Textstring"]
    problems = {Path(p.path).name: p.problem for p in loaded.problems}
    assert list(problems) == [
        "a-broken.config",
        "b-hostile.config",
        "c-nokey.config",
        "d-link.config",
    ]
    assert "DOCTYPE" in problems["b-hostile.config"]
    assert "no Key" in problems["c-nokey.config"]
    assert "symbolic link" in problems["d-link.config"]


def test_parse_file_bytes_returns_values_not_exceptions() -> None:
    problem = parse_file_bytes(b"<a>\n</b>", "uSync/v9/Content/x.config")
    assert isinstance(problem, ParseProblem)
    assert (problem.path, problem.line) == ("uSync/v9/Content/x.config", 2)
    hostile = parse_file_bytes(b"<!DOCTYPE a><a/>", "uSync/v9/Content/y.config")
    assert isinstance(hostile, ParseProblem)
    assert not hostile.problem.startswith("uSync/")
    item = parse_file_bytes(
        b'<Empty Key="x" Alias="y" Change="Delete"/>', "uSync/v9/Media/y.config"
    )
    assert isinstance(item, EmptyItem) and item.item_type == "Media"


def test_missing_or_outside_usync_folder_is_a_site_error(tmp_path: Path) -> None:
    with pytest.raises(SiteError, match="does not exist"):
        load_items(tmp_path, tmp_path / "uSync")
    with pytest.raises(SiteError, match="not inside"):
        load_items(tmp_path, SAMPLES / "v8" / "uSync")


def test_item_set_index_is_built_once() -> None:
    loaded = load_items(SAMPLES / "variants", SAMPLES / "variants" / "uSync")
    assert loaded.index is loaded.index
    assert len(loaded.index) == 3
    assert [a.action.value for a in loaded.index.actions] == ["Clean"]
