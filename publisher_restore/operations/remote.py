"""The source side of the publisher API: a signed HTTP client, a push session, a pulled pack.

``PublisherClient`` signs every request with the server's AppId and AppKey
(``publisher.auth``: HMAC-SHA256 over method, the exact request target, timestamp, nonce
and the body's SHA-256) and streams packs both ways.  ``RemoteSession`` is a push's
``TargetSession`` over HTTP: the target prepares and decides by its own policy, the
person here answers a prompt (while the target's dashboard may answer first: this side
polls), and the target executes.  ``RemotePack`` is a pull's source: the server exports
the selection as a pack, downloaded with a size cap and then checked like any pack.
Responses are not signed: outside loopback the URL must be https, which protects them.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from publisher_restore.errors import (
    PlanExpiredError,
    PlanOutdatedError,
    PublisherRestoreError,
)
from publisher_restore.operations.contexts import PublishResult
from publisher_restore.operations.decisions import Decision
from publisher_restore.operations.import_plan import ImportOptions, PreparedImport
from publisher_restore.operations.pack_sources import PublishRequest, SitePack
from publisher_restore.operations.pipeline import PublishRun, run_publish
from publisher_restore.operations.remote_protocol import (
    PACK_MEDIA_TYPE,
    PULL_EXPORT,
    PUSH_PREPARE,
    AnswerRequest,
    ErrorResponse,
    ExecuteRequest,
    ExportRequest,
    PendingStatus,
    PrepareResponse,
    pending_path,
)
from publisher_restore.operations.steps import Steps
from publisher_restore.publisher.auth import sign_request
from publisher_restore.publisher.settings import MIB, ServerSettings
from publisher_restore.site import Site

CHUNK = 1 << 20
M = TypeVar("M", bound=BaseModel)
DEFAULT_TIMEOUT = 600.0
"""Execute waits for the whole write on the target (seconds)."""
PULLED_NAME = "pulled.usync"


class RemoteError(PublisherRestoreError):
    """The server refused or failed a request; the exit code is the one it reported."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class PublisherClient:
    """Signed requests to one configured server."""

    def __init__(
        self,
        server: ServerSettings,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.server = server
        self._http = httpx.Client(
            base_url=server.url,
            timeout=httpx.Timeout(timeout, connect=10.0),
            transport=transport,
            follow_redirects=False,
        )

    @property
    def label(self) -> str:
        return f"server {self.server.name} ({self.server.url})"

    def close(self) -> None:
        self._http.close()

    # -- push ------------------------------------------------------------------------------

    def prepare_push(
        self, pack: Path, *, source: str, who: str, options: ImportOptions
    ) -> PrepareResponse:
        """Upload the pack (streamed); the target plans it and its policy decides."""
        size, digest = _file_sha256(pack)
        params = {
            "source": source,
            "who": who,
            "mirror": str(options.mirror).lower(),
            "media": str(options.media).lower(),
        }
        headers = {"Content-Type": PACK_MEDIA_TYPE, "Content-Length": str(size)}
        response = self._send(
            "POST",
            PUSH_PREPARE,
            params=params,
            content=_chunks(pack),
            body_sha256=digest,
            headers=headers,
        )
        return _parse(response, PrepareResponse, self.label)

    def status(self, pending_id: str) -> PendingStatus:
        return _parse(self._send("GET", pending_path(pending_id)), PendingStatus, self.label)

    def answer(self, pending_id: str, decision: Decision) -> PendingStatus:
        body = AnswerRequest(answer=decision)
        response = self._send_json("POST", pending_path(pending_id, "answer"), body)
        return _parse(response, PendingStatus, self.label)

    def execute(self, pending_id: str, token: str, answer: Decision | None) -> PublishResult:
        body = ExecuteRequest(token=token, answer=answer)
        response = self._send_json("POST", pending_path(pending_id, "execute"), body)
        return _parse(response, PublishResult, self.label)

    def discard(self, pending_id: str) -> PendingStatus:
        response = self._send("POST", pending_path(pending_id, "discard"))
        return _parse(response, PendingStatus, self.label)

    # -- pull ------------------------------------------------------------------------------

    def export(self, request: ExportRequest, dest: Path, *, max_bytes: int) -> Path:
        """Download the pack of ``request`` to ``dest``, refusing more than ``max_bytes``."""
        body = request.model_dump_json().encode("utf-8")
        built = self._signed("POST", PULL_EXPORT, content=body, headers=_JSON)
        try:
            response = self._http.send(built, stream=True)
        except httpx.HTTPError as error:
            raise self._unreachable(error) from None
        try:
            if response.status_code >= 400:
                response.read()
                _parse(response, PendingStatus, self.label)  # raises with the server's error
            _download(response, dest, max_bytes, self.label)
        finally:
            response.close()
        return dest

    # -- signing ---------------------------------------------------------------------------

    def _send_json(self, method: str, path: str, body: BaseModel) -> httpx.Response:
        data = body.model_dump_json().encode("utf-8")
        return self._send(method, path, content=data, headers=_JSON)

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        content: bytes | Iterator[bytes] = b"",
        body_sha256: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        request = self._signed(method, path, params, content, body_sha256, headers)
        try:
            return self._http.send(request)
        except httpx.HTTPError as error:
            raise self._unreachable(error) from None

    def _signed(
        self,
        method: str,
        path: str,
        params: Mapping[str, str] | None = None,
        content: bytes | Iterator[bytes] = b"",
        body_sha256: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Request:
        request = self._http.build_request(
            method, path, params=params, content=content, headers=dict(headers or {})
        )
        target = request.url.raw_path.decode("ascii")
        body = content if isinstance(content, bytes) else b""
        request.headers.update(
            sign_request(
                method,
                target,
                body,
                app_id=self.server.app_id,
                app_key=self.server.app_key,
                body_sha256=body_sha256,
            )
        )
        return request

    def _unreachable(self, error: httpx.HTTPError) -> RemoteError:
        return RemoteError(f"cannot reach {self.label}: {error}; nothing was changed there")


_JSON = {"Content-Type": "application/json"}


def _file_sha256(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            yield chunk


def _download(response: httpx.Response, dest: Path, max_bytes: int, label: str) -> None:
    total = 0
    with dest.open("wb") as out:
        for chunk in response.iter_bytes(CHUNK):
            total += len(chunk)
            if total > max_bytes:
                raise RemoteError(
                    f"{label} sent a pack over {max_bytes // MIB} MiB (MaxBodyMiB); "
                    "nothing was changed",
                    5,
                )
            out.write(chunk)


def _parse(response: httpx.Response, model: type[M], label: str) -> M:
    if response.status_code >= 400:
        raise _error_of(response, label)
    try:
        return model.model_validate_json(response.content)
    except ValidationError as error:
        problem = error.errors()[0]["msg"]
        raise RemoteError(f"{label} answered something unexpected: {problem}") from None


def _error_of(response: httpx.Response, label: str) -> PublisherRestoreError:
    try:
        error = ErrorResponse.model_validate_json(response.content)
    except ValidationError:
        return RemoteError(f"{label} answered HTTP {response.status_code}")
    if response.status_code in (401, 403, 413):
        return RemoteError(
            f"{label} refused the request (HTTP {response.status_code}, {error.reason}): "
            f"{error.error}; check Publisher:Servers (AppId, AppKey) here and "
            "Publisher:Clients there; nothing was changed",
            3,
        )
    if error.exit_code == PlanExpiredError.exit_code and "expired" in error.error:
        return PlanExpiredError(f"{label}: {error.error}")
    return RemoteError(f"{label}: {error.error}", error.exit_code)


# -- push session and pulled packs -----------------------------------------------------------


@dataclass
class RemoteSession:
    """A push's target behind a server: the target prepares, decides and writes."""

    client: PublisherClient
    options: ImportOptions
    who: str
    steps: Steps
    _pending_id: str | None = None
    _executed: bool = False

    @property
    def target(self) -> str:
        return self.client.label

    def prepare(self, pack: Path, source: str) -> tuple[PreparedImport, Decision]:
        response = self.client.prepare_push(pack, source=source, who=self.who, options=self.options)
        self._pending_id = response.pending_id
        return response.plan, response.decision

    def hold(self, prepared: PreparedImport) -> None:
        return None  # the target keeps it in its pending-plan store since prepare

    def answered(self) -> Decision | None:
        status = self.client.status(self._id)
        if status.state == "expired":
            raise PlanExpiredError(f"{self.target}: {status.message}")
        if status.state == "gone":
            raise PlanOutdatedError(f"{self.target}: {status.message}")
        return status.answer

    def record_answer(self, decision: Decision) -> Decision:
        return self.client.answer(self._id, decision).answer or decision

    def execute(self, prepared: PreparedImport, decision: Decision) -> PublishResult:
        result = self.client.execute(self._id, prepared.token, decision)
        self._executed = True
        self.steps.extend(result.steps)
        result.steps = list(self.steps.records)
        return result

    def close(self) -> None:
        if self._pending_id is not None and not self._executed:
            with contextlib.suppress(RemoteError, PlanOutdatedError):  # it expires anyway
                self.client.discard(self._pending_id)

    @property
    def _id(self) -> str:
        assert self._pending_id is not None
        return self._pending_id


@dataclass
class RemotePack:
    """A pull's source behind a server: it exports the selection as a pack."""

    client: PublisherClient
    request: PublishRequest
    max_bytes: int = 256 * MIB
    _notes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.client.label

    def produce(self, workdir: Path) -> Path:
        request = ExportRequest(
            items=self.request.items,
            dependencies=self.request.dependencies,
            files=self.request.files,
            media=self.request.media,
        )
        try:
            return self.client.export(request, workdir / PULLED_NAME, max_bytes=self.max_bytes)
        finally:
            self.client.close()

    def notes(self) -> list[str]:
        return list(self._notes)


def push_to_server(
    source: Site, client: PublisherClient, request: PublishRequest, run: PublishRun
) -> PublishResult:
    """Push ``request`` from ``source`` to the server ``client`` talks to."""
    options = ImportOptions(mirror=request.mirror, media=request.media)
    session = RemoteSession(client, options, run.who, run.steps)
    try:
        return run_publish(SitePack(source, request, run.progress), session, run)
    finally:
        client.close()


def error_body(error: PublisherRestoreError, reason: str | None = None) -> dict[str, Any]:
    """The ``ErrorResponse`` of an error, as JSON-ready data (for the server)."""
    return ErrorResponse(error=str(error), exit_code=error.exit_code, reason=reason).model_dump()
