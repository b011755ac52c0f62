"""Conversion of raw configuration values as .NET's binder would, naming key and source on error."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from publisher_restore.config.redact import describe_value, shown_key
from publisher_restore.errors import ConfigError


@dataclass(frozen=True)
class Where:
    """A key path and the file or environment variable that set it."""

    key_path: str
    source: str

    def error(self, problem: str, value: Any = None, *, show_value: bool = True) -> ConfigError:
        """A ConfigError naming the key, its source and the problem (secret values hidden)."""
        shown = f" (got {describe_value(self.key_path, value)})" if show_value else ""
        return ConfigError(f"{shown_key_path(self.key_path)} in {self.source}: {problem}{shown}")


def shown_key_path(key_path: str) -> str:
    """The key path as a message may show it: from the first key that is not a plain name
    (a pasted connection string), the rest is replaced by one note."""
    shown: list[str] = []
    for segment in key_path.split(":"):
        if shown_key(segment) != segment:
            return ":".join([*shown, shown_key(segment)])
        shown.append(segment)
    return key_path


def is_unset(value: Any) -> bool:
    """True for JSON null and the empty string, which .NET binds as 'use the default'."""
    return value is None or (isinstance(value, str) and not value.strip())


def as_bool(value: Any, where: Where) -> bool | None:
    """A JSON bool or a .NET bool string ("true", "False"; case-insensitive)."""
    if is_unset(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise where.error("expected true or false", value)


def as_count(value: Any, where: Where) -> int | None:
    """A non-negative whole number, from a JSON number or a numeric string."""
    if is_unset(value):
        return None
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        number = int(value.strip())
    if number is None:
        raise where.error("expected a whole number", value)
    if number < 0:
        raise where.error("must not be negative", value)
    return number


def as_site_path(value: Any, where: Where) -> str | None:
    """A folder path: a string, backslashes made forward, a leading ``~/`` (web root) dropped."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise where.error("expected a folder path string", value)
    text = value.strip().replace("\\", "/")
    if text.startswith("~/"):
        text = text[2:]
    text = text.rstrip("/") if len(text) > 1 else text
    if not text:
        raise where.error("must not be empty", value)
    return text


def as_patterns(value: Any, where: Where) -> list[str]:
    """Site-relative glob patterns: a list of strings (a single string is one pattern)."""
    if is_unset(value):
        return []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        raise where.error("expected a list of glob patterns", value)
    patterns = []
    for index, item in enumerate(items):
        item_where = Where(f"{where.key_path}:{index}", where.source)
        if is_unset(item):
            continue
        if not isinstance(item, str):
            raise item_where.error("expected a glob pattern string", item)
        pattern = item.strip().replace("\\", "/").removeprefix("./")
        if pattern.startswith("/") or ".." in pattern.split("/") or ":" in pattern:
            raise item_where.error("must be relative to the site root, without '..'", item)
        patterns.append(pattern)
    return patterns


def as_section(value: Any, where: Where) -> dict[str, Any]:
    """An object section (null or empty means an empty section)."""
    if is_unset(value):
        return {}
    if not isinstance(value, dict):
        raise where.error("expected an object", value)
    return value


def lookup(section: dict[str, Any], name: str) -> tuple[str, Any] | None:
    """The key as written and its value, matching ``name`` case-insensitively."""
    for key, value in section.items():
        if key.lower() == name.lower():
            return key, value
    return None
