"""Change details explain a restore: properties paired by Key, values per culture/segment."""

from __future__ import annotations

from publisher_restore.usync.diff import ChangeDetail, diff_items, tracked_values
from publisher_restore.usync.loader import load_items
from publisher_restore.usync.models import AnyItem, EmptyAction, EmptyItem
from publisher_restore.usync.parse import parse_item

from .paths import CORPUS, SAMPLES, corpus_file

SITE_SETTINGS = "navsjon-sportfiske/uSync/v9/ContentTypes/sitesettings.config"
BLUEPRINT = "zmenu/uSync/v9/Blueprints/faqcontaclessmenu.config"
V8_TYPE = "v8/uSync/v8/ContentTypes/newsarticle.config"


def corpus_pair(relative: str, old: bytes, new: bytes) -> tuple[AnyItem, AnyItem]:
    data = corpus_file(relative)
    assert data.count(old) == 1, "the edit must hit exactly one place"
    return parse_item(data, relative), parse_item(data.replace(old, new), relative)


def test_property_made_mandatory() -> None:
    marker = b"<Alias>logo</Alias>"
    data = corpus_file(SITE_SETTINGS)
    start = data.index(marker)
    end = data.index(b"</GenericProperty>", start)
    block = data[start:end]
    assert b"<Mandatory>false</Mandatory>" in block
    edited = data[:start] + block.replace(b">false</Mandatory>", b">true</Mandatory>") + data[end:]
    old, new = parse_item(data, SITE_SETTINGS), parse_item(edited, SITE_SETTINGS)
    assert diff_items(old, new) == [
        ChangeDetail(path="Property/logo/Mandatory", old="false", new="true", change="update")
    ]


def test_content_value_changed_in_one_culture() -> None:
    old_title = "תפריט ברקוד למסעדה שלך בחינם | תפריט QR"
    new_title = "תפריט QR חינם למסעדה"
    old, new = corpus_pair(BLUEPRINT, old_title.encode(), new_title.encode())
    changes = diff_items(old, new)
    assert [(c.path, c.change) for c in changes] == [("Property/title[he]", "update")]
    assert (changes[0].old, changes[0].new) == (old_title, new_title)


def test_renamed_property_is_an_alias_update_not_delete_and_create() -> None:
    old, new = corpus_pair(
        SITE_SETTINGS, b"<Alias>copyright</Alias>", b"<Alias>copyrightText</Alias>"
    )
    assert diff_items(old, new) == [
        ChangeDetail(
            path="Property/copyright/Alias", old="copyright", new="copyrightText", change="update"
        )
    ]


def test_removed_and_added_property_are_one_detail_each() -> None:
    data = corpus_file(SITE_SETTINGS)
    start = data.index(b"<GenericProperty>")
    end = data.index(b"</GenericProperty>", start) + len(b"</GenericProperty>")
    old = parse_item(data, SITE_SETTINGS)
    new = parse_item(data[:start] + data[end:], SITE_SETTINGS)
    assert diff_items(old, new) == [
        ChangeDetail(path="Property/copyright", old="copyright", new=None, change="delete")
    ]
    assert diff_items(new, old) == [
        ChangeDetail(path="Property/copyright", old=None, new="copyright", change="create")
    ]


def test_keyless_v8_properties_and_tabs_pair_by_alias_and_caption() -> None:
    data = (SAMPLES / V8_TYPE).read_bytes()
    keyless = data.replace(b"<Key>0a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9</Key>", b"")
    edited = keyless.replace(
        b"<SortOrder>0</SortOrder>\n    </Tab>", b"<SortOrder>5</SortOrder>\n    </Tab>"
    )
    edited = edited.replace(b">pageBase</Composition>", b">basePage</Composition>")
    changes = diff_items(parse_item(keyless, V8_TYPE), parse_item(edited, V8_TYPE))
    assert [(c.path, c.old, c.new) for c in changes] == [
        ("Compositions/pageBase", "pageBase", "basePage"),
        ("Tabs/Article/SortOrder", "0", "5"),
    ]


def test_data_type_config_is_compared_as_normalised_json() -> None:
    relative = "clean-starter-kit/uSync/v17/DataTypes/SliderSpacing.config"
    reordered = corpus_file(relative).replace(
        b'"enableRange": false,\n  "maxVal": 0,', b'"maxVal": 0,\n  "enableRange": false,'
    )
    old = parse_item(corpus_file(relative), relative)
    assert diff_items(old, parse_item(reordered, relative)) == []
    _, widened = corpus_pair(relative, b'"maxVal": 0', b'"maxVal": 10')
    [change] = diff_items(old, widened)
    assert change.path == "Config" and change.new is not None and '"maxVal":10' in change.new


def test_tracked_values_of_variant_content() -> None:
    item = parse_item((SAMPLES / "variants/uSync/v17/Content/landing.config").read_bytes(), "x")
    values = tracked_values(item)
    assert values["Name"] == "Landing"
    assert values["Name[da]"] == "Forside"
    assert values["Published[en-US]"] == "true"
    assert values["Template"] == "Landing"
    assert values["Property/heroTitle[da]"] == "Velkommen"
    assert values["Property/heroTitle[en-US|members]"] == "Welcome back"
    assert values["Property/theme"] == "dark"
    assert values["Property/theme[|members]"] == "gold"
    assert "Alias" not in values


def test_tracked_values_of_content_type_paths() -> None:
    values = tracked_values(parse_item(corpus_file(SITE_SETTINGS), SITE_SETTINGS))
    assert values["Info/Name"] == "Site Settings"
    assert values["Info/AllowAtRoot"] == "false"
    assert values["Info/HistoryCleanup/PreventCleanup"] == "False"
    assert values["Property/copyright/Definition"] == "0cc0eba1-9960-42c9-bf9b-60e150b429ae"
    assert values["Tabs/Footer/Alias"] == "generic/footer"
    article = "clean-starter-kit/uSync/v17/ContentTypes/article.config"
    article_values = tracked_values(parse_item(corpus_file(article), article))
    assert article_values["Compositions/sEOControls"] == "sEOControls"
    assert article_values["AllowedTemplates/article"] == "article"


def test_empty_markers_and_missing_items_count_as_absent() -> None:
    item = parse_item(corpus_file(SITE_SETTINGS), SITE_SETTINGS)
    delete = EmptyItem(
        item_type="ContentType", key=item.key, alias=item.alias, path="x", action=EmptyAction.DELETE
    )
    removed = diff_items(item, delete)
    assert removed and all(c.change == "delete" and c.new is None for c in removed)
    assert diff_items(item, None) == removed
    assert all(c.change == "create" for c in diff_items(None, item))
    assert diff_items(None, None) == [] and diff_items(delete, None) == []


def test_every_corpus_item_is_unchanged_against_itself() -> None:
    loaded = load_items(CORPUS, CORPUS)
    for item in loaded.items:
        if not isinstance(item, EmptyItem):
            assert diff_items(item, item) == [], item.path
            assert tracked_values(item), item.path


def test_change_detail_reads_like_a_usync_report_line() -> None:
    detail = ChangeDetail(path="Property/x/Mandatory", old="", new="true", change="update")
    assert str(detail) == "update Property/x/Mandatory: (Blank) -> 'true'"
