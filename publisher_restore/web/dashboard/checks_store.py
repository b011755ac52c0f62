"""Checked work kept in this process while a person reads it: restore and undo checks, packs.

A check is a view of a prepared operation, not a decision another process waits for
(those go to the operations' pending-plan store), so it stays in memory: an hour at
most, the newest ``MAX_CHECKS``.  Its plan token still guards what executes.  A store
may be told what to do with an entry it forgets (an uploaded pack's file is deleted).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Generic, TypeVar

from publisher_restore.operations.restore import PreparedRestore
from publisher_restore.operations.undo_plan import PreparedUndo

KEEP = timedelta(hours=1)
MAX_CHECKS = 20

T = TypeVar("T")


@dataclass(frozen=True)
class KeptEntry(Generic[T]):
    """One kept value and when it was kept."""

    id: str
    prepared: T
    created: datetime = field(default_factory=lambda: datetime.now(UTC))


class KeptStore(Generic[T]):
    """Kept values by random id; ``forget`` runs for each one dropped or discarded."""

    def __init__(self, forget: Callable[[T], None] | None = None) -> None:
        self._entries: dict[str, KeptEntry[T]] = {}
        self._guard = threading.Lock()
        self._forget = forget

    def add(self, prepared: T) -> KeptEntry[T]:
        entry = KeptEntry(secrets.token_hex(8), prepared)
        with self._guard:
            dropped = self._forget_old()
            self._entries[entry.id] = entry
        self._let_go(dropped)
        return entry

    def get(self, check_id: str) -> KeptEntry[T] | None:
        with self._guard:
            dropped = self._forget_old()
            found = self._entries.get(check_id)
        self._let_go(dropped)
        return found

    def replace(self, check_id: str, prepared: T) -> KeptEntry[T] | None:
        """Keep a new value under an existing id (a plan made again); None when it is gone."""
        with self._guard:
            old = self._entries.get(check_id)
            if old is None:
                return None
            entry = KeptEntry(check_id, prepared, old.created)
            self._entries[check_id] = entry
        return entry

    def discard(self, check_id: str) -> None:
        with self._guard:
            entry = self._entries.pop(check_id, None)
        self._let_go([entry] if entry is not None else [])

    def entries(self) -> list[KeptEntry[T]]:
        """What is kept now, newest first."""
        with self._guard:
            dropped = self._forget_old()
            found = sorted(self._entries.values(), key=lambda e: e.created, reverse=True)
        self._let_go(dropped)
        return found

    def clear(self) -> None:
        with self._guard:
            dropped, self._entries = list(self._entries.values()), {}
        self._let_go(dropped)

    def _forget_old(self) -> list[KeptEntry[T]]:
        horizon = datetime.now(UTC) - KEEP
        dropped = [e for e in self._entries.values() if e.created < horizon]
        for entry in dropped:
            del self._entries[entry.id]
        while len(self._entries) > MAX_CHECKS:
            dropped.append(self._entries.pop(next(iter(self._entries))))
        return dropped

    def _let_go(self, dropped: list[KeptEntry[T]]) -> None:
        if self._forget is not None:
            for entry in dropped:
                self._forget(entry.prepared)


CheckEntry = KeptEntry[PreparedRestore]


class CheckStore(KeptStore[PreparedRestore]):
    """Checked restores by id."""


@dataclass(frozen=True)
class UndoCheck:
    """A checked undo: as it runs by default, and forced (when some conflicts can be).

    Ticking a conflict in the page runs the forced undo, narrowed to what is ticked, so
    what executes is what the page showed.
    """

    operation_id: str
    prepared: PreparedUndo
    forced: PreparedUndo | None

    @property
    def forceable(self) -> set[str]:
        return set(self.forced.forced) if self.forced is not None else set()


class UndoCheckStore(KeptStore[UndoCheck]):
    """Checked undos by id."""
