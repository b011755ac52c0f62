"""Operations, pending decisions and sync packs in a real browser, on a copy of a corpus site.

One ``serve`` process (password and ``MaxBodyMiB=1`` from the environment), one Chromium
and one signed-in tab for the module.  The target is ``navsjon-sportfiske`` with a
property ``introText`` that holds values on two pages; the pack, exported by the CLI from
the corpus copy, brings ``contentGridDefault`` without it (a damaging finding: values lost
on two pages) and ``featureComponentCode`` changed.  Each test leaves the site as the
fixture made it.
"""

from __future__ import annotations

import os
import pty
import re
import subprocess
import threading
import time
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from publisher_restore.operations.decisions import OperationKind
from publisher_restore.operations.history import OperationHistory
from publisher_restore.operations.import_plan import ImportOptions
from publisher_restore.operations.pending import PendingPlans
from publisher_restore.operations.pipeline import ImportPipeline
from publisher_restore.operations.steps import Steps
from publisher_restore.plugin_manager import build_plugin_manager
from publisher_restore.runtime import Runtime
from tests.conftest import CORPUS, copy_site
from tests.web.helpers import (
    VIEWPORT,
    Server,
    Watcher,
    cli_command,
    password_hash,
    serving,
    shot,
    sign_in,
    unlabelled_controls,
    wait_for_job,
)
from tests.web.test_dashboard_flows import INTRO_PAGES, INTRO_PROPERTY, INTRO_VALUE, edit

SITE = "navsjon-sportfiske"
V9 = "uSync/v9"
GRID = f"{V9}/ContentTypes/contentgriddefault.config"
CODE = f"{V9}/ContentTypes/featurecomponentcode.config"
LOST = "Removing property 'introText' from 'contentGridDefault' deletes 2 values on 2 pages."


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ops")


@pytest.fixture(scope="module")
def site(work: Path) -> Path:
    """The target: the corpus site where ``introText`` exists and holds values on two pages."""
    root = copy_site(CORPUS / SITE, work / "target" / SITE)
    edit(root / GRID, "  </GenericProperties>", INTRO_PROPERTY)
    for path in INTRO_PAGES:
        edit(root / path, "  <Properties>", INTRO_VALUE)
    return root


@pytest.fixture(scope="module")
def pack(work: Path) -> Path:
    """``contentGridDefault`` without ``introText`` and ``featureComponentCode`` made mandatory."""
    source = copy_site(CORPUS / SITE, work / "source" / SITE)
    edit(source / CODE, "<Mandatory>false</Mandatory>", "<Mandatory>true</Mandatory>")
    out = work / "grid-update.usync"
    wanted = ("ContentType:contentGridDefault", "ContentType:featureComponentCode")
    items = [arg for item in wanted for arg in ("--item", item)]
    command = cli_command(source, "pack", "export", "--out", str(out), *items, "--no-dependencies")
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    return out


@pytest.fixture(scope="module")
def server(site: Path, work: Path) -> Iterator[Server]:
    env = {
        "uSync__Restore__Dashboard__PasswordHash": password_hash(),
        "uSync__Restore__Publisher__MaxBodyMiB": "1",
    }
    with serving(site, work / "serve.log", env) as running:
        yield running


@pytest.fixture(scope="module")
def context(browser: Browser) -> Iterator[BrowserContext]:
    browser_context = browser.new_context(viewport=VIEWPORT)
    yield browser_context
    browser_context.close()


@pytest.fixture(scope="module")
def page(context: BrowserContext, watcher: Watcher, server: Server) -> Page:
    tab = watcher.attach(context.new_page())
    sign_in(tab, server.base)
    return tab


@pytest.fixture(autouse=True)
def site_kept(site: Path) -> Iterator[None]:
    """After each test the two content types are as the fixture made them."""
    before = {path: (site / path).read_bytes() for path in (GRID, CODE)}
    yield
    for path, data in before.items():
        (site / path).write_bytes(data)


def runtime(site: Path) -> Runtime:
    return Runtime.open(site, build_plugin_manager(load_entry_points=False))


def history(site: Path) -> OperationHistory:
    return OperationHistory(runtime(site).env.store.provider)


def upload(page: Page, base: str, file: Path) -> None:
    page.goto(f"{base}/packs")
    page.get_by_label("Sync pack file").set_input_files(str(file))
    page.get_by_role("button", name="Upload and plan").click()


