"""The memory savings of loading change no model: values built without validation equal the
validated ones on every corpus site, and a shared item's compressed bytes are its file's."""

from __future__ import annotations

import sys

import pytest

from publisher_restore.analyser.shared import SharedItem
from publisher_restore.site import Site
from publisher_restore.usync.loader import parse_file_bytes
from publisher_restore.usync.models import ContentItem, PropertyValue
from tests.conftest import CORPUS, CORPUS_SITES

ALL_FIELDS = set(PropertyValue.model_fields)


@pytest.mark.parametrize("site", CORPUS_SITES)
def test_values_built_unvalidated_equal_validated_values(site: str) -> None:
    usync = Site.open(CORPUS / site).usync_dir
    values = 0
    for path in sorted(usync.rglob("*.config")):
        item = parse_file_bytes(path.read_bytes(), str(path))
        if not isinstance(item, ContentItem):
            continue
        assert ContentItem.model_validate(item.model_dump()) == item, path
        for value in item.values:
            validated = PropertyValue.model_validate(value.model_dump())
            assert validated == value, path
            assert validated.model_dump_json() == value.model_dump_json(), path
            assert value.model_fields_set == validated.model_fields_set == ALL_FIELDS
            values += 1
    assert values, f"{site}: no content or media values to compare"


def test_cultures_are_interned_and_as_written() -> None:
    usync = Site.open(CORPUS / "zmenu").usync_dir
    cultures = {
        value.culture
        for path in sorted((usync / "Content").glob("*.config"))
        if isinstance(item := parse_file_bytes(path.read_bytes(), str(path)), ContentItem)
        for value in item.values
    }
    assert {"en-us", "he", "ru"} <= cultures
    assert all(c is None or sys.intern(c) is c for c in cultures)


def test_shared_item_gives_back_its_exact_bytes() -> None:
    usync = Site.open(CORPUS / "nearbeach").usync_dir
    for path in sorted(usync.rglob("*.config"))[:50]:
        data = path.read_bytes()
        shared = SharedItem("Content", None, "a", str(path), data)
        assert shared.data == data
        assert parse_file_bytes(data, str(path)) == shared.model() or shared.model() is None
