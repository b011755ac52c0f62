"""DC101-DC114 on the hand-made base site: each damaging case, and its harmless twin."""

from __future__ import annotations

from publisher_restore.usync.models import ContentTypeItem, EmptyAction, ItemRef, Tab
from tests.analyser.helpers import (
    QUOTE_ONLY_BLOCKS,
    analyse,
    base_items,
    changed,
    find,
    impact_of,
    marker,
    replaced,
    summary,
    with_property,
    with_value,
    without,
    without_property,
)


def test_base_site_compared_with_itself_finds_nothing() -> None:
    for semantics in ("complete", "import"):
        assert analyse(base_items(), semantics=semantics).findings == []


def test_dc101_removed_property_counts_values_on_every_inheriting_type() -> None:
    result = analyse(without_property("pageBase", "pageTitle"))
    assert summary(result.findings) == [("DC101", "damaging", "pageTitle")]
    finding = result.findings[0]
    assert impact_of(finding) == (6, 11, {"en-US": 6, "da": 5})
    assert finding.message == (
        "Removing property 'pageTitle' from 'pageBase' deletes 11 values on 6 pages "
        "(en-US 6, da 5)."
    )
    assert finding.item_key == "c1000000-0000-0000-0000-000000000002"
    assert finding.path == "uSync/v9/ContentTypes/pagebase.config"


def test_dc101_twin_property_renamed_keeps_key_so_it_is_dc109_not_a_removal() -> None:
    result = analyse(with_property("pageBase", "pageTitle", alias="title"))
    assert summary(result.findings) == [("DC109", "notice", "pageTitle")]
    assert "keeps its values" in result.findings[0].message


def test_dc101_twin_property_with_new_key_but_same_alias_is_kept() -> None:
    result = analyse(
        with_property("pageBase", "pageTitle", key="f9999999-0000-0000-0000-000000000000")
    )
    assert result.findings == []


def test_dc101_unused_property_still_fires_with_zero_impact() -> None:
    # quoteBlock is an element type: hello-world holds one quoteBlock block with a cite
    in_blocks = analyse(without_property("quoteBlock", "cite"))
    assert summary(in_blocks.findings) == [("DC101", "damaging", "cite")]
    assert impact_of(in_blocks.findings[0]) == (1, 1, {"invariant": 1})
    assert "deletes 1 value in 1 block on 1 page" in in_blocks.findings[0].message
    current = with_value(list(base_items()), "Hello World", "blocks", QUOTE_ONLY_BLOCKS)
    incoming = [
        find(without_property("quoteBlock", "cite"), "quoteBlock") if i.alias == "quoteBlock" else i
        for i in current
    ]
    unused = analyse(incoming, current=current)
    assert summary(unused.findings) == [("DC101", "damaging", "cite")]
    assert impact_of(unused.findings[0]) == (0, 0, {})
    assert "deletes no stored value (no current block holds one)" in unused.findings[0].message
    result = analyse(without_property("homePage", "heroText"))
    assert summary(result.findings) == [("DC101", "damaging", "heroText")]
    assert impact_of(result.findings[0]) == (1, 2, {"en-US": 1, "da": 1})
    member = analyse(without_property("Member", "bio"))
    assert impact_of(member.findings[0]) is None
    assert "(not counted: members are not in uSync)" in member.findings[0].message


def test_dc102_type_delete_marker_counts_its_pages_and_values() -> None:
    post = find(base_items(), "blogPost")
    result = analyse([*without("blogPost"), marker(post)], semantics="import")
    assert summary(result.findings) == [("DC102", "damaging", None)]
    finding = result.findings[0]
    assert impact_of(finding) == (3, 21, {"en-US": 9, "invariant": 7, "da": 5})
    assert finding.path == post.path


def test_dc102_absent_type_is_deleted_only_under_complete_semantics() -> None:
    incoming = without("blogPost")
    assert [f.code for f in analyse(incoming).findings] == ["DC102"]
    assert analyse(incoming, semantics="import").findings == []


def test_dc102_twin_rename_and_none_markers_do_not_delete() -> None:
    post = find(base_items(), "blogPost")
    for action in (EmptyAction.RENAME, EmptyAction.NONE):
        incoming = [*base_items(), marker(post, action)]
        assert analyse(incoming, semantics="import").findings == []
        assert analyse(incoming).findings == []


def test_dc102_twin_stale_delete_marker_beside_the_live_item_is_ignored() -> None:
    post = find(base_items(), "blogPost")
    assert analyse([*base_items(), marker(post)], semantics="import").findings == []


