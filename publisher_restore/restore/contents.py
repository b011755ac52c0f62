"""A point's file index in memory: one column per field, a row per file, in path order.

Rows are not models: at 100,000 files a list of pydantic records costs ~100 MB and a
second to build, the columns a fifth of that.  ``file_records()`` and friends build the
public records on demand for the callers that want them.

Each row says where the file's bytes are (``Location``): a frame of a pack object, or a
whole object of its own (large files).  For a uSync item file it also holds the item's
identity (``Identity``): type, Key, Alias, and what ``check`` needs to know about an
unchanged item without reading it (its content type and parent, its compositions).
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from publisher_restore.restore.records import FileRecord, ItemRecord, ProblemRecord
from publisher_restore.scopes import Scope


class Location(NamedTuple):
    """Where a file's bytes are: object ``obj`` (an index into ``objects``); for a pack,
    the frame at ``frame_offset`` (``frame_length`` bytes) holds them from ``offset``."""

    obj: int
    frame_offset: int = -1
    frame_length: int = -1
    offset: int = 0

    @property
    def whole(self) -> bool:
        """The object holds this file alone (a large file)."""
        return self.frame_offset < 0


Ref = tuple[str | None, str]
"""A reference to another item: (Key, alias)."""


class Identity(NamedTuple):
    """What a uSync item file holds, as far as ``check`` needs it without reading the file.

    ``modelled``: the item must be read in full even when unchanged (languages, Empty
    markers: every comparison reads them; an item whose Key or Alias is not valid).
    A tuple: cheap to build, compare and send between processes.
    """

    item_type: str
    key: str | None
    alias: str
    action: str | None = None
    content_type: str | None = None
    parent_key: str | None = None
    refs: tuple[Ref, ...] = ()
    modelled: bool = False

    def to_json(self) -> list[object]:
        return [
            self.item_type,
            self.key,
            self.alias,
            self.action,
            self.content_type,
            self.parent_key,
            [list(ref) for ref in self.refs],
            self.modelled,
        ]

    @classmethod
    def from_json(cls, value: object, shared: dict[str, str] | None = None) -> Identity:
        """Read back ``to_json``; ``shared`` keeps one copy of texts many items repeat
        (types, content types, parents)."""
        if not isinstance(value, list) or len(value) != 8:
            raise ValueError("an item identity is a list of 8 values")
        item_type, key, alias, action, content_type, parent_key, refs, modelled = value
        once = (
            (lambda text: text) if shared is None else (lambda text: shared.setdefault(text, text))
        )
        return cls(
            item_type=once(_text(item_type)),
            key=_optional(key),
            alias=_text(alias),
            action=_optional(action),
            content_type=None if content_type is None else once(_text(content_type)),
            parent_key=None if parent_key is None else once(_text(parent_key)),
            refs=tuple(_ref(ref) for ref in _list(refs)),
            modelled=bool(modelled),
        )


class Locations:
    """A column of ``Location | None``, kept as four arrays of integers (a tuple per row
    would cost four times the memory at 100,000 files)."""

    def __init__(self) -> None:
        self._obj = array("q")
        self._frame_offset = array("q")
        self._frame_length = array("q")
        self._offset = array("q")

    def __len__(self) -> int:
        return len(self._obj)

    def __getitem__(self, row: int) -> Location | None:
        obj = self._obj[row]
        if obj < 0:
            return None
        return Location(obj, self._frame_offset[row], self._frame_length[row], self._offset[row])

    def __iter__(self) -> Iterator[Location | None]:
        for row in range(len(self._obj)):
            yield self[row]

    def append(self, location: Location | None) -> None:
        found = location or _NOWHERE
        self._obj.append(found.obj)
        self._frame_offset.append(found.frame_offset)
        self._frame_length.append(found.frame_length)
        self._offset.append(found.offset)

    def extend(self, locations: Iterable[Location | None]) -> None:
        for location in locations:
            self.append(location)


_NOWHERE = Location(-1)


@dataclass(frozen=True)
class PointItem:
    """An item of a point known by its index only (``check``: content the restore creates
    whole, which nothing compares)."""

    item_type: str
    key: str | None
    alias: str
    path: str


@dataclass
class PointContents:
    """Every file of a point, column by column, sorted by path."""

    paths: list[str] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    mtimes: list[int] = field(default_factory=list)
    """Modification time (ns) when the point was taken; 0: not to be trusted."""
    hashes: list[str] = field(default_factory=list)
    scopes: list[Scope] = field(default_factory=list)
    locations: Locations = field(default_factory=Locations)
    """None: in a version-1 point's archive."""
    identities: list[Identity | None] = field(default_factory=list)
    problems: dict[str, ProblemRecord] = field(default_factory=dict)
    """uSync files that could not be read as items, by path."""
    objects: list[str] = field(default_factory=list)
    """Object names the locations point into."""
    legacy_items: list[ItemRecord] | None = None
    """Version 1: the items as its manifest listed them (no identities)."""
    _rows: dict[str, int] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.paths)

    def add(
        self,
        path: str,
        size: int,
        mtime: int,
        sha256: str,
        scope: Scope,
        location: Location | None = None,
        identity: Identity | None = None,
    ) -> None:
        """Append one row (rows must come in path order)."""
        self.paths.append(path)
        self.sizes.append(size)
        self.mtimes.append(mtime)
        self.hashes.append(sha256)
        self.scopes.append(scope)
        self.locations.append(location)
        self.identities.append(identity)
        self._rows = None

    def forget_rows(self) -> None:
        """Columns were extended directly: the path lookup is built again when asked."""
        self._rows = None

    def row(self, path: str) -> int | None:
        """The row of ``path``, or None."""
        if self._rows is None:
            self._rows = {p: i for i, p in enumerate(self.paths)}
        return self._rows.get(path)

    def record(self, row: int) -> FileRecord:
        """The public record of one row."""
        return FileRecord.model_construct(
            _FILE_FIELDS,
            path=self.paths[row],
            size=self.sizes[row],
            sha256=self.hashes[row],
            scope=self.scopes[row],
        )

    def file_records(self) -> list[FileRecord]:
        return [self.record(row) for row in range(len(self.paths))]

    def item_records(self) -> list[ItemRecord]:
        if self.legacy_items is not None:
            return list(self.legacy_items)
        return [
            ItemRecord(
                item_type=found.item_type,
                key=found.key,
                alias=found.alias,
                path=self.paths[row],
                action=found.action,
            )
            for row, found in enumerate(self.identities)
            if found is not None
        ]

    def problem_records(self) -> list[ProblemRecord]:
        return [self.problems[path] for path in sorted(self.problems)]

    @property
    def item_count(self) -> int:
        if self.legacy_items is not None:
            return len(self.legacy_items)
        return sum(found is not None for found in self.identities)

    @property
    def content_bytes(self) -> int:
        return sum(self.sizes)

    def object_name(self, row: int) -> str:
        """The object holding a row's bytes (a version-2 point)."""
        location = self.locations[row]
        if location is None:
            raise ValueError(f"{self.paths[row]}: stored in a version-1 archive, not an object")
        return self.objects[location.obj]

    def digest(self) -> str:
        """SHA-256 over every row (a version-1 point's index has no other digest)."""
        digest = hashlib.sha256()
        for row, path in enumerate(self.paths):
            line = f"{path}\0{self.sizes[row]}\0{self.hashes[row]}\0{self.scopes[row].value}\n"
            digest.update(line.encode("utf-8"))
        for item in self.item_records():
            digest.update(f"{item.item_type}\0{item.key}\0{item.alias}\0{item.path}\n".encode())
        for problem in self.problem_records():
            digest.update(f"{problem.path}\0{problem.line}\0{problem.problem}\n".encode())
        return digest.hexdigest()


_FILE_FIELDS = {"path", "size", "sha256", "scope"}
"""Every field of a record set: one object shared by every record built (a set per record
would cost 200 bytes each); adding a field already in it changes nothing."""


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("expected text")
    return value


def _optional(value: object) -> str | None:
    return None if value is None else _text(value)


def _list(value: object) -> list[object]:
    if not isinstance(value, list):
        raise ValueError("expected a list")
    return value


def _ref(value: object) -> Ref:
    pair = _list(value)
    if len(pair) != 2:
        raise ValueError("a reference is [Key, alias]")
    return _optional(pair[0]), _text(pair[1])
