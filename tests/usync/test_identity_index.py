"""Items are found as uSync finds them: Key first, then Alias (not for content/media)."""

from __future__ import annotations

from publisher_restore.usync.identity import Grouping, ItemIndex
from publisher_restore.usync.loader import load_items
from publisher_restore.usync.models import (
    AnyItem,
    ContentItem,
    ContentTypeItem,
    EmptyAction,
    EmptyItem,
)

from .paths import CORPUS

KEY_A = "0f63b49a-5423-46bd-91fa-0e78bbd2f6d6"
KEY_B = "b1c27e8c-1692-42ad-9701-c87f12716ee7"
KEY_C = "9090575e-290c-4585-91a4-b72ec30ff41f"


def content_type(key: str, alias: str, path: str = "uSync/v9/ContentTypes/x.config") -> AnyItem:
    return ContentTypeItem(item_type="ContentType", key=key, alias=alias, path=path)


def content(key: str, alias: str) -> AnyItem:
    return ContentItem(item_type="Content", key=key, alias=alias, path="uSync/v9/Content/x.config")


def test_key_match_wins_over_alias_match() -> None:
    by_key, by_alias = content_type(KEY_A, "article"), content_type(KEY_B, "news")
    index = ItemIndex([by_key, by_alias])
    assert index.find("ContentType", KEY_A, "news") is by_key
    assert index.find("ContentType", KEY_A.upper(), "other") is by_key


def test_alias_fallback_is_case_insensitive_when_key_unknown() -> None:
    item = content_type(KEY_A, "blogPost")
    index = ItemIndex([item])
    assert index.find("ContentType", KEY_C, "BLOGPOST") is item
    assert index.find("ContentType", None, "blogpost") is item
    assert index.find("ContentType", KEY_C, "missing") is None
    assert index.find("MediaType", KEY_A, "blogPost") is None


def test_content_and_media_match_by_key_only() -> None:
    page = content(KEY_A, "Home")
    index = ItemIndex([page])
    assert index.find("Content", KEY_A, "whatever") is page
    assert index.find("Content", KEY_B, "Home") is None


def test_empty_markers_are_actions_not_items() -> None:
    item = content_type(KEY_A, "article")
    marker = EmptyItem(
        item_type="ContentType", key=KEY_B, alias="gone", path="x", action=EmptyAction.DELETE
    )
    index = ItemIndex([item, marker])
    assert len(index) == 1
    assert list(index) == [item]
    assert index.actions == (marker,)
    assert index.actions_of_type("ContentType") == (marker,)
    assert index.find("ContentType", KEY_B, "gone") is None
    assert index.find_like(marker) is None
    assert marker not in index and item in index


def test_duplicate_keys_keep_the_first_item() -> None:
    first = content_type(KEY_A, "article", "uSync/v16/ContentTypes/article.config")
    second = content_type(KEY_A, "article", "uSync/v17/ContentTypes/article.config")
    index = ItemIndex([first, second])
    assert len(index) == 1
    assert index.duplicates == ((second, first),)
    assert index.of_type("ContentType") == (first,)


def test_corpus_site_index() -> None:
    site = CORPUS / "zmenu"
    index = load_items(site, site / "uSync").index
    assert len(index) == 500
    assert len(index.of_type("Dictionary")) == 292 - 3
    assert len(index.of_type("Domain")) == 25
    english = index.find("Language", "eec79294-0000-0000-0000-000000000000", "EN-us")
    assert english is not None and english.path == "uSync/v9/Languages/en-us.config"
    assert index.duplicates == ()
    assert set(index.item_types) >= {"ContentType", "Content", "Dictionary", "UserGroup"}


def test_version_folder_grouping_finds_only_the_same_version_folder() -> None:
    v16 = content_type(KEY_A, "article", "uSync/v16/ContentTypes/article.config")
    v17 = content_type(KEY_A, "article", "uSync/v17/ContentTypes/article.config")
    index = ItemIndex([v16, v17], grouping=Grouping.VERSION_FOLDER)
    assert index.duplicates == ()
    assert index.find("ContentType", KEY_A, near="uSync/v17/ContentTypes/x.config") is v17
    assert index.find("ContentType", None, "ARTICLE", near="uSync/v16/a/b.config") is v16
    assert index.find("ContentType", KEY_A, near="uSync/v9/ContentTypes/x.config") is None
