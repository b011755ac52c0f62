"""Checked restores kept in this process while a person reads them (the check page).

A check is a view of a prepared restore, not a decision another process waits for
(those go to the operations' pending-plan store), so it stays in memory: an hour at
most, the newest ``MAX_CHECKS``.  Its plan token still guards the restore.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from publisher_restore.operations.restore import PreparedRestore

KEEP = timedelta(hours=1)
MAX_CHECKS = 20


@dataclass(frozen=True)
class CheckEntry:
    """One checked restore and when it was checked."""

    id: str
    prepared: PreparedRestore
    created: datetime = field(default_factory=lambda: datetime.now(UTC))


class CheckStore:
    """Checked restores by id."""

    def __init__(self) -> None:
        self._entries: dict[str, CheckEntry] = {}
        self._guard = threading.Lock()

    def add(self, prepared: PreparedRestore) -> CheckEntry:
        entry = CheckEntry(secrets.token_hex(8), prepared)
        with self._guard:
            self._forget_old()
            self._entries[entry.id] = entry
        return entry

    def get(self, check_id: str) -> CheckEntry | None:
        with self._guard:
            self._forget_old()
            return self._entries.get(check_id)

    def discard(self, check_id: str) -> None:
        with self._guard:
            self._entries.pop(check_id, None)

    def _forget_old(self) -> None:
        horizon = datetime.now(UTC) - KEEP
        for entry in [e for e in self._entries.values() if e.created < horizon]:
            del self._entries[entry.id]
        while len(self._entries) > MAX_CHECKS:
            del self._entries[next(iter(self._entries))]
