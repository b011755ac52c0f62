"""Spot checks of real values parsed from the corpus sites (v9 and v16/v17 shapes)."""

from __future__ import annotations

from publisher_restore.usync.models import (
    ContentItem,
    ContentTypeItem,
    DataTypeItem,
    DictionaryItem,
    DomainItem,
    EmptyAction,
    EmptyItem,
    GenericItem,
    LanguageItem,
    MacroItem,
    RelationTypeItem,
    TemplateItem,
)
from publisher_restore.usync.parse import parse_item

from .paths import corpus_file


def parse_corpus(relative: str) -> object:
    return parse_item(corpus_file(relative), relative)


def test_v17_content_type_with_compositions_and_v14_info() -> None:
    item = parse_corpus("clean-starter-kit/uSync/v17/ContentTypes/article.config")
    assert isinstance(item, ContentTypeItem)
    assert (item.item_type, item.key, item.alias, item.level) == (
        "ContentType",
        "0f63b49a-5423-46bd-91fa-0e78bbd2f6d6",
        "article",
        2,
    )
    assert [c.alias for c in item.compositions] == [
        "articleControls",
        "contentControls",
        "headerControls",
        "listPageSettings",
        "mainImageControls",
        "sEOControls",
        "visibilityControls",
    ]
    assert item.compositions[0].key == "e68abe48-7646-4ef4-abb8-f1a5b24b27cc"
    assert item.list_view == "00000000-0000-0000-0000-000000000000"
    assert item.is_list_view is None
    assert item.history_cleanup == {
        "PreventCleanup": "False",
        "KeepAllVersionsNewerThanDays": "",
        "KeepLatestVersionPerDayForDays": "",
    }
    assert item.folder == "Pages"
    assert item.default_template == "article"
    assert [t.key for t in item.allowed_templates] == ["e1eefce3-86e1-4a7e-8999-39ab890a6c73"]
    assert item.allow_at_root is False
    assert item.properties == ()


def test_v9_content_type_properties_and_nested_group_tabs() -> None:
    item = parse_corpus("navsjon-sportfiske/uSync/v9/ContentTypes/sitesettings.config")
    assert isinstance(item, ContentTypeItem)
    assert item.is_list_view is False
    assert item.list_view is None
    assert item.default_template is None
    copyright_ = next(p for p in item.properties if p.alias == "copyright")
    assert copyright_.key == "196a1ca0-40de-4213-88d3-63b284ab4cc2"
    assert copyright_.mandatory is True
    assert copyright_.definition == "0cc0eba1-9960-42c9-bf9b-60e150b429ae"
    assert copyright_.editor_alias == "Umbraco.TextBox"
    footer = next(t for t in item.tabs if t.caption == "Footer")
    assert (footer.alias, footer.type, footer.sort_order) == ("generic/footer", "Group", 0)


def test_member_type_has_member_only_property_flags() -> None:
    item = parse_corpus("umbracalendar/uSync/v17/MemberTypes/member.config")
    assert isinstance(item, ContentTypeItem)
    assert item.item_type == "MemberType"
    comments = item.properties[0]
    assert (comments.key, comments.alias) == (
        "2a280588-0000-0000-0000-000000000000",
        "umbracoMemberComments",
    )
    assert (comments.can_edit, comments.can_view, comments.is_sensitive) == (False, False, False)
    assert (comments.tab_alias, comments.tab_name, comments.label_on_top) == (
        "membership",
        "Membership",
        False,
    )


def test_v17_data_type_editor_ui_alias_and_camel_case_config() -> None:
    item = parse_corpus("clean-starter-kit/uSync/v17/DataTypes/SliderSpacing.config")
    assert isinstance(item, DataTypeItem)
    assert item.editor_alias == "Umbraco.Slider"
    assert item.editor_ui_alias == "Umb.PropertyEditorUi.Slider"
    assert item.database_type is None
    assert item.config == {"enableRange": False, "maxVal": 0, "minVal": 0}
    assert '"maxVal": 0' in item.config_raw


def test_v9_data_type_database_type_and_pascal_case_config() -> None:
    item = parse_corpus("nearbeach/uSync/v9/DataTypes/ContentPicker.config")
    assert isinstance(item, DataTypeItem)
    assert (item.name, item.database_type, item.editor_ui_alias) == (
        "Content Picker",
        "Nvarchar",
        None,
    )
    assert item.config == {
        "ShowOpenButton": False,
        "StartNodeId": None,
        "IgnoreUserStartNodes": False,
    }


def test_zmenu_dictionary_with_three_translations() -> None:
    path = "zmenu/uSync/v9/Dictionary/1-\u0441heck-if-the-phone-number-is-correct.config"
    item = parse_corpus(path)
    assert isinstance(item, DictionaryItem)
    assert item.key == "bbbbe4a0-2d2d-49e6-95e2-3c81e24e0ba8"
    assert item.parent == "VerifyPhonePage"
    assert item.translations == {
        "en-US": "1) \u0421heck if the phone number is correct.",
        "he": "1) בדוק אם מספר הטלפון נכון.",
        "ru": "1) Проверьте правильность номера телефона.",
    }


