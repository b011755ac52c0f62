"""Reading an archive as hostile input: every member is checked against the manifest.

One pass, streaming: a member is handed out only if its name, type and size match
the manifest, and its last bytes only once its SHA-256 matches.  After the last
member the walk requires every manifest entry to have been seen and the zstd
frame to be complete with nothing after it.
"""

from __future__ import annotations

import contextlib
import tarfile
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass
from typing import BinaryIO, cast

from pydantic import BaseModel, ConfigDict

from publisher_restore.analyser.wording import counted
from publisher_restore.errors import HostileInputError, IntegrityError
from publisher_restore.restore.archive.limits import (
    DEFAULT_LIMITS,
    ArchiveLimits,
    check_member_path,
)
from publisher_restore.restore.archive.member import (
    MemberStream,
    ProgressCallback,
    decode_errors,
)
from publisher_restore.restore.archive.streams import DecompressedStream
from publisher_restore.restore.archive.tar_guard import (
    GuardedTarInfo,
    check_member_header,
    guarded_tarinfo,
)
from publisher_restore.restore.manifest import FileRecord
from publisher_restore.usync.folders import ITEM_SUFFIX, handler_folders_among
from publisher_restore.usync.models import ParseProblem
from publisher_restore.usync.sources import MemorySource, SourceFile, over_limit
from publisher_restore.usync.xmlsafe import MAX_ITEM_BYTES

TAR_BUFFER = 64 * 1024
_MISSING_SHOWN = 5


class VerifyReport(BaseModel):
    """What a complete, successful pass over an archive saw."""

    model_config = ConfigDict(frozen=True)

    file_count: int
    content_bytes: int
    archive_bytes: int
    archive_sha256: str


@dataclass(frozen=True)
class LeadingManifest:
    """An archive that carries its own manifest as its first member (``export``).

    ``read`` turns that member's bytes (at most ``max_bytes``) into the records the rest
    of the archive must match; it may raise to refuse the archive.
    """

    name: str
    max_bytes: int
    read: Callable[[bytes], Sequence[FileRecord]]


