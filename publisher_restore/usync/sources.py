"""Where item files come from: a folder, a zip (a sync pack or a request body), or memory.

Every source yields ``SourceFile(path, data)``: the file's bytes, or a ``ParseProblem`` when
it cannot be read as an item file (a link, a FIFO or device, over the item size limit).
``usync.loader`` parses them, one way for every source.  A restore point's archive is read,
verified against its manifest, by ``restore.archive.read.read_item_files`` (a
``MemorySource``).

Only regular files are ever read, never more than the item size limit plus one byte: a FIFO
named ``*.config`` cannot hang a read, a device or a huge file cannot exhaust memory.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import NamedTuple, Protocol

from publisher_restore.errors import SiteError
from publisher_restore.regular_files import OPEN_FLAGS
from publisher_restore.usync.folders import ITEM_SUFFIX, handler_folders_in
from publisher_restore.usync.models import ParseProblem
from publisher_restore.usync.xmlsafe import MAX_ITEM_BYTES

READ_CHUNK = 1 << 20


class SourceFile(NamedTuple):
    """One item file: its path (relative to the source's root) and bytes, or why not."""

    path: str
    data: bytes | ParseProblem


class ItemFiles(Protocol):
    """A source of item files: where its version folder is, its handler folders, its files."""

    @property
    def prefix(self) -> str:
        """The version folder inside the paths, ``/``-ended (``uSync/v9/``), or ''."""
        ...

    @property
    def handler_folders(self) -> frozenset[str]:
        """The item handler folders the version folder has (an empty one still counts)."""
        ...

    def files(self) -> Iterator[SourceFile]:
        """Every ``*.config`` file below the version folder, in path order."""
        ...


def over_limit(size: int, limit: int = MAX_ITEM_BYTES) -> str:
    """The problem text for an item file that is too big."""
    return f"{size} bytes is over the {limit}-byte limit for an item file"


def read_item_bytes(full: str | Path, rel_path: str, limit: int = MAX_ITEM_BYTES) -> SourceFile:
    """A regular file's bytes, read no further than ``limit`` + 1; anything else a problem."""
    try:
        descriptor = os.open(full, OPEN_FLAGS)
    except OSError as error:
        return SourceFile(rel_path, _open_problem(full, rel_path, error))
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            return SourceFile(rel_path, _not_regular(rel_path, info.st_mode))
        if info.st_size > limit:
            return SourceFile(
                rel_path, ParseProblem(path=rel_path, problem=over_limit(info.st_size, limit))
            )
        return SourceFile(rel_path, _read_bounded(descriptor, info.st_size, rel_path, limit))
    except OSError as error:
        return SourceFile(rel_path, _cannot_read(rel_path, error))
    finally:
        os.close(descriptor)


def _read_bounded(descriptor: int, size: int, rel_path: str, limit: int) -> bytes | ParseProblem:
    data = os.read(descriptor, size + 1)
    if len(data) <= size:
        return data  # a short read of a regular file is its end
    chunks, total = [data], len(data)
    while total <= limit:  # the file grew while it was read
        chunk = os.read(descriptor, min(READ_CHUNK, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
    return ParseProblem(path=rel_path, problem=over_limit(total, limit) + " (it grew while read)")


def _open_problem(full: str | Path, rel_path: str, error: OSError) -> ParseProblem:
    try:
        mode = os.lstat(full).st_mode
    except OSError:
        return _cannot_read(rel_path, error)
    if not stat.S_ISREG(mode):
        return _not_regular(rel_path, mode)
    return _cannot_read(rel_path, error)


def _cannot_read(rel_path: str, error: OSError) -> ParseProblem:
    return ParseProblem(path=rel_path, problem=f"cannot read file: {error.strerror or error}")


def _not_regular(rel_path: str, mode: int) -> ParseProblem:
    if stat.S_ISLNK(mode):
        return ParseProblem(path=rel_path, problem="symbolic link: not followed")
    return ParseProblem(path=rel_path, problem=f"not a regular file ({_kind(mode)}): not read")


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return name
    return "a special file"


@dataclass(frozen=True)
class FolderSource:
    """The item files below a version folder on disk; paths are relative to ``root``."""

    root: Path
    usync_dir: Path

    @classmethod
    def open(cls, root: Path, usync_dir: Path) -> FolderSource:
        """A source for ``usync_dir``, which must be a real folder inside ``root``."""
        root, usync_dir = root.resolve(), usync_dir.resolve()
        if not usync_dir.is_dir():
            raise SiteError(f"{usync_dir}: uSync folder does not exist or is not a folder")
        if not usync_dir.is_relative_to(root):
            raise SiteError(f"{usync_dir}: uSync folder is not inside the site folder {root}")
        return cls(root, usync_dir)

    @property
    def prefix(self) -> str:
        """The version folder relative to the root, ``/``-ended, or '' when it is the root."""
        rel = self.usync_dir.relative_to(self.root).as_posix()
        return "" if rel == "." else f"{rel}/"

    @cached_property
    def handler_folders(self) -> frozenset[str]:
        """The item handler folders of the version folder, empty ones included."""
        return handler_folders_in(self.usync_dir)

    def files(self) -> Iterator[SourceFile]:
        """Every ``*.config`` below the version folder in path order; specials as problems."""
        found = sorted(_walk(str(self.usync_dir), self.prefix), key=lambda pair: pair[0])
        for rel_path, entry in found:
            if isinstance(entry, OSError):
                yield SourceFile(rel_path, _cannot_read(rel_path, entry))
            elif entry.is_file(follow_symlinks=False):
                yield read_item_bytes(entry.path, rel_path)
            else:
                yield SourceFile(rel_path, _not_regular(rel_path, _lstat_mode(entry)))


_Found = tuple[str, "os.DirEntry[str] | OSError"]


def _walk(folder: str, rel_dir: str) -> Iterator[_Found]:
    """(path, entry) of every ``*.config`` below ``folder``; folder links are not followed.

    A folder that cannot be listed comes back as (its path, the error).
    """
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError as error:
        yield rel_dir.rstrip("/"), error
        return
    for entry in entries:
        rel_path = f"{rel_dir}{entry.name}"
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path, f"{rel_path}/")
        elif entry.name.casefold().endswith(ITEM_SUFFIX):
            yield rel_path, entry


def _lstat_mode(entry: os.DirEntry[str]) -> int:
    try:
        return entry.stat(follow_symlinks=False).st_mode
    except OSError:
        return 0


@dataclass(frozen=True)
class MemorySource:
    """Item files already in memory (read from an archive, or built by a caller)."""

    entries: tuple[SourceFile, ...]
    prefix: str = ""
    handler_folders: frozenset[str] = field(default_factory=frozenset)

    def files(self) -> Iterator[SourceFile]:
        """The entries under the prefix, in path order."""
        chosen = (e for e in self.entries if e.path.startswith(self.prefix))
        yield from sorted(chosen, key=lambda entry: entry.path)
