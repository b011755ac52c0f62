"""DC201-DC204 and the editor compatibility table."""

from __future__ import annotations

import json

import pytest

from publisher_restore.analyser.compat import (
    Compatibility,
    editor_compatibility,
    storage_compatible,
)
from publisher_restore.analyser.config_narrowing import narrowing
from tests.analyser.helpers import (
    analyse,
    base_items,
    changed,
    find,
    impact_of,
    marker,
    summary,
    without,
)


def test_dc201_deleting_a_data_type_in_use_deletes_its_properties_values() -> None:
    textstring = find(base_items(), "Textstring")
    result = analyse([*without("Textstring"), marker(textstring)], semantics="import")
    assert summary(result.findings) == [("DC201", "damaging", None)]
    finding = result.findings[0]
    assert finding.detail["properties"] == [
        "Image.altText",
        "homePage.heroText",
        "pageBase.pageTitle",
        "quoteBlock.cite",
        "seoBase.metaTitle",
    ]
    # pageTitle 11 + metaTitle 6 + heroText 2 + altText 1 (media) + cite 1 (in a quoteBlock
    # block on hello-world, a page already counted)
    assert impact_of(finding) == (7, 21, {"en-US": 11, "da": 8, "invariant": 2})
    assert finding.impact is not None and finding.impact.block_values == 1
    assert finding.message.startswith("Deleting data type 'Textstring' deletes properties")


def test_dc201_absent_data_type_counts_under_complete_semantics_only() -> None:
    assert [f.code for f in analyse(without("Category Dropdown")).findings] == ["DC201"]
    assert analyse(without("Category Dropdown"), semantics="import").findings == []


def test_dc201_twin_unused_data_type_deleted_is_harmless() -> None:
    unused = find(base_items(), "Unused Picker")
    assert analyse([*without("Unused Picker"), marker(unused)], semantics="import").findings == []
    assert analyse(without("Unused Picker")).findings == []


def test_dc202_editor_changed_to_an_incompatible_one() -> None:
    result = analyse(changed("Category Dropdown", editor_alias="Umbraco.MediaPicker3"))
    assert summary(result.findings) == [("DC202", "risky", None)]
    assert impact_of(result.findings[0]) == (3, 3, {"invariant": 3})


def test_dc202_twin_compatible_editor_is_a_notice_and_a_renamed_alias_is_nothing() -> None:
    compatible = analyse(changed("Category Dropdown", editor_alias="Umbraco.CheckBoxList"))
    assert summary(compatible.findings) == [("DC202", "notice", None)]
    assert analyse(changed("Richtext editor", editor_alias="Umbraco.RichText")).findings == []


def test_dc203_storage_type_changed() -> None:
    result = analyse(changed("Numeric", database_type="Nvarchar"))
    assert summary(result.findings) == [("DC203", "risky", None)]
    assert impact_of(result.findings[0]) == (2, 2, {"invariant": 2})


def test_dc203_twin_storage_unstated_on_one_side_v14_style() -> None:
    assert analyse(changed("Numeric", database_type=None)).findings == []


def _config(name: str) -> dict[str, object]:
    item = find(base_items(), name)
    return json.loads(item.config_raw)  # type: ignore[union-attr, no-any-return]


def _with_config(name: str, config: dict[str, object]) -> list[object]:
    return changed(name, config_raw=json.dumps(config), config=None)  # type: ignore[return-value]


def test_dc204_list_item_removed_counts_values_that_use_it() -> None:
    config = _config("Category Dropdown")
    config["Items"] = [{"id": 2, "value": "tech"}, {"id": 3, "value": "life"}]
    result = analyse(_with_config("Category Dropdown", config))  # type: ignore[arg-type]
    assert summary(result.findings) == [("DC204", "risky", None)]
    assert result.findings[0].detail["removed_items"] == ["news"]
    assert impact_of(result.findings[0]) == (2, 2, {"invariant": 2})


def test_dc204_block_type_removed_and_maximum_lowered() -> None:
    config = _config("Content Blocks")
    config["Blocks"] = config["Blocks"][1:]  # type: ignore[index]
    result = analyse(_with_config("Content Blocks", config))  # type: ignore[arg-type]
    assert summary(result.findings) == [("DC204", "risky", None)]
    assert result.findings[0].detail["removed_types"] == ["c1000000-0000-0000-0000-000000000007"]
    # the one quoteBlock block on hello-world is stranded, with its two values
    assert impact_of(result.findings[0]) == (1, 2, {"invariant": 2})
    assert result.findings[0].impact is not None and result.findings[0].impact.blocks == 1
    assert "'quoteBlock'" in result.findings[0].message
    lowered = _config("Content Blocks")
    lowered["ValidationLimit"] = {"Min": None, "Max": 1}
    # twin: no stored value holds more than one block, so the lower maximum strands nothing
    assert analyse(_with_config("Content Blocks", lowered)).findings == []  # type: ignore[arg-type]


