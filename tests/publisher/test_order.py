"""uSync's write order: one table, the same as uSync's handler priorities."""

from __future__ import annotations

import random
import re

from publisher_restore.publisher.order import (
    UNKNOWN_PRIORITY,
    WRITE_ORDER,
    folder_for_item,
    handler_priority,
    in_write_order,
)
from publisher_restore.usync.folders import HANDLER_FOLDERS

from .corpus import USYNC_FORMAT_DOC, corpus_source

_TABLE_ROW = re.compile(r"^\| `(\w+)` \| [^|]+\| `(\w+)`[^|]* \| (\d{4}) \|", re.M)


def test_table_matches_the_handler_priorities_in_the_usync_format_reference() -> None:
    documented = {
        folder: (element, int(priority))
        for folder, element, priority in _TABLE_ROW.findall(USYNC_FORMAT_DOC.read_text())
    }
    assert len(documented) == len(HANDLER_FOLDERS)
    assert {e.folder: (e.item_type, e.priority) for e in WRITE_ORDER} == documented


def test_every_handler_folder_has_a_place_and_priorities_rise() -> None:
    assert {entry.folder for entry in WRITE_ORDER} == set(HANDLER_FOLDERS)
    priorities = [entry.priority for entry in WRITE_ORDER]
    assert priorities == sorted(priorities) and len(set(priorities)) == len(priorities)
    brief = ["Languages", "Dictionary", "DataTypes", "Templates", "ContentTypes", "MediaTypes"]
    brief += ["MemberTypes", "Media", "Content", "Domains"]
    assert [f for f in (e.folder for e in WRITE_ORDER) if f in brief] == brief
    assert handler_priority("UserGroups") == UNKNOWN_PRIORITY
    assert handler_priority("contenttypes") == handler_priority("ContentTypes")


def test_corpus_items_sort_by_handler_then_level_whatever_the_input_order() -> None:
    items = list(corpus_source("zmenu").files)
    expected = in_write_order(items)
    random.Random(7).shuffle(items)
    ordered = in_write_order(items)
    assert ordered == expected
    folders = [folder_for_item(item) for item in ordered]
    ranks = [handler_priority(folder) for folder in folders]
    assert ranks == sorted(ranks)
    assert folders.index("Blueprints") > max(i for i, f in enumerate(folders) if f == "Content")
    content = [item for item in ordered if folder_for_item(item) == "Content"]
    levels = [item.level or 0 for item in content]
    assert levels == sorted(levels) and levels[0] < levels[-1]
