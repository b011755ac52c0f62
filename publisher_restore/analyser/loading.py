"""Loads both sides of a comparison at once; a file with the same bytes on both is read once.

A changed copy of a site shares almost every file with the original.  A shared file is parsed
as XML once (so a broken file is still reported on each side that holds it) and kept as a
``SharedItem``: its identity, its place in the content tree or the type graph, and a model built
only if a rule looks it up or counts it.  Languages and Empty markers are modelled at once (one
object for both sides, so the rules skip the pair).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from lxml import etree
from pydantic import ValidationError

from publisher_restore.analyser.shared import SharedItem, pack, unpack
from publisher_restore.analyser.sides import TYPE_FAMILIES
from publisher_restore.analyser.sources import SideFolder, resolve_side
from publisher_restore.errors import HostileInputError, ItemParseError
from publisher_restore.usync.folders import handler_folder, is_format_marker, item_type_for_path
from publisher_restore.usync.loader import parse_file_bytes
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
from publisher_restore.usync.sources import ItemFiles, SourceFile
from publisher_restore.usync.xmlsafe import parse_xml

MODELLED_WHEN_SHARED = frozenset({"Language", "Empty"})
"""Root elements parsed into models even when shared: tiny, and read by every comparison."""

Parsed = AnyItem | ParseProblem


@dataclass
class LoadedSide:
    """One side's items, shared items, unreadable files, handler folders (an ``ItemSource``).

    ``folder`` is set when the side is a folder on disk (its site's settings may apply).
    """

    source: ItemFiles
    folder: SideFolder | None = None
    items: list[AnyItem] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)
    shared: list[SharedItem] = field(default_factory=list)
    handler_folders: frozenset[str] = field(init=False, default=frozenset())

    def __post_init__(self) -> None:
        self.handler_folders = self.source.handler_folders

    def add(self, parsed: Parsed) -> None:
        """Keep an item or a problem."""
        if isinstance(parsed, ParseProblem):
            self.problems.append(parsed)
        else:
            self.items.append(parsed)


_File = tuple[str, SourceFile]  # (path inside the version folder, case-folded; the file)


def _files(source: ItemFiles) -> Iterator[_File]:
    """The item files of a source by their path inside the version folder (not format markers),
    read one at a time."""
    cut = len(source.prefix)
    for file in source.files():
        inner = file.path[cut:]
        if not is_format_marker(inner):
            yield inner.casefold(), file


def _parse(file: SourceFile) -> Parsed:
    if isinstance(file.data, ParseProblem):
        return file.data
    return parse_file_bytes(file.data, file.path)


def _at(parsed: Parsed, rel_path: str) -> Parsed:
    """The same result at another path (a v15 -> v16 folder move)."""
    if parsed.path == rel_path:
        return parsed
    return parsed.model_copy(update={"path": rel_path})


def _shared(data: bytes, kept: bytes, rel_path: str, *, compressed: bool) -> Parsed | SharedItem:
    """A shared file: a model for the context families, a SharedItem for the rest.

    ``kept`` is how the file is held: ``data`` itself, or ``data`` compressed."""
    try:
        root = parse_xml(data, rel_path)
        if str(root.tag) in MODELLED_WHEN_SHARED:
            return parse_element(root, rel_path)
        return _identity(root, data, Kept(kept, compressed), rel_path)
    except (ItemParseError, HostileInputError, ValidationError):
        return parse_file_bytes(data, rel_path)  # the problem, worded as the loader words it


class Kept(NamedTuple):
    """A shared file's bytes as they are held, and whether compressed."""

    data: bytes
    compressed: bool


def _identity(root: etree._Element, data: bytes, kept: Kept, rel_path: str) -> SharedItem | Parsed:
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
        return SharedItem(
            item_type,
            key,
            alias or "",
            rel_path,
            data,
            source_refs=refs,
            packed=kept.data,
            compressed=kept.compressed,
        )
    if item_type in ("Content", "Media"):
        info = root.find("Info")
        blueprint = handler_folder(rel_path) == "Blueprints" or (
            info is not None and to_bool(info.findtext("IsBlueprint")) is True
        )
        if info is not None and not blueprint:
            content_type = (info.findtext("ContentType") or "").strip() or legacy_type
            parent = info.find("Parent")
            parent_key = None if parent is None else guid_or_raw(parent.get("Key"))
    return SharedItem(
        item_type,
        key,
        alias or "",
        rel_path,
        data,
        content_type,
        parent_key,
        packed=kept.data,
        compressed=kept.compressed,
    )


def load_pair(current: Path, incoming: Path) -> tuple[LoadedSide, LoadedSide]:
    """Resolve each side's version folder and read both; see ``load_sources``."""
    cur, inc = resolve_side(current), resolve_side(incoming)
    return load_sources(cur.source(), inc.source(), folders=(cur, inc))


def load_sources(
    current: ItemFiles,
    incoming: ItemFiles,
    *,
    folders: tuple[SideFolder | None, SideFolder | None] = (None, None),
) -> tuple[LoadedSide, LoadedSide]:
    """Read both sides (folders, zips, archives); a file identical on both is parsed once."""
    cur, inc = LoadedSide(current, folders[0]), LoadedSide(incoming, folders[1])
    held = _CurrentFiles()
    for inner, file in _files(current):
        held.add(inner, file)
    incoming_files, same = _incoming_files(incoming, held.digests)
    shared_results: dict[str, Parsed | SharedItem] = {}
    for inner, kept in held.files:
        file = held.unpacked(kept)
        if inner in same:
            assert isinstance(file.data, bytes) and isinstance(kept.data, bytes)
            result = shared_results[inner] = _shared(
                file.data, kept.data, file.path, compressed=held.compressing
            )
            _keep(cur, result, file.path)
        else:
            cur.add(_parse(file))
    for inner, file in incoming_files:
        if inner in same:
            _keep(inc, shared_results[inner], file.path)
        else:
            inc.add(_parse(file))
    return cur, inc


PLAIN_BUDGET = 32_000_000
"""Bytes of the current side held as they are; past them every file is held compressed.

A site is hundreds of megabytes of XML: compressed (zstd, about 2 to 5 times smaller) its
bytes stop deciding the peak memory.  Compressing costs about a third of loading, so a site
under the budget (most real sites: the largest corpus site is under 1 MB) keeps its bytes
plain and loads at full speed."""


class _CurrentFiles:
    """The current side's files as read, with a digest of each, plain until the budget."""

    def __init__(self) -> None:
        self.files: list[_File] = []
        self.digests: dict[str, bytes] = {}
        self.compressing = False
        self._plain_bytes = 0

    def add(self, inner: str, file: SourceFile) -> None:
        if isinstance(file.data, bytes):
            self.digests[inner] = _digest(file.data)
            self._plain_bytes += len(file.data)
        if self.compressing:
            file = _packed(file)
        elif self._plain_bytes > PLAIN_BUDGET:
            self.compressing = True
            self.files = [(i, _packed(f)) for i, f in self.files]
            file = _packed(file)
        self.files.append((inner, file))

    def unpacked(self, file: SourceFile) -> SourceFile:
        return _unpacked(file) if self.compressing else file


def _packed(file: SourceFile) -> SourceFile:
    return file if isinstance(file.data, ParseProblem) else SourceFile(file.path, pack(file.data))


def _unpacked(file: SourceFile) -> SourceFile:
    if isinstance(file.data, ParseProblem):
        return file
    return SourceFile(file.path, unpack(file.data))


def _digest(data: bytes) -> bytes:
    """What identifies a file's bytes (comparing digests spares unpacking the current side)."""
    return hashlib.blake2b(data, digest_size=32).digest()


def _incoming_files(incoming: ItemFiles, digests: dict[str, bytes]) -> tuple[list[_File], set[str]]:
    """The incoming files, and those with the current side's bytes (``digests``).

    A file the current side holds too is not kept: the current side's copy stands for both.
    """
    found: list[_File] = []
    same: set[str] = set()
    for inner, file in _files(incoming):
        current = digests.get(inner)
        data = file.data
        if current is not None and isinstance(data, bytes) and _digest(data) == current:
            same.add(inner)
            file = SourceFile(file.path, b"")
        found.append((inner, file))
    return found, same


def _keep(side: LoadedSide, result: Parsed | SharedItem, rel_path: str) -> None:
    if isinstance(result, SharedItem):
        side.shared.append(result)
    else:
        side.add(_at(result, rel_path))
