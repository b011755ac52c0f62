"""The restore-point archive: a pax tar stream compressed with zstd (``archive.tar.zst``).

This package's ``__init__`` is the public face; the work is split by job:
``write`` (streaming writer), ``read`` (hostile-input-safe verifying reader) with
``member`` (a member's self-verifying stream), ``streams`` and ``zstd_frame`` (the
guarded decompression layers) and ``tar_guard`` (header checks), ``extract``
(extraction into a staging directory), ``limits`` (bounds and member-name rules).
docs/archive-format.md explains the format and the measurements behind it.
"""

from __future__ import annotations

from publisher_restore.restore.archive.extract import extract_verified
from publisher_restore.restore.archive.limits import (
    DEFAULT_LIMITS,
    ArchiveLimits,
    check_member_path,
)
from publisher_restore.restore.archive.member import MemberStream
from publisher_restore.restore.archive.read import (
    VerifiedArchive,
    VerifyReport,
    iter_verified_members,
    read_member_bytes,
    verify_archive,
)
from publisher_restore.restore.archive.write import SourceFile, SourceFileLike, write_archive

ARCHIVE_NAME = "archive.tar.zst"

__all__ = [
    "ARCHIVE_NAME",
    "DEFAULT_LIMITS",
    "ArchiveLimits",
    "MemberStream",
    "SourceFile",
    "SourceFileLike",
    "VerifiedArchive",
    "VerifyReport",
    "check_member_path",
    "extract_verified",
    "iter_verified_members",
    "read_member_bytes",
    "verify_archive",
    "write_archive",
]
