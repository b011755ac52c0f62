"""Small readers shared by the item parsers: text, booleans, integers, keys, the envelope."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from publisher_restore.errors import ItemParseError
from publisher_restore.usync.models import ItemRef

Element = etree._Element

EMPTY_GUID = "00000000-0000-0000-0000-000000000000"
_HEX = "[0-9a-fA-F]"
_GUID = re.compile(rf"^\{{?({_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}})\}}?$")


def text(element: Element | None, path: str | None = None, default: str = "") -> str:
    """Text of ``element`` (or of its child at ``path``), ``default`` when absent."""
    if element is not None and path is not None:
        element = element.find(path)
    if element is None:
        return default
    return element.text or ""


def optional_text(element: Element, path: str) -> str | None:
    """Text of the child at ``path``, or None when the child is missing."""
    child = element.find(path)
    return None if child is None else child.text or ""


def non_empty(value: str | None) -> str | None:
    """None for a missing or blank value, the stripped value otherwise."""
    if value is None or not value.strip():
        return None
    return value.strip()


def to_bool(value: str | None) -> bool | None:
    """uSync booleans are written ``true``/``True``; anything else counts as not given."""
    if value is None:
        return None
    lowered = value.strip().lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    return None


def child_bool(element: Element, path: str) -> bool | None:
    """Boolean value of the child at ``path``, None when missing or not a boolean."""
    return to_bool(optional_text(element, path))


def to_int(value: str | None) -> int | None:
    """Integer value, None when missing or not an integer."""
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None


def normalise_guid(value: str | None) -> str | None:
    """A lower-cased GUID, or None when ``value`` is not a GUID."""
    if value is None:
        return None
    match = _GUID.match(value.strip())
    return match.group(1).lower() if match else None


def guid_or_raw(value: str | None) -> str | None:
    """A lower-cased GUID when it is one, else the stripped text (None when blank)."""
    return normalise_guid(value) or non_empty(value)


def item_ref(element: Element) -> ItemRef:
    """``<X Key="..." SortOrder="n">alias</X>`` as an ItemRef."""
    return ItemRef(
        key=guid_or_raw(element.get("Key")),
        alias=(element.text or "").strip(),
        sort_order=to_int(element.get("SortOrder")),
    )


def item_refs(element: Element, path: str) -> tuple[ItemRef, ...]:
    """Every child element of the element at ``path`` as ItemRefs."""
    container = element.find(path)
    if container is None:
        return ()
    return tuple(item_ref(child) for child in container.iterchildren(tag=etree.Element))


def envelope(root: Element, path: str, *, validate: bool = True) -> dict[str, Any]:
    """The common root fields; with ``validate`` the Key and Alias are checked as uSync does."""
    raw_key = root.get("Key")
    key = normalise_guid(raw_key)
    alias = root.get("Alias") or ""
    tag = str(root.tag)
    if validate:
        _validate_identity(tag, raw_key, key, alias, path, root.sourceline)
    return {
        "item_type": tag,
        "key": key if key is not None else non_empty(raw_key),
        "alias": alias,
        "level": to_int(root.get("Level")),
        "path": path,
        "folder": non_empty(optional_text(root, "Info/Folder")),
    }


def _validate_identity(
    tag: str, raw_key: str | None, key: str | None, alias: str, path: str, line: int | None
) -> None:
    """uSync's IsValid: a non-empty GUID Key and a non-blank Alias."""
    if raw_key is None:
        raise ItemParseError(path, line, f"<{tag}> has no Key attribute")
    if key is None:
        raise ItemParseError(path, line, f"<{tag}> Key {raw_key!r} is not a GUID")
    if key == EMPTY_GUID:
        raise ItemParseError(path, line, f"<{tag}> Key is the empty GUID")
    if not alias.strip():
        raise ItemParseError(path, line, f"<{tag}> has an empty Alias")
