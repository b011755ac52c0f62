"""ContentType, MediaType and MemberType files (v8 to v17 shapes)."""

from __future__ import annotations

from lxml import etree

from publisher_restore.usync.models import ContentTypeItem, ItemRef, PropertyType, Tab
from publisher_restore.usync.parsers.common import (
    Element,
    child_bool,
    envelope,
    guid_or_raw,
    item_ref,
    item_refs,
    non_empty,
    optional_text,
    text,
    to_int,
)


def parse_content_type(root: Element, path: str) -> ContentTypeItem:
    """Build a ContentTypeItem from a ContentType/MediaType/MemberType root element."""
    info = root.find("Info")
    if info is None:
        info = etree.Element("Info")
    return ContentTypeItem(
        **envelope(root, path),
        name=text(info, "Name"),
        icon=text(info, "Icon"),
        thumbnail=text(info, "Thumbnail"),
        description=text(info, "Description"),
        allow_at_root=child_bool(info, "AllowAtRoot"),
        is_list_view=child_bool(info, "IsListView"),
        list_view=guid_or_raw(optional_text(info, "ListView")),
        variations=text(info, "Variations", "Nothing") or "Nothing",
        is_element=child_bool(info, "IsElement"),
        history_cleanup=_history_cleanup(info),
        parent=_parent(info),
        compositions=item_refs(info, "Compositions"),
        default_template=non_empty(optional_text(info, "DefaultTemplate")),
        allowed_templates=item_refs(info, "AllowedTemplates"),
        structure=item_refs(root, "Structure"),
        properties=tuple(_property(p) for p in root.iterfind("GenericProperties/GenericProperty")),
        tabs=tuple(_tab(t) for t in root.iterfind("Tabs/Tab")),
    )


def _history_cleanup(info: Element) -> dict[str, str] | None:
    cleanup = info.find("HistoryCleanup")
    if cleanup is None:
        return None
    return {str(child.tag): child.text or "" for child in cleanup.iterchildren(tag=etree.Element)}


def _parent(info: Element) -> ItemRef | None:
    parent = info.find("Parent")
    if parent is None:
        return None
    ref = item_ref(parent)
    return ref if ref.key or ref.alias else None


def _property(element: Element) -> PropertyType:
    tab = element.find("Tab")
    return PropertyType(
        key=guid_or_raw(optional_text(element, "Key")),
        alias=text(element, "Alias").strip(),
        name=text(element, "Name"),
        definition=guid_or_raw(optional_text(element, "Definition")),
        editor_alias=text(element, "Type"),
        mandatory=child_bool(element, "Mandatory") or False,
        validation=text(element, "Validation"),
        description=text(element, "Description"),
        sort_order=to_int(optional_text(element, "SortOrder")),
        tab_alias=None if tab is None else non_empty(tab.get("Alias")),
        tab_name=None if tab is None else (tab.text or ""),
        variations=text(element, "Variations", "Nothing") or "Nothing",
        mandatory_message=text(element, "MandatoryMessage"),
        validation_message=text(element, "ValidationRegExpMessage"),
        label_on_top=child_bool(element, "LabelOnTop"),
        can_edit=child_bool(element, "CanEdit"),
        can_view=child_bool(element, "CanView"),
        is_sensitive=child_bool(element, "IsSensitive"),
    )


def _tab(element: Element) -> Tab:
    return Tab(
        key=guid_or_raw(optional_text(element, "Key")),
        caption=text(element, "Caption"),
        alias=non_empty(optional_text(element, "Alias")),
        type=non_empty(optional_text(element, "Type")),
        sort_order=to_int(optional_text(element, "SortOrder")),
    )
