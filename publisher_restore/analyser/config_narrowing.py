"""Data-type configuration compared old to new: what a narrower configuration takes away.

Narrowing means: list items (prevalues) removed, a maximum lowered or introduced, or allowed
block/element/content types removed.  Adding items, raising limits, reordering and every other
setting are not narrowing.  Umbraco 14's migration rewrote two shapes that must compare equal to
their old form: picker filters name types by Key instead of Alias (``resolve`` maps both to one
form), and colour-picker items hold their value directly instead of a JSON string.  Some uSync 8
releases wrapped the whole configuration in ``{"Config": {...}, "MappedPath": null}``; the inner
object is what compares.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from publisher_restore.usync.models import DataTypeItem

_MAX_KEYS = frozenset({"max", "maxnumber", "maxitems", "maxchars", "maxlength", "maxval"})
_TYPE_KEYS = frozenset(
    {"contentelementtypekey", "settingselementtypekey", "ncalias", "elementtypekey"}
)
_LIST_KEYS = frozenset({"items", "prevalues"})


@dataclass
class Narrowing:
    """What a new configuration removes: options, limits and allowed types."""

    removed_items: list[str] = field(default_factory=list)
    lowered_limits: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    removed_types: list[str] = field(default_factory=list)
    narrowed_filter: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(
            self.removed_items or self.lowered_limits or self.removed_types or self.narrowed_filter
        )

    def tokens(self) -> list[str] | None:
        """Values whose presence marks a stored value as hit; None when any value may be hit."""
        if self.lowered_limits or self.narrowed_filter:
            return None
        return [*self.removed_items, *self.removed_types]

    def as_detail(self) -> dict[str, Any]:
        """JSON-ready detail, deterministic."""
        return {
            "removed_items": sorted(self.removed_items),
            "lowered_limits": {k: list(v) for k, v in sorted(self.lowered_limits.items())},
            "removed_types": sorted(self.removed_types),
            "narrowed_filter": sorted(self.narrowed_filter),
        }


def parsed_config(item: DataTypeItem) -> Any:
    """The configuration as JSON data, or None when absent or unreadable."""
    if item.config is not None:
        return item.config
    try:
        return json.loads(item.config_raw) if item.config_raw.strip() else None
    except ValueError:
        return None


TypeResolver = Callable[[str], str]
"""Maps a picker filter entry (a type Alias, or since Umbraco 14 a type Key) to one form."""


def narrowing(old: Any, new: Any, resolve: TypeResolver | None = None) -> Narrowing:
    """Compare two parsed configurations."""
    result = Narrowing()
    old, new = _unwrapped_config(old), _unwrapped_config(new)
    old_lists, new_lists = _collect(old, _list_values), _collect(new, _list_values)
    for path, values in old_lists.items():
        kept = new_lists.get(path, set())
        result.removed_items.extend(sorted(values - kept))
    old_types, new_types = _flat(_collect(old, _type_values)), _flat(_collect(new, _type_values))
    result.removed_types.extend(sorted(old_types - new_types))
    result.narrowed_filter.extend(_filter_narrowing(old, new, resolve or str.casefold))
    if _flag(old, "multiple") and _flag(new, "multiple") is False:
        result.lowered_limits["/multiple"] = (True, False)
    old_max, new_max = _limits(old), _limits(new)
    for path, before in old_max.items():
        after = new_max.get(path, before)
        if _lowered(before, after):
            result.lowered_limits[path] = (before, after)
    for path, after in new_max.items():
        if path not in old_max and _limited(after):
            result.lowered_limits[path] = (None, after)
    return result


_WRAPPER_KEYS = frozenset({"config", "mappedpath"})


def _unwrapped_config(data: Any) -> Any:
    """The inner object of the `{"Config": {...}, "MappedPath": null}` shape of some uSync 8s."""
    if not isinstance(data, dict) or not data:
        return data
    keys = {str(k).casefold() for k in data}
    inner = _top(data, "config")
    if isinstance(inner, dict) and keys <= _WRAPPER_KEYS:
        return inner
    return data


def _walk(data: Any, path: str = "") -> Iterator[tuple[str, str, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield path, str(key), value
            yield from _walk(value, f"{path}/{str(key).casefold()}")
    elif isinstance(data, list):
        for value in data:
            yield from _walk(value, f"{path}[]")


def _collect(data: Any, pick: Any) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path, key, value in _walk(data):
        values = pick(key.casefold(), value)
        if values:
            found.setdefault(f"{path}/{key.casefold()}", set()).update(values)
    return found


def _list_values(key: str, value: Any) -> set[str]:
    if key not in _LIST_KEYS or not isinstance(value, list | dict):
        return set()
    found: set[str] = set()
    for entry in value.values() if isinstance(value, dict) else value:
        if isinstance(entry, dict):
            text = entry.get("value", entry.get("Value"))
            if text is not None:
                found.add(_unwrapped(str(text)))
        elif isinstance(entry, str | int | float):
            found.add(str(entry))
    return found


def _unwrapped(text: str) -> str:
    """A colour-picker item before Umbraco 14 held ``{"value": ..., "label": ...}`` as a string."""
    if not text.lstrip().startswith("{"):
        return text
    try:
        inner = json.loads(text)
    except ValueError:
        return text
    value = inner.get("value") if isinstance(inner, dict) else None
    return str(value) if isinstance(value, str | int | float) else text


def _type_values(key: str, value: Any) -> set[str]:
    if key in _TYPE_KEYS and isinstance(value, str) and value:
        return {value.casefold()}
    return set()


def _filter_narrowing(old: Any, new: Any, resolve: TypeResolver) -> list[str]:
    """A picker ``filter`` (comma-separated allowed aliases or keys; empty allows everything)."""
    before = {resolve(t) for t in _csv(_top(old, "filter"))}
    after = {resolve(t) for t in _csv(_top(new, "filter"))}
    if not after:
        return []
    if not before:
        return [f"any type but {', '.join(sorted(after))}"]
    return sorted(before - after)


def _top(data: Any, name: str) -> Any:
    if not isinstance(data, dict):
        return None
    return next((v for k, v in data.items() if str(k).casefold() == name), None)


def _csv(value: Any) -> set[str]:
    if not isinstance(value, str):
        return set()
    return {part.strip().casefold() for part in value.split(",") if part.strip()}


def _flag(data: Any, name: str) -> bool | None:
    value = _top(data, name)
    if isinstance(value, bool):
        return value
    if isinstance(value, str | int) and str(value).casefold() in {"1", "true", "0", "false"}:
        return str(value).casefold() in {"1", "true"}
    return None


def _flat(groups: dict[str, set[str]]) -> set[str]:
    return set().union(*groups.values()) if groups else set()


def _limits(data: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for path, key, value in _walk(data):
        if key.casefold() in _MAX_KEYS and (value is None or _number(value) is not None):
            found[f"{path}/{key.casefold()}"] = value
    return found


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _limited(value: Any) -> bool:
    number = _number(value)
    return number is not None and number > 0


def _lowered(before: Any, after: Any) -> bool:
    """Null or 0 mean 'no limit' in Umbraco configurations."""
    if not _limited(after):
        return False
    if not _limited(before):
        return True
    old, new = _number(before), _number(after)
    return old is not None and new is not None and new < old
