"""Loads both sides of a comparison at once; a file with the same bytes on both is read once.

A changed copy of a site shares almost every file with the original.  A shared file is parsed
as XML once (so a broken file is still reported on each side that holds it) and kept as a
``SharedItem``: its identity, its place in the content tree or the type graph, and a model built
only if a rule looks it up or counts it.  Languages and Empty markers are modelled at once (one
object for both sides, so the rules skip the pair).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from pydantic import ValidationError

from publisher_restore.analyser.shared import SharedItem
from publisher_restore.analyser.sides import TYPE_FAMILIES
from publisher_restore.analyser.sources import SideFolder, handler_folders_in, resolve_side
from publisher_restore.errors import HostileInputError, ItemParseError
from publisher_restore.usync.folders import handler_folder, item_type_for_path
from publisher_restore.usync.loader import ITEM_SUFFIX, MARKER_NAME, parse_file_bytes
from publisher_restore.usync.models import AnyItem, ParseProblem
from publisher_restore.usync.parsers import PARSERS, parse_element
from publisher_restore.usync.parsers.common import (
    EMPTY_GUID,
    guid_or_raw,
    item_ref,
    normalise_guid,
    to_bool,
)
from publisher_restore.usync.parsers.legacy_content import is_legacy_content
from publisher_restore.usync.xmlsafe import MAX_ITEM_BYTES, parse_xml

MODELLED_WHEN_SHARED = frozenset({"Language", "Empty"})
"""Root elements parsed into models even when shared: tiny, and read by every comparison."""

Parsed = AnyItem | ParseProblem


@dataclass
class LoadedSide:
    """One side's items, shared items, unreadable files, handler folders (an ``ItemSource``)."""

    folder: SideFolder
    items: list[AnyItem] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)
    shared: list[SharedItem] = field(default_factory=list)
    handler_folders: frozenset[str] = field(init=False, default=frozenset())

    def __post_init__(self) -> None:
        self.handler_folders = handler_folders_in(self.folder.usync_dir)

    def add(self, parsed: Parsed) -> None:
        """Keep an item or a problem."""
        if isinstance(parsed, ParseProblem):
            self.problems.append(parsed)
        else:
            self.items.append(parsed)


@dataclass(frozen=True)
class _File:
    inner: str  # path inside the version folder, case-folded: the same file on both sides
    rel_path: str  # path reported, relative to the side's root
    data: bytes | ParseProblem


def _files(side: SideFolder) -> list[_File]:
    root, top = str(side.root), str(side.usync_dir)
    found: list[_File] = []
    for folder, dirs, names in os.walk(top):
        dirs.sort()
        inner_dir = folder[len(top) + 1 :].replace(os.sep, "/")
        rel_dir = os.path.relpath(folder, root).replace(os.sep, "/")
        for name in sorted(names):
            lowered = name.lower()
            if not lowered.endswith(ITEM_SUFFIX) or (not inner_dir and lowered == MARKER_NAME):
                continue
            inner = f"{inner_dir}/{name}" if inner_dir else name
            rel_path = name if rel_dir == "." else f"{rel_dir}/{name}"
            found.append(
                _File(inner.casefold(), rel_path, _read(os.path.join(folder, name), rel_path))
            )
    return found


def _read(full: str, rel_path: str) -> bytes | ParseProblem:
    try:
        info = os.lstat(full)
        if stat.S_ISLNK(info.st_mode):
            return ParseProblem(path=rel_path, problem="symbolic link: not followed")
        if info.st_size > MAX_ITEM_BYTES:
            limit = f"{info.st_size} bytes is over the {MAX_ITEM_BYTES}-byte limit"
            return ParseProblem(path=rel_path, problem=limit)
        with open(full, "rb") as handle:
            return handle.read()
    except OSError as error:
        return ParseProblem(path=rel_path, problem=f"cannot read file: {error.strerror or error}")


def _parse(file: _File) -> Parsed:
    if isinstance(file.data, ParseProblem):
        return file.data
    return parse_file_bytes(file.data, file.rel_path)


def _at(parsed: Parsed, rel_path: str) -> Parsed:
    """The same result at another path (a v15 -> v16 folder move)."""
    if parsed.path == rel_path:
        return parsed
    return parsed.model_copy(update={"path": rel_path})


def _shared(data: bytes, rel_path: str) -> Parsed | SharedItem:
    """A shared file: a model for the context families, a SharedItem for the rest."""
    try:
        root = parse_xml(data, rel_path)
        if str(root.tag) in MODELLED_WHEN_SHARED:
            return parse_element(root, rel_path)
        return _identity(root, data, rel_path)
    except (ItemParseError, HostileInputError, ValidationError):
        return parse_file_bytes(data, rel_path)  # the problem, worded as the loader words it


def _identity(root: etree._Element, data: bytes, rel_path: str) -> SharedItem | Parsed:
    item_type, key, alias = str(root.tag), normalise_guid(root.get("Key")), root.get("Alias")
    legacy_type = ""
    if item_type not in PARSERS and is_legacy_content(root, rel_path):
        item_type, legacy_type = item_type_for_path(rel_path) or "Content", item_type
    if key is None or key == EMPTY_GUID or not (alias or "").strip():
        return parse_file_bytes(data, rel_path)  # not a valid item: the loader's problem
    content_type = parent_key = None
    if item_type in TYPE_FAMILIES:
        refs = tuple(item_ref(c) for c in root.iterfind("Info/Compositions/Composition"))
        parent = root.find("Info/Parent")
        if parent is not None and (parent.get("Key") or (parent.text or "").strip()):
            refs = (*refs, item_ref(parent))
        return SharedItem(item_type, key, alias or "", rel_path, data, source_refs=refs)
    if item_type in ("Content", "Media"):
        info = root.find("Info")
        blueprint = handler_folder(rel_path) == "Blueprints" or (
            info is not None and to_bool(info.findtext("IsBlueprint")) is True
        )
        if info is not None and not blueprint:
            content_type = (info.findtext("ContentType") or "").strip() or legacy_type
            parent = info.find("Parent")
            parent_key = None if parent is None else guid_or_raw(parent.get("Key"))
    return SharedItem(item_type, key, alias or "", rel_path, data, content_type, parent_key)


def load_pair(current: Path, incoming: Path) -> tuple[LoadedSide, LoadedSide]:
    """Resolve and read both sides; a file identical on both is parsed once and shared."""
    cur, inc = LoadedSide(resolve_side(current)), LoadedSide(resolve_side(incoming))
    current_files = _files(cur.folder)
    by_inner = {f.inner: f for f in current_files if isinstance(f.data, bytes)}
    incoming_files = _files(inc.folder)
    same = {
        f.inner
        for f in incoming_files
        if isinstance(f.data, bytes) and f.inner in by_inner and by_inner[f.inner].data == f.data
    }
    shared_results: dict[str, Parsed | SharedItem] = {}
    for file in current_files:
        if file.inner in same:
            assert isinstance(file.data, bytes)
            result = shared_results[file.inner] = _shared(file.data, file.rel_path)
            _keep(cur, result, file.rel_path)
        else:
            cur.add(_parse(file))
    for file in incoming_files:
        if file.inner in same:
            _keep(inc, shared_results[file.inner], file.rel_path)
        else:
            inc.add(_parse(file))
    return cur, inc


def _keep(side: LoadedSide, result: Parsed | SharedItem, rel_path: str) -> None:
    if isinstance(result, SharedItem):
        side.shared.append(result)
    else:
        side.add(_at(result, rel_path))
