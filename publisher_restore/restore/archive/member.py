"""One archive member's content as a stream that verifies itself against the manifest."""

from __future__ import annotations

import contextlib
import hashlib
import tarfile
from collections.abc import Callable, Iterator
from typing import IO

import zstandard

from publisher_restore.errors import IntegrityError
from publisher_restore.restore.archive.streams import corrupt
from publisher_restore.restore.manifest import FileRecord

ProgressCallback = Callable[[int], None]
MEMBER_CHUNK = 1024 * 1024
# tarfile's pax and sparse-map parsing fails with plain ValueError etc. on crafted input.
_DECODING_ERRORS = (
    tarfile.TarError,
    zstandard.ZstdError,
    EOFError,
    ValueError,
    IndexError,
    KeyError,
    OverflowError,
)


@contextlib.contextmanager
def decode_errors() -> Iterator[None]:
    """Turn tar and zstd decoding failures into IntegrityError."""
    try:
        yield
    except _DECODING_ERRORS as error:
        raise corrupt(error) from error


class MemberStream:
    """A member's content; the read that completes it raises if its SHA-256 differs."""

    def __init__(
        self, record: FileRecord, source: IO[bytes], progress: ProgressCallback | None
    ) -> None:
        self.record = record
        self._source = source
        self._progress = progress
        self._sha256 = hashlib.sha256()
        self._done = 0
        self._verified = False

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes (all that remain when negative)."""
        remaining = self.record.size - self._done
        wanted = remaining if size < 0 else min(size, remaining)
        if wanted == 0:
            if size != 0:
                self._verify()
            return b""
        with decode_errors():
            data = self._source.read(wanted)
        if len(data) != wanted:
            raise IntegrityError(f"archive truncated or corrupt: {self.record.path} is cut short")
        self._sha256.update(data)
        self._done += wanted
        if self._progress:
            self._progress(wanted)
        if self._done == self.record.size:
            self._verify()
        return data

    def finish(self) -> None:
        """Read and verify whatever the consumer left unread."""
        while self.read(MEMBER_CHUNK):
            pass
        self._verify()

    def _verify(self) -> None:
        if self._verified:
            return
        if self._sha256.hexdigest() != self.record.sha256:
            raise IntegrityError(
                f"{self.record.path}: content does not match the manifest's SHA-256 "
                "(the archive is damaged or was altered)"
            )
        self._verified = True
