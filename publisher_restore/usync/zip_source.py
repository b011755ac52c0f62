"""Item files from a zip (a sync pack, or a request body), read as hostile input.

Every member is checked before anything is parsed: its name (no traversal, absolute path,
drive letter, backslash, NUL, empty part; no name twice, even in another case), its type (no
link, device or FIFO), no encryption, and at most ``max_members`` of them.  Item members
(``*.config`` below the version folder) are the only ones ever decompressed: their declared
sizes and compression ratios are checked first, and decompression stops at the declared size
(a member that lies about it fails its CRC check, by name).
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from publisher_restore.errors import HostileInputError
from publisher_restore.usync.folders import (
    ITEM_SUFFIX,
    handler_folders_among,
    version_folder_among,
)
from publisher_restore.usync.sources import SourceFile
from publisher_restore.usync.xmlsafe import MAX_ITEM_BYTES

_DRIVE = re.compile(r"^[A-Za-z]:")
_ENCRYPTED = 0x1 | 0x40  # traditional and strong encryption flags
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError)


@dataclass(frozen=True)
class ZipLimits:
    """What a hostile zip may cost before it is refused."""

    max_members: int = 100_000
    max_item_bytes: int = MAX_ITEM_BYTES
    max_total_bytes: int = 256 * 1024 * 1024
    """All item members together, decompressed (a 20,000-item site is about 25 MB)."""
    max_ratio: int = 200
    """Decompressed / compressed size of a member bigger than ``ratio_floor``."""
    ratio_floor: int = 1024 * 1024
    max_name_bytes: int = 1024


DEFAULT_ZIP_LIMITS = ZipLimits()


def refuse(member: str, why: str) -> HostileInputError:
    """The error for a refused member (names it)."""
    return HostileInputError(f"zip member {member!r} refused: {why}")


class ZipSource:
    """The item files of a zip; construction checks every member and finds the version folder.

    ``label`` names the zip in messages (its file name, or "request body").
    """

    def __init__(
        self, data: bytes | Path, *, label: str = "", limits: ZipLimits = DEFAULT_ZIP_LIMITS
    ) -> None:
        self.label = label or (data.name if isinstance(data, Path) else "zip")
        self.limits = limits
        stream = io.BytesIO(data) if isinstance(data, bytes) else data.open("rb")
        try:
            self._zip = zipfile.ZipFile(stream)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            stream.close()
            raise HostileInputError(f"{self.label}: not a readable zip file ({error})") from None
        try:
            infos = self._zip.infolist()
            self._check_members(infos)
            names = [info.filename for info in infos]
            self.prefix = version_folder_among(names)
            self.handler_folders = handler_folders_among(names, self.prefix)
            self._items = [i for i in infos if self._is_item(i)]
            self._check_sizes(self._items)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Release the zip (and its file)."""
        fp = self._zip.fp
        self._zip.close()
        if fp is not None:
            fp.close()

    def __enter__(self) -> ZipSource:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _is_item(self, info: zipfile.ZipInfo) -> bool:
        name = info.filename
        return (
            not info.is_dir()
            and name.startswith(self.prefix)
            and name.casefold().endswith(ITEM_SUFFIX)
        )

    def _check_members(self, infos: list[zipfile.ZipInfo]) -> None:
        if len(infos) > self.limits.max_members:
            raise HostileInputError(
                f"{self.label}: {len(infos)} members, more than the "
                f"{self.limits.max_members} a sync pack may hold"
            )
        seen: dict[str, str] = {}
        for info in infos:
            name = info.filename
            problem = self._name_problem(name) or _type_problem(info)
            if problem:
                raise refuse(name, problem)
            folded = name.rstrip("/").casefold()
            if folded in seen:
                raise refuse(name, f"the name appears twice (also as {seen[folded]!r})")
            seen[folded] = name

    def _name_problem(self, name: str) -> str | None:
        if "\0" in name:
            return "NUL in name"
        if "\\" in name:
            return "backslash in name"
        if name.startswith("/"):
            return "absolute path"
        if _DRIVE.match(name):
            return "drive letter"
        parts = name.removesuffix("/").split("/")
        if ".." in parts:
            return "'..' path component (traversal)"
        if "." in parts or "" in parts:
            return "empty or '.' path component"
        if len(name.encode("utf-8", "surrogateescape")) > self.limits.max_name_bytes:
            return f"name longer than {self.limits.max_name_bytes} bytes"
        return None

    def _check_sizes(self, items: list[zipfile.ZipInfo]) -> None:
        total = 0
        limits = self.limits
        for info in items:
            size = info.file_size
            if size > limits.max_item_bytes:
                raise refuse(info.filename, f"declares {size} bytes, over the item limit")
            ratio = size / max(info.compress_size, 1)
            if size > limits.ratio_floor and ratio > limits.max_ratio:
                raise refuse(info.filename, f"compression ratio {ratio:.0f}:1 (a zip bomb)")
            total += size
        if total > limits.max_total_bytes:
            raise HostileInputError(
                f"{self.label}: item members declare {total} bytes in all, over the "
                f"{limits.max_total_bytes}-byte limit"
            )

    @property
    def members(self) -> list[zipfile.ZipInfo]:
        """Every member, each one checked (name, type, encryption) when the zip was opened."""
        return self._zip.infolist()

    def open_member(self, info: zipfile.ZipInfo) -> IO[bytes]:
        """A stream over one member; the caller bounds how much it reads."""
        try:
            return self._zip.open(info)
        except _READ_ERRORS as error:
            raise refuse(info.filename, f"cannot be read ({error})") from None

    def files(self) -> Iterator[SourceFile]:
        """Every item member below the version folder, decompressed within the limits."""
        for info in sorted(self._items, key=lambda i: i.filename):
            yield SourceFile(info.filename, self._read(info))

    def _read(self, info: zipfile.ZipInfo) -> bytes:
        # zipfile stops decompressing at the declared size (checked above) and then checks
        # the CRC, so a member that lies about its size fails here, bounded.
        try:
            with self._zip.open(info) as member:
                return member.read()
        except _READ_ERRORS as error:
            raise refuse(info.filename, f"cannot be decompressed ({error})") from None


def _type_problem(info: zipfile.ZipInfo) -> str | None:
    if info.flag_bits & _ENCRYPTED:
        return "encrypted"
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if kind in (0, stat.S_IFREG, stat.S_IFDIR):
        return None
    if kind == stat.S_IFLNK:
        return "symbolic link"
    return "not a regular file (device, FIFO or socket)"
