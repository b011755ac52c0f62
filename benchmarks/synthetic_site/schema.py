"""The synthetic site's settings: languages, data types, document/media/member types, templates.

Modelled on what Umbraco 10-13 sites export with uSync (``uSync/v9``): the stock data types
plus site-specific ones (Block List, pickers, dropdowns), compositions shared by page types,
element types for blocks, and culture-variant page types.  Keys are stable (derived from the
alias), so sites of different sizes share one schema.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

NAMESPACE = uuid.UUID("6f1e4d2a-5b0c-4e8f-9a7d-3c2b1a0f9e8d")


def stable_key(kind: str, name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{name}"))


@dataclass(frozen=True)
class Language:
    iso: str
    name: str
    lcid: int

    @property
    def key(self) -> str:
        return f"{self.lcid:08x}-0000-0000-0000-000000000000"

    @property
    def culture(self) -> str:
        """Content files carry the culture in lower case (uSync 9-13)."""
        return self.iso.lower()


LANGUAGES = (
    Language("en-US", "English (United States)", 0x409),
    Language("da-DK", "Danish (Denmark)", 0x406),
    Language("de-DE", "German (Germany)", 0x407),
    Language("fr-FR", "French (France)", 0x40C),
    Language("nl-NL", "Dutch (Netherlands)", 0x413),
    Language("sv-SE", "Swedish (Sweden)", 0x41D),
    Language("es-ES", "Spanish (Spain)", 0xC0A),
    Language("it-IT", "Italian (Italy)", 0x410),
    Language("nb-NO", "Norwegian Bokmål (Norway)", 0x414),
)


@dataclass(frozen=True)
class DataType:
    name: str
    editor: str
    db_type: str
    config: dict[str, Any]
    folder: str | None = None

    @property
    def key(self) -> str:
        return stable_key("datatype", self.name)

    @property
    def file_name(self) -> str:
        """uSync names data type files by the name made a safe alias."""
        return "".join(w[:1].upper() + w[1:] for w in re.findall(r"[A-Za-z0-9]+", self.name))


@dataclass(frozen=True)
class Prop:
    alias: str
    name: str
    data_type: str
    culture: bool = False
    tab: str = "Content"
    mandatory: bool = False


@dataclass(frozen=True)
class DocType:
    """A document, media or member type (``item_type`` says which)."""

    alias: str
    name: str
    icon: str
    props: tuple[Prop, ...] = ()
    compositions: tuple[str, ...] = ()
    children: tuple[str, ...] = ()
    culture: bool = True
    is_element: bool = False
    template: bool = True
    allow_at_root: bool = False
    folder: str | None = None
    item_type: str = "ContentType"

    @property
    def key(self) -> str:
        return stable_key(self.item_type, self.alias)

    @property
    def template_alias(self) -> str:
        return "".join(w[:1].upper() + w[1:] for w in self.name.split())


def _items(*values: str) -> list[dict[str, Any]]:
    return [{"id": index + 1, "value": value} for index, value in enumerate(values)]


def _media_picker(multiple: bool, images_only: bool) -> dict[str, Any]:
    return {
        "Crops": [],
        "EnableLocalFocalPoint": False,
        "Filter": "Image,umbracoMediaVectorGraphics" if images_only else None,
        "IgnoreUserStartNodes": False,
        "Multiple": multiple,
        "StartNodeId": None,
        "ValidationLimit": {"max": None if multiple else 1, "min": 0},
    }


def _label(value_type: str, db_type: str, name: str) -> DataType:
    return DataType(f"Label ({name})", "Umbraco.Label", db_type, {"ValueType": value_type})


def _upload(name: str, *extensions: str) -> DataType:
    return DataType(
        name, "Umbraco.UploadField", "Nvarchar", {"FileExtensions": _items(*extensions)}
    )


def _list_view(name: str, page_size: int) -> DataType:
    config = {
        "BulkActionPermissions": {
            "AllowBulkCopy": True,
            "AllowBulkDelete": True,
            "AllowBulkMove": True,
            "AllowBulkPublish": True,
            "AllowBulkUnpublish": True,
        },
        "Icon": None,
        "IncludeProperties": [
            {"Alias": "sortOrder", "Header": "Sort order", "IsSystem": 1},
            {"Alias": "updateDate", "Header": "Last edited", "IsSystem": 1},
            {"Alias": "owner", "Header": "Created by", "IsSystem": 1},
        ],
        "Layouts": [
            {"icon": "icon-list", "isSystem": 1, "name": "List", "path": "views/list.html"},
            {"icon": "icon-grid", "isSystem": 1, "name": "Grid", "path": "views/grid.html"},
        ],
        "OrderBy": "SortOrder",
        "OrderDirection": "asc",
        "PageSize": page_size,
        "ShowContentFirst": False,
        "TabName": None,
        "UseInfiniteEditor": False,
    }
    return DataType(name, "Umbraco.ListView", "Nvarchar", config)


RICH_TEXT_CONFIG = {
    "Editor": {
        "toolbar": [
            *("ace", "styleselect", "bold", "italic", "alignleft", "aligncenter", "alignright"),
            *("bullist", "numlist", "outdent", "indent", "link", "umbmediapicker", "umbmacro"),
            "umbembeddialog",
        ],
        "stylesheets": [],
        "maxImageSize": 500,
        "mode": "classic",
    },
    "HideLabel": False,
    "IgnoreUserStartNodes": False,
    "MediaParentId": None,
    "OverlaySize": "small",
}

STOCK_DATA_TYPES = (
    DataType(
        "Approved Color",
        "Umbraco.ColorPicker",
        "Nvarchar",
        {"Items": _items("0000ff", "008000", "ff0000"), "UseLabel": False},
    ),
    DataType("Checkbox list", "Umbraco.CheckBoxList", "Nvarchar", {"Items": []}),
    DataType(
        "Content Picker",
        "Umbraco.ContentPicker",
        "Nvarchar",
        {"IgnoreUserStartNodes": False, "ShowOpenButton": False, "StartNodeId": None},
    ),
    DataType(
        "Date Picker", "Umbraco.DateTime", "Date", {"Format": "YYYY-MM-DD", "OffsetTime": False}
    ),
    DataType(
        "Date Picker with time",
        "Umbraco.DateTime",
        "Date",
        {"Format": "YYYY-MM-DD HH:mm:ss", "OffsetTime": False},
    ),
    DataType("Dropdown", "Umbraco.DropDown.Flexible", "Nvarchar", {"Items": [], "Multiple": False}),
    DataType(
        "Dropdown multiple",
        "Umbraco.DropDown.Flexible",
        "Nvarchar",
        {"Items": [], "Multiple": True},
    ),
    DataType("Image Cropper", "Umbraco.ImageCropper", "Ntext", {"Crops": []}),
    DataType("Image Media Picker", "Umbraco.MediaPicker3", "Ntext", _media_picker(False, True)),
    _label("BIGINT", "Nvarchar", "bigint"),
    _label("DATETIME", "Date", "datetime"),
    _label("DECIMAL", "Decimal", "decimal"),
    _label("INT", "Integer", "integer"),
    _label("STRING", "Nvarchar", "string"),
    _label("TIME", "Date", "time"),
    _list_view("List View - Content", 100),
    _list_view("List View - Media", 100),
    _list_view("List View - Members", 10),
    DataType("Media Picker", "Umbraco.MediaPicker3", "Ntext", _media_picker(False, False)),
    DataType(
        "Media Picker (legacy)",
        "Umbraco.MediaPicker",
        "Ntext",
        {"DisableFolderSelect": False, "Multiple": False, "OnlyImages": False},
    ),
    DataType("Member Picker", "Umbraco.MemberPicker", "Nvarchar", {}),
    DataType(
        "Multi URL Picker",
        "Umbraco.MultiUrlPicker",
        "Ntext",
        {"HideAnchor": False, "IgnoreUserStartNodes": False, "MaxNumber": 0, "MinNumber": 0},
    ),
    DataType(
        "Multiple Image Media Picker", "Umbraco.MediaPicker3", "Ntext", _media_picker(True, True)
    ),
    DataType("Multiple Media Picker", "Umbraco.MediaPicker3", "Ntext", _media_picker(True, False)),
    DataType(
        "Multiple Media Picker (legacy)",
        "Umbraco.MediaPicker",
        "Ntext",
        {"DisableFolderSelect": False, "Multiple": True, "OnlyImages": False},
    ),
    DataType("Numeric", "Umbraco.Integer", "Integer", {"Max": None, "Min": None, "Step": None}),
    DataType("Radiobox", "Umbraco.RadioButtonList", "Nvarchar", {"Items": []}),
    DataType("Richtext editor", "Umbraco.TinyMCE", "Ntext", RICH_TEXT_CONFIG),
    DataType(
        "Tags", "Umbraco.Tags", "Ntext", {"Delimiter": "\0", "Group": "default", "StorageType": 1}
    ),
    DataType("Textarea", "Umbraco.TextArea", "Ntext", {"MaxChars": None, "Rows": None}),
    DataType("Textstring", "Umbraco.TextBox", "Nvarchar", {"MaxChars": None}),
    DataType(
        "True/false",
        "Umbraco.TrueFalse",
        "Integer",
        {"Default": False, "LabelOff": None, "LabelOn": None, "ShowLabels": False},
    ),
    _upload("Upload Article", "pdf", "docx", "doc"),
    _upload("Upload Audio", "mp3", "weba", "oga", "opus"),
    _upload("Upload File"),
    _upload("Upload Vector Graphics", "svg"),
    _upload("Upload Video", "mp4", "webm", "ogv"),
)


def _block(content: str, settings: str | None, label: str) -> dict[str, Any]:
    return {
        "BackgroundColor": None,
        "ContentElementTypeKey": stable_key("ContentType", content),
        "EditorSize": "medium",
        "ForceHideContentEditorInOverlay": False,
        "IconColor": None,
        "Label": label,
        "SettingsElementTypeKey": stable_key("ContentType", settings) if settings else None,
        "Stylesheet": None,
        "Thumbnail": None,
        "View": None,
    }


def _block_list(*blocks: dict[str, Any], single: bool = False) -> dict[str, Any]:
    return {
        "Blocks": list(blocks),
        "MaxPropertyWidth": None,
        "UseInlineEditingAsDefault": False,
        "UseLiveEditing": False,
        "UseSingleBlockMode": single,
        "ValidationLimit": {"max": 1 if single else None, "min": None},
    }


ARTICLE_CATEGORIES = ("News", "Guides", "Events", "Press", "Stories", "Updates", "Research")

SITE_DATA_TYPES = (
    DataType(
        "[BlockList] Main Content",
        "Umbraco.BlockList",
        "Ntext",
        _block_list(
            _block("textBlock", "blockSettings", "{{title}}"),
            _block("imageBlock", "blockSettings", "Image: {{caption}}"),
            _block("quoteBlock", "blockSettings", "{{citation}}"),
            _block("videoBlock", "blockSettings", "Video"),
            _block("callToActionBlock", "blockSettings", "{{title}}"),
        ),
        folder="Blocks",
    ),
    DataType(
        "[BlockList] Call To Action",
        "Umbraco.BlockList",
        "Ntext",
        _block_list(_block("callToActionBlock", None, "{{title}}"), single=True),
        folder="Blocks",
    ),
    DataType(
        "Article - Category - Dropdown",
        "Umbraco.DropDown.Flexible",
        "Nvarchar",
        {"Items": _items(*ARTICLE_CATEGORIES), "Multiple": False},
    ),
    DataType(
        "Article - Excerpt - Textarea", "Umbraco.TextArea", "Ntext", {"MaxChars": 300, "Rows": 4}
    ),
    DataType("Hero - Title - Textstring", "Umbraco.TextBox", "Nvarchar", {"MaxChars": 90}),
    DataType(
        "Product - Price - Decimal",
        "Umbraco.Decimal",
        "Decimal",
        {"Max": None, "Min": 0, "Step": 0.01},
    ),
    DataType(
        "Person - Department - Tags",
        "Umbraco.Tags",
        "Ntext",
        {"Delimiter": "\0", "Group": "department", "StorageType": 1},
    ),
    DataType(
        "Footer - Links - Multinode Treepicker",
        "Umbraco.MultiNodeTreePicker",
        "Ntext",
        {
            "Filter": None,
            "IgnoreUserStartNodes": False,
            "MaxNumber": 10,
            "MinNumber": 0,
            "ShowOpenButton": False,
            "StartNode": {"Id": None, "Query": None, "Type": "content"},
        },
    ),
    DataType(
        "Theme - Colour - Color Picker",
        "Umbraco.ColorPicker",
        "Nvarchar",
        {"Items": _items("1b264f", "274690", "576ca8", "f5f3f5", "e0a458"), "UseLabel": False},
    ),
    DataType(
        "Event - Registration - Multi URL Picker",
        "Umbraco.MultiUrlPicker",
        "Ntext",
        {"HideAnchor": True, "IgnoreUserStartNodes": False, "MaxNumber": 1, "MinNumber": 0},
    ),
)

DATA_TYPES = STOCK_DATA_TYPES + SITE_DATA_TYPES
DATA_TYPE_BY_NAME = {dt.name: dt for dt in DATA_TYPES}

SEO = (
    Prop("metaTitle", "Meta title", "Textstring", culture=True, tab="SEO"),
    Prop("metaDescription", "Meta description", "Textarea", culture=True, tab="SEO"),
    Prop("metaKeywords", "Keywords", "Tags", tab="SEO"),
    Prop("noIndex", "Hide from search engines", "True/false", tab="SEO"),
)
NAVIGATION = (
    Prop("umbracoNavihide", "Hide from navigation", "True/false", tab="Navigation"),
    Prop("navigationTitle", "Navigation title", "Textstring", culture=True, tab="Navigation"),
)
HERO = (
    Prop("heroTitle", "Hero title", "Hero - Title - Textstring", culture=True, tab="Hero"),
    Prop("heroSubtitle", "Hero subtitle", "Textarea", culture=True, tab="Hero"),
    Prop("heroImage", "Hero image", "Image Media Picker", tab="Hero"),
)
MAIN_CONTENT = (
    Prop("mainContent", "Main content", "[BlockList] Main Content", culture=True),
    Prop("bodyText", "Body text", "Richtext editor", culture=True),
)

COMPOSITIONS = (
    DocType("seoComposition", "SEO", "icon-search", SEO, template=False, folder="Compositions"),
    DocType(
        "navigationComposition",
        "Navigation",
        "icon-navigation",
        NAVIGATION,
        template=False,
        folder="Compositions",
    ),
    DocType("heroComposition", "Hero", "icon-picture", HERO, template=False, folder="Compositions"),
    DocType(
        "contentComposition",
        "Main Content",
        "icon-document",
        MAIN_CONTENT,
        template=False,
        folder="Compositions",
    ),
    DocType(
        "themeComposition",
        "Theme",
        "icon-palette",
        (Prop("themeColour", "Theme colour", "Theme - Colour - Color Picker", tab="Settings"),),
        culture=False,
        template=False,
        folder="Compositions",
    ),
)


def _element(alias: str, name: str, *props: Prop) -> DocType:
    return DocType(
        alias,
        name,
        "icon-science",
        props,
        culture=False,
        is_element=True,
        template=False,
        folder="Elements",
    )


ELEMENTS = (
    _element(
        "textBlock",
        "Text Block",
        Prop("title", "Title", "Textstring"),
        Prop("text", "Text", "Richtext editor"),
    ),
    _element(
        "imageBlock",
        "Image Block",
        Prop("image", "Image", "Image Media Picker", mandatory=True),
        Prop("caption", "Caption", "Textstring"),
    ),
    _element(
        "quoteBlock",
        "Quote Block",
        Prop("quote", "Quote", "Textarea", mandatory=True),
        Prop("citation", "Citation", "Textstring"),
    ),
    _element(
        "videoBlock",
        "Video Block",
        Prop("videoUrl", "Video URL", "Textstring", mandatory=True),
        Prop("caption", "Caption", "Textstring"),
    ),
    _element(
        "callToActionBlock",
        "Call To Action Block",
        Prop("title", "Title", "Textstring"),
        Prop("text", "Text", "Textarea"),
        Prop("link", "Link", "Multi URL Picker"),
    ),
    _element(
        "blockSettings",
        "Block Settings",
        Prop("hide", "Hide", "True/false"),
        Prop("theme", "Theme", "Theme - Colour - Color Picker"),
    ),
)

BASE = ("seoComposition", "navigationComposition")
SECTIONS = (
    "contentPage",
    "landingPage",
    "articleList",
    "productList",
    "people",
    "faq",
    "eventList",
    "contact",
    "errorPage",
    "search",
)


def _page(alias: str, name: str, icon: str, *props: Prop, **extra: Any) -> DocType:
    compositions = extra.pop("compositions", BASE)
    return DocType(alias, name, icon, props, compositions=compositions, folder="Pages", **extra)


PAGES = (
    _page(
        "home",
        "Home",
        "icon-home",
        Prop("siteName", "Site name", "Textstring", culture=True, tab="Settings", mandatory=True),
        Prop("logo", "Logo", "Image Media Picker", tab="Settings"),
        Prop("footerLinks", "Footer links", "Footer - Links - Multinode Treepicker", tab="Footer"),
        Prop("footerText", "Footer text", "Richtext editor", culture=True, tab="Footer"),
        compositions=(*BASE, "heroComposition", "contentComposition", "themeComposition"),
        children=SECTIONS,
        allow_at_root=True,
    ),
    _page(
        "contentPage",
        "Content Page",
        "icon-document",
        compositions=(*BASE, "heroComposition", "contentComposition"),
        children=("contentPage",),
    ),
    _page(
        "landingPage",
        "Landing Page",
        "icon-rocket",
        Prop("callToAction", "Call to action", "[BlockList] Call To Action", culture=True),
        compositions=(*BASE, "heroComposition", "contentComposition", "themeComposition"),
        children=("contentPage",),
    ),
    _page(
        "articleList",
        "Article List",
        "icon-newspaper",
        Prop("pageSize", "Articles per page", "Numeric", tab="Settings"),
        compositions=(*BASE, "heroComposition"),
        children=("articleList", "article"),
    ),
    _page(
        "article",
        "Article",
        "icon-article",
        Prop("articleDate", "Article date", "Date Picker", mandatory=True),
        Prop("author", "Author", "Content Picker"),
        Prop("categories", "Tags", "Tags"),
        Prop("category", "Category", "Article - Category - Dropdown"),
        Prop("excerpt", "Excerpt", "Article - Excerpt - Textarea", culture=True, mandatory=True),
        Prop("image", "Image", "Image Media Picker"),
        compositions=(*BASE, "contentComposition"),
    ),
    _page(
        "productList",
        "Product List",
        "icon-shopping-basket-alt-2",
        compositions=(*BASE, "heroComposition"),
        children=("productList", "product"),
    ),
    _page(
        "product",
        "Product",
        "icon-box",
        Prop("productName", "Product name", "Textstring", culture=True, mandatory=True),
        Prop("price", "Price", "Product - Price - Decimal", mandatory=True),
        Prop("sku", "SKU", "Textstring"),
        Prop("description", "Description", "Textarea", culture=True),
        Prop("photos", "Photos", "Multiple Image Media Picker"),
        compositions=(*BASE, "contentComposition"),
    ),
    _page(
        "people",
        "People",
        "icon-users",
        compositions=(*BASE, "heroComposition"),
        children=("person",),
    ),
    _page(
        "person",
        "Person",
        "icon-user",
        Prop("jobTitle", "Job title", "Textstring", culture=True),
        Prop("department", "Department", "Person - Department - Tags"),
        Prop("email", "Email", "Textstring"),
        Prop("photo", "Photo", "Image Media Picker"),
        Prop("bio", "Biography", "Richtext editor", culture=True),
        Prop("socialLinks", "Social links", "Multi URL Picker"),
    ),
    _page("faq", "FAQ", "icon-help", children=("faqItem",)),
    _page(
        "faqItem",
        "FAQ Item",
        "icon-help-alt",
        Prop("question", "Question", "Textstring", culture=True, mandatory=True),
        Prop("answer", "Answer", "Richtext editor", culture=True),
        compositions=("navigationComposition",),
    ),
    _page(
        "eventList",
        "Event List",
        "icon-calendar",
        compositions=(*BASE, "heroComposition"),
        children=("event",),
    ),
    _page(
        "event",
        "Event",
        "icon-calendar-alt",
        Prop("eventDate", "Date and time", "Date Picker with time", mandatory=True),
        Prop("location", "Location", "Textstring", culture=True),
        Prop("registration", "Registration", "Event - Registration - Multi URL Picker"),
        compositions=(*BASE, "contentComposition"),
    ),
    _page(
        "contact",
        "Contact",
        "icon-message",
        Prop("contactIntro", "Introduction", "Richtext editor", culture=True),
        Prop("mapEmbed", "Map embed code", "Textarea"),
        Prop("emailTo", "Send form to", "Textstring", mandatory=True),
        compositions=(*BASE, "heroComposition"),
    ),
    _page(
        "errorPage",
        "Error Page",
        "icon-alert",
        compositions=(*BASE, "contentComposition"),
    ),
    _page(
        "search",
        "Search",
        "icon-search",
        Prop("searchPlaceholder", "Placeholder", "Textstring", culture=True),
    ),
    _page(
        "siteSettings",
        "Site Settings",
        "icon-settings",
        Prop("googleAnalyticsId", "Google Analytics ID", "Textstring"),
        Prop("cookieBannerText", "Cookie banner", "Richtext editor", culture=True),
        Prop("socialLinks", "Social links", "Multi URL Picker"),
        compositions=(),
        template=False,
        allow_at_root=True,
    ),
)

CONTENT_TYPES = COMPOSITIONS + ELEMENTS + PAGES
CONTENT_TYPE_BY_ALIAS = {t.alias: t for t in CONTENT_TYPES}


def _media_type(alias: str, name: str, icon: str, upload: str, **extra: Any) -> DocType:
    file_props = (
        Prop("umbracoFile", "File", upload, tab="File"),
        Prop("umbracoExtension", "Type", "Label (string)", tab="File"),
        Prop("umbracoBytes", "Size", "Label (bigint)", tab="File"),
    )
    return DocType(
        alias,
        name,
        icon,
        file_props + extra.pop("props", ()),
        culture=False,
        template=False,
        item_type="MediaType",
        **extra,
    )


IMAGE_PROPS = (
    Prop("umbracoWidth", "Width", "Label (integer)", tab="Image"),
    Prop("umbracoHeight", "Height", "Label (integer)", tab="Image"),
)

MEDIA_TYPES = (
    DocType(
        "Folder",
        "Folder",
        "icon-folder",
        children=("Folder", "Image", "File"),
        culture=False,
        template=False,
        allow_at_root=True,
        item_type="MediaType",
    ),
    _media_type("Image", "Image", "icon-picture", "Image Cropper", props=IMAGE_PROPS),
    _media_type("File", "File", "icon-document", "Upload File"),
    _media_type("umbracoMediaVideo", "Video", "icon-video", "Upload Video"),
    _media_type("umbracoMediaAudio", "Audio", "icon-sound-waves", "Upload Audio"),
    _media_type("umbracoMediaArticle", "Article", "icon-article", "Upload Article"),
    _media_type(
        "umbracoMediaVectorGraphics",
        "Vector Graphics (SVG)",
        "icon-picture",
        "Upload Vector Graphics",
    ),
)

MEMBER_TYPES = (
    DocType(
        "Member",
        "Member",
        "icon-user",
        (
            Prop("umbracoMemberComments", "Comments", "Textarea", tab="Membership"),
            Prop("newsletter", "Newsletter", "True/false", tab="Membership"),
        ),
        culture=False,
        template=False,
        item_type="MemberType",
    ),
)


@dataclass(frozen=True)
class Template:
    alias: str
    name: str
    parent: str | None = None

    @property
    def key(self) -> str:
        return stable_key("Template", self.alias)


MASTER = Template("Master", "Master")
TEMPLATES = (
    MASTER,
    *(Template(page.template_alias, page.name, MASTER.alias) for page in PAGES if page.template),
)


@dataclass
class Schema:
    """The schema one site uses: everything above plus its languages."""

    languages: tuple[Language, ...]
    data_types: tuple[DataType, ...] = DATA_TYPES
    content_types: tuple[DocType, ...] = CONTENT_TYPES
    media_types: tuple[DocType, ...] = MEDIA_TYPES
    member_types: tuple[DocType, ...] = MEMBER_TYPES
    templates: tuple[Template, ...] = TEMPLATES

    @property
    def settings_items(self) -> int:
        """How many item files the settings part writes."""
        return (
            len(self.languages)
            + len(self.data_types)
            + len(self.content_types)
            + len(self.media_types)
            + len(self.member_types)
            + len(self.templates)
        )


def all_props(doc_type: DocType) -> list[Prop]:
    """The type's own properties plus its compositions', as content files list them."""
    props = list(doc_type.props)
    for alias in doc_type.compositions:
        props.extend(CONTENT_TYPE_BY_ALIAS[alias].props)
    return sorted(props, key=lambda p: p.alias)
