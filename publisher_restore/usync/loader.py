"""Parse the item files of any source; a bad file becomes a ParseProblem, never an abort.

The one loader: a folder, a zip or files read from a restore point's archive are all
``usync.sources.ItemFiles``, and every item file's bytes go through ``parse_file_bytes``
(safe XML in ``usync.xmlsafe``, one parser per family in ``usync.parsers``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pydantic import ValidationError

from publisher_restore.errors import HostileInputError, ItemParseError
from publisher_restore.usync.folders import ITEM_SUFFIX, MARKER_NAME, is_format_marker
from publisher_restore.usync.identity import ItemIndex
from publisher_restore.usync.models import AnyItem, ParseProblem
from publisher_restore.usync.parsers import parse_element
from publisher_restore.usync.sources import FolderSource, ItemFiles, SourceFile
from publisher_restore.usync.xmlsafe import parse_xml

__all__ = [
    "ITEM_SUFFIX",
    "MARKER_NAME",
    "FormatMarker",
    "ItemSet",
    "load_items",
    "load_source",
    "parse_file_bytes",
    "parse_source_file",
]


@dataclass(frozen=True)
class FormatMarker:
    """A ``usync.config`` marker: ``<uSync version="17.0.0.0" format="10.7.0" />``."""

    path: str
    version: str | None
    format: str | None


@dataclass(frozen=True)
class ItemSet:
    """Everything read from one source: items, problems, format markers, an index."""

    items: tuple[AnyItem, ...]
    problems: tuple[ParseProblem, ...] = ()
    markers: tuple[FormatMarker, ...] = ()
    handler_folders: frozenset[str] = frozenset()
    """Item handler folders of the version folder, empty ones included."""

    @cached_property
    def index(self) -> ItemIndex[AnyItem]:
        """Key/Alias lookup over ``items`` (Empty markers kept as actions)."""
        return ItemIndex(self.items)


def load_items(root: Path, usync_dir: Path) -> ItemSet:
    """Parse every ``*.config`` below ``usync_dir``; paths are relative to ``root``."""
    return load_source(FolderSource.open(root, usync_dir))


def load_source(source: ItemFiles) -> ItemSet:
    """Parse every item file of a source."""
    items: list[AnyItem] = []
    problems: list[ParseProblem] = []
    markers: list[FormatMarker] = []
    for file in source.files():
        inner = file.path[len(source.prefix) :]
        result = parse_source_file(file, marker=is_format_marker(inner))
        if isinstance(result, ParseProblem):
            problems.append(result)
        elif isinstance(result, FormatMarker):
            markers.append(result)
        else:
            items.append(result)
    return ItemSet(tuple(items), tuple(problems), tuple(markers), source.handler_folders)


def parse_source_file(
    file: SourceFile, *, marker: bool = False
) -> AnyItem | FormatMarker | ParseProblem:
    """One source file parsed: an item, a format marker (when it may be one), or a problem."""
    if isinstance(file.data, ParseProblem):
        return file.data
    if marker:
        return _parse_marker(file.data, file.path)
    return parse_file_bytes(file.data, file.path)


def parse_file_bytes(data: bytes, rel_path: str) -> AnyItem | ParseProblem:
    """Parse one item file's bytes (e.g. from an archive); failures come back as values."""
    try:
        return parse_element(parse_xml(data, rel_path), rel_path)
    except ItemParseError as exc:
        return ParseProblem(path=rel_path, line=exc.line, problem=exc.problem)
    except HostileInputError as exc:
        return ParseProblem(path=rel_path, problem=_without_path(str(exc), rel_path))
    except ValidationError as exc:
        return ParseProblem(path=rel_path, problem=f"values do not fit the item model: {exc}")


def _parse_marker(data: bytes, rel_path: str) -> FormatMarker | AnyItem | ParseProblem:
    try:
        root = parse_xml(data, rel_path)
    except ItemParseError as exc:
        return ParseProblem(path=rel_path, line=exc.line, problem=exc.problem)
    except HostileInputError as exc:
        return ParseProblem(path=rel_path, problem=_without_path(str(exc), rel_path))
    if root.tag != "uSync":
        return parse_file_bytes(data, rel_path)
    return FormatMarker(path=rel_path, version=root.get("version"), format=root.get("format"))


def _without_path(message: str, rel_path: str) -> str:
    prefix = f"{rel_path}: "
    return message[len(prefix) :] if message.startswith(prefix) else message
