"""A blob's bytes as a ``BinaryIO``, fetched chunk by chunk while it is read.

The SDK pins every chunk request to the ETag of the first answer, so a blob
replaced mid-read fails the read instead of mixing two versions; the
restore-point layer then checks every file's hash against the manifest.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, BinaryIO

from azure.core.exceptions import AzureError

from publisher_restore.errors import StorageError

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

READ_BUFFER = 1024 * 1024


class _ChunkReader(io.RawIOBase):
    """Raw reads served from an iterator of chunks, with SDK errors translated."""

    def __init__(
        self, chunks: Iterator[bytes], translate: Callable[[AzureError], StorageError]
    ) -> None:
        super().__init__()
        self._chunks = chunks
        self._translate = translate
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        target = memoryview(buffer).cast("B")
        while not self._pending:
            chunk = self._next_chunk()
            if chunk is None:
                return 0
            self._pending = memoryview(chunk)
        size = min(len(target), len(self._pending))
        target[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def close(self) -> None:
        self._chunks = iter(())
        self._pending = memoryview(b"")
        super().close()

    def _next_chunk(self) -> bytes | None:
        try:
            return next(self._chunks, None)
        except AzureError as error:
            raise self._translate(error) from None


def chunk_stream(
    chunks: Iterator[bytes], translate: Callable[[AzureError], StorageError]
) -> BinaryIO:
    """A buffered binary stream over ``chunks``; SDK errors become ``StorageError``."""
    return io.BufferedReader(_ChunkReader(chunks, translate), buffer_size=READ_BUFFER)
