"""v8 and variant samples, uSync's validity rules, unknown roots and Empty markers."""

from __future__ import annotations

import pytest

from publisher_restore.errors import ItemParseError
from publisher_restore.usync.folders import HANDLER_FOLDERS, handler_folder
from publisher_restore.usync.models import (
    ContentItem,
    ContentTypeItem,
    DataTypeItem,
    EmptyAction,
    EmptyItem,
    GenericItem,
    LanguageItem,
)
from publisher_restore.usync.parse import parse_item

from .paths import SAMPLES


def parse_sample(relative: str) -> object:
    return parse_item((SAMPLES / relative).read_bytes(), relative)


def test_v8_content_type_tabs_without_alias_and_no_label_on_top() -> None:
    item = parse_sample("v8/uSync/v8/ContentTypes/newsarticle.config")
    assert isinstance(item, ContentTypeItem)
    assert item.key == "6a1c7f51-3b0e-4e52-9c0b-2d3b4e5f6a71"  # written upper-case, kept lower
    assert item.variations == "Culture"
    assert item.parent is not None and item.parent.alias == "pageBase"
    headline = item.properties[0]
    assert (headline.alias, headline.tab_name, headline.tab_alias) == ("headline", "Article", None)
    assert headline.label_on_top is None
    assert headline.mandatory is True
    assert headline.variations == "Culture"
    assert [(t.caption, t.key, t.alias, t.type, t.sort_order) for t in item.tabs] == [
        ("Article", None, None, None, 0)
    ]


def test_v8_data_type_and_language_fallback() -> None:
    data_type = parse_sample("v8/uSync/v8/DataTypes/ArticleRating.config")
    language = parse_sample("v8/uSync/v8/Languages/da.config")
    assert isinstance(data_type, DataTypeItem)
    assert data_type.database_type == "Decimal"
    assert data_type.config["MaximumValue"] == 5
    assert isinstance(language, LanguageItem)
    assert (language.iso_code, language.fallback) == ("da", "en-GB")


def test_v8_culture_variant_content() -> None:
    item = parse_sample("v8/uSync/v8/Content/first-article.config")
    assert isinstance(item, ContentItem)
    assert item.culture_names == {"en-GB": "First Article", "da": "Første artikel"}
    assert item.culture_published == {"en-GB": True, "da": False}
    headline = {v.culture: v.value for v in item.values if v.alias == "headline"}
    assert headline == {"da": "Første", "en-GB": "First"}


def test_culture_and_segment_values() -> None:
    item = parse_sample("variants/uSync/v17/Content/landing.config")
    assert isinstance(item, ContentItem)
    assert [(v.alias, v.culture, v.segment, v.value) for v in item.values] == [
        ("heroTitle", "da", None, "Velkommen"),
        ("heroTitle", "en-US", None, "Welcome"),
        ("heroTitle", "en-US", "members", "Welcome back"),
        ("theme", None, None, "dark"),
        ("theme", None, "members", "gold"),
    ]
    assert (item.cultures, item.segments) == (("en-US", "da"), ("members",))


def test_trashed_media_keeps_restore_parent() -> None:
    item = parse_sample("variants/uSync/v17/Media/old-banner.config")
    assert isinstance(item, ContentItem)
    assert (item.trashed, item.level) == (True, 102)
    assert item.trashed_parent_key == "f4a5b6c7-d8e9-4f0a-9b1c-2d3e4f5a6b7c"


def test_clean_marker_takes_item_type_from_attribute() -> None:
    item = parse_item(
        b'<Empty Key="c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f" Alias="clean x" Change="Clean" '
        b'itemType="Media" />',
        "uSync/v17/Content/x_clean.config",
    )
    assert isinstance(item, EmptyItem)
    assert (item.item_type, item.action) == ("Media", EmptyAction.CLEAN)


@pytest.mark.parametrize(("folder", "item_type"), sorted(HANDLER_FOLDERS.items()))
def test_empty_marker_item_type_from_handler_folder(folder: str, item_type: str) -> None:
    data = b'<Empty Key="0225af17-b302-49cb-9176-b9f35cab9c17" Alias="Gone" Change="Delete" />'
    item = parse_item(data, f"uSync/v9/{folder}/gone.config")
    assert isinstance(item, EmptyItem)
    assert item.item_type == item_type


def test_empty_marker_with_unknown_change_is_a_no_op_like_usync() -> None:
    item = parse_item(b'<Empty Alias="x" Change="Explode" />', "elsewhere/x.config")
    assert isinstance(item, EmptyItem)
    assert (item.action, item.item_type, item.key) == (EmptyAction.NONE, "Unknown", None)


def test_handler_folder_is_the_nearest_enclosing_one() -> None:
    assert handler_folder("uSync/v9/Content/Media/x.config") == "Media"
    assert handler_folder("uSync\\v9\\blueprints\\x.config") == "Blueprints"
    assert handler_folder("uSync/v9/usync.config") is None


def test_webhook_and_unknown_roots_become_generic_items() -> None:
    webhook = parse_sample("variants/uSync/v17/Webhooks/deploy-notify.config")
    assert isinstance(webhook, GenericItem)
    assert webhook.item_type == "Webhook"
    assert webhook.fields["Info/Url"] == "https://hooks.example.org/umbraco"
    assert webhook.fields["Events/Event[2]"] == "Umbraco.ContentUnpublish"
    odd = parse_item(b'<Widget Colour="red"><Size>3</Size></Widget>', "uSync/v9/Widgets/w.config")
    assert isinstance(odd, GenericItem)
    assert (odd.key, odd.alias, odd.fields) == (None, "", {"@Colour": "red", "Size": "3"})


@pytest.mark.parametrize(
    ("root", "problem"),
    [
        ('<Template Alias="x"><Name/></Template>', "has no Key attribute"),
        ('<Template Key="not-a-guid" Alias="x" />', "is not a GUID"),
        ('<Template Key="00000000-0000-0000-0000-000000000000" Alias="x" />', "empty GUID"),
        ('<Template Key="cee24304-9a7f-4451-a71f-2af43d718884" Alias="  " />', "empty Alias"),
    ],
)
def test_invalid_identity_is_a_parse_error_naming_the_file(root: str, problem: str) -> None:
    with pytest.raises(ItemParseError, match=problem) as caught:
        parse_item(root.encode(), "uSync/v9/Templates/t.config")
    assert caught.value.path == "uSync/v9/Templates/t.config"
    assert caught.value.line == 1
