"""Complete semantics delete by absence only where the incoming side has the handler folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from publisher_restore.analyser import AnalysisResult, run_rules
from publisher_restore.analyser.loading import load_pair
from publisher_restore.analyser.rules import builtin_rules
from publisher_restore.analyser.sides import SimpleItemSource
from publisher_restore.usync.folders import handler_folder
from publisher_restore.usync.models import AnyItem
from tests.analyser.helpers import BASE, TODAY, analyse, base_items, summary

UNEXPORTED = [
    ("Content",),
    ("Content", "Media", "Dictionary", "Domains"),  # a site that syncs settings only
    ("ContentTypes", "MediaTypes", "DataTypes", "Templates", "Languages"),  # content only
]


def _outside(*folders: str) -> list[AnyItem]:
    return [i for i in base_items() if handler_folder(i.path) not in folders]


def _copy_without(tmp_path: Path, *folders: str, keep_empty: bool) -> Path:
    """The base site with these handler folders removed, or emptied when ``keep_empty``."""
    target = tmp_path / "incoming"
    shutil.copytree(BASE, target)
    for folder in folders:
        path = target / "uSync" / "v9" / folder
        shutil.rmtree(path)
        if keep_empty:
            path.mkdir()
    return target


def _analyse_folders(incoming: Path) -> AnalysisResult:
    current, loaded = load_pair(BASE, incoming)
    return run_rules(current, loaded, "complete", builtin_rules(), today=TODAY)


@pytest.mark.parametrize("folders", UNEXPORTED)
def test_handler_folder_missing_entirely_deletes_nothing(folders: tuple[str, ...]) -> None:
    incoming = _outside(*folders)
    assert analyse(incoming).findings == []


@pytest.mark.parametrize("folders", UNEXPORTED)
def test_handler_folder_missing_on_disk_deletes_nothing(
    folders: tuple[str, ...], tmp_path: Path
) -> None:
    result = _analyse_folders(_copy_without(tmp_path, *folders, keep_empty=False))
    assert result.findings == []


def test_empty_content_folder_still_deletes_every_page(tmp_path: Path) -> None:
    result = _analyse_folders(_copy_without(tmp_path, "Content", keep_empty=True))
    # Every page sits under Home: one DC701 for Home, its impact counting all six pages.
    assert summary(result.findings) == [("DC701", "damaging", None)]
    assert result.findings[0].item_alias == "Home"
    impact = result.findings[0].impact
    assert impact is not None and (impact.items, impact.values) == (6, 33)


@pytest.mark.parametrize(
    ("named", "deleted"),
    [({"Content", "Media"}, ["Home", "Photo"]), ({"Media"}, ["Photo"]), (set(), [])],
)
def test_named_handler_folder_without_items_still_deletes(
    named: set[str], deleted: list[str]
) -> None:
    items = _outside("Content", "Media")
    source = SimpleItemSource(items, handler_folders=frozenset(named))
    result = run_rules(
        SimpleItemSource(base_items()), source, "complete", builtin_rules(), today=TODAY
    )
    assert [(f.code, f.item_alias) for f in result.findings] == [("DC701", a) for a in deleted]


def test_missing_data_type_folder_keeps_the_data_types_in_use() -> None:
    # ContentTypes present, DataTypes never exported: no DC201, and no DC108 through a
    # data type the import would otherwise have dropped.
    assert analyse(_outside("DataTypes")).findings == []
    present = SimpleItemSource(_outside("DataTypes"), handler_folders=frozenset({"DataTypes"}))
    result = run_rules(
        SimpleItemSource(base_items()), present, "complete", builtin_rules(), today=TODAY
    )
    assert {f.code for f in result.findings} == {"DC201"}
