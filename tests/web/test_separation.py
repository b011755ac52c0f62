"""The dashboard's session and the publisher API mounted beside it never open each other.

The app is the one ``serve`` builds: the dashboard with the real publisher API router
(``web.publisher_api.build_router``, its own HMAC guard) beside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from publisher_restore.plugin_manager import build_plugin_manager
from publisher_restore.publisher.auth import sign_request
from publisher_restore.runtime import Runtime
from publisher_restore.web.app import create_app
from publisher_restore.web.publisher_api import build_router
from publisher_restore.web.security.passwords import hash_password
from publisher_restore.web.settings import DashboardSettings
from tests.operations.helpers import set_restore_settings
from tests.web.helpers import serving_in_thread

KEY = "a-client-key-that-is-long-enough-0123456789"
PASSWORD = "separation test password"
API = "/api/publisher/"
PING = f"{API}pending/{'0' * 32}"
PUBLIC = re.compile(r"^/(login|login/once|static)(/|$)")


@dataclass
class Served:
    app: FastAPI
    http: httpx.Client


@pytest.fixture
def served(sample_site: Path, tmp_path: Path) -> Iterator[Served]:
    clients = {"dev-site": {"AppKey": KEY, "Allow": ["Push"]}}
    set_restore_settings(sample_site, Publisher={"Clients": clients})
    runtime = Runtime.open(sample_site, build_plugin_manager(load_entry_points=False))
    settings = DashboardSettings(password_hash=SecretStr(hash_password(PASSWORD)))
    app = create_app(runtime, settings, routers=[build_router(runtime)])
    with serving_in_thread(app) as url, httpx.Client(base_url=url) as http:
        yield Served(app, http)


def signed_headers(method: str, path: str) -> dict[str, str]:
    return sign_request(method, path, b"", app_id="dev-site", app_key=KEY)


def sign_in(client: httpx.Client) -> None:
    page = client.get("/login").text
    token = re.search(r'name="login_token" value="([^"]+)"', page)
    assert token
    done = client.post(
        "/login",
        data={"password": PASSWORD, "login_token": token.group(1), "next": "/"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/"


def test_a_dashboard_session_does_not_open_the_publisher_api(served: Served) -> None:
    client = served.http
    sign_in(client)
    assert client.get("/", headers={"Accept": "text/html"}).status_code == 200
    refused = client.get(PING)
    assert refused.status_code == 401 and refused.json()["reason"] == "missing-header"
    allowed = client.get(PING, headers=signed_headers("GET", PING))
    assert allowed.status_code == 200 and allowed.json()["state"] == "gone"


def test_a_publisher_signature_does_not_open_the_dashboard(
    served: Served, sample_site: Path
) -> None:
    client = served.http
    page = client.get("/", headers={**signed_headers("GET", "/"), "Accept": "text/html"})
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    activity = client.get("/api/activity", headers=signed_headers("GET", "/api/activity"))
    assert activity.status_code == 401
    created = client.post(
        "/points", data={"note": "via a signature"}, headers=signed_headers("POST", "/points")
    )
    assert created.status_code == 401
    assert not (sample_site / "uSync/restore/points").exists()


def test_every_dashboard_route_needs_a_session_and_every_write_a_csrf_token(
    served: Served, sample_site: Path
) -> None:
    """Every route the app serves (from its OpenAPI description, so new routes are covered)."""
    paths: dict[str, dict[str, object]] = served.app.openapi()["paths"]
    dashboard = {
        p: ops for p, ops in paths.items() if not PUBLIC.match(p) and not p.startswith(API)
    }
    assert f"{API}pending/{{pending_id}}" in paths and f"{API}push/prepare" in paths
    assert len(dashboard) >= 15
    client = served.http
    urls = [(method, _url(path)) for path, ops in dashboard.items() for method in ops]
    for method, url in urls:
        response = client.request(method.upper(), url, headers={"Accept": "application/json"})
        assert response.status_code == 401, (method, url)
    sign_in(client)
    for method, url in urls:
        if method != "get":
            response = client.request(method.upper(), url, data={"note": "forged"})
            assert response.status_code == 403, (method, url)
    assert client.get("/", headers={"Accept": "text/html"}).status_code == 200  # still signed in
    assert not (sample_site / "uSync/restore/points").exists()


def _url(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: "latest" if m.group(1) == "point_id" else "0" * 16, path)
