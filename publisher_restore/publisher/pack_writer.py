"""Writing a ``.usync`` sync pack: one streaming pass, the manifest last, the same bytes every time.

Members go in a fixed order (items as given, which ``item_sources`` makes uSync's write
order; then site files by path; ``pack.json`` last), each with a fixed timestamp and
mode, so the same inputs and ``created`` give a byte-identical pack.  Every member's
size and SHA-256 are taken from the very bytes written.  Item XML, views and static
files are deflated; media (already compressed, often large) is stored.  The pack is
written to a temporary file beside the destination and moved into place only when
complete, so a failed write leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import stat
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from publisher_restore.progress import Progress, SilentProgress
from publisher_restore.publisher.errors import PackWriteError
from publisher_restore.publisher.pack_manifest import (
    MANIFEST_NAME,
    PackFile,
    PackItem,
    PackManifest,
    PackSelection,
    file_member,
    item_member,
)
from publisher_restore.regular_files import opened_regular
from publisher_restore.restore.archive.limits import path_problem
from publisher_restore.restore.archive.write import SourceFileLike
from publisher_restore.scopes import Scope
from publisher_restore.usync.models import AnyItem, EmptyItem
from publisher_restore.version import __version__

CHUNK = 1 << 20
FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)
"""Every member's timestamp: the earliest zip allows; real times would break determinism."""
MEMBER_MODE = (stat.S_IFREG | 0o644) << 16
UNIX = 3
STORED_SCOPES = frozenset({Scope.MEDIA})


@dataclass(frozen=True)
class ItemSource:
    """An item file to pack: its identity, its path inside the version folder, its bytes."""

    item_type: str
    key: str | None
    alias: str
    rel_path: str
    data: Path | bytes
    action: str | None = None


@dataclass(frozen=True)
class PackHeader:
    """The manifest fields that describe where and when a pack was made."""

    source_site: str
    usync_folder: str
    selection: PackSelection = field(default_factory=PackSelection)
    created: datetime = field(default_factory=lambda: datetime.now(UTC))
    tool_version: str = __version__


def item_sources(site_root: Path, usync_dir: Path, items: Iterable[AnyItem]) -> list[ItemSource]:
    """Pack sources for items read from ``usync_dir`` (paths relative to ``site_root``)."""
    version_rel = PurePosixPath(usync_dir.resolve().relative_to(site_root.resolve()).as_posix())
    sources = []
    for item in items:
        try:
            rel_path = PurePosixPath(item.path).relative_to(version_rel).as_posix()
        except ValueError:
            raise PackWriteError(f"{item.path}: not in the uSync folder {version_rel}") from None
        sources.append(
            ItemSource(
                item_type=item.item_type,
                key=item.key,
                alias=item.alias,
                rel_path=rel_path,
                data=site_root / item.path,
                action=item.action.value if isinstance(item, EmptyItem) else None,
            )
        )
    return sources


def write_pack(
    dest: Path,
    header: PackHeader,
    items: Sequence[ItemSource],
    files: Sequence[SourceFileLike] = (),
    *,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> PackManifest:
    """Write the pack to ``dest`` atomically; returns the manifest written into it."""
    if dest.exists() and not overwrite:
        raise PackWriteError(f"{dest}: already exists; choose another name or allow overwriting")
    try:
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{dest.name}.", suffix=".part", dir=dest.parent
        )
    except OSError as error:
        raise PackWriteError(f"{dest}: cannot write here ({error.strerror})") from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "w+b") as out:
            manifest = write_pack_stream(out, header, items, files, progress=progress)
            out.flush()
            os.fsync(out.fileno())
        _publish(temp, dest, overwrite)
    except OSError as error:
        raise PackWriteError(f"{dest}: cannot write the pack ({error.strerror})") from None
    finally:
        temp.unlink(missing_ok=True)
    return manifest


def write_pack_stream(
    out: BinaryIO,
    header: PackHeader,
    items: Sequence[ItemSource],
    files: Sequence[SourceFileLike] = (),
    *,
    progress: Progress | None = None,
) -> PackManifest:
    """Write the pack to an open binary stream (seekable streams give deterministic bytes)."""
    tracker = progress or SilentProgress()
    ordered_files = sorted(files, key=lambda f: f.path)
    members = [item_member(header.usync_folder, s.rel_path) for s in items]
    members += [file_member(f.path) for f in ordered_files]
    _check_member_names(members)
    tracker.begin("pack", files=len(members), total_bytes=_expected_bytes(items, ordered_files))
    try:
        with zipfile.ZipFile(out, "w", allowZip64=True) as pack:
            packed_items = [_add_item(pack, header, source, tracker) for source in items]
            packed_files = [_add_file(pack, source, tracker) for source in ordered_files]
            manifest = PackManifest(
                created=header.created,
                source_site=header.source_site,
                tool_version=header.tool_version,
                usync_folder=header.usync_folder,
                selection=header.selection,
                items=tuple(packed_items),
                files=tuple(packed_files),
            )
            data = manifest.model_dump_json(indent=2).encode("utf-8")
            pack.writestr(_member_info(MANIFEST_NAME, zipfile.ZIP_DEFLATED, len(data)), data)
    finally:
        tracker.end()
    return manifest