def test_dc103_removed_composition_loses_transitive_properties() -> None:
    result = analyse(changed("blogPost", compositions=()))
    assert summary(result.findings) == [("DC103", "damaging", None)]
    finding = result.findings[0]
    assert finding.detail["lost_properties"] == ["metaDescription", "metaTitle", "pageTitle"]
    assert impact_of(finding) == (3, 9, {"en-US": 6, "da": 3})


def test_dc103_nested_composition_removed_hits_every_user_type() -> None:
    result = analyse(changed("pageBase", compositions=()))
    assert summary(result.findings) == [("DC103", "damaging", None)]
    assert impact_of(result.findings[0]) == (4, 7, {"en-US": 5, "da": 2})


def test_dc103_twin_properties_still_arrive_through_another_composition() -> None:
    seo = ItemRef(key="c1000000-0000-0000-0000-000000000001", alias="seoBase")
    page = ItemRef(key="c1000000-0000-0000-0000-000000000002", alias="pageBase")
    # blogPost names seoBase directly too: dropping it loses nothing, pageBase still brings it
    current = changed("blogPost", compositions=(page, seo))
    assert analyse(changed("blogPost", compositions=(page,)), current=current).findings == []


def test_dc104_parent_removed_loses_inherited_properties() -> None:
    page = ItemRef(key="c1000000-0000-0000-0000-000000000002", alias="pageBase")
    current = changed("contentPage", compositions=(), parent=page)
    result = analyse(changed("contentPage", compositions=(), parent=None), current=current)
    assert summary(result.findings) == [("DC104", "damaging", None)]
    assert impact_of(result.findings[0]) == (1, 3, {"en-US": 2, "da": 1})


def test_dc104_twin_parent_kept_as_a_composition() -> None:
    page = ItemRef(key="c1000000-0000-0000-0000-000000000002", alias="pageBase")
    current = changed("contentPage", compositions=(), parent=page)
    assert (
        analyse(changed("contentPage", compositions=(page,), parent=None), current=current).findings
        == []
    )


def test_dc105_tab_removed_while_properties_still_point_at_it() -> None:
    post = find(base_items(), "blogPost")
    assert isinstance(post, ContentTypeItem)
    result = analyse(changed("blogPost", tabs=tuple(t for t in post.tabs if t.alias != "media")))
    assert summary(result.findings) == [("DC105", "damaging", None)]
    assert result.findings[0].detail["orphaned_properties"] == ["heroImage"]
    assert impact_of(result.findings[0]) == (1, 1, {"invariant": 1})


def test_dc105_twin_tab_renamed_or_properties_rehomed() -> None:
    post = find(base_items(), "blogPost")
    assert isinstance(post, ContentTypeItem)
    renamed = tuple(t.model_copy(update={"caption": "Pictures"}) for t in post.tabs)
    assert analyse(changed("blogPost", tabs=renamed)).findings == []
    rehomed_props = tuple(
        p.model_copy(update={"tab_alias": "content", "tab_name": "Content"})
        for p in post.properties
    )
    content_only = tuple(t for t in post.tabs if t.alias == "content")
    result = analyse(changed("blogPost", tabs=content_only, properties=rehomed_props))
    assert result.findings == []
    reordered = tuple(reversed([t.model_copy(update={"sort_order": 9}) for t in post.tabs]))
    assert analyse(changed("blogPost", tabs=reordered)).findings == []


def test_dc106_type_narrowed_to_invariant_strands_non_default_values() -> None:
    result = analyse(changed("blogPost", variations="Nothing"))
    assert summary(result.findings) == [("DC106", "risky", None)]
    # only the values in 'da' are stranded: en-US is the default language
    assert impact_of(result.findings[0]) == (3, 5, {"da": 5})


def test_dc107_property_narrowed() -> None:
    result = analyse(with_property("pageBase", "pageTitle", variations="Nothing"))
    assert summary(result.findings) == [("DC107", "risky", "pageTitle")]
    assert impact_of(result.findings[0]) == (5, 5, {"da": 5})


def test_dc106_dc107_twin_widening_is_only_a_notice_dc113() -> None:
    result = analyse(with_property("blogPost", "category", variations="Culture"))
    assert summary(result.findings) == [("DC113", "notice", "category")]
    assert impact_of(result.findings[0]) == (3, 3, {"invariant": 3})
    assert analyse(changed("quoteBlock", variations="Culture")).findings[0].code == "DC113"


