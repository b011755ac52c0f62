"""The operation history of a site: every push, pull, import and undo that wrote it.

Each operation is one JSON object ``operations/<id>.json`` on the site's storage provider
(beside the restore points, through the same provider, so a site whose points live in
Azure keeps its history there too; this layout does not depend on how restore points are
stored).  The record is written when writing starts (outcome ``running``, every planned
change with the hash before and the hash it will write) and again when it ends, so a
crash leaves a ``running`` record that still says what may have been written; undo
works from either.

Operations that change nothing (aborted, vetoed, stopped for a decision, refused as
outdated) are not recorded: their after-hooks and the command's output report them.
"""

from __future__ import annotations

import getpass
import secrets
import socket
from collections.abc import Iterable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from publisher_restore.analyser.findings import Finding, Severity
from publisher_restore.errors import IntegrityError, ObjectNotFoundError, OperationNotFoundError
from publisher_restore.operations.decisions import Decision, OperationKind
from publisher_restore.storage.base import StorageProvider

PREFIX = "operations/"
SUFFIX = ".json"
RECORD_FORMAT: Literal["publisher-restore/operation"] = "publisher-restore/operation"


class OperationOutcome(StrEnum):
    RUNNING = "running"
    """Writing started and no final record was written (still running, or it crashed)."""
    SUCCEEDED = "succeeded"
    PARTIAL = "partial"
    """Some changes failed; the others were written."""
    FAILED = "failed"


ChangeOutcome = Literal["planned", "written", "failed", "not-attempted"]


class ChangeRecord(BaseModel):
    """One path an operation changed: the hash before and the hash it wrote (None: absent)."""

    path: str
    kind: Literal["item", "file"]
    change: Literal["create", "update", "delete"]
    item_type: str | None = None
    key: str | None = None
    alias: str | None = None
    before: str | None = None
    after: str | None = None
    outcome: ChangeOutcome = "planned"
    error: str | None = None


class FindingNote(BaseModel):
    """A finding as the history keeps it: code, severity, message."""

    code: str
    severity: Severity
    message: str
    acknowledged: bool = False

    @classmethod
    def of(cls, finding: Finding) -> FindingNote:
        return cls(
            code=finding.code,
            severity=finding.severity,
            message=finding.message,
            acknowledged=finding.acknowledged,
        )


class OperationRecord(BaseModel):
    """One operation on this site."""

    format: Literal["publisher-restore/operation"] = RECORD_FORMAT
    format_version: int = 1
    id: str
    kind: OperationKind
    source: str
    target: str
    who: str
    started: datetime
    finished: datetime | None = None
    outcome: OperationOutcome = OperationOutcome.RUNNING
    decision: Decision | None = None
    restore_point: str | None = None
    """The point taken before it wrote (for an undo: its pre-undo point)."""
    undoes: str | None = None
    """For an undo: the operation it undid."""
    findings: list[FindingNote] = Field(default_factory=list)
    changes: list[ChangeRecord] = Field(default_factory=list)
    error: str | None = None
    notes: list[str] = Field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Changes by outcome."""
        found: dict[str, int] = {}
        for change in self.changes:
            found[change.outcome] = found.get(change.outcome, 0) + 1
        return found


class HistoryEntry(BaseModel):
    """A record as ``history`` lists it, with the undo that undid it, if any."""

    record: OperationRecord
    undone_by: str | None = None


def new_operation_id(now: datetime | None = None) -> str:
    """``op-<UTC timestamp>-<random>``: sortable, unique, never a restore point id."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return f"op-{moment:%Y%m%dT%H%M%S}{moment.microsecond // 1000:03d}Z-{secrets.token_hex(3)}"


class OperationHistory:
    """The records of one site, on its storage provider."""

    def __init__(self, provider: StorageProvider) -> None:
        self.provider = provider

    def save(self, record: OperationRecord) -> None:
        """Write (or rewrite) a record."""
        data = record.model_dump_json(indent=1).encode("utf-8")
        self.provider.put_bytes(_name(record.id), data, overwrite=True)

    def get(self, operation_id: str) -> OperationRecord:
        """One record; ``OperationNotFoundError`` (exit 8) when there is none."""
        name = _name(operation_id)
        try:
            data = self.provider.get_bytes(name)
        except ObjectNotFoundError:
            raise OperationNotFoundError(
                f"no operation {operation_id!r} in this site's history "
                "(publisher-restore history lists them)"
            ) from None
        return _load(name, data)

    def entries(self) -> tuple[list[HistoryEntry], list[str]]:
        """Every readable record, newest first, with who undid it; and unreadable ones."""
        records: list[OperationRecord] = []
        unreadable: list[str] = []
        for info in self.provider.list(PREFIX):
            if not info.name.endswith(SUFFIX):
                continue
            try:
                records.append(_load(info.name, self.provider.get_bytes(info.name)))
            except (IntegrityError, ObjectNotFoundError) as error:
                unreadable.append(str(error))
        records.sort(key=lambda r: (r.started, r.id), reverse=True)
        return _with_undos(records), unreadable


def _with_undos(records: Iterable[OperationRecord]) -> list[HistoryEntry]:
    records = list(records)
    undone = {
        r.undoes: r.id
        for r in sorted(records, key=lambda r: r.started)
        if r.undoes and r.outcome is not OperationOutcome.FAILED
    }
    return [HistoryEntry(record=r, undone_by=undone.get(r.id)) for r in records]


def _name(operation_id: str) -> str:
    if not operation_id.startswith("op-") or not all(c.isalnum() or c in "-" for c in operation_id):
        raise OperationNotFoundError(f"{operation_id!r} is not an operation id (op-...)")
    return f"{PREFIX}{operation_id}{SUFFIX}"


def _load(name: str, data: bytes) -> OperationRecord:
    try:
        return OperationRecord.model_validate_json(data)
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(p) for p in problem["loc"]) or "document"
        raise IntegrityError(
            f"operation record {name} is unreadable ({where}: {problem['msg']})"
        ) from None


def current_user() -> str:
    """``user@host`` of this process, as restore points record who took them."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()}"
