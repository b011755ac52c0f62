"""A point's file index as content-addressed chunks (``objects/index/<sha256>``).

The index is cut into chunks of about ``AVERAGE_ROWS`` files at boundaries chosen by
each path's own hash (content-defined), so a file added or changed rewrites one chunk,
not every chunk after it; a chunk whose files are unchanged has the same bytes, so the
same name, and is stored once for every point that holds it.  That is how a second
restore point of an unchanged site adds a few kilobytes, not its whole index again.

A chunk is canonical JSON, one column per field, compressed with zstd; its name is the
SHA-256 of the JSON.  Reading checks the name, the shape of every column and the
values' types, since a chunk is as hostile as any other stored object.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from publisher_restore.errors import IntegrityError
from publisher_restore.restore.contents import Identity, Location, PointContents
from publisher_restore.restore.manifest import ProblemRecord, Scope
from publisher_restore.restore.objects import compressor, decode_frame, index_name, object_problem

FORMAT = 1
AVERAGE_ROWS = 128
MIN_ROWS = 16
MAX_ROWS = 1024
MAX_CHUNK_BYTES = 64 * 1024 * 1024
_SCOPE_CODES = {Scope.USYNC: "u", Scope.VIEWS: "v", Scope.STATIC: "s", Scope.MEDIA: "m"}
_SCOPES_BY_CODE = {code: scope for scope, code in _SCOPE_CODES.items()}
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class EncodedChunk:
    """One chunk ready to store: its object name and compressed bytes."""

    name: str
    data: bytes


def boundaries(paths: list[str]) -> Iterator[tuple[int, int]]:
    """(start, end) row ranges of the chunks of ``paths``."""
    start = 0
    for row, path in enumerate(paths):
        rows = row - start + 1
        cut = zlib.crc32(path.encode("utf-8")) % AVERAGE_ROWS == 0 and rows >= MIN_ROWS
        if cut or rows >= MAX_ROWS:
            yield start, row + 1
            start = row + 1
    if start < len(paths):
        yield start, len(paths)


def encode(contents: PointContents) -> list[EncodedChunk]:
    """The index as chunks, in path order."""
    return [encode_rows(contents, start, end) for start, end in boundaries(contents.paths)]


def encode_rows(contents: PointContents, start: int, end: int) -> EncodedChunk:
    """One chunk of rows ``start``..``end``."""
    local: dict[str, int] = {}
    locations: list[list[int]] = []
    for row in range(start, end):
        location = contents.locations[row]
        if location is None:
            raise ValueError(f"{contents.paths[row]}: a version-2 index needs every location")
        name = contents.objects[location.obj]
        index = local.setdefault(name, len(local))
        locations.append([index, location.frame_offset, location.frame_length, location.offset])
    paths = contents.paths[start:end]
    problems = [contents.problems.get(path) for path in paths]
    document = {
        "format": FORMAT,
        "path": paths,
        "size": contents.sizes[start:end],
        "mtime": contents.mtimes[start:end],
        "sha256": contents.hashes[start:end],
        "scope": "".join(_SCOPE_CODES[scope] for scope in contents.scopes[start:end]),
        "objects": list(local),
        "location": locations,
        "item": [None if i is None else i.to_json() for i in contents.identities[start:end]],
        "problem": [None if p is None else [p.line, p.problem] for p in problems],
    }
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    digest = hashlib.sha256(text).hexdigest()
    return EncodedChunk(index_name(digest), compressor().compress(text))


class IndexReader:
    """Builds a point's contents from its chunks, read in order."""

    def __init__(self) -> None:
        self.contents = PointContents()
        self._ids: dict[str, int] = {}
        self._texts: dict[str, str] = {}

    def add(self, name: str, data: bytes) -> None:
        """Check one stored chunk and append its rows."""
        text = decode_frame(data, name, MAX_CHUNK_BYTES)
        if hashlib.sha256(text).hexdigest() != name.rsplit("/", 1)[1]:
            raise IntegrityError(f"{name}: damaged (its content does not match its name)")
        try:
            self._append(json.loads(text))
        except (ValueError, TypeError, KeyError, IndexError) as error:
            raise IntegrityError(f"{name}: not a valid index chunk ({error})") from None

    def _append(self, document: object) -> None:
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise ValueError("unknown chunk format")
        contents = self.contents
        paths = _strings(document["path"])
        count = len(paths)
        sizes, mtimes = _counts(document, "size", count), _counts(document, "mtime", count)
        hashes = _column(document, "sha256", count)
        if not all(isinstance(h, str) and _SHA256.fullmatch(h) for h in hashes):
            raise ValueError("sha256 column holds something else than SHA-256 in hex")
        scopes = document["scope"]
        if not isinstance(scopes, str) or len(scopes) != count:
            raise ValueError("scope column has the wrong length")
        ids = [self._object_id(name) for name in _strings(document["objects"])]
        locations = [_location(value, ids) for value in _column(document, "location", count)]
        items = _column(document, "item", count)
        problems = _column(document, "problem", count)
        previous = contents.paths[-1] if contents.paths else None
        for path in paths:
            if previous is not None and path <= previous:
                raise ValueError(f"{path!r} is out of order or listed twice")
            previous = path
        contents.paths.extend(paths)
        contents.sizes.extend(sizes)
        contents.mtimes.extend(mtimes)
        contents.hashes.extend(hashes)  # type: ignore[arg-type]
        contents.scopes.extend(_SCOPES_BY_CODE[code] for code in scopes)
        contents.locations.extend(locations)
        texts = self._texts
        contents.identities.extend(
            None if i is None else Identity.from_json(i, texts) for i in items
        )
        for path, problem in zip(paths, problems, strict=True):
            if problem is not None:
                contents.problems[path] = _problem(path, problem)
        contents.forget_rows()

    def _object_id(self, name: str) -> int:
        if object_problem(name):
            raise ValueError(f"{name!r} is not an object name")
        found = self._ids.get(name)
        if found is None:
            found = self._ids[name] = len(self.contents.objects)
            self.contents.objects.append(name)
        return found


def _column(document: dict[str, object], key: str, count: int) -> list[object]:
    value = document[key]
    if not isinstance(value, list) or len(value) != count:
        raise ValueError(f"{key} column has the wrong length")
    return value


def _strings(value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("expected a list of text")
    return value


def _counts(document: dict[str, object], key: str, count: int) -> list[int]:
    values = _column(document, key, count)
    if not all(type(v) is int and v >= 0 for v in values):
        raise ValueError(f"{key} column holds something else than counts")
    return values  # type: ignore[return-value]


def _location(value: object, ids: list[int]) -> Location:
    if not isinstance(value, list) or len(value) != 4:
        raise ValueError("a location is 4 numbers")
    local, frame_offset, frame_length, offset = value
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise ValueError("a location is 4 numbers")
    if not 0 <= local < len(ids) or offset < 0 or frame_offset < -1 or frame_length < -1:
        raise ValueError("a location points outside the chunk's objects")
    return Location(ids[local], frame_offset, frame_length, offset)


def _problem(path: str, value: object) -> ProblemRecord:
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError("a problem is [line, text]")
    line, text = value
    if line is not None and (not isinstance(line, int) or isinstance(line, bool)):
        raise ValueError("a problem's line is a number")
    if not isinstance(text, str):
        raise ValueError("a problem's text is text")
    return ProblemRecord(path=path, line=line, problem=text)
