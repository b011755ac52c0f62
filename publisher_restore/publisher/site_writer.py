"""Writing one file into a site: inside it, never through a link, atomically, verified.

The pipeline writes each item file and site file on its own (one result per item): the
bytes go to a temporary file beside the target (same folder, so the same file system),
are fsynced and checked against the SHA-256 the plan promised, and then replace the
target with one ``os.replace``.  A reader (uSync, a restore point) sees the old file or
the new one, never half of either.  The path is checked with ``restore.site_paths``
first: no component may be a symbolic link, and the file itself must be a regular file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from publisher_restore.errors import IntegrityError
from publisher_restore.restore.site_paths import safe_site_path
from publisher_restore.storage.fsutil import fsync_dir, make_dirs_durably

TEMP_PREFIX = ".publisher-restore-"
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def write_site_file(root: Path, rel_path: str, chunks: Iterable[bytes], *, sha256: str) -> None:
    """Replace (or create) ``rel_path`` under ``root`` with ``chunks``, whose hash must be
    ``sha256``; ``SiteError`` for a link in the way, ``IntegrityError`` for other bytes."""
    target = safe_site_path(root, rel_path)
    make_dirs_durably(target.parent)
    safe_site_path(root, rel_path)  # again: a folder made just now is ours, not a link
    temp = target.parent / f"{TEMP_PREFIX}{secrets.token_hex(8)}.tmp"
    try:
        _write_temp(temp, chunks, sha256, rel_path)
        os.replace(temp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
    fsync_dir(target.parent)


def _write_temp(temp: Path, chunks: Iterable[bytes], sha256: str, rel_path: str) -> None:
    digest = hashlib.sha256()
    fd = os.open(temp, _CREATE, 0o644)
    with os.fdopen(fd, "wb") as out:
        for chunk in chunks:
            digest.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    if digest.hexdigest() != sha256:
        raise IntegrityError(f"{rel_path}: the bytes to write do not match the plan's SHA-256")
