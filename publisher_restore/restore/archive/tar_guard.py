"""A TarInfo that refuses unwanted header types before tarfile acts on them.

``tarfile`` reads pax and GNU long-name headers whole into memory and follows
sparse maps; every header passes through ``frombuf``, so checking there stops a
hostile header before any of that happens.
"""

from __future__ import annotations

import tarfile
from typing import ClassVar, Self

from publisher_restore.errors import HostileInputError, IntegrityError
from publisher_restore.restore.archive.limits import TAR_BLOCK, ArchiveLimits

_ZERO_BLOCK = bytes(TAR_BLOCK)
_REGULAR = (tarfile.REGTYPE, tarfile.AREGTYPE)
_REFUSED_KINDS = {
    tarfile.SYMTYPE: "a symbolic link",
    tarfile.LNKTYPE: "a hard link",
    tarfile.CHRTYPE: "a character device",
    tarfile.BLKTYPE: "a block device",
    tarfile.FIFOTYPE: "a FIFO",
    tarfile.DIRTYPE: "a directory",
    tarfile.CONTTYPE: "a contiguous file",
    tarfile.XGLTYPE: "a global pax header",
    tarfile.SOLARIS_XHDTYPE: "a Solaris extended header",
    tarfile.GNUTYPE_LONGNAME: "a GNU long-name header",
    tarfile.GNUTYPE_LONGLINK: "a GNU long-link header",
    tarfile.GNUTYPE_SPARSE: "a GNU sparse file",
}


class GuardedTarInfo(tarfile.TarInfo):
    """Checks each header block as tarfile parses it; remembers the end-of-archive marker."""

    limits: ClassVar[ArchiveLimits]
    end_marker_seen: ClassVar[bool] = False

    @classmethod
    def frombuf(cls, buf: bytes | bytearray, encoding: str, errors: str) -> Self:
        if len(buf) == 0 or buf == _ZERO_BLOCK:
            # No more data, or the end-of-archive marker: tarfile ends the walk.
            cls.end_marker_seen = cls.end_marker_seen or len(buf) > 0
            return super().frombuf(buf, encoding, errors)
        try:
            info = super().frombuf(buf, encoding, errors)
        except tarfile.HeaderError as error:
            raise IntegrityError(f"archive corrupt: bad tar header ({error})") from None
        check_header(info, cls.limits)
        return info


def guarded_tarinfo(limits: ArchiveLimits) -> type[GuardedTarInfo]:
    """A fresh GuardedTarInfo class for one archive (it carries that walk's state)."""

    class ArchiveTarInfo(GuardedTarInfo):
        pass

    ArchiveTarInfo.limits = limits
    return ArchiveTarInfo


def check_header(info: tarfile.TarInfo, limits: ArchiveLimits) -> None:
    """Refuse any header that is not a regular file or a bounded pax header."""
    if info.type == tarfile.XHDTYPE:
        if info.size > limits.max_meta_header_bytes:
            raise HostileInputError(
                f"archive pax header of {info.size} bytes refused "
                f"(limit {limits.max_meta_header_bytes})"
            )
        return
    if info.type not in _REGULAR:
        kind = _REFUSED_KINDS.get(info.type, f"of unknown type {info.type!r}")
        raise HostileInputError(f"archive member {info.name!r} refused: it is {kind}")


def check_member_header(info: tarfile.TarInfo) -> None:
    """Refuse sparse members (possible through pax keys) once tarfile has built the member."""
    if info.sparse is not None or any(k.startswith("GNU.sparse") for k in info.pax_headers):
        raise HostileInputError(f"archive member {info.name!r} refused: it is a sparse file")