def _add_item(
    pack: zipfile.ZipFile, header: PackHeader, source: ItemSource, progress: Progress
) -> PackItem:
    member = item_member(header.usync_folder, source.rel_path)
    with _opened(source.data, source.rel_path) as (stream, size):
        digest, written = _copy(pack, member, zipfile.ZIP_DEFLATED, stream, size, progress)
    return PackItem(
        item_type=source.item_type,
        key=source.key,
        alias=source.alias,
        action=source.action,
        path=member,
        size=written,
        sha256=digest,
    )


def _add_file(pack: zipfile.ZipFile, source: SourceFileLike, progress: Progress) -> PackFile:
    member = file_member(source.path)
    method = zipfile.ZIP_STORED if source.scope in STORED_SCOPES else zipfile.ZIP_DEFLATED
    with _opened(source.abs_path, source.path) as (stream, size):
        digest, written = _copy(pack, member, method, stream, size, progress)
    return PackFile(
        site_path=source.path,
        scope=source.scope,
        path=member,
        size=written,
        sha256=digest,
    )


def _copy(
    pack: zipfile.ZipFile, member: str, method: int, stream: BinaryIO, size: int, progress: Progress
) -> tuple[str, int]:
    """Copy ``size`` bytes into a new member, hashing them; a file that changes is refused."""
    digest = hashlib.sha256()
    written = 0
    with pack.open(_member_info(member, method, size), "w") as target:
        while chunk := stream.read(min(CHUNK, size - written) or 1):
            written += len(chunk)
            if written > size:
                raise PackWriteError(f"{member}: the file grew while it was packed; retry")
            digest.update(chunk)
            target.write(chunk)
            progress.advance(nbytes=len(chunk))
    if written != size:
        raise PackWriteError(f"{member}: the file shrank while it was packed; retry")
    progress.advance(files=1)
    return digest.hexdigest(), written


def _member_info(name: str, method: int, size: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_DATE_TIME)
    info.compress_type = method
    info.create_system = UNIX
    info.external_attr = MEMBER_MODE
    info.file_size = size  # lets zipfile choose ZIP64 up front for members over 4 GiB
    return info


@contextlib.contextmanager
def _opened(data: Path | bytes, name: str) -> Iterator[tuple[BinaryIO, int]]:
    """The source's bytes as a stream and its size; never follows a symbolic link."""
    if isinstance(data, bytes):
        yield io.BytesIO(data), len(data)
        return
    with opened_regular(data, name, error=PackWriteError, done="packed") as (stream, status):
        yield stream, status.st_size


def _check_member_names(members: list[str]) -> None:
    """Refuse names a reader must refuse (traversal, backslashes...) and case-folded twins."""
    seen: dict[str, str] = {}
    for member in members:
        problem = path_problem(member)
        if problem:
            raise PackWriteError(f"{member!r} cannot go into a pack: {problem}")
        twin = seen.get(member.casefold())
        if twin == member:
            raise PackWriteError(f"{member!r} is listed twice")
        if twin is not None:
            raise PackWriteError(
                f"{member!r} and {twin!r} would be one file on a case-insensitive target"
            )
        seen[member.casefold()] = member


def _expected_bytes(items: Sequence[ItemSource], files: Sequence[SourceFileLike]) -> int:
    total = 0
    for source in items:
        total += len(source.data) if isinstance(source.data, bytes) else _size(source.data)
    return total + sum(_size(f.abs_path) for f in files)


def _size(path: Path) -> int:
    try:
        return path.lstat().st_size
    except OSError:
        return 0  # reported properly when the file is opened


def _publish(temp: Path, dest: Path, overwrite: bool) -> None:
    if overwrite:
        os.replace(temp, dest)
        return
    try:
        os.link(temp, dest)  # fails if dest appeared meanwhile: never clobbers
    except FileExistsError:
        raise PackWriteError(f"{dest}: already exists; choose another name") from None
