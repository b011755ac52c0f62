"""Failed sign-ins are limited per client and overall (a server of its own: it locks people out)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.conftest import SAMPLE_SITE, copy_site
from tests.web.helpers import (
    PASSWORD,
    VIEWPORT,
    Server,
    Watcher,
    password_hash,
    serving,
    shot,
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    site = copy_site(SAMPLE_SITE, tmp_path_factory.mktemp("limit") / "sample-site")
    env = {"uSync__Restore__Dashboard__PasswordHash": password_hash()}
    with serving(site, tmp_path_factory.mktemp("serve") / "serve.log", env) as running:
        yield running


def sign_in_from(server: Server, address: str, password: str) -> httpx.Response:
    """One sign-in attempt from a loopback address of its own (a client of its own)."""
    transport = httpx.HTTPTransport(local_address=address)
    with httpx.Client(base_url=server.base, transport=transport) as client:
        form = client.get("/login").text
        token = re.search(r'name="login_token" value="([^"]+)"', form)
        assert token
        data = {"password": password, "login_token": token.group(1), "next": "/"}
        return client.post("/login", data=data, headers={"Origin": server.base})


def test_five_failures_lock_one_client_and_twenty_lock_everybody(
    browser: Browser, server: Server
) -> None:
    watcher = Watcher()
    context = browser.new_context(viewport=VIEWPORT)
    page = watcher.attach(context.new_page())
    page.goto(f"{server.base}/login")
    for attempt in range(5):
        page.get_by_label("Password").fill(f"wrong password {attempt}")
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator("#login-error")).to_contain_text("That password is not right")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#login-error")).to_contain_text(
        "Too many failed sign-ins. Wait 5 minutes, then try again."
    )
    shot(page, "21-sign-in-rate-limited")
    context.close()
    assert watcher.problems == []

    locked = sign_in_from(server, "127.0.0.1", PASSWORD)
    assert locked.status_code == 429 and 0 < int(locked.headers["retry-after"]) <= 300
    other = sign_in_from(server, "127.0.0.2", PASSWORD)
    assert other.status_code == 303 and other.headers["location"] == "/"

    for client in ("127.0.0.3", "127.0.0.4", "127.0.0.5"):
        for _ in range(5):
            assert sign_in_from(server, client, "wrong").status_code == 401
    everybody = sign_in_from(server, "127.0.0.9", PASSWORD)
    assert everybody.status_code == 429
    assert "Too many failed sign-ins" in everybody.text
