"""Corpus sites read in place as publisher sources (never copied unless a test changes them)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from publisher_restore.publisher.lookup import SourceItems
from publisher_restore.site import Site
from publisher_restore.usync.loader import load_items
from tests.shared_folder import SHARED as SHARED_FOLDER

REPO = Path(__file__).resolve().parents[2]
SHARED = SHARED_FOLDER
CORPUS = SHARED / "corpus"
USYNC_FORMAT_DOC = SHARED / "docs" / "usync-format.md"


@cache
def corpus_source(name: str) -> SourceItems:
    """The current uSync folder of a corpus site, loaded once per test process."""
    site = Site.open(CORPUS / name)
    return SourceItems.from_item_set(load_items(site.root, site.usync_dir), name)
