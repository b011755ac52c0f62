"""The publisher API of one site (the target of pushes, the source of pulls).

Routes and models are listed in ``operations.remote_protocol``.  A push comes in two steps:

1. ``POST /push/prepare``: the pack streams in (size-limited, signed hash checked as it
   arrives) into ``.state/incoming``; the target reads it with every check, plans it over
   itself and asks ``decide_damaging_change`` (its plugins, then its policy).  The plan is
   kept in the pending-plan store (``operations.pending``: the dashboard lists it and can
   answer it), with the policy's answer already recorded when it was final.  The response
   carries the plan, its findings and the decision.
2. The source answers a prompt (``/answer``, or ``/execute`` with the answer; the first
   answer wins, the dashboard's included), polling ``GET /pending/{id}`` meanwhile, then
   ``POST /pending/{id}/execute`` with the plan token: the target executes the plan it
   kept (refused when the site changed since), under its lock, with its hooks.

A prepared push nobody executes expires after ``PendingMinutes`` and is discarded, with
its pack.  A pull is one request: ``POST /pull/export`` answers a pack of the selection.
Only the client that uploaded a pending push may see, answer, execute or discard it.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, ValidationError
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from publisher_restore.errors import (
    LockTimeoutError,
    OperationCancelled,
    OperationNotFoundError,
    PlanExpiredError,
    PlanOutdatedError,
    PublisherRestoreError,
    RecoveryNeededError,
    RestorePointNotFoundError,
)
from publisher_restore.operations.contexts import PublishResult
from publisher_restore.operations.decisions import Choice, Decision, OperationKind
from publisher_restore.operations.import_plan import ImportOptions, PreparedPush
from publisher_restore.operations.incoming_packs import IncomingOwner, IncomingPacks
from publisher_restore.operations.pending import PendingPlan, PendingPlans
from publisher_restore.operations.pipeline import ImportPipeline
from publisher_restore.operations.remote_protocol import (
    API_PREFIX,
    PACK_MEDIA_TYPE,
    AnswerRequest,
    ErrorResponse,
    ExecuteRequest,
    ExportRequest,
    PendingStatus,
    PrepareResponse,
)
from publisher_restore.operations.steps import Steps
from publisher_restore.publisher.auth import Operation, RequestRefused, RequestVerifier
from publisher_restore.publisher.collect import collect_pack, parse_specs
from publisher_restore.publisher.nonces import SqliteNonceStore
from publisher_restore.publisher.settings import PublisherSettings, load_publisher_settings
from publisher_restore.runtime import Runtime
from publisher_restore.web.publisher_api.guard import SignedRequests, log, refused

Clock = Callable[[], datetime]
M = TypeVar("M", bound=BaseModel)
MAX_WORDS = 500
"""Longest ``source`` or ``who`` a client may give (they are shown and recorded)."""
_CONFLICT = (
    PlanOutdatedError,
    OperationCancelled,
    LockTimeoutError,
    RecoveryNeededError,
)


class BadRequest(PublisherRestoreError):
    """A signed request whose parameters or JSON body cannot be used."""

    exit_code = 2


class PublisherApi:
    """The routes' work, for one site; built once per server process."""

    def __init__(self, runtime: Runtime, *, clock: Clock | None = None) -> None:
        self.runtime = runtime
        self.settings: PublisherSettings = load_publisher_settings(runtime.site.root)
        self.clock = clock
        self.incoming = IncomingPacks(runtime.env.state_dir)
        self._guard: SignedRequests | None = None
        self._guard_lock = threading.Lock()

    @property
    def guard(self) -> SignedRequests:
        """The HMAC guard, with its nonce store made on the first request (a site served
        only for its dashboard gets no nonce file)."""
        with self._guard_lock:
            if self._guard is None:
                nonces = SqliteNonceStore.in_state_dir(self.runtime.site.state_dir)
                limit = self.settings.max_body_bytes
                verifier = RequestVerifier(self.settings.clients, nonces, max_body_bytes=limit)
                self._guard = SignedRequests(verifier)
            return self._guard

    def pending(self) -> PendingPlans:
        expiry = self.settings.pending_for
        state = self.runtime.env.state_dir
        if self.clock is None:
            return PendingPlans(state, expiry=expiry)
        return PendingPlans(state, expiry=expiry, clock=self.clock)

    def pipeline(self, who: str) -> ImportPipeline:
        return ImportPipeline(self.runtime.env, OperationKind.PUSH, who, Steps())

    # -- push --------------------------------------------------------------------------------

    async def prepare_push(self, request: Request) -> Response | PrepareResponse:
        try:
            verified = self.guard.head(request, Operation.PUSH)
            options, source, who = _prepare_params(request)
            upload = self.incoming.new_upload()
            await self.guard.body_to_file(request, verified, upload)
            owner = IncomingOwner(app_id=verified.app_id, who=who)
            return await run_in_threadpool(self._prepare, upload, owner, options, source)
        except RequestRefused as refusal:
            return refused(request, refusal)
        except PublisherRestoreError as error:
            return failed(error)

    def _prepare(
        self, upload: Path, owner: IncomingOwner, options: ImportOptions, source: str
    ) -> Response | PrepareResponse:
        pending = self.pending()
        self.incoming.remove_orphans({entry.id for entry in pending.listing().waiting})
        try:
            pipeline = self.pipeline(_who(owner))
            with pipeline.open_pack(upload, options) as pack:
                prepared = pipeline.prepare(pack, f"{source} (app {owner.app_id})", options)
            decision = pipeline.decide(prepared)
            if decision.choice is Choice.ABORT:
                raise OperationCancelled(
                    f"push aborted by {decision.decided_by}"
                    f"{': ' + decision.reason if decision.reason else ''}; nothing was changed"
                )
            entry = pending.save(prepared)
            if decision.is_final:
                pending.answer(entry.id, decision)
            self.incoming.keep(entry.id, upload, owner)
        except BaseException:
            upload.unlink(missing_ok=True)
            raise
        log.info("prepared push %s from app %s (%s)", entry.id, owner.app_id, source)
        assert isinstance(prepared, PreparedPush)
        return PrepareResponse(
            pending_id=entry.id, plan=prepared, decision=decision, expires=entry.expires
        )

    async def status(self, pending_id: str, request: Request) -> Response | PendingStatus:
        try:
            verified = self.guard.head(request, Operation.PUSH)
            await self.guard.small_body(request, verified)
            return await run_in_threadpool(self._status, pending_id, verified.app_id)
        except RequestRefused as refusal:
            return refused(request, refusal)
        except PublisherRestoreError as error:
            return failed(error)

    def _status(self, pending_id: str, app_id: str) -> PendingStatus:
        try:
            entry = self._entry(pending_id, app_id)
        except PlanExpiredError as error:
            self.incoming.discard(pending_id)
            return PendingStatus(pending_id=pending_id, state="expired", message=str(error))
        except PlanOutdatedError as error:
            return PendingStatus(pending_id=pending_id, state="gone", message=str(error))
        return _status_of(entry)

    async def answer(self, pending_id: str, request: Request) -> Response | PendingStatus:
        try:
            verified = self.guard.head(request, Operation.PUSH)
            body = _parsed(await self.guard.small_body(request, verified), AnswerRequest)
            return await run_in_threadpool(self._answer, pending_id, verified.app_id, body)
        except RequestRefused as refusal:
            return refused(request, refusal)
        except PublisherRestoreError as error:
            return failed(error)

    def _answer(self, pending_id: str, app_id: str, body: AnswerRequest) -> PendingStatus:
        self._entry(pending_id, app_id)
        self._record(pending_id, app_id, body.answer)
        return _status_of(self.pending().get(pending_id))

    async def execute(self, pending_id: str, request: Request) -> Response | PublishResult:
        try:
            verified = self.guard.head(request, Operation.PUSH)
            body = _parsed(await self.guard.small_body(request, verified), ExecuteRequest)
            return await run_in_threadpool(self._execute, pending_id, verified.app_id, body)
        except RequestRefused as refusal:
            return refused(request, refusal)
        except PublisherRestoreError as error:
            return failed(error)

    def _execute(self, pending_id: str, app_id: str, body: ExecuteRequest) -> PublishResult:
        entry = self._entry(pending_id, app_id)
        if entry.token != body.token:
            raise PlanOutdatedError(
                f"the plan token does not match prepared push {pending_id}; prepare it again"
            )
        if entry.answer is None:
            if body.answer is None:
                raise BadRequest(f"prepared push {pending_id} needs an answer before it executes")
            self._record(pending_id, app_id, body.answer)
        pending = self.pending()
        owner = self.incoming.owner(pending_id)
        plan, decision = pending.take(pending_id, PreparedPush)
        try:
            pipeline = self.pipeline(_who(owner) if owner else app_id)
            kept = self.incoming.pack(pending_id)
            checked = plan.inputs.pack_sha256
            with pipeline.open_pack(kept, plan.options, checked_sha256=checked) as pack:
                result = pipeline.execute(plan, decision, pack)
        finally:
            self.incoming.discard(pending_id)
        log.info("executed push %s from app %s: %s", pending_id, app_id, result.outcome.value)
        return result

    async def discard(self, pending_id: str, request: Request) -> Response | PendingStatus:
        try:
            verified = self.guard.head(request, Operation.PUSH)
            await self.guard.small_body(request, verified)
            return await run_in_threadpool(self._discard, pending_id, verified.app_id)
        except RequestRefused as refusal:
            return refused(request, refusal)
        except PublisherRestoreError as error:
            return failed(error)

    def _discard(self, pending_id: str, app_id: str) -> PendingStatus:
        status = self._status(pending_id, app_id)
        if status.state in ("waiting", "answered"):
            self.pending().discard(pending_id)
        self.incoming.discard(pending_id)
        return PendingStatus(pending_id=pending_id, state="gone", message="discarded")

    def _entry(self, pending_id: str, app_id: str) -> PendingPlan:
        """The pending push, if this client uploaded it (otherwise it does not exist)."""
        entry = self.pending().get(pending_id)
        owner = self.incoming.owner(pending_id)
        if owner is None or owner.app_id.casefold() != app_id.casefold():
            raise PlanOutdatedError(f"no prepared push {pending_id!r} of yours is waiting")
        return entry

    def _record(self, pending_id: str, app_id: str, answer: Decision) -> None:
        """Record an answer from the source; an earlier one (the dashboard's) wins."""
        if not answer.is_final:
            raise BadRequest("'prompt' is not an answer")
        given = answer.model_copy(update={"decided_by": f"{answer.decided_by} (via {app_id})"})
        try:
            self.pending().answer(pending_id, given)
        except PlanExpiredError:
            raise
        except PlanOutdatedError:
            if self.pending().get(pending_id).answer is None:
                raise

    # -- pull --------------------------------------------------------------------------------

    async def export(self, request: Request) -> Response:
        try:
            verified = self.guard.head(request, Operation.PULL)
            body = _parsed(await self.guard.small_body(request, verified), ExportRequest)
            folder, pack = await run_in_threadpool(self._export, body)
        except RequestRefused as refusal:
            return refused(request, refusal)
        except PublisherRestoreError as error:
            return failed(error)
        log.info("exported a pack to app %s (%s)", verified.app_id, ", ".join(body.items) or "all")
        cleanup = BackgroundTask(shutil.rmtree, folder, ignore_errors=True)
        return FileResponse(pack, media_type=PACK_MEDIA_TYPE, background=cleanup)

    def _export(self, body: ExportRequest) -> tuple[Path, Path]:
        folder = Path(tempfile.mkdtemp(prefix="publisher-restore-export-"))
        try:
            pack = folder / "export.usync"
            collect_pack(
                self.runtime.site,
                parse_specs(body.items),
                pack,
                dependencies=body.dependencies,
                files=body.files,
                media=body.media,
            )
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return folder, pack