def test_domain_without_level() -> None:
    item = parse_corpus("zmenu/uSync/v9/Domains/1153_en-us.config")
    assert isinstance(item, DomainItem)
    assert (item.alias, item.level, item.is_wildcard, item.language) == (
        "*1153",
        None,
        True,
        "en-US",
    )
    assert item.root_key == "6bf42316-93a5-4519-a454-897f16d433a7"
    assert item.root_path == "/Menu4U/Login"


def test_culture_variant_blueprint() -> None:
    item = parse_corpus("zmenu/uSync/v9/Blueprints/faqcontaclessmenu.config")
    assert isinstance(item, ContentItem)
    assert (item.item_type, item.is_blueprint, item.content_type) == (
        "Content",
        True,
        "contactlessMenu",
    )
    assert item.culture_names == {"en-us": "FaqContaclessMenu", "he": "בית", "ru": "Главная"}
    assert item.published is False
    assert item.culture_published == {"en-us": False, "he": False, "ru": False}
    assert item.template is not None and item.template.alias == "ContactlessMenu"
    assert item.parent_key == "00000000-0000-0000-0000-000000000000"
    descriptions = {v.culture: v.value for v in item.values if v.alias == "metaDescription"}
    assert set(descriptions) >= {"en-us", "he"}
    assert descriptions["en-us"].startswith("Get FREE Contactless menus")


def test_culture_variant_content_values() -> None:
    item = parse_corpus("zmenu/uSync/v9/Content/what-if-i-want-to-make-changes-to-my-menu.config")
    assert isinstance(item, ContentItem)
    assert item.is_blueprint is False
    assert item.culture_published == {"en-us": True}
    assert item.template is None
    assert [(v.alias, v.culture, v.segment) for v in item.values] == [
        ("answerQuestion", "en-us", None),
        ("questionText", "en-us", None),
    ]


def test_media_has_no_published_state() -> None:
    item = parse_corpus("navsjon-sportfiske/uSync/v9/Media/" + _first_media())
    assert isinstance(item, ContentItem)
    assert item.item_type == "Media"
    assert item.published is None
    assert item.template is None
    assert any(v.alias == "umbracoFile" for v in item.values)


def _first_media() -> str:
    from .paths import CORPUS

    folder = CORPUS / "navsjon-sportfiske/uSync/v9/Media"
    return next(p.name for p in sorted(folder.iterdir()) if b"<Media " in p.read_bytes())


def test_empty_delete_marker_in_domains() -> None:
    item = parse_corpus("zmenu/uSync/v9/Domains/1176_en-us.config")
    assert isinstance(item, EmptyItem)
    assert (item.item_type, item.action, item.alias) == ("Domain", EmptyAction.DELETE, "*1176")
    assert item.key == "c60258fd-c95c-45fd-b111-bff0bb3bc5c8"


def test_empty_rename_marker_with_level() -> None:
    item = parse_corpus("navsjon-sportfiske/uSync/v9/Content/layouts.config")
    assert isinstance(item, EmptyItem)
    assert (item.item_type, item.action, item.level) == ("Content", EmptyAction.RENAME, 2)


def test_languages_v9_and_v17() -> None:
    v9 = parse_corpus("zmenu/uSync/v9/Languages/he.config")
    v17 = parse_corpus("umbracalendar/uSync/v17/Languages/en-us.config")
    assert isinstance(v9, LanguageItem) and isinstance(v17, LanguageItem)
    assert (v9.iso_code, v9.name, v9.is_default) == ("he", None, False)
    assert (v17.iso_code, v17.name, v17.is_default) == ("en-US", "English (United States)", True)


def test_template_with_master() -> None:
    item = parse_corpus("umbracalendar/uSync/v17/Templates/error.config")
    assert isinstance(item, TemplateItem)
    assert (item.name, item.parent_alias, item.level, item.contents) == ("Error", "Main", 2, None)


def test_macro_fields_and_relation_type() -> None:
    macro = parse_corpus("zmenu/uSync/v9/Macros/FeaturedProducts.config")
    relation = parse_corpus("clean-starter-kit/uSync/v17/RelationTypes/umbMember.config")
    assert isinstance(macro, MacroItem)
    assert macro.fields["MacroSource"] == "~/Views/MacroPartials/FeaturedProducts.cshtml"
    assert macro.fields["CachedDuration"] == "0"
    assert macro.properties == ()
    assert isinstance(relation, RelationTypeItem)
    assert (relation.name, relation.parent_type, relation.is_dependency) == (
        "Related Member",
        None,
        True,
    )


def test_user_group_is_a_generic_item() -> None:
    item = parse_corpus("zmenu/uSync/v9/UserGroups/admin.config")
    assert isinstance(item, GenericItem)
    assert (item.item_type, item.key, item.alias) == (
        "UserGroup",
        "e32641cf-0000-0000-0000-000000000000",
        "admin",
    )
    assert item.fields["Info/Name"] == "Administrators"
    assert item.fields["Languages/HasAccessToAllLanguages"] == "true"
    assert item.fields["AssignedPermissions"] == ""