class VerifiedArchive:
    """One pass over an archive: iterate for (record, stream) pairs, then read ``report``."""

    def __init__(
        self,
        stream: BinaryIO,
        expected: Sequence[FileRecord],
        *,
        limits: ArchiveLimits = DEFAULT_LIMITS,
        progress: ProgressCallback | None = None,
        archive_sha256: str | None = None,
        leading: LeadingManifest | None = None,
    ) -> None:
        self._stream = stream
        self._archive_sha256 = archive_sha256
        self._expected = index_manifest(expected, limits)
        self._limits = limits
        self._progress = progress
        self._leading = leading
        self._seen: set[str] = set()
        self.report: VerifyReport | None = None

    def __iter__(self) -> Generator[tuple[FileRecord, MemberStream], None, None]:
        cap = self._limits.decompressed_cap(list(self._expected.values()))
        if self._leading is not None:
            cap += self._leading_allowance()
        layers = DecompressedStream(self._stream, cap, self._limits)
        try:
            yield from self._walk(layers)
        finally:
            layers.close()

    def _leading_allowance(self) -> int:
        assert self._leading is not None
        name = self._leading.name
        return self._leading.max_bytes + self._limits.member_allowance(name)

    def _read_leading(self, tar: tarfile.TarFile, layers: DecompressedStream) -> None:
        """The first member must be the manifest; its records are what the rest must match."""
        leading = self._leading
        assert leading is not None
        info = _next_member(tar)
        if info is None or info.name != leading.name:
            found = "nothing" if info is None else repr(info.name)
            raise HostileInputError(
                f"archive refused: its first member must be {leading.name!r}, not {found}"
            )
        check_member_header(info)
        if info.size > leading.max_bytes:
            raise HostileInputError(
                f"archive member {leading.name!r} of {info.size} bytes refused "
                f"(limit {leading.max_bytes})"
            )
        with decode_errors():
            source = tar.extractfile(info)
            assert source is not None
            data = source.read(info.size)
        if len(data) != info.size:
            raise IntegrityError(f"archive truncated or corrupt: {leading.name} is cut short")
        self._expected = index_manifest(leading.read(data), self._limits)
        if leading.name in self._expected:
            raise HostileInputError(f"manifest lists its own name {leading.name!r} as a file")
        cap = self._limits.decompressed_cap(list(self._expected.values()))
        layers.reader.cap = cap + self._leading_allowance()
        tar.members.clear()  # type: ignore[attr-defined]

    def _walk(
        self, layers: DecompressedStream
    ) -> Generator[tuple[FileRecord, MemberStream], None, None]:
        tarinfo = guarded_tarinfo(self._limits)
        with _open_tar(layers, tarinfo) as tar:
            if self._leading is not None:
                self._read_leading(tar, layers)
            while (info := _next_member(tar)) is not None:
                record = self._match(info)
                with decode_errors():
                    source = tar.extractfile(info)
                assert source is not None  # regular files always have content
                member = MemberStream(record, source, self._progress)
                yield record, member
                member.finish()
                # Stream mode needs no member history; dropping it keeps memory flat.
                tar.members.clear()  # type: ignore[attr-defined]
            self._require_all_seen()
            if not tarinfo.end_marker_seen:
                raise IntegrityError("archive truncated: the tar end-of-archive marker is missing")
            with decode_errors():
                layers.finish()
        self._require_archive_hash(layers.tap.hexdigest())
        self.report = VerifyReport(
            file_count=len(self._seen),
            content_bytes=sum(r.size for r in self._expected.values()),
            archive_bytes=layers.tap.bytes_read,
            archive_sha256=layers.tap.hexdigest(),
        )

    def _match(self, info: tarfile.TarInfo) -> FileRecord:
        check_member_header(info)
        path = check_member_path(info.name, self._limits)
        if path in self._seen:
            raise HostileInputError(f"archive member {path!r} refused: it appears twice")
        record = self._expected.get(path)
        if record is None:
            raise HostileInputError(f"archive member {path!r} refused: it is not in the manifest")
        if info.size != record.size:
            raise IntegrityError(
                f"{path}: archive member is {info.size} bytes, the manifest says {record.size}"
            )
        self._seen.add(path)
        return record

    def _require_archive_hash(self, actual: str) -> None:
        if self._archive_sha256 is not None and actual != self._archive_sha256:
            raise IntegrityError(
                "archive SHA-256 does not match the manifest (the archive file was altered)"
            )

    def _require_all_seen(self) -> None:
        missing = [p for p in self._expected if p not in self._seen]
        if missing:
            shown = ", ".join(missing[:_MISSING_SHOWN])
            extra = len(missing) - _MISSING_SHOWN
            more = f" and {extra} more" if extra > 0 else ""
            absent = counted(len(missing), "manifest file")
            raise IntegrityError(
                f"archive truncated or incomplete: {absent} missing ({shown}{more})"
            )


def _open_tar(layers: DecompressedStream, tarinfo: type[GuardedTarInfo]) -> tarfile.TarFile:
    try:
        with decode_errors():
            return tarfile.open(
                fileobj=cast(BinaryIO, layers.reader),  # tarfile only calls read()
                mode="r|",
                tarinfo=tarinfo,
                bufsize=TAR_BUFFER,
            )
    except IntegrityError as error:
        if isinstance(error.__cause__, tarfile.ReadError) and layers.reader.bytes_read == 0:
            # tarfile's own words, "empty file", would hide that the archive was cut short.
            raise IntegrityError(_no_tar_data(layers)) from None
        raise


def _no_tar_data(layers: DecompressedStream) -> str:
    """What is true of an archive that decompressed to nothing."""
    size = layers.tap.bytes_read
    if size == 0:
        return "archive truncated: the file is empty (0 bytes)"
    if not layers.tap.tracker.complete:
        unit = "byte" if size == 1 else "bytes"
        return (
            f"archive truncated: it ends after {size} {unit}, inside the compressed stream, "
            "before any file could be read"
        )
    return "archive truncated: its tar stream is empty (no file, no end-of-archive marker)"


def _next_member(tar: tarfile.TarFile) -> tarfile.TarInfo | None:
    with decode_errors():
        return tar.next()


