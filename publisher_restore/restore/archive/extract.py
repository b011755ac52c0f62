"""Extracting a verified archive into an empty staging directory, and nowhere else.

Files are created with O_CREAT|O_EXCL|O_NOFOLLOW and parent directories are
made one component at a time, refusing anything that is not a real directory,
so no name can lead a write outside ``dest_dir``.  On any error every file and
directory this call created is removed again, leaving ``dest_dir`` empty.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from publisher_restore.errors import HostileInputError, SiteError
from publisher_restore.restore.archive.limits import (
    DEFAULT_LIMITS,
    ArchiveLimits,
    check_member_path,
)
from publisher_restore.restore.archive.member import MEMBER_CHUNK, MemberStream, ProgressCallback
from publisher_restore.restore.archive.read import VerifiedArchive, VerifyReport
from publisher_restore.restore.manifest import FileRecord

_CREATE_FLAGS = (
    os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
)


def extract_verified(
    stream: BinaryIO,
    expected: Sequence[FileRecord],
    dest_dir: Path,
    *,
    only: set[str] | None = None,
    limits: ArchiveLimits = DEFAULT_LIMITS,
    progress: ProgressCallback | None = None,
    archive_sha256: str | None = None,
) -> VerifyReport:
    """Verify the whole archive while writing its files (or ``only`` those) into ``dest_dir``.

    ``dest_dir`` must be an existing empty directory; on any error it is left empty.
    ``archive_sha256`` (the manifest's) is checked as in ``verify_archive``.
    """
    require_empty_dir(dest_dir)
    staging = Staging(dest_dir)
    archive = VerifiedArchive(
        stream, expected, limits=limits, progress=progress, archive_sha256=archive_sha256
    )
    try:
        for record, member in archive:
            if only is None or record.path in only:
                staging.write(record.path, member)
    except BaseException:
        staging.remove_all()
        raise
    assert archive.report is not None
    return archive.report


def require_empty_dir(dest_dir: Path) -> None:
    try:
        status = dest_dir.lstat()
    except FileNotFoundError:
        raise SiteError(f"staging directory {dest_dir} does not exist") from None
    if not stat.S_ISDIR(status.st_mode):
        raise SiteError(f"staging directory {dest_dir} is not a directory")
    if any(dest_dir.iterdir()):
        raise SiteError(f"staging directory {dest_dir} is not empty")


class Staging:
    """Creates files under one root and remembers them so it can take them back."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._files: list[Path] = []
        self._dirs: list[Path] = []
        self._made: dict[str, Path] = {}

    def write(self, relative: str, member: MemberStream) -> None:
        """Create ``relative`` under the root and copy the member into it."""
        self.write_chunks(relative, iter(lambda: member.read(MEMBER_CHUNK), b""))

    def write_chunks(self, relative: str, chunks: Iterator[bytes]) -> None:
        """Create ``relative`` under the root and write the chunks into it."""
        check_member_path(relative)
        parts = relative.split("/")
        parent = self._make_parents(parts[:-1])
        target = parent / parts[-1]
        try:
            fd = os.open(target, _CREATE_FLAGS, 0o644)
        except FileExistsError:
            raise HostileInputError(
                f"archive member {relative!r} refused: {target} already exists"
            ) from None
        self._files.append(target)
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                out.write(chunk)

    @property
    def files(self) -> list[Path]:
        """Every file written so far."""
        return list(self._files)

    def _make_parents(self, parts: list[str]) -> Path:
        folder = "/".join(parts)
        made = self._made.get(folder)
        if made is not None:
            return made
        current = self._root
        for part in parts:
            current = current / part
            try:
                os.mkdir(current, 0o755)
                self._dirs.append(current)
            except FileExistsError:
                if not stat.S_ISDIR(os.lstat(current).st_mode):
                    raise HostileInputError(
                        f"archive member path {folder!r} runs through {current}, "
                        "which is not a directory"
                    ) from None
        self._made[folder] = current  # a folder this staging made or checked is never a file
        return current

    def remove_all(self) -> None:
        """Remove every file and directory created so far, newest first."""
        for path in reversed(self._files):
            path.unlink(missing_ok=True)
        for path in reversed(self._dirs):
            with contextlib.suppress(OSError):  # not ours to empty if something else is inside
                os.rmdir(path)
