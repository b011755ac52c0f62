"""Push and pull over HTTP between two ``serve`` processes on loopback, and what they refuse.

Two copies of the clean starter kit, each serving its publisher API (``serve --port 0``),
each configured as the other's server and client.  They push to and pull from each
other; a bad signature, a stale timestamp, a replayed nonce, an unknown app id, an
oversized body and an operation the client is not allowed are each refused (401, 403,
413), logged, and change nothing.  A third server runs in this process with an injected
clock: a prepared push left alone expires, and one answered in the target's dashboard
lets the waiting source continue.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn

from publisher_restore.errors import PlanExpiredError
from publisher_restore.operations.decisions import Choice, Decision
from publisher_restore.operations.import_plan import ImportOptions
from publisher_restore.operations.pending import PendingPlans
from publisher_restore.operations.remote import PublisherClient, RemoteError
from publisher_restore.operations.remote_protocol import PUSH_PREPARE, pending_path
from publisher_restore.plugin_manager import build_plugin_manager
from publisher_restore.publisher.auth import sign_request
from publisher_restore.publisher.collect import collect_pack
from publisher_restore.publisher.settings import ServerSettings
from publisher_restore.runtime import Runtime
from publisher_restore.site import Site
from publisher_restore.web.app import create_app
from publisher_restore.web.publisher_api import build_router
from publisher_restore.web.settings import DashboardSettings
from tests.conftest import copy_site
from tests.publisher.sites import (
    ARTICLE_CONTROLS,
    STARTER,
    edit_description,
    remove_property,
    restore_points,
    run,
    set_publisher,
)
from tests.restore.helpers import fingerprint

HOME = "uSync/v17/ContentTypes/home.config"
AUTHOR = "uSync/v17/ContentTypes/author.config"
SEARCH = "uSync/v17/ContentTypes/search.config"
MiB = 1024 * 1024


@dataclass
class Served:
    """A site and its ``serve`` process."""

    root: Path
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def key() -> str:
    return secrets.token_urlsafe(32)


def serve(root: Path) -> Served:
    log = root.parent / f"{root.name}-serve.log"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "publisher_restore",
            "--site",
            str(root),
            "serve",
            "--port",
            "0",
            "--json",
        ],
        stdout=subprocess.PIPE,
        stderr=log.open("wb"),
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    text = b""
    while not text.rstrip().endswith(b"}"):
        line = process.stdout.readline()
        assert line, f"serve stopped: {log.read_text()}"
        text += line
    started = json.loads(text)
    assert started["publisher_api"] == started["url"] + "api/publisher"
    return Served(root, started["url"].rstrip("/"), process, log)


@dataclass
class Pair:
    a: Served
    b: Served
    keys: dict[str, str]


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    """Sites a and b, each serving, each the other's server and client."""
    folder = tmp_path_factory.mktemp("http")
    keys = {"site-a": key(), "site-b": key(), "pull-only": key(), "site-c": key()}
    a = copy_site(STARTER, folder / "a")
    b = copy_site(STARTER, folder / "b")
    set_publisher(a, Clients={"site-b": {"AppKey": keys["site-b"], "Allow": ["Push", "Pull"]}})
    set_publisher(
        b,
        MaxBodyMiB=1,
        Clients={
            "site-a": {"AppKey": keys["site-a"], "Allow": ["Push", "Pull"]},
            "pull-only": {"AppKey": keys["pull-only"], "Allow": ["Pull"]},
            "site-c": {"AppKey": keys["site-c"], "Allow": ["Push"]},
        },
    )
    served_a, served_b = serve(a), serve(b)
    try:
        set_publisher(a, Servers={"b-live": server(served_b.url, "site-a", keys["site-a"])})
        set_publisher(b, Servers={"a-live": server(served_a.url, "site-b", keys["site-b"])})
        yield Pair(served_a, served_b, keys)
    finally:
        served_a.stop()
        served_b.stop()


def server(url: str, app_id: str, app_key: str) -> dict[str, str]:
    return {"Url": url, "AppId": app_id, "AppKey": app_key}


def state_of(site: Path) -> dict[str, object]:
    """What a refused request must not change: the site, its points, pending, history."""
    state = site / "uSync" / "restore"
    return {
        "site": fingerprint(site),
        "points": restore_points(site),
        "pending": sorted(p.name for p in (state / ".state" / "pending").glob("*.json")),
        "incoming": sorted(p.name for p in (state / ".state" / "incoming").glob("*")),
        "history": sorted(p.name for p in (state / "operations").glob("*")),
    }


