"""Streaming uploads: blocks staged in parallel, the block list committed last.

Staged blocks are invisible until ``Put Block List`` commits them, so a
reader sees either no blob (or the previous one) or the whole new blob; Azure
discards uncommitted blocks on its own (after about a week).  At most
``concurrency`` blocks are read ahead, so memory stays at
``concurrency * block_size`` whatever the file's size.
"""

from __future__ import annotations

import base64
import uuid
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, BinaryIO

from azure.core import MatchConditions
from azure.storage.blob import BlobBlock, BlobClient

from publisher_restore.storage.base import ProgressCallback

PROGRESS_STEP = 1024 * 1024


def no_overwrite_conditions(overwrite: bool) -> dict[str, Any]:
    """Request conditions for a write: ``If-None-Match: *`` unless overwriting."""
    if overwrite:
        return {}
    # The SDK turns IfMissing into If-None-Match: * (no etag argument: it would leak through).
    return {"match_condition": MatchConditions.IfMissing}


def upload_in_blocks(
    blob: BlobClient,
    stream: BinaryIO,
    *,
    overwrite: bool,
    block_size: int,
    concurrency: int,
    progress: ProgressCallback | None,
) -> None:
    """Stage ``stream`` as blocks (``concurrency`` at a time), then commit them in order."""
    blocks = _stage_all(blob, stream, block_size, concurrency, progress)
    blob.commit_block_list(blocks, **no_overwrite_conditions(overwrite))


def _stage_all(
    blob: BlobClient,
    stream: BinaryIO,
    block_size: int,
    concurrency: int,
    progress: ProgressCallback | None,
) -> list[BlobBlock]:
    upload_id = uuid.uuid4().hex
    blocks: list[BlobBlock] = []
    in_flight: deque[Future[int]] = deque()
    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="azure-stage")
    try:
        while data := _read_block(stream, block_size):
            block_id = _block_id(upload_id, len(blocks))
            in_flight.append(pool.submit(_stage, blob, block_id, data))
            blocks.append(BlobBlock(block_id=block_id))
            while len(in_flight) >= concurrency:
                _report(in_flight.popleft().result(), progress)
        while in_flight:
            _report(in_flight.popleft().result(), progress)
    finally:
        # On failure, drop queued blocks; the few in flight finish or fail on their own.
        pool.shutdown(wait=True, cancel_futures=True)
    return blocks


def _stage(blob: BlobClient, block_id: str, data: bytes) -> int:
    blob.stage_block(block_id, data, length=len(data))
    return len(data)


def _report(size: int, progress: ProgressCallback | None) -> None:
    """Report a staged block in steps of at most ``PROGRESS_STEP`` bytes, as a bar wants them.

    Runs on the caller's thread, so an exception from ``progress`` propagates unchanged.
    """
    if progress is None:
        return
    for start in range(0, size, PROGRESS_STEP):
        progress(min(PROGRESS_STEP, size - start))


def _read_block(stream: BinaryIO, size: int) -> bytes:
    """Up to ``size`` bytes; shorter only at the end of the stream."""
    parts: list[bytes] = []
    wanted = size
    while wanted > 0:
        part = stream.read(wanted)
        if not part:
            break
        parts.append(part)
        wanted -= len(part)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _block_id(upload_id: str, index: int) -> str:
    # Every block id of one blob must have the same length; a fresh upload id per
    # upload keeps a retried or concurrent upload from reusing another's blocks.
    return base64.b64encode(f"{upload_id}-{index:08d}".encode("ascii")).decode("ascii")
