"""The guarded layers under the tar reader: compressed input, decompressor, output cap.

``open_decompressed`` stacks them: the caller's stream, a ``SourceTap`` that
hashes and counts the compressed bytes and feeds the frame tracker, the zstd
reader with a capped window, and a ``CappedReader`` that refuses to hand out
more decompressed bytes than an honest archive of the manifest can hold.
"""

from __future__ import annotations

import hashlib
from typing import IO, BinaryIO, Protocol, cast

import zstandard

from publisher_restore.errors import HostileInputError, IntegrityError
from publisher_restore.restore.archive.limits import ArchiveLimits
from publisher_restore.restore.archive.zstd_frame import ZstdFrameTracker

COMPRESSED_READ_SIZE = 128 * 1024


class Readable(Protocol):
    """Anything with ``read(size)``."""

    def read(self, size: int = -1, /) -> bytes: ...


class SourceTap:
    """Passes compressed bytes through while hashing, counting and tracking the frame."""

    def __init__(self, source: BinaryIO, tracker: ZstdFrameTracker) -> None:
        self._source = source
        self._sha256 = hashlib.sha256()
        self.tracker = tracker
        self.bytes_read = 0

    def read(self, size: int = -1, /) -> bytes:
        """Read from the source, observing every byte."""
        data = self._source.read(size)
        self._sha256.update(data)
        self.bytes_read += len(data)
        self.tracker.feed(data)
        return data

    def hexdigest(self) -> str:
        """SHA-256 of the compressed bytes read so far."""
        return self._sha256.hexdigest()


class CappedReader:
    """Counts decompressed bytes and refuses to go past the cap (a decompression bomb)."""

    def __init__(self, inner: Readable, cap: int) -> None:
        self._inner = inner
        self.cap = cap
        self.bytes_read = 0

    def read(self, size: int = -1, /) -> bytes:
        """Read at most ``size`` bytes, never more than one byte past the cap in total."""
        # One byte past the cap proves the overflow; a negative size reads one chunk.
        wanted = COMPRESSED_READ_SIZE if size < 0 else size
        size = min(wanted, self.cap - self.bytes_read + 1)
        data = self._inner.read(size) if size > 0 else b""
        self.bytes_read += len(data)
        if self.bytes_read > self.cap:
            raise HostileInputError(
                f"archive decompresses to more than {self.cap} bytes, the most its "
                "manifest allows: refused as a decompression bomb"
            )
        return data


class DecompressedStream:
    """The tapped source, its decompressor and the cap, with the end-of-stream checks."""

    def __init__(self, source: BinaryIO, cap: int, limits: ArchiveLimits) -> None:
        tracker = ZstdFrameTracker(limits.max_window_size)
        self.tap = SourceTap(source, tracker)
        decompressor = zstandard.ZstdDecompressor(max_window_size=limits.max_window_size)
        self._zstd = decompressor.stream_reader(
            cast(IO[bytes], self.tap),
            read_size=COMPRESSED_READ_SIZE,
            read_across_frames=False,
            closefd=False,
        )
        self.reader = CappedReader(self._zstd, cap)

    def finish(self) -> None:
        """Drain both layers and require one complete frame with nothing after it."""
        while self.reader.read(COMPRESSED_READ_SIZE):
            pass
        if not self.tap.tracker.complete:
            raise IntegrityError("archive truncated or corrupt: the zstd frame is incomplete")
        self.tap.read(COMPRESSED_READ_SIZE)  # the tracker refuses any byte after the frame

    def close(self) -> None:
        """Release the decompressor (the caller's stream stays open)."""
        self._zstd.close()  # type: ignore[no-untyped-call]


def corrupt(error: BaseException) -> IntegrityError:
    """The error for a stream that zstd or tar could not decode."""
    return IntegrityError(f"archive truncated or corrupt: {error}")
