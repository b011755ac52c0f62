"""Content, Media and Blueprint files: names and publish state per culture, values per variant."""

from __future__ import annotations

import sys

from lxml import etree

from publisher_restore.usync.folders import handler_folder
from publisher_restore.usync.models import ContentItem, ItemRef, PropertyValue, ScheduleEntry
from publisher_restore.usync.parsers.common import (
    Element,
    child_bool,
    envelope,
    guid_or_raw,
    item_ref,
    non_empty,
    optional_text,
    text,
    to_bool,
    to_int,
)


def parse_content(root: Element, path: str) -> ContentItem:
    """Build a ContentItem from a Content or Media root element."""
    info = root.find("Info")
    if info is None:
        info = etree.Element("Info")
    parent = info.find("Parent")
    trashed = info.find("Trashed")
    node_name = info.find("NodeName")
    published = info.find("Published")
    return ContentItem(
        **envelope(root, path),
        parent_key=None if parent is None else guid_or_raw(parent.get("Key")),
        parent_name=text(parent),
        tree_path=text(info, "Path"),
        trashed=to_bool(text(trashed)) or False,
        trashed_parent_key=None if trashed is None else guid_or_raw(trashed.get("Parent")),
        content_type=text(info, "ContentType").strip(),
        create_date=non_empty(optional_text(info, "CreateDate")),
        sort_order=to_int(optional_text(info, "SortOrder")),
        node_name="" if node_name is None else node_name.get("Default", ""),
        culture_names=_per_culture(node_name, "Name"),
        published=None if published is None else to_bool(published.get("Default")),
        culture_published=_culture_published(published),
        template=_template(info),
        is_blueprint=is_blueprint_path(path) or bool(child_bool(info, "IsBlueprint")),
        values=_values(root),
        schedule=_schedule(info),
        cultures=_csv(root.get("Cultures")),
        segments=_csv(root.get("Segments")),
    )


def _schedule(info: Element) -> tuple[ScheduleEntry, ...]:
    schedule = info.find("Schedule")
    if schedule is None:
        return ()
    return tuple(
        ScheduleEntry(
            action=text(entry, "Action"),
            date=text(entry, "Date"),
            culture=non_empty(optional_text(entry, "Culture")),
        )
        for entry in schedule.iterchildren(tag="ContentSchedule")
    )


def _csv(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def is_blueprint_path(path: str) -> bool:
    """True when the file sits in a ``Blueprints`` handler folder."""
    return handler_folder(path) == "Blueprints"


def _per_culture(element: Element | None, tag: str) -> dict[str, str]:
    if element is None:
        return {}
    return {
        sys.intern(child.get("Culture", "")): child.text or ""
        for child in element.iterchildren(tag=tag)
        if child.get("Culture")
    }


def _culture_published(element: Element | None) -> dict[str, bool]:
    return {
        culture: flag
        for culture, raw in _per_culture(element, "Published").items()
        if (flag := to_bool(raw)) is not None
    }


def _template(info: Element) -> ItemRef | None:
    element = info.find("Template")
    if element is None:
        return None
    ref = item_ref(element)
    return ref if ref.key or ref.alias else None


def _values(root: Element) -> tuple[PropertyValue, ...]:
    properties = root.find("Properties")
    if properties is None:
        return ()
    return tuple(
        _value(sys.intern(str(prop.tag)), value)
        for prop in properties.iterchildren(tag=etree.Element)
        for value in prop.iterchildren(tag="Value")
    )


_VALUE_FIELDS = set(PropertyValue.model_fields)
"""One fields-set for every value (all four are always given): a site holds hundreds of
thousands of values, and a set per value would be a third of their memory."""


def _value(alias: str, element: Element) -> PropertyValue:
    # Every field is a str (or None) by construction, so validation is skipped; aliases,
    # cultures and segments repeat across a site and are interned.
    return PropertyValue.model_construct(
        _VALUE_FIELDS,
        alias=alias,
        culture=_interned(element.get("Culture")),
        segment=_interned(element.get("Segment")),
        value=element.text or "",
    )


def _interned(value: str | None) -> str | None:
    found = non_empty(value)
    return None if found is None else sys.intern(found)
