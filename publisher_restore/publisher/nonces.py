"""The nonces seen within the signature window, so a captured request cannot be replayed.

Kept in a small SQLite file in the restore folder's ``.state`` (local to the site even when
restore points go to Azure): it survives a server restart, and SQLite's locking makes
"remember this nonce" atomic across several server processes, so exactly one of two
concurrent requests with one nonce gets through.  Entries older than the retention are
pruned on every write; the timestamp check refuses such old requests anyway.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from publisher_restore.storage.local import ensure_state_dir

NONCE_FILE = "publisher-nonces.sqlite3"
DEFAULT_RETENTION_SECONDS = 900
"""A request is accepted up to 5 minutes after its timestamp; 15 minutes leaves room for skew."""
BUSY_TIMEOUT_SECONDS = 10.0
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS nonces ("
    " app_id TEXT NOT NULL, nonce TEXT NOT NULL, request_time INTEGER NOT NULL,"
    " PRIMARY KEY (app_id, nonce)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS nonces_by_time ON nonces (request_time)",
)


class NonceStore(Protocol):
    """Remembers nonces; ``remember`` is False when the nonce was seen before."""

    def remember(self, app_id: str, nonce: str, request_time: int, now: float) -> bool: ...


class SqliteNonceStore:
    """Nonces in one SQLite file, pruned by age; safe for several processes at once."""

    def __init__(self, path: Path, retention_seconds: int = DEFAULT_RETENTION_SECONDS) -> None:
        self.path = path
        self.retention_seconds = retention_seconds
        self._ready = False

    def _prepare(self) -> None:
        """Make the folder (a restore folder's ``.state`` as every writer makes it) and the
        schema, on the first write: opening the store writes nothing."""
        if self._ready:
            return
        ensure_state_dir(self.path.parent)
        with self._connect() as connection:
            _use_wal(connection)
            for statement in _SCHEMA:
                connection.execute(statement)
        self._ready = True

    @classmethod
    def in_state_dir(
        cls, state_dir: Path, retention_seconds: int = DEFAULT_RETENTION_SECONDS
    ) -> SqliteNonceStore:
        """The site's store: ``<restore folder>/.state/publisher-nonces.sqlite3``."""
        return cls(state_dir / NONCE_FILE, retention_seconds)

    def remember(self, app_id: str, nonce: str, request_time: int, now: float) -> bool:
        """Record the nonce; False when the same app already used it (a replay)."""
        self._prepare()
        with self._connect() as connection:
            connection.execute("BEGIN IMMEDIATE")
            cutoff = int(now) - self.retention_seconds
            connection.execute("DELETE FROM nonces WHERE request_time < ?", (cutoff,))
            try:
                connection.execute(
                    "INSERT INTO nonces (app_id, nonce, request_time) VALUES (?, ?, ?)",
                    (app_id, nonce, request_time),
                )
            except sqlite3.IntegrityError:
                connection.execute("ROLLBACK")
                return False
            connection.execute("COMMIT")
            return True

    def count(self) -> int:
        """How many nonces are remembered (for tests and diagnostics)."""
        if not self.path.exists():
            return 0
        self._prepare()
        with self._connect() as connection:
            row = connection.execute("SELECT COUNT(*) FROM nonces").fetchone()
        return int(row[0])

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # One short connection per call: safe from any thread, and no lock is held between calls.
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        try:
            yield connection
        finally:
            connection.close()


def _use_wal(connection: sqlite3.Connection) -> None:
    """Switch the file to WAL, waiting while another process holds it.

    SQLite answers "database is locked" at once, without its busy handler, when two
    connections switch a new file's journal mode together (two server processes taking
    their first request), so the wait is here.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)
