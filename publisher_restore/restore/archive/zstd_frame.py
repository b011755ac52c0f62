"""Follows the block structure of one zstd frame as its bytes stream past.

python-zstandard's stream reader ends quietly when its input ends mid-frame, so
a truncated archive would look complete.  This tracker walks the frame header
and block headers (never the block contents) so the reader can tell a finished
frame from a cut one, refuse a frame without a content checksum, refuse a
window larger than the limit before the decompressor allocates it, and refuse
bytes after the frame.
"""

from __future__ import annotations

from publisher_restore.errors import HostileInputError, IntegrityError

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_FCS_FIELD_SIZES = (0, 2, 4, 8)
_DICT_ID_SIZES = (0, 1, 2, 4)
_RLE_BLOCK = 1
_RESERVED_BLOCK = 3


class ZstdFrameTracker:
    """Incremental parser of one frame's layout; ``feed`` every compressed byte in order."""

    def __init__(self, max_window_size: int) -> None:
        self._max_window_size = max_window_size
        self._pending = bytearray()
        self._need = 5  # magic + frame header descriptor
        self._state = "magic"
        self._skip = 0
        self._descriptor = 0
        self.complete = False

    def feed(self, data: bytes) -> None:
        """Advance over ``data``; raises on a malformed, oversized or unchecked frame."""
        view = memoryview(data)
        while view:
            if self.complete:
                raise IntegrityError("archive corrupt: unexpected bytes after the zstd frame")
            if self._skip:
                step = min(self._skip, len(view))
                self._skip -= step
                view = view[step:]
                continue
            take = min(self._need - len(self._pending), len(view))
            self._pending += view[:take]
            view = view[take:]
            if len(self._pending) == self._need:
                field = bytes(self._pending)
                self._pending.clear()
                self._advance(field)

    def _advance(self, field: bytes) -> None:
        if self._state == "magic":
            self._read_magic(field)
        elif self._state == "header":
            self._read_header(field)
        elif self._state == "block":
            self._read_block_header(field)
        else:  # checksum
            self.complete = True

    def _read_magic(self, field: bytes) -> None:
        if field[:4] != ZSTD_MAGIC:
            raise IntegrityError("archive is not a zstd stream (bad magic number)")
        descriptor = field[4]
        if not descriptor & 0x04:
            raise HostileInputError("archive zstd frame has no content checksum: refused")
        if descriptor & 0x08:
            raise IntegrityError("archive zstd frame header has a reserved bit set")
        self._descriptor = descriptor
        single_segment = bool(descriptor & 0x20)
        fcs_size = _FCS_FIELD_SIZES[descriptor >> 6] or (1 if single_segment else 0)
        window_descriptor = 0 if single_segment else 1
        self._enter("header", window_descriptor + _DICT_ID_SIZES[descriptor & 0x03] + fcs_size)

    def _read_header(self, field: bytes) -> None:
        if self._descriptor & 0x03:
            raise HostileInputError("archive zstd frame needs a dictionary: refused")
        window = self._window_size(field)
        if window > self._max_window_size:
            raise HostileInputError(
                f"archive zstd frame asks for a {window}-byte window "
                f"(limit {self._max_window_size}): refused"
            )
        self._enter("block", 3)

    def _window_size(self, field: bytes) -> int:
        if self._descriptor & 0x20:  # single segment: the window is the content size
            value = int.from_bytes(field, "little")
            return value + 256 if len(field) == 2 else value
        exponent, mantissa = field[0] >> 3, field[0] & 0x07
        base = 1 << (10 + exponent)
        return base + (base // 8) * mantissa

    def _read_block_header(self, field: bytes) -> None:
        header = int.from_bytes(field, "little")
        last, block_type, size = header & 1, (header >> 1) & 3, header >> 3
        if block_type == _RESERVED_BLOCK:
            raise IntegrityError("archive zstd stream is corrupt (reserved block type)")
        self._skip = 1 if block_type == _RLE_BLOCK else size
        if last:
            self._enter("checksum", 4)

    def _enter(self, state: str, need: int) -> None:
        self._state = state
        self._need = need