def index_manifest(expected: Iterable[FileRecord], limits: ArchiveLimits) -> dict[str, FileRecord]:
    """The manifest's records by path; its paths must be safe and unique too."""
    index: dict[str, FileRecord] = {}
    for record in expected:
        check_member_path(record.path, limits)
        if record.path in index:
            raise IntegrityError(f"manifest lists {record.path!r} twice")
        index[record.path] = record
    _refuse_file_folder_clashes(index)
    return index


def _refuse_file_folder_clashes(paths: Iterable[str]) -> None:
    """No path may be a file and also a folder on the way to another path."""
    files = set(paths)
    for path in files:
        parts = path.split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder in files:
                raise HostileInputError(
                    f"manifest lists {folder!r} as a file and as a folder of {path!r}"
                )


def iter_verified_members(
    stream: BinaryIO,
    expected: Sequence[FileRecord],
    *,
    limits: ArchiveLimits = DEFAULT_LIMITS,
    progress: ProgressCallback | None = None,
    archive_sha256: str | None = None,
) -> Generator[tuple[FileRecord, MemberStream], None, None]:
    """Each member with a verifying stream; exhausting the iterator verifies the whole archive."""
    archive = VerifiedArchive(
        stream, expected, limits=limits, progress=progress, archive_sha256=archive_sha256
    )
    return archive.__iter__()


def verify_archive(
    stream: BinaryIO,
    expected: Sequence[FileRecord],
    *,
    limits: ArchiveLimits = DEFAULT_LIMITS,
    progress: ProgressCallback | None = None,
    archive_sha256: str | None = None,
) -> VerifyReport:
    """Read the whole archive, checking every member, without writing anything.

    With ``archive_sha256`` (the manifest's) the compressed bytes must match it too,
    which also catches the rare bit flip that zstd decodes to identical content.
    """
    archive = VerifiedArchive(
        stream, expected, limits=limits, progress=progress, archive_sha256=archive_sha256
    )
    for _record, member in archive:
        member.finish()
    assert archive.report is not None
    return archive.report


def read_member_bytes(
    stream: BinaryIO,
    expected: Sequence[FileRecord],
    wanted_paths: set[str],
    *,
    limits: ArchiveLimits = DEFAULT_LIMITS,
    max_bytes: int | None = MAX_ITEM_BYTES,
) -> dict[str, bytes]:
    """The verified content of the wanted manifest files; stops once all are read.

    Wanted paths that are not in the manifest are simply absent from the result, and so are
    members over ``max_bytes`` (None: no bound): they are never held in memory whole (their
    size is the manifest's, which the member's header must match), only streamed through
    their hash check.
    """
    remaining = {
        r.path
        for r in expected
        if r.path in wanted_paths and (max_bytes is None or r.size <= max_bytes)
    }
    found: dict[str, bytes] = {}
    if not remaining:
        return found
    members = iter_verified_members(stream, expected, limits=limits)
    with contextlib.closing(members):
        for record, member in members:
            if record.path in remaining:
                found[record.path] = member.read()
                remaining.discard(record.path)
            if not remaining:
                break
    return found


def read_item_files(
    stream: BinaryIO,
    expected: Sequence[FileRecord],
    usync_folder: str,
    *,
    limits: ArchiveLimits = DEFAULT_LIMITS,
) -> MemorySource:
    """A restore point's item files below ``usync_folder``, verified, as an item source.

    Every member is checked against the manifest; an item over the item size limit is a
    problem, streamed through its hash check but never held whole.
    """
    prefix = usync_folder.rstrip("/") + "/"
    items = [r for r in expected if r.path.startswith(prefix) and r.path.endswith(ITEM_SUFFIX)]
    too_big = {r.path for r in items if r.size > MAX_ITEM_BYTES}
    found = read_member_bytes(stream, expected, {r.path for r in items} - too_big, limits=limits)
    entries = [SourceFile(path, data) for path, data in found.items()]
    entries += [SourceFile(r.path, _too_big(r)) for r in items if r.path in too_big]
    names = [r.path for r in expected if r.path.startswith(prefix)]
    return MemorySource(tuple(entries), prefix, handler_folders_among(names, prefix))


def _too_big(record: FileRecord) -> ParseProblem:
    return ParseProblem(path=record.path, problem=over_limit(record.size))
