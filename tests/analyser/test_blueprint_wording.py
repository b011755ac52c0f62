"""A deleted blueprint is reported as a blueprint, not as a page."""

from __future__ import annotations

import shutil
from pathlib import Path

from publisher_restore.analyser import SimpleItemSource, analyse_sets
from publisher_restore.usync.loader import load_items
from tests.conftest import CORPUS


def test_a_deleted_blueprint_is_called_a_blueprint(tmp_path: Path) -> None:
    site = tmp_path / "zmenu"
    shutil.copytree(CORPUS / "zmenu", site)
    usync = site / "uSync" / "v9"
    current = load_items(site, usync)
    incoming = [i for i in current.items if "/Blueprints/" not in i.path]
    exported = SimpleItemSource(incoming, handler_folders=frozenset({"Blueprints"}))
    result = analyse_sets(current, exported, semantics="complete")
    [finding] = result.findings
    assert finding.code == "DC701" and finding.item_alias == "FaqContaclessMenu"
    assert finding.message.endswith("deletes 9 values on 1 blueprint (en-us 7, he 2).")
