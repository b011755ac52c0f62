"""A worker process of ``create``: reads, hashes, identifies and packs batches of small files.

Run by ``pack_pool`` as ``python -m publisher_restore.restore.pack_worker``; it talks
over its stdin and stdout only (length-prefixed pickles between two processes of the
same program), touches no storage and imports only what reading files needs, so it is
ready before the creating process has finished walking the site.  It ends when its
input ends, so it never outlives the process that started it by more than one batch.
"""

from __future__ import annotations

import contextlib
import pickle
import struct
import sys
from typing import IO, Any

from publisher_restore.errors import PublisherRestoreError
from publisher_restore.restore.packing import Packer

_LENGTH = struct.Struct("<Q")


def send(stream: IO[bytes], message: Any) -> None:
    """Write one message."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)))
    stream.write(data)
    stream.flush()


def receive(stream: IO[bytes]) -> Any:
    """Read one message; None at the end of the stream."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (size,) = _LENGTH.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)


def serve(source: IO[bytes], sink: IO[bytes]) -> None:
    """Answer batches until the input ends."""
    settings = receive(source)
    if settings is None:
        return
    packer = Packer(known=settings["known"], level=settings["level"])
    from publisher_restore.restore import identity  # noqa: F401 - import while the parent walks

    while (task := receive(source)) is not None:
        number, files = task
        try:
            send(sink, (number, packer.pack(files), None))
        except PublisherRestoreError as error:
            send(sink, (number, None, str(error)))


def main() -> None:
    # BrokenPipeError: the creating process went away, so do we.
    with contextlib.suppress(BrokenPipeError, KeyboardInterrupt):
        serve(sys.stdin.buffer, sys.stdout.buffer)


if __name__ == "__main__":
    main()
