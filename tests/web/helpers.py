"""A real ``publisher-restore serve`` process, Debian's Chromium, and screenshots of each page."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, ViewportSize

from publisher_restore.web.server import bind, url_of
from tests.conftest import REPO

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
PASSWORD = "correct horse battery staple"
VIEWPORT = ViewportSize(width=1280, height=860)


def launch(playwright: Playwright) -> Browser:
    """Debian's Chromium (never a downloaded browser)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@dataclass
class Server:
    """One ``serve`` process and what it printed when it started."""

    process: subprocess.Popen[str]
    url: str
    started: dict[str, object]
    stderr_path: Path

    @property
    def base(self) -> str:
        return self.url.rstrip("/")


def cli_command(site: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "publisher_restore", "--site", str(site), *args]


def password_hash(password: str = PASSWORD) -> str:
    """The hash ``dashboard hash-password`` prints for ``password`` (read from stdin)."""
    done = subprocess.run(
        cli_command(Path("."), "dashboard", "hash-password", "--json"),
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    hashed = json.loads(done.stdout)["password_hash"]
    assert isinstance(hashed, str)
    return hashed


@contextmanager
def serving(site: Path, log: Path, env: dict[str, str] | None = None) -> Iterator[Server]:
    """``publisher-restore --site SITE serve --port 0 --json`` until the block ends."""
    stderr = log.open("w", encoding="utf-8")
    process = subprocess.Popen(
        cli_command(site, "serve", "--port", "0", "--json"),
        stdout=subprocess.PIPE,
        stderr=stderr,
        stdin=subprocess.DEVNULL,
        text=True,
        env={**os.environ, **(env or {})},
    )
    try:
        started = _read_started(process, log)
        server = Server(process, str(started["url"]), started, log)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        stderr.close()


@contextmanager
def serving_in_thread(app: FastAPI) -> Iterator[str]:
    """An app served by uvicorn in this process (for tests that build the app themselves)."""
    sock = bind("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", proxy_headers=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield url_of(sock)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def _read_started(process: subprocess.Popen[str], log: Path) -> dict[str, object]:
    """The JSON document ``serve --json`` prints once it listens."""
    assert process.stdout is not None
    text = ""
    for line in process.stdout:
        text += line
        if line.rstrip() == "}":
            started = json.loads(text)
            assert isinstance(started, dict)
            return started
    raise AssertionError(f"serve exited ({process.wait()}): {log.read_text(encoding='utf-8')}")


@dataclass
class Watcher:
    """Console messages that mean something is wrong: CSP violations and script errors."""

    problems: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> Page:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        return page

    def _console(self, message: ConsoleMessage) -> None:
        text = message.text
        if "Content Security Policy" in text or (
            message.type == "error" and "Failed to load resource" not in text
        ):
            self.problems.append(f"{message.type}: {text}")


def shot(page: Page, name: str) -> Path:
    """A full-page screenshot under ``test-artifacts/screenshots/``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page: Page, base: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def unlabelled_controls(page: Page) -> list[str]:
    """Visible buttons, links and fields without an accessible name."""
    found: list[str] = page.evaluate(
        """() => Array.from(document.querySelectorAll('button, a[href], input, select, textarea'))
          .filter(el => el.type !== 'hidden' && el.offsetParent !== null)
          .filter(el => !(el.getAttribute('aria-label') || (el.labels && el.labels.length)
                          || el.textContent.trim() || el.getAttribute('title')))
          .map(el => el.outerHTML.slice(0, 120))"""
    )
    return found


def tab_until(page: Page, wanted: str, presses: int = 40) -> list[str]:
    """Press Tab until the focused control's name (label or text) is ``wanted``."""
    reached: list[str] = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate(
                """() => { const el = document.activeElement;
                   return ((el.labels && el.labels.length && el.labels[0].textContent)
                           || el.getAttribute('aria-label') || el.textContent || '').trim(); }"""
            )
        )
        if reached[-1] == wanted:
            return reached
    raise AssertionError(f"Tab never reached {wanted!r}: {reached}")


def row_ids(page: Page) -> list[str]:
    """The restore points listed, top to bottom."""
    return [str(row.get_attribute("data-point")) for row in page.locator("tr[data-point]").all()]


def wait_for_job(page: Page, timeout: float = 60_000) -> str:
    """Wait on a job page until its result shows; returns the result's text."""
    page.wait_for_selector("#job-result", timeout=timeout)
    return page.locator("#job-result").inner_text()


POINT_ID = re.compile(r"\d{8}T\d{9}Z-[0-9a-f]{6}")
