"""Fixtures every browser test module shares: one Chromium and one console watcher per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.web.helpers import Watcher, launch


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def watcher() -> Iterator[Watcher]:
    """Collects CSP violations and script errors; the module fails if any were seen."""
    watching = Watcher()
    yield watching
    assert watching.problems == []