def test_upload_plan_import_then_undo_with_a_conflict_left_alone(
    page: Page, server: Server, site: Path, pack: Path
) -> None:
    grid_before = (site / GRID).read_bytes()
    upload(page, server.base, pack)
    page.wait_for_url(re.compile(r".*/packs/[0-9a-f]+$"), timeout=60_000)
    finding = page.locator(".findings-table tbody tr", has_text="introText")
    expect(finding).to_contain_text(LOST)
    expect(finding).to_contain_text("2 values on 2 pages")
    take_point = page.get_by_label("Take a restore point before importing")
    expect(take_point).to_be_checked()
    assert unlabelled_controls(page) == []
    shot(page, "26-pack-plan")

    page.get_by_role("button", name=re.compile(r"^Import 2 changes")).click()
    result = wait_for_job(page)
    assert "Imported grid-update.usync: 2 files written. A restore point was taken" in result
    assert b"introText" not in (site / GRID).read_bytes()
    imported = history(site).entries()[0][0].record  # newest first
    assert imported.kind.value == "import" and imported.restore_point
    assert imported.who.startswith("dashboard (signed in from 127.0.0.1")
    point = runtime(site).restore_points().get(imported.restore_point)
    assert point.reason.value == "import" and point.created_by == imported.who

    page.goto(f"{server.base}/")
    mark = page.get_by_role("link", name=re.compile(r"^Operation: .*grid-update\.usync"))
    expect(mark).to_have_attribute("href", f"/operations/{imported.id}")
    shot(page, "36-timeline-with-operations")
    page.goto(f"{server.base}/operations")
    row = page.locator(f"#op-{imported.id}")
    expect(row).to_contain_text("import")
    expect(row).to_contain_text("grid-update.usync")
    expect(row).to_contain_text(point.created_by)
    assert unlabelled_controls(page) == []
    shot(page, "27-operations")

    # someone edits one of the imported types again: undoing must not throw that away
    edit(site / CODE, "<Mandatory>true</Mandatory>", "<Mandatory>false</Mandatory>")
    code_later = (site / CODE).read_bytes()
    row.get_by_role("button", name=re.compile(r"^Undo the import")).click()
    page.wait_for_url("**/undo-checks/*", timeout=60_000)
    expect(page.locator("#count-conflicts")).to_have_text("1")
    conflict = page.locator("tr.conflict-row")
    expect(conflict).to_contain_text("featureComponentCode")
    expect(conflict.locator("input[type=checkbox]")).not_to_be_checked()
    expect(page.locator("#count-changes")).to_have_text("1")
    shot(page, "28-undo-check")

    page.locator("#restore-form button[type=submit]").last.click()
    result = wait_for_job(page)
    assert f"Undid {imported.id}" in result
    assert (site / GRID).read_bytes() == grid_before  # put back from the restore point
    assert (site / CODE).read_bytes() == code_later  # the conflict was left alone
    shot(page, "29-undo-done")
    page.goto(f"{server.base}/operations/{imported.id}")
    expect(page.locator("dl.facts")).to_contain_text("Undone by")


def test_a_hostile_or_oversized_pack_is_refused_and_nothing_is_kept(
    page: Page, server: Server, site: Path, work: Path
) -> None:
    before = (site / GRID).read_bytes()
    hostile = work / "escape.usync"
    with zipfile.ZipFile(hostile, "w") as archive:
        archive.writestr("../../escape.config", "<ContentType />")
    upload(page, server.base, hostile)
    result = wait_for_job(page)
    assert "The pack escape.usync was refused: zip member '../../escape.config'" in result
    assert "Nothing was changed and the upload was deleted" in result
    shot(page, "30-pack-refused")

    big = work / "big.usync"
    big.write_bytes(b"\0" * (1024 * 1024 + 1))
    upload(page, server.base, big)
    expect(page.locator("#upload-error")).to_contain_text("larger than this site accepts")
    shot(page, "31-pack-too-large")
    # the server refuses it too, whatever the page's script does
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    response = page.request.post(
        f"{server.base}/packs",
        data=big.read_bytes(),
        headers={"X-CSRF-Token": str(token), "Content-Type": "application/octet-stream"},
    )
    assert response.status == 413 and "MaxBodyMiB" in response.json()["detail"]
    page.goto(f"{server.base}/packs")
    expect(page.locator("#kept-table")).to_have_count(0)
    assert (site / GRID).read_bytes() == before