def build_router(runtime: Runtime, *, clock: Clock | None = None) -> APIRouter:
    """The publisher API's routes under ``/api/publisher``, with their own authentication."""
    api = PublisherApi(runtime, clock=clock)
    router = APIRouter(prefix=API_PREFIX, tags=["publisher"])
    router.add_api_route(
        "/push/prepare", api.prepare_push, methods=["POST"], response_model=PrepareResponse
    )
    router.add_api_route(
        "/pending/{pending_id}", api.status, methods=["GET"], response_model=PendingStatus
    )
    for action, endpoint, model in (
        ("answer", api.answer, PendingStatus),
        ("execute", api.execute, PublishResult),
        ("discard", api.discard, PendingStatus),
    ):
        router.add_api_route(
            f"/pending/{{pending_id}}/{action}", endpoint, methods=["POST"], response_model=model
        )
    router.add_api_route("/pull/export", api.export, methods=["POST"])
    return router


def failed(error: PublisherRestoreError) -> JSONResponse:
    """An operation's error as an ``ErrorResponse`` with a fitting status."""
    status = 500
    if isinstance(error, _CONFLICT) or error.exit_code == 13:
        status = 409
    elif isinstance(error, RestorePointNotFoundError | OperationNotFoundError):
        status = 404
    elif error.exit_code in (2, 3, 4, 5):
        status = 400
    if status == 500:
        log.error("publisher API failed: %s", error)
    body = ErrorResponse(error=str(error), exit_code=error.exit_code)
    return JSONResponse(body.model_dump(), status_code=status)


def _prepare_params(request: Request) -> tuple[ImportOptions, str, str]:
    query = request.query_params
    source = query.get("source", "a remote site")
    who = query.get("who", "someone")
    if len(source) > MAX_WORDS or len(who) > MAX_WORDS:
        raise BadRequest(f"source and who are at most {MAX_WORDS} characters")
    flags = {name: query.get(name, "false") for name in ("mirror", "media")}
    if any(value not in ("true", "false") for value in flags.values()):
        raise BadRequest("mirror and media are true or false")
    options = ImportOptions(mirror=flags["mirror"] == "true", media=flags["media"] == "true")
    return options, source, who


def _parsed(data: bytes, model: type[M]) -> M:
    try:
        return model.model_validate_json(data)
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(p) for p in problem["loc"]) or "body"
        message = f"the request body is not a {model.__name__} ({where}: {problem['msg']})"
        raise BadRequest(message) from None


def _status_of(entry: PendingPlan) -> PendingStatus:
    return PendingStatus(
        pending_id=entry.id,
        state="answered" if entry.answer is not None else "waiting",
        answer=entry.answer,
        expires=entry.expires,
    )


def _who(owner: IncomingOwner) -> str:
    return f"{owner.who} via app {owner.app_id}"
