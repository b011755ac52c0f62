"""How commands talk: JSON for machines, short lines and progress bars for people."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.progress import Progress as RichBar

from publisher_restore.progress import Progress, SilentProgress

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")


def emit_json(data: Any) -> None:
    """Print one JSON document on stdout."""
    click.echo(json.dumps(data, indent=2, default=str, ensure_ascii=False))


def on_terminal() -> bool:
    return sys.stdin.isatty() and sys.stderr.isatty()


def progress_for(as_json: bool) -> Progress:
    """Bars on a terminal; silence under --json or without one."""
    if as_json or not sys.stderr.isatty():
        return SilentProgress()
    return BarProgress()


class BarProgress:
    """Rich progress bars on stderr: files done of all, and bytes, per phase."""

    def __init__(self) -> None:
        self._bar: RichBar | None = None
        self._task: TaskID | None = None
        self._files = 0
        self._total_files = 0

    def begin(self, phase: str, *, files: int, total_bytes: int) -> None:
        self.end()
        columns = [TextColumn(f"{phase:>8}"), BarColumn(), TextColumn("{task.fields[files]}")]
        if total_bytes:
            columns += [DownloadColumn(), TransferSpeedColumn()]
        self._bar = RichBar(
            *columns, TimeRemainingColumn(), console=Console(stderr=True), transient=True
        )
        self._bar.start()
        self._files, self._total_files = 0, files
        self._counts_bytes = bool(total_bytes)
        label = f"{files} files" if files else ""
        self._task = self._bar.add_task(phase, total=total_bytes or files or None, files=label)

    def advance(self, *, files: int = 0, nbytes: int = 0) -> None:
        if self._bar is None or self._task is None:
            return
        self._files += files
        # Byte-counted phases (archive, verify) report no per-file steps: show the total.
        done = f"{self._files}/" if self._files else ""
        label = f"{done}{self._total_files} files" if self._total_files else ""
        self._bar.update(self._task, advance=nbytes if self._counts_bytes else files, files=label)

    def end(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"
