"""The steps every push, pull and import runs, recorded as they happen.

collect (on the source) -> prepare (on the target) -> decide -> restore-point -> write ->
record -> after-hooks.  Each step's outcome, detail and duration is a ``StepRecord``: the
CLI prints them as they finish and ``--json`` carries them all; a remote target sends its
own steps back with its result.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal, Protocol

from pydantic import BaseModel


class StepName(StrEnum):
    COLLECT = "collect"
    PREPARE = "prepare"
    DECIDE = "decide"
    RESTORE_POINT = "restore-point"
    WRITE = "write"
    RECORD = "record"
    AFTER_HOOKS = "after-hooks"


StepStatus = Literal["done", "skipped", "failed"]


class StepRecord(BaseModel):
    """One step: what it did, in words, and how long it took."""

    step: StepName
    status: StepStatus
    detail: str = ""
    seconds: float = 0.0
    where: Literal["source", "target"] = "target"


class StepListener(Protocol):
    """Told when each step finishes (the CLI prints a line)."""

    def step_finished(self, record: StepRecord) -> None: ...


@dataclass
class StepHandle:
    """What the body of a step sets: its detail, or that it was skipped."""

    detail: str = ""
    skipped: bool = False


@dataclass
class Steps:
    """The records of one operation's steps, told to a listener as they finish."""

    listener: StepListener | None = None
    records: list[StepRecord] = field(default_factory=list)

    @contextlib.contextmanager
    def run(self, step: StepName, *, where: str = "target") -> Iterator[StepHandle]:
        """Time the body; a failure is recorded with its message and raised again."""
        handle = StepHandle()
        start = time.perf_counter()
        try:
            yield handle
        except BaseException as error:
            self._add(step, "failed", str(error) or type(error).__name__, start, where)
            raise
        self._add(step, "skipped" if handle.skipped else "done", handle.detail, start, where)

    def skip(self, step: StepName, detail: str, *, where: str = "target") -> None:
        self._add(step, "skipped", detail, time.perf_counter(), where)

    def extend(self, records: list[StepRecord]) -> None:
        """Steps another process ran (a remote target), told to the listener in order."""
        for record in records:
            self._tell(record)

    def _add(
        self, step: StepName, status: StepStatus, detail: str, start: float, where: str
    ) -> None:
        seconds = round(time.perf_counter() - start, 3)
        side: Literal["source", "target"] = "source" if where == "source" else "target"
        self._tell(StepRecord(step=step, status=status, detail=detail, seconds=seconds, where=side))

    def _tell(self, record: StepRecord) -> None:
        self.records.append(record)
        if self.listener is not None:
            self.listener.step_finished(record)
