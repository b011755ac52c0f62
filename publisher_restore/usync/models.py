"""Typed models of uSync items: one class per item family, all immutable.

These classes are the contract between the parsers (``usync.parsers``), the
restore check (``usync.diff``) and the analyser.  Values are kept as the
strings uSync wrote, except booleans and integers that uSync itself treats as
such; GUID keys are lower-cased.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class ItemType(StrEnum):
    """The root element names uSync writes, plus the handler folders they live in."""

    CONTENT_TYPE = "ContentType"
    MEDIA_TYPE = "MediaType"
    MEMBER_TYPE = "MemberType"
    DATA_TYPE = "DataType"
    CONTENT = "Content"
    MEDIA = "Media"
    TEMPLATE = "Template"
    LANGUAGE = "Language"
    DICTIONARY = "Dictionary"
    DOMAIN = "Domain"
    MACRO = "Macro"
    RELATION_TYPE = "RelationType"
    WEBHOOK = "Webhook"


class EmptyAction(StrEnum):
    """``<Empty Change="...">``: uSync's SyncActionType."""

    NONE = "None"
    RENAME = "Rename"
    DELETE = "Delete"
    CLEAN = "Clean"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ItemRef(_Frozen):
    """A reference to another item as uSync writes it: ``<X Key="...">alias</X>``."""

    key: str | None = None
    alias: str = ""
    sort_order: int | None = None


class UsyncItem(_Frozen):
    """Common envelope of every item file.

    ``item_type`` is the root element name, except for ``EmptyItem`` where it is
    the type of the item the marker names (from its handler folder or its
    ``itemType`` attribute).  ``path`` is the file's path relative to the site
    root, with forward slashes.
    """

    kind: str
    item_type: str
    key: str | None
    alias: str
    level: int | None = None
    path: str
    folder: str | None = None


class PropertyType(_Frozen):
    """A ``GenericProperty`` of a content, media or member type."""

    key: str | None
    alias: str
    name: str = ""
    definition: str | None = None
    editor_alias: str = ""
    mandatory: bool = False
    validation: str = ""
    description: str = ""
    sort_order: int | None = None
    tab_alias: str | None = None
    tab_name: str | None = None
    variations: str = "Nothing"
    mandatory_message: str = ""
    validation_message: str = ""
    label_on_top: bool | None = None
    can_edit: bool | None = None
    can_view: bool | None = None
    is_sensitive: bool | None = None


class Tab(_Frozen):
    """A tab or group of a content type (v8 < 8.17 has only caption and sort order)."""

    key: str | None = None
    caption: str = ""
    alias: str | None = None
    type: str | None = None
    sort_order: int | None = None


class ContentTypeItem(UsyncItem):
    """ContentType, MediaType or MemberType (``item_type`` says which)."""

    kind: Literal["content_type"] = "content_type"
    name: str = ""
    icon: str = ""
    thumbnail: str = ""
    description: str = ""
    allow_at_root: bool | None = None
    is_list_view: bool | None = None
    list_view: str | None = None
    variations: str = "Nothing"
    is_element: bool | None = None
    history_cleanup: dict[str, str] | None = None
    parent: ItemRef | None = None
    compositions: tuple[ItemRef, ...] = ()
    default_template: str | None = None
    allowed_templates: tuple[ItemRef, ...] = ()
    structure: tuple[ItemRef, ...] = ()
    properties: tuple[PropertyType, ...] = ()
    tabs: tuple[Tab, ...] = ()


class DataTypeItem(UsyncItem):
    """A data type: editor, storage type (v8 to v13), UI editor (v14+) and config JSON."""

    kind: Literal["data_type"] = "data_type"
    name: str = ""
    editor_alias: str = ""
    database_type: str | None = None
    editor_ui_alias: str | None = None
    config_raw: str = ""
    config: Any = None


class PropertyValue(_Frozen):
    """One stored value of a content or media property, per culture and segment."""

    alias: str
    culture: str | None = None
    segment: str | None = None
    value: str = ""


class ScheduleEntry(_Frozen):
    """A scheduled publish (``Release``) or unpublish (``Expire``), per culture."""

    action: str
    date: str
    culture: str | None = None


class ContentItem(UsyncItem):
    """Content, Media or a Blueprint (``is_blueprint``)."""

    kind: Literal["content"] = "content"
    parent_key: str | None = None
    parent_name: str = ""
    tree_path: str = ""
    trashed: bool = False
    trashed_parent_key: str | None = None
    content_type: str = ""
    create_date: str | None = None
    sort_order: int | None = None
    node_name: str = ""
    culture_names: dict[str, str] = Field(default_factory=dict)
    published: bool | None = None
    culture_published: dict[str, bool] = Field(default_factory=dict)
    template: ItemRef | None = None
    is_blueprint: bool = False
    values: tuple[PropertyValue, ...] = ()
    schedule: tuple[ScheduleEntry, ...] = ()
    cultures: tuple[str, ...] = ()
    """Root ``Cultures`` attribute of a partial (Publisher/Exporter) file; empty = all cultures."""
    segments: tuple[str, ...] = ()
    """Root ``Segments`` attribute of a partial file; empty = all segments."""


class TemplateItem(UsyncItem):
    """A template: name, master template alias, optional contents."""

    kind: Literal["template"] = "template"
    name: str = ""
    parent_alias: str | None = None
    contents: str | None = None


class LanguageItem(UsyncItem):
    """A language, matched by ISO code in practice."""

    kind: Literal["language"] = "language"
    name: str | None = None
    iso_code: str = ""
    is_mandatory: bool = False
    is_default: bool = False
    fallback: str | None = None


class DictionaryItem(UsyncItem):
    """A dictionary item and its translations by ISO code."""

    kind: Literal["dictionary"] = "dictionary"
    parent: str | None = None
    translations: dict[str, str] = Field(default_factory=dict)


class DomainItem(UsyncItem):
    """A hostname bound to a content root."""

    kind: Literal["domain"] = "domain"
    is_wildcard: bool = False
    language: str = ""
    root_key: str | None = None
    root_path: str = ""
    sort_order: int | None = None


class MacroProperty(_Frozen):
    alias: str
    name: str = ""
    sort_order: int | None = None
    editor_alias: str = ""


class MacroItem(UsyncItem):
    """A macro (Umbraco 8 to 13)."""

    kind: Literal["macro"] = "macro"
    name: str = ""
    fields: dict[str, str] = Field(default_factory=dict)
    properties: tuple[MacroProperty, ...] = ()


class RelationTypeItem(UsyncItem):
    kind: Literal["relation_type"] = "relation_type"
    name: str = ""
    parent_type: str | None = None
    child_type: str | None = None
    bidirectional: bool | None = None
    is_dependency: bool | None = None


class GenericItem(UsyncItem):
    """An item of a type this tool has no model for: kept, with its leaf values by path."""

    kind: Literal["generic"] = "generic"
    fields: dict[str, str] = Field(default_factory=dict)


class EmptyItem(UsyncItem):
    """An ``<Empty Change="..."/>`` marker: a delete, rename, clean or no-op action."""

    kind: Literal["empty"] = "empty"
    action: EmptyAction


AnyItem = (
    ContentTypeItem
    | DataTypeItem
    | ContentItem
    | TemplateItem
    | LanguageItem
    | DictionaryItem
    | DomainItem
    | MacroItem
    | RelationTypeItem
    | GenericItem
    | EmptyItem
)


class ParseProblem(_Frozen):
    """A file that could not be read as a uSync item; never aborts a whole operation."""

    path: str
    line: int | None = None
    problem: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.problem}"
