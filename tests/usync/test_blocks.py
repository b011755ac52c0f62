"""The block reader: every shape uSync writes, nesting, layouts, and hostile values."""

from __future__ import annotations

import json
import time
from typing import Any

from lxml import etree

from publisher_restore.usync import blocks as reader
from publisher_restore.usync.blocks import (
    Block,
    block_id,
    holds_nothing,
    may_hold_blocks,
    read_blocks,
)
from tests.conftest import CORPUS

KEY_A = "aaaaaaaa-0000-0000-0000-000000000001"
KEY_B = "bbbbbbbb-0000-0000-0000-000000000002"


def _udi(n: int) -> str:
    return f"umb://element/{n:032x}"


def _summary(blocks: list[Block]) -> list[tuple[Any, ...]]:
    return [
        (
            b.element_key or b.element_alias,
            b.settings,
            b.depth,
            [(v.alias, v.text) for v in b.values],
        )
        for b in blocks
    ]


def test_nested_content_items_with_nested_items_as_array_and_as_string() -> None:
    inner = [{"key": "k3", "name": "c", "ncContentTypeAlias": "feature", "title": "Inner"}]
    value = [
        {"key": "k1", "name": "a", "ncContentTypeAlias": "feature", "title": "One", "PropType": ""},
        {"key": "k2", "name": "b", "ncContentTypeAlias": "group", "items": inner},
        {"key": "k4", "name": "d", "ncContentTypeAlias": "group", "items": json.dumps(inner)},
    ]
    read = read_blocks(json.dumps(value), culture="da")
    assert _summary(read.blocks)[:3] == [
        ("feature", False, 1, [("title", "One")]),
        ("group", False, 1, [("items", json.dumps(inner, separators=(",", ":")))]),
        ("group", False, 1, [("items", json.dumps(inner))]),
    ]
    nested = [b for b in read.blocks if b.depth == 2]
    assert [(b.element_alias, b.culture, b.parent.key if b.parent else None) for b in nested] == [
        ("feature", "da", "k4"),
        ("feature", "da", "k2"),
    ]
    assert not read.truncated


def test_block_list_before_umbraco_14_with_settings_and_a_nested_list_as_a_string() -> None:
    nested = {
        "layout": {"Umbraco.BlockList": [{"contentUdi": _udi(9)}]},
        "contentData": [{"contentTypeKey": KEY_B, "udi": _udi(9), "text": "deep"}],
        "settingsData": [],
    }
    value = {
        "layout": {"Umbraco.BlockList": [{"contentUdi": _udi(1), "settingsUdi": _udi(2)}]},
        "contentData": [
            {
                "contentTypeKey": KEY_A.upper(),
                "udi": _udi(1),
                "title": "T",
                "list": json.dumps(nested),
            }
        ],
        "settingsData": [{"contentTypeKey": KEY_B, "udi": _udi(2), "hide": "0"}],
    }
    read = read_blocks(json.dumps(value))
    assert [(b.element_key, b.settings, b.depth) for b in read.blocks] == [
        (KEY_A, False, 1),
        (KEY_B, True, 1),
        (KEY_B, False, 2),
    ]
    deep = read.blocks[2]
    assert deep.holder is not None and deep.holder.alias == "list"
    assert deep.parent is read.blocks[0] and deep.key == f"{9:032x}"


def test_block_grid_areas_and_layout_order_and_stale_data() -> None:
    value = {
        "layout": {
            "Umbraco.BlockGrid": [
                {"contentUdi": _udi(3), "areas": []},
                {
                    "contentUdi": _udi(1),
                    "areas": [{"key": "x", "items": [{"contentUdi": _udi(2)}]}],
                },
            ]
        },
        "contentData": [
            {"contentTypeKey": KEY_A, "udi": _udi(1)},
            {"contentTypeKey": KEY_A, "udi": _udi(2), "title": "in an area"},
            {"contentTypeKey": KEY_A, "udi": _udi(3), "title": "root"},
            {"contentTypeKey": KEY_A, "udi": _udi(4), "title": "stale: not in the layout"},
        ],
        "settingsData": [],
    }
    read = read_blocks(json.dumps(value))
    assert [(b.key, b.in_area, b.position) for b in read.blocks] == [
        (f"{1:032x}", False, 1),
        (f"{2:032x}", True, None),
        (f"{3:032x}", False, 0),
    ]


