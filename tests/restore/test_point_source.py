"""A restore point's archive is an item source like a folder: verified, bounded, one loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher_restore.analyser import run_rules
from publisher_restore.analyser.loading import load_pair, load_sources
from publisher_restore.analyser.rules import builtin_rules
from publisher_restore.restore.point_reader import item_files
from publisher_restore.service import RestoreService
from publisher_restore.usync.loader import load_items, load_source
from publisher_restore.usync.sources import FolderSource
from tests.analyser.corpus_cases import mark_deleted
from tests.conftest import CORPUS, copy_site
from tests.restore.points_craft import legacy_point


@pytest.mark.parametrize("version", [2, 1])
def test_a_point_loads_like_the_folder_it_was_taken_of(tmp_path: Path, version: int) -> None:
    site = copy_site(CORPUS / "navsjon-sportfiske", tmp_path / "site")
    service = RestoreService.open(site)
    point = service.create() if version == 2 else legacy_point(service)
    source = item_files(service.store, point)
    from_point = load_source(source)
    from_folder = load_items(site, site / "uSync" / "v9")
    assert source.prefix == "uSync/v9/"
    assert source.handler_folders == FolderSource(site, site / "uSync" / "v9").handler_folders
    assert [i.model_dump() for i in from_point.items] == [i.model_dump() for i in from_folder.items]
    assert from_point.problems == from_folder.problems  # boka.config, broken on purpose


def test_analysing_a_change_against_the_point_finds_what_two_folders_find(
    tmp_path: Path,
) -> None:
    site = copy_site(CORPUS / "navsjon-sportfiske", tmp_path / "site")
    service = RestoreService.open(site)
    point = service.create()
    mark_deleted(site / "uSync/v9/Media/medlemsdag-2015.config")
    source = item_files(service.store, point)
    changed = FolderSource(site, site / "uSync" / "v9")
    from_point = run_rules(*load_sources(source, changed), "import", builtin_rules())
    untouched = copy_site(CORPUS / "navsjon-sportfiske", tmp_path / "untouched")
    from_folders = run_rules(*load_pair(untouched, site), "import", builtin_rules())
    assert [f.code for f in from_point.findings] == ["DC701"]
    assert from_point.findings == from_folders.findings
