"""Progress reporting as a small interface; the CLI shows bars, everything else stays quiet."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Receives the size of a phase up front, then what has been done."""

    def begin(self, phase: str, *, files: int, total_bytes: int) -> None: ...

    def advance(self, *, files: int = 0, nbytes: int = 0) -> None: ...

    def end(self) -> None: ...


class SilentProgress:
    """Reports nothing: for ``--json``, no terminal, services and tests."""

    def begin(self, phase: str, *, files: int, total_bytes: int) -> None:
        return None

    def advance(self, *, files: int = 0, nbytes: int = 0) -> None:
        return None

    def end(self) -> None:
        return None