def test_dc204_twin_widened_configuration_is_harmless() -> None:
    config = _config("Category Dropdown")
    config["Items"] = [*reversed(config["Items"]), {"id": 4, "value": "travel"}]  # type: ignore[call-overload]
    assert analyse(_with_config("Category Dropdown", config)).findings == []  # type: ignore[arg-type]
    blocks = _config("Content Blocks")
    blocks["ValidationLimit"] = {"Min": None, "Max": None}
    blocks["Blocks"][0]["label"] = "Pull quote"  # type: ignore[index]
    assert analyse(_with_config("Content Blocks", blocks)).findings == []  # type: ignore[arg-type]
    picker = _config("Hero Media Picker")
    picker["Filter"] = "Image,File"
    picker["Multiple"] = True
    assert analyse(_with_config("Hero Media Picker", picker)).findings == []  # type: ignore[arg-type]


def test_narrowing_details() -> None:
    assert narrowing({"maxNumber": 0}, {"maxNumber": 5}).lowered_limits == {"/maxnumber": (0, 5)}
    assert narrowing({"maxNumber": 5}, {"maxNumber": 0}).lowered_limits == {}
    assert narrowing({"filter": ""}, {"filter": "Image"}).narrowed_filter == ["any type but image"]
    assert narrowing({"filter": "Image,File"}, {"filter": "Image"}).narrowed_filter == ["file"]
    assert narrowing({"multiple": True}, {"multiple": False}).lowered_limits == {
        "/multiple": (True, False)
    }
    assert narrowing({"items": {"1": {"value": "a"}}}, {"items": {}}).removed_items == ["a"]
    assert not narrowing(None, {"items": ["a"]})
    assert not narrowing({"maxImageSize": 500}, {"maxImageSize": 100})


def test_narrowing_reads_umbraco14_migrated_shapes() -> None:
    """Real v9 -> v14+ upgrades: filters by type Key, colour items as objects."""
    image_key = "cc07b313-0843-4aa8-bbda-871c8da728c8"

    def resolve(token: str) -> str:
        return "image" if token == image_key else token.casefold()

    assert not narrowing({"Filter": "Image"}, {"filter": image_key}, resolve)
    assert narrowing({"Filter": "Image,File"}, {"filter": image_key}, resolve).narrowed_filter == [
        "file"
    ]
    old_colours = {"Items": [{"id": 1, "value": '{"value":"0d6efd","label":"blue"}'}]}
    assert not narrowing(old_colours, {"items": [{"value": "0d6efd", "label": "blue"}]})
    assert narrowing(old_colours, {"items": []}).removed_items == ["0d6efd"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("Umbraco.TextBox", "Umbraco.TextArea", Compatibility.COMPATIBLE),
        ("Umbraco.TextArea", "Umbraco.TextBox", Compatibility.COMPATIBLE),
        ("Umbraco.TextBox", "Umbraco.RichText", Compatibility.COMPATIBLE),
        ("Umbraco.RichText", "Umbraco.TextBox", Compatibility.INCOMPATIBLE),
        ("Umbraco.TinyMCE", "Umbraco.RichText", Compatibility.SAME),
        ("umbraco.textbox", "Umbraco.TextBox", Compatibility.SAME),
        ("Umbraco.Integer", "Umbraco.Decimal", Compatibility.COMPATIBLE),
        ("Umbraco.Decimal", "Umbraco.Integer", Compatibility.INCOMPATIBLE),
        ("Umbraco.ContentPicker", "Umbraco.MultiNodeTreePicker", Compatibility.COMPATIBLE),
        ("Umbraco.MultiNodeTreePicker", "Umbraco.ContentPicker", Compatibility.INCOMPATIBLE),
        ("Umbraco.MediaPicker", "Umbraco.MediaPicker3", Compatibility.INCOMPATIBLE),
        ("Umbraco.NestedContent", "Umbraco.BlockList", Compatibility.INCOMPATIBLE),
        ("Umbraco.DropDown.Flexible", "Umbraco.CheckBoxList", Compatibility.COMPATIBLE),
        ("My.Custom", "Umbraco.TextBox", Compatibility.INCOMPATIBLE),
    ],
)
def test_compatibility_table(old: str, new: str, expected: Compatibility) -> None:
    assert editor_compatibility(old, new) is expected


def test_storage_families() -> None:
    assert storage_compatible("Nvarchar", "Ntext")
    assert storage_compatible(None, "Integer")
    assert not storage_compatible("Integer", "Nvarchar")
    assert not storage_compatible("Date", "Decimal")