def test_dc108_incompatible_editor_is_risky() -> None:
    numeric = "2e6d3631-066e-44b8-aec4-96f09099b2b5"
    result = analyse(
        with_property("blogPost", "category", definition=numeric, editor_alias="Umbraco.Integer")
    )
    assert summary(result.findings) == [("DC108", "risky", "category")]
    assert result.findings[0].detail["compatibility"] == "incompatible"
    assert result.findings[0].detail["storage_changed"] is True
    assert impact_of(result.findings[0]) == (3, 3, {"invariant": 3})


def test_dc108_twin_compatible_editor_is_a_notice() -> None:
    textarea = "c6bac0dd-4ab9-45b1-8e30-e4b619ee5da3"
    result = analyse(
        with_property("pageBase", "pageTitle", definition=textarea, editor_alias="Umbraco.TextArea")
    )
    assert summary(result.findings) == [("DC108", "notice", "pageTitle")]


def test_dc108_twin_recreated_data_type_is_not_a_data_type_change() -> None:
    new_key = "d2000000-0000-0000-0000-000000000001"
    dropdown = find(base_items(), "Category Dropdown")
    items = replaced(
        with_property("blogPost", "category", definition=new_key),
        "Category Dropdown",
        dropdown.model_copy(update={"key": new_key}),
    )
    assert summary(analyse(items).findings) == [("DC114", "notice", None)]


def test_dc110_type_alias_changed() -> None:
    result = analyse(changed("blogPost", alias="article"))
    assert summary(result.findings) == [("DC110", "notice", None)]
    assert impact_of(result.findings[0]) == (3, 0, {})


def test_dc111_structure_narrowed() -> None:
    home = find(base_items(), "homePage")
    assert isinstance(home, ContentTypeItem)
    result = analyse(changed("homePage", structure=home.structure[:1], allow_at_root=False))
    assert sorted(f.detail.get("removed_children", ["root"])[0] for f in result.findings) == [
        "contentPage",
        "root",
    ]
    assert {f.code for f in result.findings} == {"DC111"}
    assert sorted(impact_of(f)[0] for f in result.findings) == [1, 1]  # type: ignore[index]
    element = analyse(changed("quoteBlock", is_element=False))
    assert summary(element.findings) == [("DC111", "notice", None)]


def test_dc111_twin_new_allowed_child_and_reordered_structure() -> None:
    home = find(base_items(), "homePage")
    assert isinstance(home, ContentTypeItem)
    extra = ItemRef(key="c1000000-0000-0000-0000-000000000005", alias="blogPost")
    assert analyse(changed("homePage", structure=(*reversed(home.structure), extra))).findings == []


def test_dc112_mandatory_and_validation_pattern() -> None:
    result = analyse(with_property("pageBase", "metaTitle"))  # no-op sanity
    assert result.findings == []
    made_mandatory = analyse(with_property("seoBase", "metaTitle", mandatory=True))
    assert summary(made_mandatory.findings) == [("DC112", "notice", "metaTitle")]
    assert impact_of(made_mandatory.findings[0]) == (2, 0, {})
    pattern = analyse(with_property("blogPost", "readingTime", validation="^[0-4]$"))
    assert summary(pattern.findings) == [("DC112", "notice", "readingTime")]
    assert impact_of(pattern.findings[0]) == (1, 1, {"invariant": 1})


def test_dc112_twin_validation_loosened() -> None:
    current = with_property("pageBase", "pageTitle", validation="^.{1,10}$")
    assert (
        analyse(
            with_property("pageBase", "pageTitle", mandatory=False, validation=""), current=current
        ).findings
        == []
    )


def test_dc114_recreated_type_same_alias_new_key() -> None:
    result = analyse(changed("quoteBlock", key="c9999999-0000-0000-0000-000000000007"))
    assert summary(result.findings) == [("DC114", "notice", None)]


def test_harmless_real_world_changes_produce_nothing() -> None:
    post = find(base_items(), "blogPost")
    assert isinstance(post, ContentTypeItem)
    new_prop = post.properties[0].model_copy(
        update={"key": "f2000000-0000-0000-0000-000000000001", "alias": "subtitle"}
    )
    edits = [
        changed("blogPost", description="A post on the blog", icon="icon-book"),
        changed("blogPost", properties=(*post.properties, new_prop)),
        changed("blogPost", tabs=(*post.tabs, Tab(key=None, caption="Extra", alias="extra"))),
        with_property("blogPost", "bodyText", name="Body", description="Main text", sort_order=9),
    ]
    for incoming in edits:
        assert analyse(incoming).findings == []
