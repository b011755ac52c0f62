"""Block-aware rules on real sites: copies of corpus sites changed as a real change would be.

The expected numbers are hand counts of the corpus files (checked once more against an
independent reading of the JSON in ``_oracle``): clean-starter-kit (Umbraco 17, Block List with
settings), nearbeach (Umbraco 10-13, Block Lists nested as JSON strings), navsjon-sportfiske
(Block Grid with areas, element types built from compositions), zmenu (a Nested Content data
type that no page uses).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from publisher_restore.analyser.impact import ContentIndex, Tally
from publisher_restore.analyser.sides import Side
from publisher_restore.analyser.sources import load_side
from publisher_restore.usync.models import ContentTypeItem
from tests.analyser.block_cases import compare, counts, edit_config, only, pair, set_property
from tests.analyser.corpus_cases import EMPTY, copy_usync, parse, remove_property, type_file
from tests.conftest import CORPUS

CLEAN = ("clean-starter-kit", "v17")
MAIN_CONTENT = "[BlockList] Main Content"
IMAGE_ROW = "e0df4794-063a-4450-8f4f-c615a5d902e2"


def _copy(site: tuple[str, str]) -> Any:
    def copy(_: str, target: Path) -> Path:
        return copy_usync(site[0], site[1], target)

    return copy


def _pair(site: tuple[str, str], tmp_path: Path) -> tuple[Path, Path]:
    return pair(site[0], tmp_path, _copy(site))


def _oracle(usync: Path) -> dict[str, tuple[int, int, int]]:
    """Element type Key -> (blocks, filled values, pages), read from the JSON directly."""
    found: dict[str, list[Any]] = {}
    for path in sorted((usync / "Content").glob("*.config")):
        try:
            root = parse(path).getroot()
        except etree.XMLSyntaxError:
            continue
        for value in root.iterfind("Properties/*/Value"):
            for key, values in _walk(value.text or ""):
                entry = found.setdefault(key, [0, 0, set()])
                entry[0] += 1
                entry[1] += sum(1 for v in values if _filled(v))
                entry[2].add(path.name)
    return {k: (b, v, len(p)) for k, (b, v, p) in found.items()}


def _walk(data: Any) -> Iterator[tuple[str, list[Any]]]:
    if isinstance(data, str):
        if data.strip()[:1] not in ("{", "[") or "contentData" not in data:
            return
        data = json.loads(data)
    if isinstance(data, dict):
        if isinstance(data.get("blocks"), dict):
            yield from _walk(data["blocks"])
        for entry in [*data.get("contentData", []), *data.get("settingsData", [])]:
            if isinstance(entry.get("values"), list):
                values = [v["value"] for v in entry["values"]]
            else:
                values = [v for k, v in entry.items() if k not in ("contentTypeKey", "udi", "key")]
            yield entry["contentTypeKey"], values
            for value in values:
                yield from _walk(value)


def _filled(value: Any) -> bool:
    text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    return value is not None and text.strip() not in EMPTY


@pytest.mark.parametrize(
    "site", [CLEAN, ("clean-starter-kit", "v16"), ("nearbeach", "v9"), ("navsjon-sportfiske", "v9")]
)
def test_every_element_type_counts_the_blocks_the_pages_hold(site: tuple[str, str]) -> None:
    usync = CORPUS / site[0] / "uSync" / site[1]
    items, _ = load_side(usync)
    side = Side.build(items)
    index = ContentIndex(side.content(), side.shared_content())
    oracle = _oracle(usync)
    seen = 0
    for item in side.items:
        if isinstance(item, ContentTypeItem) and item.is_element:
            impact = Tally(index).add_blocks(index.blocks_of([item]), whole=True).impact()
            expected = oracle.get(item.key or "", (0, 0, 0))
            assert (impact.blocks, impact.values, impact.items) == expected, item.alias
            seen += impact.blocks
    assert seen == sum(b for b, _, _ in oracle.values()) > 0


def test_clean_element_property_removed(tmp_path: Path) -> None:
    current, incoming = _pair(CLEAN, tmp_path)
    remove_property(type_file(incoming, "imageRow"), "caption")
    finding = only(compare(current, incoming), "DC101")
    assert finding.message == (
        "Removing property 'caption' from 'imageRow' deletes 8 values in 8 blocks on 7 pages."
    )
    assert counts(finding)["block_values"] == 8


def test_clean_composition_property_removed_counts_every_settings_type(tmp_path: Path) -> None:
    current, incoming = _pair(CLEAN, tmp_path)
    remove_property(type_file(incoming, "hideProperty"), "hide")
    finding = only(compare(current, incoming), "DC101")
    # 'hide' reaches 7 settings types by composition: 51 filled values in 51 blocks
    assert (finding.impact.values, finding.impact.blocks, finding.impact.items) == (51, 51, 13)  # type: ignore[union-attr]


def test_clean_element_type_deleted_orphans_its_blocks(tmp_path: Path) -> None:
    current, incoming = _pair(CLEAN, tmp_path)
    type_file(incoming, "imageRow").unlink()
    finding = only(compare(current, incoming), "DC102")
    assert (finding.impact.blocks, finding.impact.values, finding.impact.items) == (8, 16, 7)  # type: ignore[union-attr]
    assert finding.severity.value == "damaging"


def test_clean_block_type_removed_from_the_main_content_list(tmp_path: Path) -> None:
    current, incoming = _pair(CLEAN, tmp_path)

    def drop(config: dict[str, Any]) -> None:
        config["blocks"] = [b for b in config["blocks"] if b["contentElementTypeKey"] != IMAGE_ROW]

    edit_config(incoming, MAIN_CONTENT, drop)
    finding = only(compare(current, incoming), "DC204")
    # 8 imageRow blocks (16 values) and their 8 imageRowSettings blocks (8 values)
    assert (finding.impact.blocks, finding.impact.values, finding.impact.items) == (16, 24, 7)  # type: ignore[union-attr]
    assert "'imageRow' and 'imageRowSettings'" in finding.message


def test_clean_lower_maximum_strands_the_rows_past_it(tmp_path: Path) -> None:
    current, incoming = _pair(CLEAN, tmp_path)
    edit_config(incoming, MAIN_CONTENT, lambda c: c["validationLimit"].update(max=5))
    finding = only(compare(current, incoming), "DC204")
    # features holds 9 rows (4 past, 5 values), podcasts-and-videos and youtube-tutorials 7
    # (2 past each, 3 values each)
    assert (finding.impact.blocks, finding.impact.values, finding.impact.items) == (8, 11, 3)  # type: ignore[union-attr]
    current, incoming = _pair(CLEAN, tmp_path / "twin")
    edit_config(incoming, MAIN_CONTENT, lambda c: c["validationLimit"].update(max=9))
    assert compare(current, incoming).findings == []


def test_nearbeach_nested_block_list_in_a_json_string(tmp_path: Path) -> None:
    site = ("nearbeach", "v9")
    current, incoming = _pair(site, tmp_path)
    remove_property(type_file(incoming, "priceFeature"), "singlePriceFeature")
    finding = only(compare(current, incoming), "DC101")
    assert (finding.impact.values, finding.impact.blocks, finding.impact.items) == (34, 34, 2)  # type: ignore[union-attr]
    current, incoming = _pair(site, tmp_path / "outer")
    remove_property(type_file(incoming, "priceInformation"), "priceFeatureList")
    outer = only(compare(current, incoming), "DC101")
    assert counts(outer) == {
        "items": 2,
        "values": 6,
        "cultures": {"invariant": 6},
        "blocks": 6,
        "block_values": 6,
        "block_items": 2,
        "held_blocks": 34,
        "held_values": 34,
    }


def test_navsjon_composition_of_element_types(tmp_path: Path) -> None:
    current, incoming = _pair(("navsjon-sportfiske", "v9"), tmp_path)
    remove_property(type_file(incoming, "featureComponentImage"), "image")
    finding = only(compare(current, incoming), "DC101")
    # featureImage composes featureComponentImage: 152 images in Block Grid blocks on 38 pages
    assert (finding.impact.values, finding.impact.blocks, finding.impact.items) == (152, 152, 38)  # type: ignore[union-attr]


def test_navsjon_element_alias_rename_strands_block_values(tmp_path: Path) -> None:
    current, incoming = _pair(("navsjon-sportfiske", "v9"), tmp_path)
    set_property(incoming, "featureComponentImage", "image", "Alias", "picture")
    finding = only(compare(current, incoming), "DC109")
    assert finding.severity.value == "risky"
    assert finding.impact is not None and finding.impact.values == 152


def test_zmenu_nested_content_that_no_page_uses_is_harmless(tmp_path: Path) -> None:
    site = ("zmenu", "v9")
    current, incoming = _pair(site, tmp_path)
    type_file(incoming, "feature").unlink()
    edit_config(
        incoming, "Product - Features - Nested Content", lambda c: c.update(ContentTypes=[])
    )
    assert [f.code for f in compare(current, incoming).findings] == []
    current, incoming = _pair(site, tmp_path / "property")
    remove_property(type_file(incoming, "feature"), "featuredName")
    finding = only(compare(current, incoming), "DC101")
    assert counts(finding) == {}
    assert "no current block holds one" in finding.message
