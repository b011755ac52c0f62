"""Writing a restore-point archive: one streaming pass over the site's files.

Each file is opened once, and its size and SHA-256 are taken from the very bytes
copied into the tar stream, so the manifest describes exactly what was archived.
Memory stays flat whatever the file sizes.
"""

from __future__ import annotations

import hashlib
import os
import tarfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

import zstandard

from publisher_restore.errors import ConfigError, SiteError
from publisher_restore.regular_files import opened_regular
from publisher_restore.restore.archive.limits import path_problem
from publisher_restore.restore.manifest import FileRecord, Scope

ProgressCallback = Callable[[int], None]
MAX_LEVEL = 19  # higher levels need windows the reader refuses (limits.max_window_size)
DEFAULT_THREADS = 0


class SourceFileLike(Protocol):
    """What the writer needs of a file: the site model's file objects qualify."""

    @property
    def path(self) -> str: ...
    @property
    def abs_path(self) -> Path: ...
    @property
    def scope(self) -> Scope: ...


@dataclass(frozen=True)
class SourceFile:
    """A file to archive: site-relative path (forward slashes), where it is, its scope."""

    path: str
    abs_path: Path
    scope: Scope


def write_archive(
    dest: BinaryIO | Path,
    files: Iterable[SourceFileLike],
    *,
    level: int = 3,
    threads: int = DEFAULT_THREADS,
    progress: ProgressCallback | None = None,
) -> list[FileRecord]:
    """Write ``files`` as a tar+zstd stream to ``dest``; returns one record per file."""
    if not 1 <= level <= MAX_LEVEL:
        raise ConfigError(f"archive compression level {level} is outside 1..{MAX_LEVEL}")
    if isinstance(dest, Path):
        return _write_to_new_file(dest, files, level, threads, progress)
    compressor = zstandard.ZstdCompressor(level=level, write_checksum=True, threads=threads)
    with compressor.stream_writer(dest, closefd=False) as zstd_out:
        records = _write_tar(zstd_out, files, progress)
    return records


def _write_to_new_file(
    dest: Path,
    files: Iterable[SourceFileLike],
    level: int,
    threads: int,
    progress: ProgressCallback | None,
) -> list[FileRecord]:
    with dest.open("xb") as out:  # an existing file is never overwritten nor removed
        try:
            return write_archive(out, files, level=level, threads=threads, progress=progress)
        except BaseException:
            out.close()
            dest.unlink(missing_ok=True)
            raise


def _write_tar(
    out: BinaryIO, files: Iterable[SourceFileLike], progress: ProgressCallback | None
) -> list[FileRecord]:
    records: list[FileRecord] = []
    seen: set[str] = set()
    # tarfile's default buffer sizes measured fastest: a larger stream buffer makes
    # its write path copy the buffer on every chunk.
    with tarfile.open(fileobj=out, mode="w|", format=tarfile.PAX_FORMAT) as tar:
        for source in files:
            _check_source_path(source.path, seen)
            records.append(_add_file(tar, source, progress))
    return records


def _check_source_path(path: str, seen: set[str]) -> None:
    problem = path_problem(path)
    if problem:
        raise SiteError(f"{path!r} cannot be archived: {problem}")
    if path in seen:
        raise SiteError(f"{path!r} is listed twice in the files to archive")
    seen.add(path)


def _add_file(
    tar: tarfile.TarFile, source: SourceFileLike, progress: ProgressCallback | None
) -> FileRecord:
    opened = opened_regular(source.abs_path, source.path, error=SiteError, done="archived")
    with opened as (handle, before):
        info = tarfile.TarInfo(source.path)
        info.size = before.st_size
        info.mtime = int(before.st_mtime)
        info.mode = 0o644
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        reader = _HashingReader(handle, source.path, progress)
        tar.addfile(info, reader)  # type: ignore[arg-type]  # only read() is used
        _require_unchanged(handle, before, source.path)
    return FileRecord(
        path=source.path, size=before.st_size, sha256=reader.hexdigest(), scope=source.scope
    )


def _require_unchanged(handle: BinaryIO, before: os.stat_result, path: str) -> None:
    after = os.fstat(handle.fileno())
    grew = handle.read(1) != b""
    if grew or (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
        raise SiteError(f"{path}: changed while archiving; retry")


class _HashingReader:
    """Hands the file's bytes to tarfile while hashing them; a short read means it shrank."""

    def __init__(self, handle: BinaryIO, path: str, progress: ProgressCallback | None) -> None:
        self._handle = handle
        self._path = path
        self._progress = progress
        self._sha256 = hashlib.sha256()

    def read(self, size: int) -> bytes:
        data = self._handle.read(size)
        if len(data) != size:
            raise SiteError(f"{self._path}: changed while archiving (it shrank); retry")
        self._sha256.update(data)
        if self._progress:
            self._progress(len(data))
        return data

    def hexdigest(self) -> str:
        return self._sha256.hexdigest()
