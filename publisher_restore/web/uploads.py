"""A request body streamed to a file, refused once it is larger than allowed.

The dashboard's pack upload sends the file as the raw body (the page's script streams
the person's file; no multipart parsing, nothing held in memory).  A declared
``Content-Length`` over the limit is refused before a byte is read; a body that grows
past it is cut off there; either way the partial file is removed.
"""

from __future__ import annotations

import contextlib
import unicodedata
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import unquote

from starlette.requests import ClientDisconnect, Request

from publisher_restore.errors import PublisherRestoreError
from publisher_restore.publisher.settings import MIB

MAX_NAME = 200


class UploadRefused(PublisherRestoreError):
    """The upload is not a body that can be kept (too large, empty, cut off)."""

    exit_code = 2

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


async def receive_to_file(request: Request, dest: Path, max_bytes: int) -> int:
    """Write the request body to ``dest`` (created new); returns its size in bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise too_large(int(declared), max_bytes)
    size = 0
    try:
        with dest.open("xb") as out:
            async for chunk in request.stream():
                size += len(chunk)
                if size > max_bytes:
                    raise too_large(size, max_bytes)
                out.write(chunk)
    except ClientDisconnect:
        dest.unlink(missing_ok=True)
        raise UploadRefused("The upload was cut off before it finished.", 400) from None
    except BaseException:
        with contextlib.suppress(OSError):
            dest.unlink(missing_ok=True)
        raise
    if size == 0:
        dest.unlink(missing_ok=True)
        raise UploadRefused("The file is empty: choose a .usync sync pack.", 400)
    return size


def too_large(size: int, max_bytes: int) -> UploadRefused:
    return UploadRefused(
        f"The file is larger than this site accepts ({max_bytes // MIB} MiB, "
        "uSync:Restore:Publisher:MaxBodyMiB); nothing was kept. Make a smaller pack "
        "(pack export --item ...) or raise MaxBodyMiB.",
        413,
    )


def file_name(header: str | None) -> str:
    """The uploaded file's own name, for display only (never a path on this server)."""
    text = unquote(header or "")
    name = PureWindowsPath(PurePosixPath(text).name).name
    shown = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    return shown[:MAX_NAME] or "pack.usync"
