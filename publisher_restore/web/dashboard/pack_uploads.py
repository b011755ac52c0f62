"""Sync packs uploaded to this server, kept while a person reads their plan.

Each upload is a file in this server's own temporary folder (never in the site or its
restore folder: a pack that is refused or never imported leaves nothing there), with the
import plan made from it and the policy's answer.  The store forgets an upload after an
hour (``KeptStore``), after its import, or when discarded, deleting its file; the folder
goes when the server stops.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from publisher_restore.operations.decisions import Decision
from publisher_restore.operations.import_plan import ImportOptions, PreparedImport
from publisher_restore.web.dashboard.checks_store import KeptStore

PREFIX = "publisher-restore-uploads-"


@dataclass(frozen=True)
class PackUpload:
    """One uploaded pack and, once planned, its plan and the decision hooks gave."""

    name: str
    """The person's file name (display only)."""
    path: Path
    size: int
    options: ImportOptions
    who: str
    uploaded: datetime
    prepared: PreparedImport | None = None
    decision: Decision | None = None

    @property
    def source(self) -> str:
        """The import's source in words, as the history records it."""
        return f"pack {self.name} (uploaded in the dashboard)"


class UploadFolder:
    """This server's folder for uploads, made on the first upload, removed at shutdown."""

    def __init__(self) -> None:
        self._folder: Path | None = None
        self._guard = threading.Lock()

    def new_path(self) -> Path:
        with self._guard:
            if self._folder is None:
                self._folder = Path(tempfile.mkdtemp(prefix=PREFIX))
            return self._folder / f"{secrets.token_hex(12)}.usync"

    def remove(self) -> None:
        with self._guard:
            if self._folder is not None:
                shutil.rmtree(self._folder, ignore_errors=True)
                self._folder = None


class PackUploads(KeptStore[PackUpload]):
    """Uploaded packs by id; a forgotten one's file is deleted."""

    def __init__(self) -> None:
        super().__init__(forget=lambda upload: upload.path.unlink(missing_ok=True))
