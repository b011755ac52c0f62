"""Read every item file of a uSync folder; a bad file becomes a ParseProblem, never an abort."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pydantic import ValidationError

from publisher_restore.errors import HostileInputError, ItemParseError, SiteError
from publisher_restore.usync.folders import handler_folder
from publisher_restore.usync.index import ItemIndex
from publisher_restore.usync.models import AnyItem, ParseProblem
from publisher_restore.usync.parsers import parse_element
from publisher_restore.usync.xmlsafe import MAX_ITEM_BYTES, parse_xml

ITEM_SUFFIX = ".config"
MARKER_NAME = "usync.config"


@dataclass(frozen=True)
class FormatMarker:
    """A ``usync.config`` marker: ``<uSync version="17.0.0.0" format="10.7.0" />``."""

    path: str
    version: str | None
    format: str | None


@dataclass(frozen=True)
class ItemSet:
    """Everything read from one uSync folder: items, problems, format markers, an index."""

    items: tuple[AnyItem, ...]
    problems: tuple[ParseProblem, ...] = ()
    markers: tuple[FormatMarker, ...] = ()

    @cached_property
    def index(self) -> ItemIndex:
        """Key/Alias lookup over ``items`` (Empty markers kept as actions)."""
        return ItemIndex(self.items)


def load_items(root: Path, usync_dir: Path) -> ItemSet:
    """Parse every ``*.config`` below ``usync_dir``; paths are relative to ``root``."""
    root, usync_dir = root.resolve(), usync_dir.resolve()
    if not usync_dir.is_dir():
        raise SiteError(f"{usync_dir}: uSync folder does not exist or is not a folder")
    if not usync_dir.is_relative_to(root):
        raise SiteError(f"{usync_dir}: uSync folder is not inside the site folder {root}")
    items: list[AnyItem] = []
    problems: list[ParseProblem] = []
    markers: list[FormatMarker] = []
    for file in _item_files(usync_dir):
        rel_path = file.relative_to(root).as_posix()
        data = _read_bytes(file, rel_path)
        if isinstance(data, ParseProblem):
            problems.append(data)
            continue
        marker_path = _is_marker(file, usync_dir)
        result = _parse_marker(data, rel_path) if marker_path else parse_file_bytes(data, rel_path)
        if isinstance(result, ParseProblem):
            problems.append(result)
        elif isinstance(result, FormatMarker):
            markers.append(result)
        else:
            items.append(result)
    return ItemSet(tuple(items), tuple(problems), tuple(markers))


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


def _item_files(usync_dir: Path) -> list[Path]:
    """Every ``*.config`` file below ``usync_dir`` in a stable order (symlinks included)."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(usync_dir):
        dirs.sort()
        found.extend(
            Path(folder, name) for name in sorted(files) if name.lower().endswith(ITEM_SUFFIX)
        )
    return found


def _read_bytes(file: Path, rel_path: str) -> bytes | ParseProblem:
    if file.is_symlink():
        return ParseProblem(path=rel_path, problem="symbolic link: not followed")
    try:
        size = file.stat().st_size
        if size > MAX_ITEM_BYTES:
            return ParseProblem(
                path=rel_path, problem=f"{size} bytes is over the {MAX_ITEM_BYTES}-byte limit"
            )
        return file.read_bytes()
    except OSError as exc:
        return ParseProblem(path=rel_path, problem=f"cannot read file: {exc.strerror or exc}")


def _is_marker(file: Path, usync_dir: Path) -> bool:
    """``usync.config`` outside any handler folder (a Content node may be named "usync")."""
    if file.name.lower() != MARKER_NAME:
        return False
    return handler_folder(file.relative_to(usync_dir).as_posix()) is None


def _without_path(message: str, rel_path: str) -> str:
    prefix = f"{rel_path}: "
    return message[len(prefix) :] if message.startswith(prefix) else message
