"""Durable file-system steps shared by the local provider: fsync, parent folders, copying."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import BinaryIO

from publisher_restore.storage.base import ProgressCallback

COPY_CHUNK = 1024 * 1024


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries (a new, renamed or removed name) to disk."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_dirs_durably(path: Path) -> None:
    """Create ``path`` and its missing parents, fsyncing the folder that gains each new entry."""
    missing: list[Path] = []
    current = path
    while not current.is_dir() and current != current.parent:
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir()
        fsync_dir(folder.parent)


def prune_empty_dirs(start: Path, stop_at: Path) -> None:
    """Remove ``start`` and its parents while they are empty, never ``stop_at`` itself."""
    current = start
    while current != stop_at and stop_at in current.parents:
        try:
            current.rmdir()
        except OSError:  # not empty, or already gone: either way stop here
            return
        fsync_dir(current.parent)
        current = current.parent


def copy_stream(source: BinaryIO, target: BinaryIO, progress: ProgressCallback | None) -> int:
    """Copy in chunks, reporting each chunk's size; returns the bytes copied."""
    total = 0
    while chunk := source.read(COPY_CHUNK):
        target.write(chunk)
        total += len(chunk)
        if progress is not None:
            progress(len(chunk))
    return total
