"""Small files read on every core: batches shared by the creating process and workers.

Reading, hashing, parsing (for the item identity) and compressing small files is CPU
work that Python's threads cannot share (the per-file work holds the GIL), so a create
with many files to read also runs worker processes (``pack_worker``), one per other
core (at most ``MAX_WORKERS``).  The creating process works through the same batches
whenever the next result it needs is not ready yet, so on a machine whose other cores
are busy it simply does the work itself, and a worker that starts late costs little.
Results are taken in batch order, at most ``AHEAD`` batches per worker ahead of the
consumer, so memory stays bounded whatever the site's size.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from typing import IO

from publisher_restore.errors import SiteError
from publisher_restore.restore.pack_worker import receive, send
from publisher_restore.restore.packing import PackedBatch, Packer, SmallFile

MAX_WORKERS = 3
AHEAD = 3
"""Batches a worker may finish before the consumer takes them."""
IN_PROCESS_BELOW = 1500
"""Fewer files than this are read by the creating process alone (a worker costs ~0.2 s)."""


class IdleCores:
    """How many cores sat idle since it was made (Linux ``/proc/stat``; elsewhere: all but one).

    A worker on a core another program keeps busy only takes time from the creating
    process, so workers are started for cores that were actually idle a moment ago.
    """

    def __init__(self) -> None:
        self._start = _cpu_times()

    def since(self) -> float:
        cores = _cores()
        start, end = self._start, _cpu_times()
        if start is None or end is None or end[1] <= start[1]:
            return float(cores - 1)
        idle, total = end[0] - start[0], end[1] - start[1]
        return cores * idle / total


def worker_count(files: int, idle: IdleCores | None = None) -> int:
    """How many worker processes help read ``files`` files (0: the creating process alone)."""
    if files < IN_PROCESS_BELOW or not sys.executable:
        return 0
    spare = float(_cores() - 1) if idle is None else idle.since()
    return max(0, min(int(spare + 0.4), _cores() - 1, MAX_WORKERS))


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _cpu_times() -> tuple[int, int] | None:
    """(idle, total) jiffies of all cores, or None where ``/proc/stat`` is not there."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [int(value) for value in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    return fields[3] + fields[4], sum(fields[:8])


def pack_batches(
    batches: Sequence[Sequence[SmallFile]], packer: Packer, workers: int
) -> Iterator[PackedBatch]:
    """Each batch read and packed, in order."""
    if workers == 0:
        for batch in batches:
            yield packer.pack(batch)
        return
    pool = _Pool(batches, packer, workers)
    try:
        yield from pool.results()
    finally:
        pool.close()


class _Pool:
    """Worker processes with a feeding thread each; the consumer helps when it would wait."""

    def __init__(self, batches: Sequence[Sequence[SmallFile]], packer: Packer, workers: int):
        self._batches = batches
        self._packer = packer
        self._processes = [_start() for _ in range(workers)]
        self._done: dict[int, PackedBatch | str] = {}
        self._ready = threading.Condition()
        self._next = 0
        self._taken = 0
        self._closed = False
        self._failed: BaseException | None = None
        self._feeders = [
            threading.Thread(target=self._feed, args=(process,), daemon=True)
            for process in self._processes
        ]
        for feeder in self._feeders:
            feeder.start()

    def results(self) -> Iterator[PackedBatch]:
        for number in range(len(self._batches)):
            yield self._take(number)

    def close(self) -> None:
        with self._ready:
            self._closed = True
            self._ready.notify_all()
        for process in self._processes:
            _stop(process)

    def _take(self, number: int) -> PackedBatch:
        while True:
            with self._ready:
                found = self._done.pop(number, None)
                if found is None and self._failed is not None:
                    raise SiteError(f"a worker process of create failed: {self._failed}")
                mine = self._claim(for_worker=False) if found is None else None
                if found is None and mine is None:
                    self._ready.wait(timeout=1.0)
                    continue
                if found is not None:
                    self._taken = number + 1
                    self._ready.notify_all()
            if mine is not None:
                self._store(mine, self._pack(mine))
                continue
            if isinstance(found, str):
                raise SiteError(found)
            assert found is not None
            return found

    def _pack(self, number: int) -> PackedBatch | str:
        try:
            return self._packer.pack(self._batches[number])
        except SiteError as error:
            return str(error)

    def _store(self, number: int, result: PackedBatch | str) -> None:
        with self._ready:
            self._done[number] = result
            self._ready.notify_all()

    def _feed(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdin is not None and process.stdout is not None
        try:
            send(process.stdin, {"known": self._packer.known, "level": self._packer.level})
            while True:
                with self._ready:
                    number = self._claim(for_worker=True)
                    while number is None and not self._exhausted():
                        self._ready.wait(timeout=1.0)
                        number = self._claim(for_worker=True)
                if number is None:
                    return
                send(process.stdin, (number, list(self._batches[number])))
                answer = receive(process.stdout)
                if answer is None:
                    raise RuntimeError(f"worker {process.pid} ended unexpectedly")
                _number, batch, error = answer
                self._store(number, error if batch is None else batch)
        except (OSError, RuntimeError) as error:
            with self._ready:
                if not self._closed:
                    self._failed = error
                self._ready.notify_all()

    def _exhausted(self) -> bool:
        return self._closed or self._failed is not None or self._next >= len(self._batches)

    def _claim(self, *, for_worker: bool) -> int | None:
        """The next batch to work on (called with the condition held); None: not now."""
        if self._exhausted():
            return None
        if for_worker and self._next - self._taken >= AHEAD * len(self._processes):
            return None
        number, self._next = self._next, self._next + 1
        return number


def _start() -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "publisher_restore.restore.pack_worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        close_fds=True,
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    for stream in (process.stdin, process.stdout):
        _close(stream)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _close(stream: IO[bytes] | None) -> None:
    if stream is not None:
        with contextlib.suppress(OSError):
            stream.close()