def test_push_over_http_with_no_input_stops_with_13_and_with_yes_writes_the_target(
    sites: Pair, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = sites.a.root, sites.b.root
    remove_property(a, ARTICLE_CONTROLS, "articleDate")
    before = state_of(b)

    stopped = run(capsys, "--site", a, "push", "--to", "b-live", "--no-input")

    assert stopped.code == 13, stopped.err
    assert "DC101" in stopped.err and "the target was not changed" in stopped.err
    assert state_of(b)["site"] == before["site"] and state_of(b)["pending"] == []

    pushed = run(capsys, "--site", a, "push", "--to", "b-live", "--yes", "--json")

    assert pushed.code == 0, pushed.err
    result = pushed.json()["result"]
    assert isinstance(result, dict)
    assert (b / ARTICLE_CONTROLS).read_bytes() == (a / ARTICLE_CONTROLS).read_bytes()
    assert result["restore_point"] in restore_points(b)
    assert [s["step"] for s in result["steps"]] == [
        "collect",
        "prepare",
        "decide",
        "restore-point",
        "write",
        "record",
        "after-hooks",
    ]
    history = run(capsys, "--site", b, "history", "--json").json()["operations"]
    assert isinstance(history, list)
    assert history[0]["who"].endswith("via app site-a")
    assert "(app site-a)" in history[0]["source"]
    assert state_of(b)["pending"] == [] and state_of(b)["incoming"] == []


def test_the_two_servers_push_to_and_pull_from_each_other(
    sites: Pair, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = sites.a.root, sites.b.root
    edit_description(b, HOME, "Edited on b, pulled by a")
    pulled = run(
        capsys, "--site", a, "pull", "--from", "b-live", "--item", "ContentType:home", "--yes"
    )
    assert pulled.code == 0, pulled.err
    assert (a / HOME).read_bytes() == (b / HOME).read_bytes()

    edit_description(b, AUTHOR, "Edited on b, pushed to a")
    pushed = run(
        capsys,
        "--site",
        b,
        "push",
        "--to",
        "a-live",
        "--item",
        "ContentType:author",
        "--no-dependencies",
        "--yes",
    )
    assert pushed.code == 0, pushed.err
    assert (a / AUTHOR).read_bytes() == (b / AUTHOR).read_bytes()
    kinds = [
        e["kind"]
        for e in run(capsys, "--site", a, "history", "--json").json()["operations"]  # type: ignore[union-attr]
    ]
    assert kinds[:2] == ["push", "pull"]


def signed(
    method: str,
    url: str,
    body: bytes,
    *,
    app_id: str,
    app_key: str,
    now: float | None = None,
    nonce: str | None = None,
) -> httpx.Request:
    request = httpx.Request(method, url, content=body)
    headers = sign_request(
        method,
        request.url.raw_path.decode(),
        body,
        app_id=app_id,
        app_key=app_key,
        now=now,
        nonce=nonce,
    )
    request.headers.update(headers)
    return request


def starter_pack(tmp_path: Path) -> bytes:
    dest = tmp_path / "starter.usync"
    collect_pack(Site.open(STARTER), [], dest)
    return dest.read_bytes()


def test_bad_stale_replayed_unknown_oversized_and_disallowed_requests_change_nothing(
    sites: Pair, tmp_path: Path
) -> None:
    b, keys = sites.b, sites.keys
    url = f"{b.url}{PUSH_PREPARE}?source=test&who=tester"
    pack = starter_pack(tmp_path)
    valid = {"app_id": "site-a", "app_key": keys["site-a"]}
    nonce = secrets.token_urlsafe(24)
    cases = [
        ("bad-signature", 401, signed("POST", url, pack, app_id="site-a", app_key=key())),
        ("stale-timestamp", 401, signed("POST", url, pack, **valid, now=time.time() - 600)),
        ("unknown-app", 401, signed("POST", url, pack, app_id="intruder", app_key=key())),
        ("body-too-large", 413, signed("POST", url, secrets.token_bytes(MiB + 512), **valid)),
        (
            "operation-not-allowed",
            403,
            signed("POST", url, pack, app_id="pull-only", app_key=keys["pull-only"]),
        ),
    ]
    with httpx.Client(timeout=60) as http:
        first = http.send(signed("POST", url, pack, **valid, nonce=nonce))
        assert first.status_code == 200, first.text
        pending_id = first.json()["pending_id"]
        before = state_of(b.root)
        replay = signed("POST", url, pack, **valid, nonce=nonce)
        for reason, status, request in [*cases, ("replayed-nonce", 401, replay)]:
            response = http.send(request)
            assert (response.status_code, response.json()["reason"]) == (status, reason)
            assert state_of(b.root) == before, f"{reason} changed something"
        discard = http.send(
            signed("POST", f"{b.url}{pending_path(pending_id, 'discard')}", b"", **valid)
        )
        assert discard.json()["state"] == "gone"
    log = b.log.read_text(encoding="utf-8")
    for reason in (
        "bad-signature",
        "stale-timestamp",
        "unknown-app",
        "body-too-large",
        "operation-not-allowed",
        "replayed-nonce",
    ):
        assert f"request refused ({reason})" in log, f"{reason} not logged"
    assert keys["site-a"] not in log, "keys are never logged"


def test_a_client_cannot_see_answer_or_execute_another_clients_prepared_push(
    sites: Pair, tmp_path: Path
) -> None:
    b, keys = sites.b, sites.keys
    owner, stranger = (
        PublisherClient(ServerSettings(name="b", url=b.url, app_id=app, app_key=keys[app]))
        for app in ("site-a", "site-c")
    )
    pack = tmp_path / "p.usync"
    pack.write_bytes(starter_pack(tmp_path))
    prepared = owner.prepare_push(pack, source="test", who="tester", options=ImportOptions())
    assert owner.status(prepared.pending_id).state in ("waiting", "answered")

    assert stranger.status(prepared.pending_id).state == "gone"
    with pytest.raises(RemoteError, match="of yours"):
        stranger.execute(prepared.pending_id, prepared.plan.token, None)
    with pytest.raises(RemoteError, match="of yours"):
        stranger.answer(prepared.pending_id, Decision(choice=Choice.ABORT, decided_by="x"))

    assert owner.status(prepared.pending_id).state in ("waiting", "answered")
    assert owner.discard(prepared.pending_id).state == "gone"
    owner.close()
    stranger.close()


# -- a server in this process, with a clock the test moves ---------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class InProcess:
    root: Path
    url: str
    clock: Clock
    key: str


@pytest.fixture(scope="module")
def clocked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcess]:
    root = copy_site(STARTER, tmp_path_factory.mktemp("clocked") / "target")
    app_key = key()
    set_publisher(root, Clients={"site-a": {"AppKey": app_key, "Allow": ["Push"]}})
    clock = Clock()
    runtime = Runtime.open(root, build_plugin_manager(load_entry_points=False))
    routers = [build_router(runtime, clock=clock)]
    app = create_app(runtime, DashboardSettings(), routers=routers, allowed_hosts=["127.0.0.1"])
    sock = socket.create_server(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield InProcess(root, f"http://127.0.0.1:{sock.getsockname()[1]}", clock, app_key)
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def client_of(served: InProcess) -> PublisherClient:
    return PublisherClient(
        ServerSettings(name="target", url=served.url, app_id="site-a", app_key=served.key)
    )


def changed_pack(tmp_path: Path) -> Path:
    source = copy_site(STARTER, tmp_path / "source")
    remove_property(source, ARTICLE_CONTROLS, "articleDate")
    return collect_pack(Site.open(source), [], tmp_path / "change.usync").path


def test_a_prepared_push_left_alone_expires_and_is_discarded(
    clocked: InProcess, tmp_path: Path
) -> None:
    client = client_of(clocked)
    before = fingerprint(clocked.root)
    prepared = client.prepare_push(
        changed_pack(tmp_path), source="test", who="tester", options=ImportOptions()
    )
    assert prepared.decision.choice is Choice.PROMPT
    assert client.status(prepared.pending_id).state == "waiting"
    incoming = clocked.root / "uSync" / "restore" / ".state" / "incoming"
    assert len(list(incoming.glob("*.usync"))) == 1

    clocked.clock.now += timedelta(minutes=16)

    status = client.status(prepared.pending_id)
    assert status.state == "expired" and "expired" in status.message
    with pytest.raises((PlanExpiredError, RemoteError), match=r"expired|no prepared"):
        client.execute(prepared.pending_id, prepared.plan.token, None)
    assert list(incoming.glob("*.usync")) == []
    assert fingerprint(clocked.root) == before
    client.close()


def test_a_prompt_answered_in_the_targets_dashboard_lets_the_remote_push_continue(
    clocked: InProcess, tmp_path: Path
) -> None:
    client = client_of(clocked)
    prepared = client.prepare_push(
        changed_pack(tmp_path), source="test", who="tester", options=ImportOptions()
    )
    pending = PendingPlans(clocked.root / "uSync" / "restore" / ".state", clock=clocked.clock)
    [waiting] = pending.listing().waiting
    assert waiting.id == prepared.pending_id and waiting.request.findings[0].code == "DC101"
    pending.answer(waiting.id, Decision(choice=Choice.CONTINUE, decided_by="admin@dashboard"))

    status = client.status(prepared.pending_id)
    assert status.state == "answered" and status.answer is not None
    mine = Decision(choice=Choice.ABORT, decided_by="tester")
    assert client.answer(prepared.pending_id, mine).answer == status.answer, "first answer wins"
    result = client.execute(prepared.pending_id, prepared.plan.token, None)

    assert result.written == 1 and result.restore_point is None
    assert result.decision is not None and result.decision.decided_by == "admin@dashboard"
    data = (clocked.root / ARTICLE_CONTROLS).read_bytes()
    assert b"articleDate" not in data
    assert hashlib.sha256(data).hexdigest() == result.changes[0].after
    client.close()