class Terminal:
    """A CLI command on a pseudo-terminal (so it prompts), its output drained meanwhile."""

    def __init__(self, command: list[str]) -> None:
        master, child = pty.openpty()
        self.process = subprocess.Popen(command, stdin=child, stdout=child, stderr=child)
        os.close(child)
        self.output = b""
        self._master = master
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while True:
            try:
                chunk = os.read(self._master, 4096)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def wait(self, timeout: float) -> int:
        code = self.process.wait(timeout=timeout)
        self._reader.join(timeout=5)
        os.close(self._master)
        return code


def test_a_waiting_terminal_import_continues_when_answered_in_the_browser(
    page: Page, server: Server, site: Path, pack: Path
) -> None:
    page.goto(f"{server.base}/decisions")
    expect(page.locator("#decisions-badge")).to_be_hidden()
    terminal = Terminal(cli_command(site, "pack", "import", str(pack)))
    try:
        badge = page.locator("#decisions-badge")
        expect(badge).to_be_visible(timeout=60_000)  # the list page polls: no reload
        expect(badge).to_contain_text("1")
        page.locator("#waiting-table tbody tr").first.get_by_role("link").first.click()
        page.wait_for_url("**/decisions/*")
        expect(page.locator(".findings-table")).to_contain_text(LOST)
        assert unlabelled_controls(page) == []
        expect(page.get_by_role("heading", level=1)).to_have_text("An import waits for your answer")
        shot(page, "32-decision")
        page.get_by_role("button", name="Take a restore point and continue").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("An import was answered")
        expect(page.locator("main")).to_contain_text("continues on its own")
        shot(page, "33-decision-answered")
        assert terminal.wait(timeout=60) == 0, terminal.output.decode(errors="replace")
    finally:
        if terminal.process.poll() is None:
            terminal.process.kill()
    record = history(site).entries()[0][0].record
    assert record.kind.value == "import" and record.restore_point
    assert b"introText" not in (site / GRID).read_bytes()
    expect(page.locator("#decisions-badge")).to_be_hidden(timeout=10_000)
    taken = page.get_by_role("heading", name="This decision is no longer waiting")
    expect(taken).to_be_visible(timeout=10_000)  # the page polls and reloads itself
    shot(page, "35-decision-taken")


def test_abort_answered_in_the_browser_stops_the_terminal_import_changing_nothing(
    page: Page, server: Server, site: Path, pack: Path
) -> None:
    before = (site / GRID).read_bytes(), len(history(site).entries()[0])
    terminal = Terminal(cli_command(site, "pack", "import", str(pack)))
    try:
        page.goto(f"{server.base}/decisions")
        row = page.locator("#waiting-table tbody tr").first
        expect(row).to_be_visible(timeout=60_000)
        row.get_by_role("link").first.click()
        page.get_by_role("button", name="Abort: change nothing").click()
        assert terminal.wait(timeout=60) == 9, terminal.output.decode(errors="replace")
    finally:
        if terminal.process.poll() is None:
            terminal.process.kill()
    assert ((site / GRID).read_bytes(), len(history(site).entries()[0])) == before


def test_an_unanswered_decision_expires_and_says_so(
    page: Page, server: Server, site: Path, pack: Path
) -> None:
    env = runtime(site).env
    pipeline = ImportPipeline(env, OperationKind.IMPORT, "someone@terminal", Steps())
    with pipeline.open_pack(pack, ImportOptions()) as opened:
        prepared = pipeline.prepare(opened, f"pack {pack.name}", ImportOptions())
    entry = PendingPlans(env.state_dir, expiry=timedelta(seconds=4)).save(prepared)
    page.goto(f"{server.base}/decisions/{entry.id}")
    expect(page.locator("#answer-form")).to_be_visible()
    time.sleep(4)
    heading = page.get_by_role("heading", name="This import expired unanswered")
    expect(heading).to_be_visible(timeout=10_000)  # the page polls and reloads itself
    shot(page, "34-decision-expired")
    page.goto(f"{server.base}/decisions")
    expect(page.locator(f"#x-{entry.id}")).to_contain_text("expired")
    expect(page.locator("#decisions-badge")).to_be_hidden()
    assert b"introText" in (site / GRID).read_bytes()


def test_an_unknown_operation_undo_check_or_upload_is_a_plain_not_found(
    page: Page, server: Server
) -> None:
    for path in (
        "/operations/op-20260101T000000000Z-abcdef",
        "/undo-checks/0123456789abcdef",
        "/packs/0123456789abcdef",
    ):
        response = page.goto(f"{server.base}{path}")
        assert response is not None and response.status == 404, path
        expect(page.locator("main")).not_to_contain_text("Traceback")
