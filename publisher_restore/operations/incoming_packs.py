"""Packs a remote source uploaded for a prepared push, kept until it executes or expires.

A push over HTTP comes in two requests (prepare, then execute), so the target keeps the
uploaded pack between them: ``<restore folder>/.state/incoming/<pending id>.usync``, with a
small ``<pending id>.json`` saying which client uploaded it (only that client may query,
answer, execute or discard it) and who it said it was.  A pack whose pending entry is
gone (executed, discarded, expired) is removed by the next upload.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from pathlib import Path

from pydantic import BaseModel, ValidationError

from publisher_restore.errors import PlanOutdatedError

FOLDER = "incoming"
_PACK = ".usync"
_META = ".json"
_UPLOAD_PREFIX = "upload-"


class IncomingOwner(BaseModel):
    """Who uploaded a pack: the signed app id, and the person the source named."""

    app_id: str
    who: str


class IncomingPacks:
    """The uploaded packs of one site."""

    def __init__(self, state_dir: Path) -> None:
        self.folder = state_dir / FOLDER

    def new_upload(self) -> Path:
        """A fresh path to stream an upload into (it is not a kept pack until ``keep``)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return self.folder / f"{_UPLOAD_PREFIX}{secrets.token_hex(12)}{_PACK}"

    def keep(self, pending_id: str, upload: Path, owner: IncomingOwner) -> None:
        """The upload becomes the pack of a pending entry."""
        (self.folder / f"{pending_id}{_META}").write_text(owner.model_dump_json(), "utf-8")
        os.replace(upload, self.pack(pending_id))

    def pack(self, pending_id: str) -> Path:
        return self.folder / f"{_checked(pending_id)}{_PACK}"

    def owner(self, pending_id: str) -> IncomingOwner | None:
        """Who uploaded the pack of ``pending_id``; None when there is none."""
        try:
            data = (self.folder / f"{_checked(pending_id)}{_META}").read_bytes()
            return IncomingOwner.model_validate_json(data)
        except (OSError, ValidationError):
            return None

    def discard(self, pending_id: str) -> None:
        for suffix in (_PACK, _META):
            with contextlib.suppress(FileNotFoundError):
                (self.folder / f"{_checked(pending_id)}{suffix}").unlink()

    def remove_orphans(self, live: set[str], *, uploads_older_than: float = 3600.0) -> None:
        """Packs whose pending entry is gone, and uploads abandoned part-way."""
        if not self.folder.is_dir():
            return
        now = time.time()
        for path in self.folder.iterdir():
            name = path.name
            if name.startswith(_UPLOAD_PREFIX):
                if now - path.stat().st_mtime > uploads_older_than:
                    path.unlink(missing_ok=True)
            elif name.removesuffix(_PACK).removesuffix(_META) not in live:
                path.unlink(missing_ok=True)


def _checked(pending_id: str) -> str:
    if len(pending_id) != 32 or not all(c in "0123456789abcdef" for c in pending_id):
        raise PlanOutdatedError(f"no prepared operation {pending_id!r} is waiting")
    return pending_id
