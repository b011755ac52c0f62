"""How commands talk: JSON for machines, short lines and progress bars for people.

Sizes are decimal everywhere, in lines and in the bars alike: 1 kB = 1000 bytes,
1 MB = 1000 kB, 1 GB = 1000 MB (as disks and Azure bill them), rendered by rich's
``filesize.decimal`` so a line and a bar never disagree.
"""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import click
from rich import filesize
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    ProgressColumn,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.progress import Progress as RichBar

from publisher_restore.config.redact import redact_text
from publisher_restore.progress import Progress, SilentProgress
from publisher_restore.storage.base import LockWait

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")

_running_bars: list[RichBar] = []


def emit_json(data: Any) -> None:
    """Print one JSON document on stdout."""
    click.echo(json.dumps(data, indent=2, default=str, ensure_ascii=False))


def on_terminal() -> bool:
    return sys.stdin.isatty() and sys.stderr.isatty()


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """``1 file``, ``2 files``, ``0 files``; irregular nouns pass their plural form."""
    word = noun if count == 1 else plural_form or f"{noun}s"
    return f"{count} {word}"


def human_size(size: int) -> str:
    """A byte count in decimal units: ``1.9 GB`` for 1,891,660,208 bytes, as the bars show it."""
    return filesize.decimal(size)


def warn(message: str) -> None:
    """One ``warning:`` line on stderr, secrets masked."""
    click.echo(f"warning: {one_line(message)}", err=True)


def say_waiting(wait: LockWait) -> None:
    """One line on stderr (also under --json): whom a command waits for, and for how long."""
    stop_progress()
    holder = wait.holder.describe() if wait.holder else "another process"
    ahead = f"; {plural(wait.ahead, 'other')} waiting before this one" if wait.ahead else ""
    click.echo(
        one_line(
            f"waiting for the lock held by {holder}{ahead}; gives up if one holder keeps it "
            f"for {wait.timeout:g} s"
        ),
        err=True,
    )


def fail(message: str, exit_code: int, *, prefix: str = "error: ") -> NoReturn:
    """End the process with one ``error:`` line on stderr (secrets masked) and ``exit_code``."""
    stop_progress()
    click.echo(f"{prefix}{one_line(message)}", err=True)
    sys.exit(exit_code)


def one_line(message: str) -> str:
    """The message on one line, with every secret masked (the one rule in config.redact)."""
    return " ".join(redact_text(message).split())


def progress_for(as_json: bool) -> Progress:
    """Bars on a terminal; silence under --json or without one."""
    if as_json or not sys.stderr.isatty():
        return SilentProgress()
    return BarProgress()


def stop_progress() -> None:
    """Take every running bar off the screen, so a message after it starts on its own line."""
    while _running_bars:
        _running_bars.pop().stop()


def bar_columns(phase: str, total_bytes: int) -> list[ProgressColumn]:
    """The columns of a phase's bar: name, bar, files, and bytes (decimal units) when counted."""
    columns: list[ProgressColumn] = [
        TextColumn(f"{phase:>8}"),
        BarColumn(),
        TextColumn("{task.fields[files]}"),
    ]
    if total_bytes:
        columns += [DownloadColumn(binary_units=False), TransferSpeedColumn()]
    return [*columns, TimeRemainingColumn()]


class BarProgress:
    """Rich progress bars on stderr: files done of all, and bytes, per phase."""

    def __init__(self) -> None:
        self._bar: RichBar | None = None
        self._task: TaskID | None = None
        self._files = 0
        self._total_files = 0

    def begin(self, phase: str, *, files: int, total_bytes: int) -> None:
        self.end()
        self._bar = RichBar(
            *bar_columns(phase, total_bytes), console=Console(stderr=True), transient=True
        )
        self._bar.start()
        _running_bars.append(self._bar)
        self._files, self._total_files = 0, files
        self._counts_bytes = bool(total_bytes)
        label = plural(files, "file") if files else ""
        self._task = self._bar.add_task(phase, total=total_bytes or files or None, files=label)

    def advance(self, *, files: int = 0, nbytes: int = 0) -> None:
        if self._bar is None or self._task is None:
            return
        self._files += files
        # Byte-counted phases (archive, verify) report no per-file steps: show the total.
        label = plural(self._total_files, "file") if self._total_files else ""
        if self._files and self._total_files:
            label = f"{self._files}/{label}"
        self._bar.update(self._task, advance=nbytes if self._counts_bytes else files, files=label)

    def end(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            if self._bar in _running_bars:
                _running_bars.remove(self._bar)
            self._bar = None
