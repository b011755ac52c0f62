"""The restore journal: a durable record of an apply in progress.

The journal is written (and fsynced) before each phase starts.  Its phase tells
the next run what to do after a crash:

- ``staging``: nothing in the site was touched yet; discard the work folder.
- ``applying``: staged files are verified; complete the remaining operations.
- ``rolling-back``: put back the saved originals.

Before the first site change the journal also records the folders the apply
is about to create, so a rollback removes exactly those (when empty) and no
folder the site had before.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from publisher_restore.errors import IntegrityError
from publisher_restore.restore.plan import FileOp
from publisher_restore.storage.fsutil import fsync_dir

Phase = Literal["staging", "applying", "rolling-back"]


class Journal(BaseModel):
    """What an interrupted restore needs to finish or undo itself."""

    point_id: str
    phase: Phase
    started: datetime = Field(default_factory=lambda: datetime.now(UTC))
    operations: list[FileOp]
    new_folders: list[str] | None = None
    """Site-relative folders the apply creates, recorded before it starts (None: not
    recorded, a journal written by an older version)."""


class WorkArea:
    """The restore's working folder inside the tool's state folder."""

    def __init__(self, state_dir: Path) -> None:
        self.root = state_dir / "restore-work"
        self.journal_path = self.root / "journal.json"
        self.staged = self.root / "staged"
        self.backup = self.root / "backup"

    def exists(self) -> bool:
        return self.journal_path.exists()

    def read(self) -> Journal:
        try:
            return Journal.model_validate_json(self.journal_path.read_bytes())
        except ValidationError as error:
            raise IntegrityError(
                f"{self.journal_path}: the restore journal is unreadable "
                f"({error.errors()[0]['msg']})"
            ) from None

    def peek(self) -> Journal | None:
        """The journal if there is one (a read: nothing is created)."""
        try:
            return self.read()
        except FileNotFoundError:
            return None

    def write(self, journal: Journal) -> None:
        """Replace the journal atomically and durably."""
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.journal_path.with_suffix(".tmp")
        with tmp.open("wb") as out:
            out.write(journal.model_dump_json().encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, self.journal_path)
        fsync_dir(self.root)

    def discard(self) -> None:
        """Remove the journal first (so a crash mid-way leaves no phase), then the rest."""
        self.journal_path.unlink(missing_ok=True)
        shutil.rmtree(self.root, ignore_errors=True)

    def start_fresh(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        self.staged.mkdir(parents=True)
        self.backup.mkdir(parents=True)
