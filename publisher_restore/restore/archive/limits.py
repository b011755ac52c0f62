"""Bounds that keep reading a hostile archive cheap, and the member-name rules.

The reader trusts nothing in the archive beyond what it checks against the
manifest; these limits bound what it may spend before a check can fail.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from publisher_restore.errors import HostileInputError
from publisher_restore.restore.manifest import FileRecord

TAR_BLOCK = 512
_DRIVE_LETTER = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class ArchiveLimits:
    """What a reader may spend on one archive before refusing it."""

    # 16 MiB: level 19 needs 8 MiB; a frame asking for more is refused.
    max_window_size: int = 1 << 24
    # pax and GNU long-name headers are read into memory whole by tarfile.
    max_meta_header_bytes: int = 64 * 1024
    max_path_bytes: int = 1024
    # End-of-archive blocks and tarfile's record padding (20 blocks).
    fixed_allowance: int = 64 * 1024

    def member_allowance(self, path: str) -> int:
        """Tar bytes one member may add beyond its content: headers and padding."""
        pax_records = _round_up(len(path.encode("utf-8")) + 256)
        return 3 * TAR_BLOCK + pax_records

    def decompressed_cap(self, expected: Sequence[FileRecord]) -> int:
        """Most decompressed bytes an honest archive of ``expected`` can hold."""
        members = sum(r.size + self.member_allowance(r.path) for r in expected)
        return members + self.fixed_allowance


DEFAULT_LIMITS = ArchiveLimits()


def check_member_path(path: str, limits: ArchiveLimits = DEFAULT_LIMITS) -> str:
    """Refuse a member name that is not a plain relative forward-slash path."""
    problem = path_problem(path, limits)
    if problem:
        raise HostileInputError(f"archive member {path!r} refused: {problem}")
    return path


def path_problem(path: str, limits: ArchiveLimits = DEFAULT_LIMITS) -> str | None:
    """Why ``path`` cannot be a member name, or None when it can."""
    if not path:
        return "empty name"
    if "\0" in path:
        return "NUL in name"
    if "\\" in path:
        return "backslash in name"
    if path.startswith("/"):
        return "absolute path"
    if _DRIVE_LETTER.match(path):
        return "drive letter"
    parts = path.split("/")
    if ".." in parts:
        return "'..' path component (traversal)"
    if "." in parts:
        return "'.' path component"
    if "" in parts:
        return "empty path component"
    try:
        size = len(path.encode("utf-8"))
    except UnicodeEncodeError:
        return "name is not valid UTF-8"
    if size > limits.max_path_bytes:
        return f"name longer than {limits.max_path_bytes} bytes"
    return None


def _round_up(size: int) -> int:
    return -(-size // TAR_BLOCK) * TAR_BLOCK
