"""No password configured: loopback only, and a one-time sign-in link that works once."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.conftest import SAMPLE_SITE, copy_site
from tests.web.helpers import VIEWPORT, Server, Watcher, cli_command, serving, shot

pytestmark = pytest.mark.xdist_group("dashboard-login-link")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_site(SAMPLE_SITE, tmp_path_factory.mktemp("link") / "sample-site")


@pytest.fixture(scope="module")
def server(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    env = {"uSync__Restore__Dashboard__PasswordHash": ""}
    with serving(site, log, env) as running:
        yield running


def test_the_printed_link_signs_in_once(browser: Browser, server: Server) -> None:
    link = str(server.started["login_link"])
    assert server.started["sign_in"] == "one-time link"
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/login/once\?token=[\w-]{40,}", link)
    printed = server.stderr_path.read_text(encoding="utf-8")
    assert link in printed and "valid for 15 minutes" in printed
    watcher = Watcher()

    first = browser.new_context(viewport=VIEWPORT)
    page = watcher.attach(first.new_page())
    page.goto(link)
    expect(page.get_by_role("button", name="Sign in")).to_be_focused()
    shot(page, "22-one-time-link")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Restore points", exact=True)).to_be_visible()
    expect(page).to_have_url(f"{server.base}/")  # the token is not left in the address bar
    expect(page.get_by_role("heading", name="No restore points yet")).to_be_visible()
    shot(page, "03-restore-points-empty")
    first.close()

    second = browser.new_context(viewport=VIEWPORT)
    page = watcher.attach(second.new_page())
    page.goto(link)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#login-error")).to_contain_text("already used or has expired")
    shot(page, "23-one-time-link-used")
    page.goto(f"{server.base}/")
    expect(page).to_have_url(re.compile("/login"))
    expect(page.get_by_text("No password is configured for this dashboard")).to_be_visible()
    shot(page, "24-sign-in-without-password")
    second.close()
    assert watcher.problems == []


def test_without_a_password_it_refuses_to_listen_beyond_loopback(site: Path) -> None:
    refused = subprocess.run(
        cli_command(site, "serve", "--host", "0.0.0.0", "--port", "0"),
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "uSync__Restore__Dashboard__PasswordHash": ""},
        stdin=subprocess.DEVNULL,
    )
    assert refused.returncode == 3
    assert refused.stderr.startswith("error: refusing to listen on 0.0.0.0: no dashboard password")
    assert len(refused.stderr.strip().splitlines()) == 1 and refused.stdout == ""


def test_serve_refuses_a_folder_that_is_not_a_site_before_listening(tmp_path: Path) -> None:
    refused = subprocess.run(
        cli_command(tmp_path / "nowhere", "serve", "--port", "0"),
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert refused.returncode == 3
    assert refused.stderr == f"error: {tmp_path / 'nowhere'}: site folder does not exist\n"


def test_a_password_that_is_not_a_hash_is_refused_without_showing_it(site: Path) -> None:
    secret = "my-plain-password-123"
    refused = subprocess.run(
        cli_command(site, "serve", "--port", "0"),
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "uSync__Restore__Dashboard__PasswordHash": secret},
        stdin=subprocess.DEVNULL,
    )
    assert refused.returncode == 3
    assert "uSync:Restore:Dashboard:PasswordHash" in refused.stderr
    assert "expected an Argon2 hash" in refused.stderr and secret not in refused.stderr


def test_hash_password_prints_a_hash_never_the_password() -> None:
    password = "a long enough dashboard password"
    done = subprocess.run(
        cli_command(Path("."), "dashboard", "hash-password"),
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("$argon2id$") and password not in done.stdout + done.stderr
    assert "uSync__Restore__Dashboard__PasswordHash" in done.stderr
    short = subprocess.run(
        cli_command(Path("."), "dashboard", "hash-password", "--json"),
        input="short\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert short.returncode == 2 and short.stdout == ""
    assert short.stderr == "error: a dashboard password needs at least 12 characters\n"
    long_enough = subprocess.run(
        cli_command(Path("."), "dashboard", "hash-password", "--json"),
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert json.loads(long_enough.stdout)["key"] == "uSync:Restore:Dashboard:PasswordHash"
