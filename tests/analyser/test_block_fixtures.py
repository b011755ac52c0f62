"""Block-aware rules on hand-written sites: Nested Content (uSync 8), Block Grid (Umbraco 13)
and the Umbraco 14+ shapes (uSync 15), each change with its harmless twin.

Every expected count is a hand count of the fixture files (see the comments); the sites are in
``fixtures/analyser/blocks``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.analyser.block_cases import (
    compare,
    counts,
    edit_config,
    only,
    pair,
    set_property,
    set_type_field,
    set_value,
)
from tests.analyser.corpus_cases import remove_property, type_file

NC = "nested-content-v8"
GRID = "block-grid-v13"
V15 = "blocks-v15"

# Nested Content: product-a en-US holds feature Fast ("Fast", "Very fast"), feature Safe
# ("Safe", ""), featureGroup Extras holding feature Cheap ("Cheap", "x") as a JSON array; da
# holds feature Hurtig ("Hurtig", "Meget hurtig").  product-b en-US holds a featureGroup (""),
# whose items are a JSON *string* holding feature Solo ("Solo", "").
# feature: 5 blocks on 2 pages; featureName 5 values (en-US 4, da 1); featureText 3 (all on
# product-a: en-US 2, da 1).  teaser: allowed, used by no page.


def test_nc_property_removed_counts_every_feature_at_any_depth(tmp_path: Path) -> None:
    current, incoming = pair(NC, tmp_path)
    remove_property(type_file(incoming, "feature"), "featureName")
    finding = only(compare(current, incoming), "DC101")
    assert counts(finding) == {
        "items": 2,
        "values": 5,
        "cultures": {"en-US": 4, "da": 1},
        "blocks": 5,
        "block_values": 5,
        "block_items": 2,
    }
    assert finding.message == (
        "Removing property 'featureName' from 'feature' deletes 5 values in 5 blocks on "
        "2 pages (en-US 4, da 1)."
    )


def test_nc_element_type_deleted_orphans_its_items_and_the_unused_twin_is_silent(
    tmp_path: Path,
) -> None:
    current, incoming = pair(NC, tmp_path)
    type_file(incoming, "feature").unlink()
    finding = only(compare(current, incoming), "DC102")
    assert counts(finding) == {
        "items": 2,
        "values": 8,
        "cultures": {"en-US": 6, "da": 2},
        "blocks": 5,
        "block_values": 8,
        "block_items": 2,
    }
    assert "orphans its blocks: 8 values in 5 blocks on 2 pages" in finding.message
    current, incoming = pair(NC, tmp_path / "twin")
    type_file(incoming, "teaser").unlink()
    assert compare(current, incoming).findings == []
    # a settings-only export (no Content folder): the blocks cannot be counted, so it fires
    current, incoming = pair(NC, tmp_path / "settings-only")
    for side in (current, incoming):
        for page in (side / "Content").glob("*.config"):
            page.unlink()
        (side / "Content").rmdir()
    type_file(incoming, "teaser").unlink()
    uncounted = only(compare(current, incoming), "DC102")
    assert uncounted.impact is None
    assert uncounted.message.endswith(
        "orphans every block of that type (not counted: the current export has no content items)."
    )


def test_nc_unused_element_property_removed_fires_with_zero_impact(tmp_path: Path) -> None:
    current, incoming = pair(NC, tmp_path)
    remove_property(type_file(incoming, "teaser"), "teaserText")
    finding = only(compare(current, incoming), "DC101")
    assert counts(finding) == {}
    assert finding.message == (
        "Removing property 'teaserText' from 'teaser' deletes no stored value "
        "(no current block holds one)."
    )


def test_nc_alias_rename_strands_items_that_name_it(tmp_path: Path) -> None:
    current, incoming = pair(NC, tmp_path)
    set_type_field(incoming, "feature", "@Alias", "featureItem")
    finding = only(compare(current, incoming), "DC110")
    assert finding.severity.value == "risky"
    assert (finding.impact.blocks, finding.impact.values) == (5, 8)  # type: ignore[union-attr]


def test_nc_property_alias_rename_strands_block_values(tmp_path: Path) -> None:
    current, incoming = pair(NC, tmp_path)
    set_property(incoming, "feature", "featureText", "Alias", "description")
    finding = only(compare(current, incoming), "DC109")
    assert finding.severity.value == "risky"
    assert counts(finding) == {
        "items": 1,
        "values": 3,
        "cultures": {"en-US": 2, "da": 1},
        "blocks": 3,
        "block_values": 3,
        "block_items": 1,
    }
    # the twin: a page type's property renamed keeps its values (stored by property type)
    current, incoming = pair(NC, tmp_path / "twin")
    set_property(incoming, "productPage", "title", "Alias", "heading")
    twin = only(compare(current, incoming), "DC109")
    assert twin.severity.value == "notice" and "keeps its values" in twin.message


def _drop_nc(alias: str) -> Any:
    def change(config: dict[str, Any]) -> None:
        config["ContentTypes"] = [c for c in config["ContentTypes"] if c["ncAlias"] != alias]

    return change


def test_nc_type_removed_from_allowed_counts_only_items_this_data_type_holds(
    tmp_path: Path,
) -> None:
    current, incoming = pair(NC, tmp_path)
    edit_config(incoming, "Features - Nested Content", _drop_nc("feature"))
    finding = only(compare(current, incoming), "DC204")
    # Fast, Safe (en-US) and Hurtig (da) sit directly in productPage.features; Cheap and Solo
    # sit in featureGroup.items (another data type) and are not stranded
    assert counts(finding) == {
        "items": 1,
        "values": 5,
        "cultures": {"en-US": 3, "da": 2},
        "blocks": 3,
        "block_values": 5,
        "block_items": 1,
    }
    assert "allowed types removed: 'feature'" in finding.message
    current, incoming = pair(NC, tmp_path / "twin")
    edit_config(incoming, "Features - Nested Content", _drop_nc("teaser"))
    assert compare(current, incoming).findings == []


def test_nc_lower_maximum_strands_the_items_past_it(tmp_path: Path) -> None:
    current, incoming = pair(NC, tmp_path)
    edit_config(incoming, "Features - Nested Content", lambda c: c.update(MaxItems=2))
    finding = only(compare(current, incoming), "DC204")
    # product-a en-US holds 3 items: the third (group Extras: 2 values, holding Cheap: 2)
    assert counts(finding) == {
        "items": 1,
        "values": 2,
        "cultures": {"en-US": 2},
        "blocks": 1,
        "block_values": 2,
        "block_items": 1,
        "held_blocks": 1,
        "held_values": 2,
    }
    current, incoming = pair(NC, tmp_path / "twin")
    edit_config(incoming, "Features - Nested Content", lambda c: c.update(MaxItems=3))
    assert compare(current, incoming).findings == []


# Block Grid (Umbraco 13 shapes, JSON in CDATA).  landing-one: root heading "Welcome", root
# twoColumn whose left area holds textBlock "Left text" (settings hide "0") and whose right area
# holds a cardList whose items (a Block List as a JSON string) hold cards One/First, Two/"",
# Three/Third; root textBlock "Closing" (settings hide "1").  landing-two: root headings "Hello"
# and "", root textBlock "Body", and a stale heading in contentData that the layout omits.


def test_grid_nested_card_property_removed(tmp_path: Path) -> None:
    current, incoming = pair(GRID, tmp_path)
    remove_property(type_file(incoming, "card"), "cardText")
    finding = only(compare(current, incoming), "DC101")
    assert counts(finding) == {
        "items": 1,
        "values": 2,
        "cultures": {"invariant": 2},
        "blocks": 2,
        "block_values": 2,
        "block_items": 1,
    }


def test_grid_block_list_property_removed_takes_the_nested_blocks_along(tmp_path: Path) -> None:
    current, incoming = pair(GRID, tmp_path)
    remove_property(type_file(incoming, "cardList"), "items")
    finding = only(compare(current, incoming), "DC101")
    assert counts(finding)["held_blocks"] == 3 and counts(finding)["held_values"] == 5
    assert finding.message == (
        "Removing property 'items' from 'cardList' deletes 1 value in 1 block on 1 page "
        "(holding 3 blocks with 5 values)."
    )


def test_grid_element_type_deleted_skips_stale_data(tmp_path: Path) -> None:
    current, incoming = pair(GRID, tmp_path)
    type_file(incoming, "heading").unlink()
    finding = only(compare(current, incoming), "DC102")
    # three headings in layouts (two with a title); the stale one is not page content
    assert counts(finding) == {
        "items": 2,
        "values": 2,
        "cultures": {"invariant": 2},
        "blocks": 3,
        "block_values": 2,
        "block_items": 2,
    }


def test_grid_settings_type_deleted_orphans_settings_blocks(tmp_path: Path) -> None:
    current, incoming = pair(GRID, tmp_path)
    type_file(incoming, "blockSettings").unlink()
    finding = only(compare(current, incoming), "DC102")
    assert (finding.impact.blocks, finding.impact.values) == (2, 2)  # type: ignore[union-attr]


def _drop_block(key: str) -> Any:
    def change(config: dict[str, Any]) -> None:
        config["Blocks"] = [b for b in config["Blocks"] if b["contentElementTypeKey"] != key]

    return change


TEXT_BLOCK = "b9c00000-0000-0000-0000-000000000003"
QUOTE = "b9c00000-0000-0000-0000-000000000007"


def test_grid_block_type_removed_strands_its_blocks_and_settings(tmp_path: Path) -> None:
    current, incoming = pair(GRID, tmp_path)
    edit_config(incoming, "Page Grid - Block Grid", _drop_block(TEXT_BLOCK))
    finding = only(compare(current, incoming), "DC204")
    # textBlock "Left text", "Closing", "Body" and their settings blocks (hide "0", "1")
    assert counts(finding) == {
        "items": 2,
        "values": 5,
        "cultures": {"invariant": 5},
        "blocks": 5,
        "block_values": 5,
        "block_items": 2,
    }
    assert "allowed types removed: 'blockSettings' and 'textBlock'" in finding.message
    current, incoming = pair(GRID, tmp_path / "twin")
    edit_config(incoming, "Page Grid - Block Grid", _drop_block(QUOTE))
    assert compare(current, incoming).findings == []
    type_file(incoming, "quote").unlink()
    assert compare(current, incoming).findings == []


def test_grid_lower_maximum_counts_root_blocks_not_area_blocks(tmp_path: Path) -> None:
    current, incoming = pair(GRID, tmp_path)
    limit = {"min": None, "max": 2}
    edit_config(incoming, "Page Grid - Block Grid", lambda c: c.update(ValidationLimit=limit))
    finding = only(compare(current, incoming), "DC204")
    # each page has 3 root blocks: "Closing" and "Body" are past the new maximum of 2
    assert counts(finding) == {
        "items": 2,
        "values": 2,
        "cultures": {"invariant": 2},
        "blocks": 2,
        "block_values": 2,
        "block_items": 2,
    }
    assert "a value with more than 2 blocks fails validation on save" in finding.message


def test_nested_block_list_lower_maximum(tmp_path: Path) -> None:
    current, incoming = pair(GRID, tmp_path)
    limit = {"min": None, "max": 1}
    edit_config(incoming, "Cards - Block List", lambda c: c.update(ValidationLimit=limit))
    finding = only(compare(current, incoming), "DC204")
    assert (finding.impact.blocks, finding.impact.values) == (2, 3)  # type: ignore[union-attr]
    current, incoming = pair(GRID, tmp_path / "twin")
    limit = {"min": None, "max": 3}
    edit_config(incoming, "Cards - Block List", lambda c: c.update(ValidationLimit=limit))
    assert compare(current, incoming).findings == []


def test_grid_value_emptied_counts_what_it_held(tmp_path: Path) -> None:
    current, incoming = pair(GRID, tmp_path)
    set_value(incoming, "landing-one", "grid", "")
    finding = only(compare(current, incoming), "DC703")
    # 7 content and settings blocks + 3 cards; 11 filled values (twoColumn holds none)
    assert (finding.impact.held_blocks, finding.impact.held_values) == (10, 11)  # type: ignore[union-attr]
    assert finding.message == (
        "Importing 'Landing One' empties its 'grid' value, which holds 10 blocks with 11 values."
    )


# Umbraco 15 (v14+ shapes): home.blocks (invariant) holds hero (heading en-US "Welcome", da
# "Velkommen"; image "hero.jpg") and faq whose items (an object) hold faqItem 1 (question en-US
# "Why?", da "Hvorfor?"; answer en-US "Because", da "") and faqItem 2 (question en-US "How?",
# answer en-US "Like this").  home.body en-US holds a callout ("Note") as a rich-text block.


def test_v15_block_level_cultures_are_counted_per_culture(tmp_path: Path) -> None:
    current, incoming = pair(V15, tmp_path)
    remove_property(type_file(incoming, "faqItem"), "question")
    finding = only(compare(current, incoming), "DC101")
    assert counts(finding) == {
        "items": 1,
        "values": 3,
        "cultures": {"en-US": 2, "da": 1},
        "blocks": 2,
        "block_values": 3,
        "block_items": 1,
    }


def test_v15_rich_text_block_takes_the_page_value_culture(tmp_path: Path) -> None:
    current, incoming = pair(V15, tmp_path)
    type_file(incoming, "callout").unlink()
    finding = only(compare(current, incoming), "DC102")
    assert counts(finding) == {
        "items": 1,
        "values": 1,
        "cultures": {"en-US": 1},
        "blocks": 1,
        "block_values": 1,
        "block_items": 1,
    }


def test_v15_element_type_variation_narrowed_strands_other_cultures(tmp_path: Path) -> None:
    current, incoming = pair(V15, tmp_path)
    set_type_field(incoming, "hero", "Info/Variations", "Nothing")
    set_property(incoming, "hero", "heading", "Variations", "Nothing")
    finding = only(compare(current, incoming), "DC106")
    assert counts(finding) == {
        "items": 1,
        "values": 1,
        "cultures": {"da": 1},
        "blocks": 1,
        "block_values": 1,
        "block_items": 1,
    }
    current, incoming = pair(V15, tmp_path / "property")
    set_property(incoming, "faqItem", "question", "Variations", "Nothing")
    narrowed = only(compare(current, incoming), "DC107")
    assert counts(narrowed)["cultures"] == {"da": 1}


def test_v15_language_deleted_counts_block_level_values(tmp_path: Path) -> None:
    current, incoming = pair(V15, tmp_path)
    (incoming / "Languages" / "da.config").unlink()
    finding = only(compare(current, incoming), "DC301")
    # body (da) on the page, heading "Velkommen" and question "Hvorfor?" in blocks
    assert (finding.impact.values, finding.impact.block_values) == (3, 2)  # type: ignore[union-attr]
    assert finding.impact.cultures == {"da": 3}  # type: ignore[union-attr]


def test_v15_block_type_removed_counts_nested_blocks_it_holds(tmp_path: Path) -> None:
    current, incoming = pair(V15, tmp_path)
    faq = "d1c00000-0000-0000-0000-000000000002"

    def drop(config: dict[str, Any]) -> None:
        config["blocks"] = [b for b in config["blocks"] if b["contentElementTypeKey"] != faq]

    edit_config(incoming, "Main Blocks", drop)
    finding = only(compare(current, incoming), "DC204")
    assert counts(finding) == {
        "items": 1,
        "values": 1,
        "cultures": {"invariant": 1},
        "blocks": 1,
        "block_values": 1,
        "block_items": 1,
        "held_blocks": 2,
        "held_values": 5,
    }


def test_v15_mandatory_element_property_counts_blocks_without_a_value(tmp_path: Path) -> None:
    current, incoming = pair(V15, tmp_path)
    set_property(incoming, "faqItem", "answer", "Mandatory", "true")
    finding = only(compare(current, incoming), "DC112")
    # both faqItems hold an answer in some culture: no block lacks one
    assert finding.message.endswith("becomes mandatory; no current page or block lacks a value.")
    current, incoming = pair(V15, tmp_path / "lacking")
    set_property(incoming, "hero", "image", "Mandatory", "true")
    no_image = _without_image(current)
    set_value(current, "home", "blocks", no_image)
    set_value(incoming, "home", "blocks", no_image)
    lacking = only(compare(current, incoming), "DC112")
    assert (lacking.impact.blocks, lacking.impact.items) == (1, 1)  # type: ignore[union-attr]
    assert "1 block on 1 page has no value: that page fails validation" in lacking.message


def _without_image(usync: Path) -> str:
    text = (usync / "Content" / "home.config").read_text(encoding="utf-8")
    start = text.index("<blocks>")
    value = text[text.index("<![CDATA[", start) + 9 : text.index("]]>", start)]
    return value.replace('"value": "hero.jpg"', '"value": ""')


EMPTY_GRID = '{"layout": {"Umbraco.BlockGrid": []}, "contentData": [], "settingsData": []}'


def test_a_block_value_emptied_to_an_envelope_is_emptied(tmp_path: Path) -> None:
    # Umbraco writes an emptied block editor as empty lists, not as an empty string
    current, incoming = pair(GRID, tmp_path)
    set_value(incoming, "landing-two", "grid", EMPTY_GRID)
    finding = only(compare(current, incoming), "DC703")
    # headings "Hello" and "" and textBlock "Body" (the stale heading is not page content)
    assert (finding.impact.held_blocks, finding.impact.held_values) == (3, 2)  # type: ignore[union-attr]
    # the twin: a value that already held no block loses nothing when it is cleared
    current, incoming = pair(GRID, tmp_path / "twin")
    set_value(current, "landing-two", "grid", EMPTY_GRID)
    set_value(incoming, "landing-two", "grid", "")
    assert compare(current, incoming).findings == []
