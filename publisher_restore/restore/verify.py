"""``verify``: read everything a point needs and check every hash, naming what is wrong.

A version-2 point: its manifest body against the header's digest, every index chunk
against its name, every object it names present (one listing) with the size it was
stored with, every pack and large file read whole and checked against its name, and
every file's bytes against the index's SHA-256.  A version-1 point: its archive, read
by the hardened reader as before.  The first problem found is raised as an
``IntegrityError`` that names the object (and the point's files that need it).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable

from publisher_restore.analyser.wording import counted, verb
from publisher_restore.errors import IntegrityError
from publisher_restore.restore.archive import verify_archive
from publisher_restore.restore.contents import PointContents
from publisher_restore.restore.manifest import Manifest
from publisher_restore.restore.objects import (
    OBJECTS_PREFIX,
    check_bytes,
    decode_frame,
    is_pack,
    named_digest,
    open_object,
    stream_file,
)
from publisher_restore.restore.store import RestorePointStore

ProgressCallback = Callable[[int], None]


def verify_point(
    store: RestorePointStore, point: Manifest, progress: ProgressCallback | None = None
) -> None:
    """Read and check everything ``point`` needs; IntegrityError at the first problem."""
    if point.is_legacy:
        with store.open_archive(point) as stream:
            verify_archive(
                stream, point.files, archive_sha256=point.archive_sha256 or None, progress=progress
            )
        return
    body = store.body(point)
    contents = point.contents()
    users = _users(contents)
    stored = {info.name: info.size for info in store.provider.list(OBJECTS_PREFIX)}
    for name, size in sorted(body.objects.items()):
        if name not in stored:
            raise IntegrityError(
                f"object {name} is missing from storage{_needed_by(users, name, contents)}"
            )
        if stored[name] != size:
            raise IntegrityError(
                f"object {name} is {stored[name]} bytes, stored as {size} (damaged)"
                f"{_needed_by(users, name, contents)}"
            )
    for name in users:
        if name not in body.objects:
            raise IntegrityError(
                f"object {name} holds files of the point but its manifest does not name it"
                f"{_needed_by(users, name, contents)}"
            )
    for name, rows in sorted(users.items()):
        if is_pack(name):
            _verify_pack(store, contents, name, rows, progress)
        else:
            for row in rows:
                _verify_file(store, contents, name, row, progress)


def _users(contents: PointContents) -> dict[str, list[int]]:
    """Object name -> rows of the files it holds."""
    users: dict[str, list[int]] = defaultdict(list)
    for row, location in enumerate(contents.locations):
        if location is None:
            raise IntegrityError(f"{contents.paths[row]}: the index says not where it is stored")
        users[contents.objects[location.obj]].append(row)
    return users


def _needed_by(users: dict[str, list[int]], name: str, contents: PointContents) -> str:
    rows = users.get(name, [])
    if not rows:
        return ""
    need = verb(len(rows), "needs", "need")
    return f" ({counted(len(rows), 'file')} {need} it, first: {contents.paths[rows[0]]})"


def _verify_pack(
    store: RestorePointStore,
    contents: PointContents,
    name: str,
    rows: list[int],
    progress: ProgressCallback | None,
) -> None:
    with open_object(store.provider, name) as stream:
        data = stream.read()
    if hashlib.sha256(data).hexdigest() != named_digest(name):
        raise IntegrityError(
            f"object {name} is damaged: its bytes do not match its name"
            f"{_needed_by({name: rows}, name, contents)}"
        )
    blocks: dict[int, bytes] = {}
    for row in sorted(rows, key=lambda r: _frame(contents, r)):
        location = contents.locations[row]
        assert location is not None
        block = blocks.get(location.frame_offset)
        if block is None:
            frame = data[location.frame_offset : location.frame_offset + location.frame_length]
            blocks = {location.frame_offset: decode_frame(frame, f"object {name}")}
            block = blocks[location.frame_offset]
        end = location.offset + contents.sizes[row]
        path = contents.paths[row]
        if end > len(block):
            raise IntegrityError(f"{path}: the index places it past the end of its block in {name}")
        check_bytes(block[location.offset : end], contents.hashes[row], path, f"object {name}")
        if progress is not None:
            progress(contents.sizes[row])


def _frame(contents: PointContents, row: int) -> int:
    location = contents.locations[row]
    assert location is not None
    return location.frame_offset


def _verify_file(
    store: RestorePointStore,
    contents: PointContents,
    name: str,
    row: int,
    progress: ProgressCallback | None,
) -> None:
    path, sha256 = contents.paths[row], contents.hashes[row]
    if named_digest(name) != sha256:
        raise IntegrityError(f"{path}: its object {name} is named for other bytes")
    try:
        for _chunk in stream_file(
            store.provider, name, contents.sizes[row], sha256, path, progress
        ):
            pass
    except IntegrityError as error:
        raise IntegrityError(f"object {name} is damaged: {error}") from None
