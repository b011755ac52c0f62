"""Selections expanded with their dependencies, checked by hand on real corpus sites."""

from __future__ import annotations

import pytest

from publisher_restore.publisher.errors import SelectionError
from publisher_restore.publisher.item_spec import parse_item_spec
from publisher_restore.publisher.lookup import SourceItems
from publisher_restore.publisher.order import write_order_key
from publisher_restore.publisher.selection import Selection, select_items
from publisher_restore.usync.models import (
    ContentTypeItem,
    DataTypeItem,
    EmptyAction,
    EmptyItem,
    ItemRef,
    PropertyType,
)

from .corpus import corpus_source


def select(site: str, *specs: str, dependencies: bool = True) -> Selection:
    parsed = [parse_item_spec(spec) for spec in specs]
    return select_items(corpus_source(site), parsed, dependencies=dependencies)


def aliases(selection: Selection, item_type: str) -> set[str]:
    return {item.alias for item in selection.items if item.item_type == item_type}


# clean-starter-kit v17, ContentTypes/article.config read by hand: seven compositions, the
# article template (master is its master); the compositions' properties use ten data types;
# contentControls' Block List names six content and six settings element types, which
# compose hideProperty and spacingProperties and use five more data types.
ARTICLE_TYPES = {
    "article", "articleControls", "contentControls", "headerControls", "listPageSettings",
    "mainImageControls", "sEOControls", "visibilityControls",
    "codeSnippetRow", "codeSnippetRowSettings", "imageCarouselRow", "imageCarouselRowSettings",
    "imageRow", "imageRowSettings", "latestArticlesRow", "latestArticlesRowSettings",
    "richTextRow", "richTextRowSettings", "videoRow", "videoRowSettings",
    "hideProperty", "spacingProperties",
}  # fmt: skip
ARTICLE_DATA_TYPES = {
    "Date Picker with time", "[MNTP] Authors", "[MNTP] Categories", "[BlockList] Main Content",
    "Textstring", "Image Media Picker", "[Toggle] Default True", "Textarea", "Tags",
    "True/false",
    "Richtext editor", "Content Picker", "Numeric", "Multiple Image Media Picker",
    "[Dropdown] Spacing",
}  # fmt: skip


def test_a_content_type_brings_compositions_data_types_templates_and_element_types() -> None:
    selection = select("clean-starter-kit", "ContentType:article")
    assert aliases(selection, "ContentType") == ARTICLE_TYPES
    assert aliases(selection, "DataType") == ARTICLE_DATA_TYPES
    assert aliases(selection, "Template") == {"article", "master"}
    assert len(selection.items) == len(ARTICLE_TYPES) + len(ARTICLE_DATA_TYPES) + 2
    assert not selection.missing
    [requested] = [entry for entry in selection.entries if entry.requested]
    assert requested.item.alias == "article" and requested.needed_by == ()
    by_alias = {entry.item.alias: entry for entry in selection.entries}
    assert by_alias["master"].needed_by == ("uSync/v17/Templates/article.config",)
    assert "uSync/v17/DataTypes/BlockListMainContent.config" in by_alias["videoRow"].needed_by


def test_no_dependencies_selects_only_what_was_named() -> None:
    selection = select("clean-starter-kit", "ContentType:article", dependencies=False)
    assert [item.alias for item in selection.items] == ["article"]
    assert not selection.dependencies


def test_content_brings_its_parent_chain_types_and_templates() -> None:
    selection = select("clean-starter-kit", "Content:/Home/Blog/Meetups")
    assert aliases(selection, "Content") == {"Meetups", "Blog", "Home"}
    assert {"article", "articleList", "home"} <= aliases(selection, "ContentType")
    assert aliases(selection, "Template") >= {"article", "articleList", "home", "master"}
    contents = [item.alias for item in selection.items if item.item_type == "Content"]
    assert contents == ["Home", "Blog", "Meetups"]  # parents first (Level)


def test_media_bring_their_media_type_and_folders() -> None:
    selection = select("navsjon-sportfiske", "Media:/1Bilder medlemsdagar/Medlemsdag 2016/072")
    assert aliases(selection, "Media") == {"072", "Medlemsdag 2016", "1Bilder medlemsdagar"}
    assert aliases(selection, "MediaType") == {"Image", "Folder"}