def test_umbraco_14_values_with_block_level_cultures_as_objects() -> None:
    faq = {
        "contentData": [
            {
                "contentTypeKey": KEY_B,
                "key": "22222222-0000-0000-0000-000000000002",
                "values": [
                    {"alias": "q", "culture": "en-US", "segment": None, "value": "Why?"},
                    {"alias": "q", "culture": "da", "segment": "vip", "value": "Hvorfor?"},
                ],
            }
        ],
        "settingsData": [],
        "expose": [],
        "Layout": {"Umbraco.BlockList": [{"contentKey": "22222222-0000-0000-0000-000000000002"}]},
    }
    value = {
        "contentData": [
            {
                "contentTypeKey": KEY_A,
                "key": "11111111-0000-0000-0000-000000000001",
                "udi": None,
                "values": [
                    {"alias": "n", "culture": None, "segment": None, "value": 3},
                    {"alias": "items", "culture": None, "segment": None, "value": faq},
                ],
            }
        ],
        "settingsData": [],
        "expose": [{"contentKey": "11111111-0000-0000-0000-000000000001", "culture": None}],
        "Layout": {
            "Umbraco.BlockList": [
                {"contentKey": "11111111-0000-0000-0000-000000000001", "contentUdi": None}
            ]
        },
    }
    read = read_blocks(value, culture="en-US")  # already parsed: a value inside a v14 block
    outer, inner = read.blocks
    assert (outer.values[0].alias, outer.values[0].culture, outer.values[0].text) == (
        "n",
        None,
        "3",
    )
    assert [(v.alias, v.culture, v.segment) for v in inner.values] == [
        ("q", "en-US", None),
        ("q", "da", "vip"),
    ]
    assert [inner.label_culture(v) for v in inner.values] == ["en-US", "da"]
    assert outer.label_culture(outer.values[0]) == "en-US"


def test_rich_text_blocks_and_plain_values_that_only_look_like_blocks() -> None:
    rte = {
        "markup": "<p>contentData</p>",
        "blocks": {
            "contentData": [{"contentTypeKey": KEY_A, "udi": _udi(5), "text": "Note"}],
            "settingsData": [],
        },
    }
    assert [b.element_key for b in read_blocks(json.dumps(rte)).blocks] == [KEY_A]
    assert read_blocks("<p>we store contentData here</p>").blocks == []
    assert read_blocks('{"contentData": "not a list"}').blocks == []
    assert read_blocks("{ contentData broken json").blocks == []
    assert not may_hold_blocks("[1, 2, 3]") and may_hold_blocks(' {"contentData": []}')


def test_a_property_called_values_before_umbraco_14_is_a_property() -> None:
    value = {"contentData": [{"contentTypeKey": KEY_A, "udi": _udi(1), "values": "1,2,3"}]}
    (block,) = read_blocks(json.dumps(value)).blocks
    assert [(v.alias, v.text) for v in block.values] == [("values", "1,2,3")]


def test_block_ids_from_keys_and_udis_compare_equal() -> None:
    assert block_id("umb://element/0B000000000000000000000000000001") == block_id(
        "0b000000-0000-0000-0000-000000000001"
    )
    assert block_id(None) is None and block_id("  ") is None


def test_deep_json_nesting_is_not_a_block_value_and_does_not_crash() -> None:
    deep = '{"contentData": [' + "[" * 100_000 + "]" * 100_000 + "]}"
    assert read_blocks(deep).blocks == []


def test_block_nesting_is_bounded_in_depth() -> None:
    value: Any = {"contentData": [{"contentTypeKey": KEY_A, "udi": _udi(1), "t": "leaf"}]}
    for level in range(reader.MAX_DEPTH + 5):
        value = {
            "contentData": [
                {"contentTypeKey": KEY_A, "udi": _udi(level + 2), "inner": json.dumps(value)}
            ]
        }
    read = read_blocks(json.dumps(value))
    assert read.truncated
    assert max(b.depth for b in read.blocks) == reader.MAX_DEPTH


def test_huge_arrays_and_texts_are_bounded(monkeypatch: Any) -> None:
    many = {"contentData": [{"contentTypeKey": KEY_A} for _ in range(reader.MAX_BLOCKS + 50)]}
    started = time.perf_counter()
    read = read_blocks(json.dumps(many))
    assert read.truncated and len(read.blocks) == reader.MAX_BLOCKS
    assert time.perf_counter() - started < 30  # bounded work, not a timing test
    monkeypatch.setattr(reader, "MAX_PARSE_CHARS", 1000)
    big = json.dumps({"contentData": [{"contentTypeKey": KEY_A, "t": "x" * 2000}]})
    read = read_blocks(big)
    assert read.truncated and read.blocks == []


def test_every_corpus_block_value_reads_without_limits() -> None:
    found = 0
    for path in sorted(CORPUS.glob("*/uSync/*/Content/*.config")):
        try:
            root = etree.parse(str(path), etree.XMLParser(resolve_entities=False)).getroot()
        except etree.XMLSyntaxError:
            continue
        for value in root.iterfind("Properties/*/Value"):
            read = read_blocks(value.text or "", value.get("Culture"))
            assert not read.truncated, path
            found += len(read.blocks)
    assert found > 800


def test_an_envelope_without_blocks_holds_nothing() -> None:
    assert holds_nothing('{"layout": {}, "contentData": [], "settingsData": []}')
    assert holds_nothing('{"contentData": [], "settingsData": [], "expose": [], "Layout": {}}')
    assert holds_nothing('{"markup": "", "blocks": {"contentData": [], "settingsData": []}}')
    assert holds_nothing('{"blocks": {"contentData": []}, "markup": null}')
    assert not holds_nothing('{"markup": "<p>Hi</p>", "blocks": {"contentData": []}}')
    assert not holds_nothing('{"markup": "a \\" b", "blocks": {"contentData": []}}')
    assert not holds_nothing('{"contentData": [{"contentTypeKey": "k", "udi": "u"}]}')
    assert not holds_nothing("plain text about contentData")
