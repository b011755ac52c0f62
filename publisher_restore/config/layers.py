"""Layered .NET-style configuration: JSON files and environment variables flattened to key paths.

.NET configuration is a flat, case-insensitive map from ``a:b:c`` paths to scalar
values; later providers override earlier ones key by key (arrays merge index by
index, ``Include:0``, ``Include:1``).  This module reproduces that model so the
tool reads a site's settings exactly as the site itself would.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import json5

from publisher_restore.config.redact import redact_text
from publisher_restore.errors import ConfigError

MAX_SETTINGS_FILE_BYTES = 4 * 1024 * 1024
KeyPath = tuple[str, ...]

_JSON5_POSITION = re.compile(r"^<string>:(\d+) (.*?)(?: at column (\d+))?$", re.S)


@dataclass(frozen=True)
class ConfigEntry:
    """One flattened value: its key path as written, the value, and where it came from."""

    path: KeyPath
    value: Any
    source: str


@dataclass
class _Node:
    display: str
    value: Any = None
    children: dict[str, _Node] = field(default_factory=dict)


class _DuplicateKeyError(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def read_json_layer(path: Path) -> list[ConfigEntry] | None:
    """The file's values flattened to key paths; None when the file does not exist."""
    if not path.is_file():
        return None
    if path.stat().st_size > MAX_SETTINGS_FILE_BYTES:
        raise ConfigError(f"{path}: settings file is larger than {MAX_SETTINGS_FILE_BYTES} bytes")
    document = _parse_json(path, _decode(path))
    if not isinstance(document, dict):
        raise ConfigError(f"{path}: the top level must be a JSON object")
    flat: list[tuple[KeyPath, Any]] = []
    _flatten(document, (), flat)
    return [ConfigEntry(key_path, value, str(path)) for key_path, value in flat]


def read_env_layer(environ: Mapping[str, str], prefix: str = "") -> list[ConfigEntry]:
    """Environment variables as .NET reads them: ``__`` means ``:``; ``prefix`` is stripped."""
    entries = []
    for name, value in sorted(environ.items()):
        if not name.upper().startswith(prefix.upper()):
            continue
        key_path = tuple(name[len(prefix) :].replace("__", ":").split(":"))
        entries.append(ConfigEntry(key_path, value, f"environment variable {name}"))
    return entries


class MergedConfig:
    """The layers merged key by key, case-insensitively, the last writer winning."""

    def __init__(self, layers: Iterable[list[ConfigEntry]]) -> None:
        self._root = _Node(display="")
        self._sources: dict[KeyPath, tuple[int, str]] = {}
        self._writes = 0
        for layer in layers:
            for entry in layer:
                self._set(entry)

    def _set(self, entry: ConfigEntry) -> None:
        node = self._root
        for segment in entry.path:
            # The first writer's spelling of a key is kept, as .NET does.
            node = node.children.setdefault(segment.lower(), _Node(display=segment))
        node.value = entry.value
        self._writes += 1
        self._sources[_lower(entry.path)] = (self._writes, entry.source)

    def tree(self, section: KeyPath) -> Any:
        """The section as plain Python: dicts, lists (all-index children) and scalars."""
        node = self._find(section)
        return None if node is None else _to_python(node)

    def keys(self, section: KeyPath) -> dict[str, str]:
        """The section's direct children: lower-cased key to the key as written."""
        node = self._find(section)
        return {} if node is None else {k: child.display for k, child in node.children.items()}

    def sources(self, section: KeyPath) -> list[str]:
        """Every source whose value stands at or under the section, in the order they were read."""
        prefix = _lower(section)
        found = sorted(seen for key, seen in self._sources.items() if key[: len(prefix)] == prefix)
        return list(dict.fromkeys(source for _, source in found))

    def source(self, section: KeyPath) -> str:
        """The sources of a section joined for an error message."""
        return ", ".join(self.sources(section)) or "defaults"

    def _find(self, section: KeyPath) -> _Node | None:
        node: _Node | None = self._root
        for segment in section:
            node = node.children.get(segment.lower()) if node else None
        return node


def _to_python(node: _Node) -> Any:
    if not node.children:
        return node.value
    if all(key.isdigit() for key in node.children):
        ordered = sorted(node.children.items(), key=lambda item: int(item[0]))
        return [_to_python(child) for _, child in ordered]
    return {child.display: _to_python(child) for child in node.children.values()}


def _lower(path: KeyPath) -> KeyPath:
    return tuple(segment.lower() for segment in path)


def _decode(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8 text (byte {error.start})") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read ({error.strerror})") from None


def _parse_json(path: Path, text: str) -> Any:
    try:
        return json5.loads(text, object_pairs_hook=_reject_duplicates)
    except _DuplicateKeyError as error:
        raise ConfigError(
            f"{path}: duplicate key {error.key!r} in one object (keys are case-insensitive)"
        ) from None
    except RecursionError:
        raise ConfigError(f"{path}: JSON is nested too deeply") from None
    except ValueError as error:
        if _holds_no_value(text):
            raise ConfigError(
                f"{path}: the file is empty (no JSON value, only whitespace or comments); "
                ".NET refuses such a file too, so the site would not start: write {} in it "
                "or delete it"
            ) from None
        raise ConfigError(f"{path}:{_syntax_problem(str(error))}") from None


def _holds_no_value(text: str) -> bool:
    """True when the text is only whitespace and comments (its value list would be empty)."""
    if not text.strip():
        return True
    try:
        return bool(json5.loads(f"[{text}\n]") == [])
    except (ValueError, RecursionError):
        return False


def _syntax_problem(message: str) -> str:
    match = _JSON5_POSITION.match(message)
    if match is None:
        return f" invalid JSON: {redact_text(message)[:120]}"
    line, problem, column = match.groups()
    where = f"{line}" + (f":{column}" if column else "")
    return f"{where}: invalid JSON: {redact_text(problem)[:120]}"


def _reject_duplicates(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    pairs = list(pairs)
    seen: set[str] = set()
    for key, _ in pairs:
        if key.lower() in seen:
            raise _DuplicateKeyError(key)
        seen.add(key.lower())
    return dict(pairs)


def _flatten(value: Any, path: KeyPath, out: list[tuple[KeyPath, Any]]) -> None:
    if isinstance(value, dict | list) and not value:
        if path:
            out.append((path, None))
        return
    if isinstance(value, dict):
        for key, item in value.items():
            # A JSON key "uSync:Restore" is the same path as nested objects in .NET.
            _flatten(item, path + tuple(str(key).split(":")), out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _flatten(item, (*path, str(index)), out)
    else:
        out.append((path, value))