# zmenu's dictionary item really starts with a Cyrillic capital Es (the corpus README notes it).
CHECK_PHONE = "1) \u0421heck if the phone number is correct."


def test_domains_and_dictionary_items_bring_their_node_parent_and_languages() -> None:
    domain = select("zmenu", "Domain:*1153")
    assert aliases(domain, "Language") == {"en-US"}
    assert [item.key for item in domain.items if item.item_type == "Content"] == [
        "6bf42316-93a5-4519-a454-897f16d433a7"
    ]
    dictionary = select("zmenu", f"Dictionary:{CHECK_PHONE}")
    assert aliases(dictionary, "Dictionary") == {CHECK_PHONE, "VerifyPhonePage"}
    assert aliases(dictionary, "Language") == {"en-US", "he", "ru"}


def test_nested_content_brings_its_element_type_by_alias() -> None:
    selection = select("zmenu", "DataType:Product - Features - Nested Content")
    assert aliases(selection, "ContentType") >= {"feature"}


def test_a_parent_missing_from_the_source_is_reported_not_fatal() -> None:
    # navsjon-sportfiske's Content/boka.config holds git conflict markers: its children's
    # parent cannot be read.
    selection = select("navsjon-sportfiske", "Content:/Home/Boka/Bootstrap")
    assert aliases(selection, "Content") == {"Bootstrap"}
    [missing] = selection.missing
    assert missing.needed_by == "uSync/v9/Content/bootstrap.config"
    assert missing.reference.key == "6e199eee-4f90-4a1c-90ce-867d332ff091"
    assert "(parent node), which is not in the source" in str(missing)


def test_everything_is_every_file_and_lists_the_unreadable_ones() -> None:
    source = corpus_source("navsjon-sportfiske")
    selection = select_items(source, [])
    assert selection.everything
    assert {item.path for item in selection.items} == {item.path for item in source.files}
    assert [problem.path for problem in selection.unreadable] == ["uSync/v9/Content/boka.config"]
    assert len(selection.missing) == 3  # boka's three children


def test_a_deleted_item_selects_its_delete_marker() -> None:
    selection = select("navsjon-sportfiske", "ContentType:featureRichTextEditor1")
    [item] = selection.items
    assert isinstance(item, EmptyItem) and item.action is EmptyAction.DELETE


def test_ambiguous_and_unknown_names_are_refused_with_the_candidates() -> None:
    with pytest.raises(SelectionError) as ambiguous:
        select("clean-starter-kit", "Content:Community")
    assert "/Home/Blog/Community = 2cb4c092" in str(ambiguous.value)
    assert "/Home/Categories/Community = 13ea3528" in str(ambiguous.value)
    with pytest.raises(SelectionError, match="no ContentType with alias 'nope' in clean-starter"):
        select("clean-starter-kit", "ContentType:nope")


def test_selection_is_keyed_alias_or_key_and_sorted_in_write_order() -> None:
    by_key = select("clean-starter-kit", "ContentType:0f63b49a-5423-46bd-91fa-0e78bbd2f6d6")
    assert by_key.items == select("clean-starter-kit", "contenttypes:ARTICLE").items
    assert list(by_key.items) == sorted(by_key.items, key=write_order_key)


def test_reference_cycles_terminate() -> None:
    key_a, key_b, key_dt = (f"{n}0000000-0000-0000-0000-000000000000" for n in "abc")
    type_a = ContentTypeItem(
        item_type="ContentType",
        key=key_a,
        alias="a",
        path="uSync/v17/ContentTypes/a.config",
        compositions=(ItemRef(key=key_b, alias="b"),),
        properties=(PropertyType(key=None, alias="blocks", definition=key_dt),),
    )
    type_b = ContentTypeItem(
        item_type="ContentType",
        key=key_b,
        alias="b",
        path="uSync/v17/ContentTypes/b.config",
        compositions=(ItemRef(key=key_a, alias="a"),),
    )
    blocks = DataTypeItem(
        item_type="DataType",
        key=key_dt,
        alias="Blocks",
        path="uSync/v17/DataTypes/Blocks.config",
        config={"blocks": [{"contentElementTypeKey": key_a.upper()}]},
    )
    selection = select_items(
        SourceItems([type_a, type_b, blocks]), [parse_item_spec("DataType:Blocks")]
    )
    assert [item.alias for item in selection.items] == ["Blocks", "a", "b"]
    assert not selection.missing
