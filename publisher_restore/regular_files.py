"""Opening a site file to read it: a regular file only, never through a symbolic link.

Creating a restore point, writing a pack and reading item files all open files chosen
by walking a folder someone else controls, so one rule applies everywhere: ``O_NOFOLLOW``
(a link is refused, not followed), ``O_NONBLOCK`` (opening a FIFO must not hang; it is
refused right after, by ``fstat``), and nothing but a regular file is read.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def open_regular(
    abs_path: str | Path, name: str, *, error: type[Exception], done: str
) -> tuple[int, os.stat_result]:
    """A descriptor of the regular file at ``abs_path`` and its status.

    Otherwise ``error`` naming ``name`` and why; ``done`` completes its sentences
    ("archived", "packed", "stored").
    """
    try:
        fd = os.open(abs_path, OPEN_FLAGS)
    except FileNotFoundError:
        raise error(f"{name}: vanished before it was {done}; retry") from None
    except OSError as failure:
        if failure.errno == errno.ELOOP:
            raise error(f"{name}: is a symbolic link; links are never {done}") from None
        raise error(f"{name}: cannot be read ({failure.strerror})") from None
    status = os.fstat(fd)
    if not stat.S_ISREG(status.st_mode):
        os.close(fd)
        raise error(f"{name}: not a regular file; only regular files are {done}")
    return fd, status


@contextlib.contextmanager
def opened_regular(
    abs_path: str | Path, name: str, *, error: type[Exception], done: str
) -> Iterator[tuple[BinaryIO, os.stat_result]]:
    """``open_regular`` as a binary stream that is closed on leaving."""
    fd, status = open_regular(abs_path, name, error=error, done=done)
    with os.fdopen(fd, "rb") as stream:
        yield stream, status
