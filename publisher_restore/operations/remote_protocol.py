"""The publisher API between a source and a target: routes and the models they carry.

Every request is signed (``publisher.auth``); every body and response is one of these
pydantic models, except the two packs (a push's upload, a pull's export), which are
``.usync`` zips checked as hostile input by whoever receives them.

========================================  =========  ==============================
route (under ``/api/publisher``)          allow      body -> response
========================================  =========  ==============================
``POST /push/prepare?source=&who=&...``   Push       pack -> ``PrepareResponse``
``GET  /pending/{id}``                    Push       -> ``PendingStatus``
``POST /pending/{id}/answer``             Push       ``AnswerRequest`` -> ``PendingStatus``
``POST /pending/{id}/execute``            Push       ``ExecuteRequest`` -> ``PublishResult``
``POST /pending/{id}/discard``            Push       -> ``PendingStatus``
``POST /pull/export``                     Pull       ``ExportRequest`` -> pack
========================================  =========  ==============================

Errors come back as ``ErrorResponse`` with the exit code the CLI would give.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from publisher_restore.operations.decisions import Decision
from publisher_restore.operations.import_plan import PreparedPush

API_PREFIX = "/api/publisher"
PUSH_PREPARE = f"{API_PREFIX}/push/prepare"
PULL_EXPORT = f"{API_PREFIX}/pull/export"
PACK_MEDIA_TYPE = "application/zip"


def pending_path(pending_id: str, action: str = "") -> str:
    """``/api/publisher/pending/<id>`` or ``.../<id>/<action>``."""
    return f"{API_PREFIX}/pending/{pending_id}" + (f"/{action}" if action else "")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PrepareResponse(_Model):
    """The target's plan of a pushed pack and what its policy decided."""

    pending_id: str
    plan: PreparedPush
    decision: Decision
    """Final (restore-point, continue, abort) or ``prompt``: the source must answer."""
    expires: datetime


class PendingStatus(_Model):
    """Where a prepared push stands on the target."""

    pending_id: str
    state: Literal["waiting", "answered", "expired", "gone"]
    answer: Decision | None = None
    expires: datetime | None = None
    message: str = ""


class AnswerRequest(_Model):
    """A person's answer at the source (the first answer wins)."""

    answer: Decision


class ExecuteRequest(_Model):
    """Execute the prepared push whose plan token this is, with the answer given."""

    token: str
    answer: Decision | None = None
    """None: the answer already recorded (the policy's, or one given in the dashboard)."""


class ExportRequest(_Model):
    """What a pull asks the source to export."""

    items: tuple[str, ...] = ()
    dependencies: bool = True
    files: bool = False
    media: bool = False


class ErrorResponse(_Model):
    """A refused or failed request: the message and the CLI's exit code for it."""

    error: str
    exit_code: int
    reason: str | None = None
    """For a refused signature: ``bad-signature``, ``stale-timestamp``, ..."""
