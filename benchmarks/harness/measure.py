"""Run one command in a child process and measure it: wall time, CPU time, peak RSS."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from pydantic import BaseModel, computed_field

MB = 1_000_000
GNU_TIME = shutil.which("time") or "/usr/bin/time"


class CommandFailed(RuntimeError):
    """A measured command exited with a status the scenario did not expect."""


class Sample(BaseModel):
    """One run of one command."""

    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    bytes_added: int | None = None


class Measurement(BaseModel):
    """Repeated runs of one operation by one tool; medians of time and bytes, maximum of memory."""

    operation: str
    tool: str
    command: str
    samples: list[Sample]
    notes: dict[str, object] = {}

    @computed_field  # type: ignore[prop-decorator]
    @property
    def wall_s(self) -> float:
        return round(statistics.median(s.wall_s for s in self.samples), 3)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def cpu_s(self) -> float:
        return round(statistics.median(s.cpu_s for s in self.samples), 3)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def peak_rss_mb(self) -> float:
        return max(s.peak_rss_mb for s in self.samples)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def bytes_added(self) -> int | None:
        added = [s.bytes_added for s in self.samples if s.bytes_added is not None]
        return int(statistics.median(added)) if added else None


def run(
    command: list[str],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    ok: tuple[int, ...] = (0,),
) -> tuple[Sample, str]:
    """Run ``command`` to the end under GNU time, which reports the child's own rusage.

    Not ``os.wait4`` on a child of this process: a child forked (or vforked) from Python
    starts with Python's memory mapped, and Linux carries that high-water mark into the
    child's ``ru_maxrss`` across ``exec``, so every tool would look at least as big as the
    harness.  GNU time is a small C program, so its child starts at about 1 MB.  Its
    ``ru_maxrss`` covers the child and the descendants it waited for (``tar`` and its ``zstd``).
    Output goes to temporary files (not pipes), so a chatty child never blocks.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        with tempfile.NamedTemporaryFile(mode="r", suffix=".time") as usage:
            timed = [GNU_TIME, "-f", "%U %S %M", "-o", usage.name, "--", *command]
            started = time.perf_counter()
            done = subprocess.run(
                timed,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                check=False,
            )
            wall = time.perf_counter() - started
            report = usage.read().strip().splitlines()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if done.returncode not in ok:
        tail = (stderr.strip() or stdout.strip())[-2000:]
        raise CommandFailed(f"{' '.join(command)} exited with {done.returncode}: {tail}")
    user, system, max_rss_kib = report[-1].split()
    sample = Sample(
        wall_s=round(wall, 3),
        cpu_s=round(float(user) + float(system), 3),
        peak_rss_mb=round(int(max_rss_kib) * 1024 / MB, 1),
    )
    return sample, stdout


def tree_bytes(path: Path) -> int:
    """Apparent size of every file below ``path`` (0 when it does not exist)."""
    if path.is_file():
        return path.stat().st_size
    total = 0
    for folder, _, files in os.walk(path):
        total += sum(os.lstat(os.path.join(folder, name)).st_size for name in files)
    return total
