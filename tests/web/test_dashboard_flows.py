"""The dashboard in a real browser, walked as a person would, on a copy of the largest corpus site.

One ``publisher-restore serve`` process (password from the environment), one Chromium
and one signed-in tab for the module (per xdist worker).  Each test makes the restore
points it needs and the site is put back as the corpus has it after every test, so
the tests do not depend on their order.  Every page visited is saved under
``test-artifacts/screenshots/``, and no page may log a CSP violation or script error.
"""

from __future__ import annotations

import hashlib
import re
import tarfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import zstandard
from playwright.sync_api import Browser, BrowserContext, Page, expect

from publisher_restore.plugin_manager import build_plugin_manager
from publisher_restore.restore.export import MANIFEST_MEMBER
from publisher_restore.restore.manifest import Reason
from publisher_restore.runtime import Runtime
from tests.conftest import CORPUS, copy_site
from tests.restore.helpers import fingerprint
from tests.web.helpers import (
    VIEWPORT,
    Server,
    Watcher,
    password_hash,
    row_ids,
    serving,
    shot,
    sign_in,
    unlabelled_controls,
    wait_for_job,
)

SITE = "navsjon-sportfiske"
V9 = "uSync/v9"
GRID = f"{V9}/ContentTypes/contentgriddefault.config"
CODE = f"{V9}/ContentTypes/featurecomponentcode.config"
PAGE = f"{V9}/Content/bootstrap.config"
VIEW = "Views/Home.cshtml"
MEDIA_FILES = 6
MEDIA_FILE_BYTES = 1_500_000


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the corpus site with a media folder (the corpus has none)."""
    root = copy_site(CORPUS / SITE, tmp_path_factory.mktemp("web") / SITE)
    media = root / "wwwroot/media/2024"
    media.mkdir(parents=True)
    for number in range(MEDIA_FILES):
        (media / f"photo-{number}.jpg").write_bytes(bytes([number]) * MEDIA_FILE_BYTES)
    return root


@pytest.fixture(scope="module")
def server(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    env = {"uSync__Restore__Dashboard__PasswordHash": password_hash()}
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with serving(site, log, env) as running:
        assert running.started["sign_in"] == "password"
        yield running


@pytest.fixture(scope="module")
def context(browser: Browser) -> Iterator[BrowserContext]:
    browser_context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    yield browser_context
    browser_context.close()


@pytest.fixture(scope="module")
def page(context: BrowserContext, watcher: Watcher, server: Server) -> Page:
    """One signed-in tab, shared by the tests of this module."""
    tab = watcher.attach(context.new_page())
    sign_in(tab, server.base)
    return tab


@pytest.fixture(autouse=True)
def no_page_problems(watcher: Watcher) -> Iterator[None]:
    yield
    assert watcher.problems == []


@pytest.fixture(autouse=True)
def as_in_the_corpus(site: Path) -> Iterator[None]:
    """After each test, the site's files are the corpus's again (restore points are kept)."""
    yield
    original = CORPUS / SITE
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        kept = rel.startswith(("uSync/restore/", "wwwroot/media/"))
        if path.is_file() and not kept and not (original / rel).is_file():
            path.unlink()
    for path in sorted(original.rglob("*")):
        if path.is_file():
            target = site / path.relative_to(original)
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.is_file() or target.read_bytes() != path.read_bytes():
                target.write_bytes(path.read_bytes())


def make_point(
    site: Path, note: str, reason: Reason = Reason.MANUAL, include_media: bool = False
) -> str:
    """A restore point made as the CLI would make it (setup for a test of another page)."""
    points = runtime(site).restore_points()
    return points.create(note=note, reason=reason, include_media=include_media).id


def runtime(site: Path) -> Runtime:
    return Runtime.open(site, build_plugin_manager(load_entry_points=False))


def manifests(site: Path) -> dict[str, dict[str, object]]:
    """Every readable point's manifest, its file index included, as ``show --json`` has it."""
    points, _unreadable = runtime(site).env.store.listing()
    return {point.id: point.full_dump() for point in points}


def exported_members(path: Path) -> tuple[list[str], dict[str, str]]:
    """The member names of an exported ``.tar.zst``, and each file's SHA-256."""
    names, digests = [], {}
    with (
        path.open("rb") as raw,
        zstandard.ZstdDecompressor().stream_reader(raw) as stream,
        tarfile.open(fileobj=stream, mode="r|") as tar,
    ):
        for member in tar:
            names.append(member.name)
            data = tar.extractfile(member)
            if data is not None and member.name != MANIFEST_MEMBER:
                digests[member.name] = hashlib.sha256(data.read()).hexdigest()
    return names, digests


def test_sign_in_refuses_a_wrong_password_then_opens_the_list(
    browser: Browser, server: Server, watcher: Watcher
) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    page = watcher.attach(context.new_page())
    page.goto(f"{server.base}/")
    expect(page).to_have_url(re.compile(r"/login\?next=/$"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    shot(page, "01-sign-in")

    page.get_by_label("Password").fill("not the password at all")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#login-error")).to_contain_text("That password is not right")
    shot(page, "02-sign-in-wrong-password")

    sign_in(page, server.base)
    expect(page.get_by_role("heading", name="Restore points", exact=True)).to_be_visible()
    [cookie] = [c for c in context.cookies() if c["name"].startswith("publisher_restore_session")]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and not cookie["secure"]
    assert unlabelled_controls(page) == []
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    page.goto(f"{server.base}/")
    expect(page).to_have_url(re.compile("/login"))
    context.close()


def test_create_without_media(page: Page, server: Server, site: Path) -> None:
    page.goto(f"{server.base}/")
    page.get_by_role("link", name="Create restore point").first.click()
    dialog = page.locator("#create-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Include media files")).not_to_be_checked()
    expect(dialog).to_contain_text("Media makes the restore point slower to create and larger")
    dialog.get_by_label("Note").fill("before the spring import")
    assert unlabelled_controls(page) == []
    shot(page, "04-create-dialog")
    dialog.get_by_role("button", name="Create restore point").click()

    result = wait_for_job(page)
    assert "Restore point created" in result and "media" not in result
    expect(page.locator("#job-phases")).to_contain_text("Storing files")
    shot(page, "05-create-done")
    page.get_by_role("link", name="Back to restore points").click()
    row = page.locator("tr[data-point]", has_text="before the spring import")
    expect(row).to_have_class("highlight")
    expect(row).to_contain_text("manual")
    expect(row.locator("td").nth(4)).to_have_text("No")
    expect(row).to_contain_text("kB")
    shot(page, "06-restore-points")
    point = manifests(site)[str(row.get_attribute("data-point"))]
    assert point["note"] == "before the spring import" and point["includes_media"] is False


def test_create_with_media_shows_its_job_in_every_tab_and_survives_a_reload(
    page: Page, context: BrowserContext, server: Server, site: Path, watcher: Watcher
) -> None:
    second = watcher.attach(context.new_page())
    second.goto(f"{server.base}/")
    before = row_ids(second)

    page.goto(f"{server.base}/")
    with runtime(site).env.store.lock():  # another operation holds the site: the job waits
        page.get_by_role("link", name="Create restore point").first.click()
        page.get_by_label("Include media files").check()
        page.get_by_label("Note").fill("with media")
        page.locator("#create-dialog").get_by_role("button", name="Create restore point").click()
        page.wait_for_url("**/jobs/*")
        expect(page.locator("#job-phase")).to_contain_text("Waiting for the site")
        shot(page, "07-create-waiting-for-the-site")
        expect(second.locator("#activity")).to_contain_text("Create a restore point with media")
        shot(second, "08-second-tab-sees-the-job")
        page.reload()
        heading = page.get_by_role("heading", name="Create a restore point with media")
        expect(heading).to_be_visible()
        expect(page.locator("#job-progress")).to_be_visible()

    result = wait_for_job(page)
    assert "media included" in result
    shot(page, "09-create-with-media-done")

    new_row = second.locator("tr[data-point]", has_text="with media")
    expect(new_row).to_be_visible(timeout=10_000)  # no reload: the tab polls for changes
    expect(new_row.locator("td").nth(4)).to_have_text("Included")
    assert len(row_ids(second)) == len(before) + 1
    shot(second, "10-second-tab-sees-the-new-point")
    point = manifests(site)[str(new_row.get_attribute("data-point"))]
    second.close()
    assert point["includes_media"] is True
    records = point["files"]
    assert isinstance(records, list)
    stored = page.locator("#job-phases li", has_text="Storing files").inner_text()
    total = sum(int(record["size"]) for record in records)
    # files unchanged since the previous point are not read again: the media files are new
    found = re.search(r"Storing files: ([\d,]+) files", stored)
    assert found is not None, stored
    assert MEDIA_FILES <= int(found[1].replace(",", "")) <= len(records)
    assert total > MEDIA_FILES * MEDIA_FILE_BYTES


INTRO_PROPERTY = """    <GenericProperty>
      <Key>5b0e3c1a-7d2f-4c1e-9a55-0c1d2e3f4a5b</Key>
      <Name>Intro text</Name>
      <Alias>introText</Alias>
      <Definition>0cc0eba1-9960-42c9-bf9b-60e150b429ae</Definition>
      <Type>Umbraco.TextBox</Type>
      <Mandatory>false</Mandatory>
      <SortOrder>1</SortOrder>
      <Tab Alias="pageContent">Page Content</Tab>
      <Variations>Nothing</Variations>
    </GenericProperty>
  </GenericProperties>"""
INTRO_VALUE = """  <Properties>
    <introText>
      <Value><![CDATA[Welcome to the spring season]]></Value>
    </introText>"""
INTRO_PAGES = (f"{V9}/Content/3-9-column-layout.config", f"{V9}/Content/3-6-3-column-layout.config")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8-sig")
    assert old in text, path
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def damage(site: Path) -> None:
    """A bad import: two properties made mandatory, a page lost, a view edited, and a new
    property with values on two pages (which restoring the point deletes: a finding)."""
    for path in (GRID, CODE):
        edit(site / path, "<Mandatory>false</Mandatory>", "<Mandatory>true</Mandatory>")
    edit(site / GRID, "  </GenericProperties>", INTRO_PROPERTY)
    for path in INTRO_PAGES:
        edit(site / path, "  <Properties>", INTRO_VALUE)
    (site / PAGE).unlink()
    view = site / VIEW
    view.write_text(view.read_text(encoding="utf-8") + "\n@* edited *@\n", encoding="utf-8")


def test_check_then_restore_only_the_ticked_changes_with_a_pre_restore_point(
    page: Page, server: Server, site: Path
) -> None:
    point_id = make_point(site, "before the bad import")
    good = fingerprint(site)
    damage(site)
    page.goto(f"{server.base}/")
    restore = re.compile(r"^Restore the point")
    page.locator(f"#p-{point_id}").get_by_role("button", name=restore).click()
    page.wait_for_url("**/checks/*", timeout=60_000)

    expect(page.locator("#count-changes")).to_have_text("6")
    groups = page.locator("fieldset.group legend label").all_inner_texts()
    assert groups == ["Content types", "Content", "Views"]
    finding = page.locator(".findings-table tbody tr").first
    expect(finding).to_contain_text("damaging")
    expect(finding).to_contain_text(
        "Removing property 'introText' from 'contentGridDefault' deletes 2 values on 2 pages."
    )
    expect(finding).to_contain_text("2 values on 2 pages")
    expect(page.get_by_label("Create a pre-restore restore point")).to_be_checked()
    assert unlabelled_controls(page) == []
    shot(page, "11-check")

    grid_row = page.locator("tr.change-row", has_text="contentGridDefault")
    grid_row.locator("xpath=following-sibling::tr[1]").locator("summary").click()
    diff = page.locator("table.diff").first
    mandatory = diff.locator("tr", has_text="Property/contentGrid/Mandatory")
    expect(mandatory.locator("td.old")).to_have_text("true")
    expect(mandatory.locator("td.new")).to_have_text("false")
    expect(diff.locator("tr", has_text="Property/introText")).not_to_have_count(0)
    shot(page, "12-check-details")

    page.get_by_role("checkbox", name="featureComponentCode").uncheck()
    expect(page.locator("#selected-summary")).to_have_text("5 of 6 changes selected.")
    expect(page.locator("#restore-button")).to_have_text("Restore 5 selected changes")
    expect(page.locator("#toggle-content-types")).to_have_js_property("indeterminate", True)
    shot(page, "13-check-partly-ticked")
    page.locator("#restore-button").click()

    result = wait_for_job(page)
    assert "Restored 5 of 6 changes" in result and "pre-restore restore point" in result
    shot(page, "14-restore-result")
    now = fingerprint(site)
    for path in (GRID, PAGE, VIEW, *INTRO_PAGES):
        assert now[path] == good[path], path
    assert now[CODE] != good[CODE]  # unticked: left as it is now
    pre = page.locator("dd a code").inner_text()
    assert manifests(site)[pre]["reason"] == "pre-restore"


def test_a_site_changed_after_the_check_is_refused_and_can_be_checked_again(
    page: Page, server: Server, site: Path
) -> None:
    make_point(site, "the latest")
    edit(site / CODE, "<Mandatory>false</Mandatory>", "<Mandatory>true</Mandatory>")
    page.goto(f"{server.base}/")
    page.get_by_role("button", name="Restore latest…").click()
    page.wait_for_url("**/checks/*", timeout=60_000)
    expect(page.locator("h1")).to_contain_text("Check: restore the point of")
    expect(page.locator("main")).to_contain_text("the latest")
    expect(page.locator("tr.change-row", has_text="featureComponentCode")).to_be_visible()
    before = fingerprint(site)
    (site / "Views/WebPage.cshtml").write_text("@* changed after the check *@\n", "utf-8")
    changed = fingerprint(site)

    page.locator("#restore-button").click()
    result = wait_for_job(page)
    assert "The site changed since the check, so nothing was restored." in result
    assert "Views/WebPage.cshtml" in result
    assert fingerprint(site) == changed and changed != before
    shot(page, "15-restore-refused-site-changed")

    page.get_by_role("button", name="Check again").click()
    page.wait_for_url("**/checks/*", timeout=60_000)
    expect(page.locator("tr.change-row", has_text="WebPage.cshtml")).to_be_visible()
    page.get_by_label("Create a pre-restore restore point").uncheck()
    page.locator("#restore-button").click()
    result = wait_for_job(page)
    assert "Restored every change" in result and "pre-restore" not in result
    latest = runtime(site).restore_points().get("latest")
    assert runtime(site).restore().prepare(latest.id).plan.changes == []


def test_filter_by_reason(page: Page, server: Server, site: Path) -> None:
    make_point(site, "taken by a restore", reason=Reason.PRE_RESTORE)
    make_point(site, "a manual one")
    page.goto(f"{server.base}/")
    page.get_by_label("Show").select_option("pre-restore")
    page.wait_for_url("**/?reason=pre-restore")
    reasons = page.locator("tr[data-point] .badge").all_inner_texts()
    assert reasons and set(reasons) == {"pre-restore"}
    shot(page, "16-filter-pre-restore")
    page.get_by_label("Show").select_option("push")
    expect(page.locator("#empty-state")).to_contain_text("No restore points with the reason")
    page.get_by_label("Show").select_option("")
    page.wait_for_url(re.compile(r"/\?reason=$"))
    expect(page.locator(".timeline-dot")).to_have_count(len(row_ids(page)))


def test_pin_verify_and_download(page: Page, server: Server, site: Path) -> None:
    point_id = make_point(site, "to pin", include_media=True)
    page.goto(f"{server.base}/")
    row = page.locator(f"#p-{point_id}")
    row.get_by_role("button", name=re.compile("^Pin ")).click()
    expect(row.locator(".badge-pinned")).to_have_text("Pinned")
    assert page.url == f"{server.base}/"  # pinned in place, by a fetch with the CSRF header
    assert manifests(site)[point_id]["pinned"] is True
    shot(page, "17-pinned")
    row.get_by_role("button", name=re.compile("^Unpin ")).click()
    expect(row.locator(".badge-pinned")).to_have_count(0)
    assert manifests(site)[point_id]["pinned"] is False

    with page.expect_download() as download:
        row.get_by_role("link", name=re.compile("^Download")).click()
    records = manifests(site)[point_id]["files"]
    assert isinstance(records, list)
    names, digests = exported_members(Path(download.value.path()))
    assert names[0] == MANIFEST_MEMBER  # export's self-contained file: the manifest first
    assert digests == {str(r["path"]): str(r["sha256"]) for r in records}
    assert download.value.suggested_filename == f"{SITE}-{point_id}.tar.zst"

    row.get_by_role("button", name=re.compile("^Verify")).click()
    result = wait_for_job(page)
    files = manifests(site)[point_id]["files"]
    assert isinstance(files, list)
    assert f"Verified: all {len(files)} files match their SHA-256." in result
    shot(page, "18-verified")


def test_delete_asks_first(page: Page, server: Server, site: Path) -> None:
    point_id = make_point(site, "no longer needed")
    page.goto(f"{server.base}/")
    row = page.locator(f"#p-{point_id}")
    row.get_by_role("link", name=re.compile("^Delete")).click()
    dialog = page.locator("#delete-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("no longer needed")
    shot(page, "19-delete-dialog")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert point_id in manifests(site)

    row.get_by_role("link", name=re.compile("^Delete")).click()
    dialog.get_by_role("button", name="Delete restore point").click()
    expect(page.locator(".flash-ok")).to_contain_text(f"Deleted restore point {point_id}")
    expect(page.locator(f"#p-{point_id}")).to_have_count(0)
    assert point_id not in manifests(site)
    assert not (site / "uSync/restore/points" / point_id).exists()
    shot(page, "20-deleted")


def test_the_list_is_usable_from_the_keyboard(page: Page, server: Server, site: Path) -> None:
    make_point(site, "for the keyboard")
    page.goto(f"{server.base}/")
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.textContent.trim()"))
        if reached[-1] == "Create restore point":
            break
    assert reached[-1] == "Create restore point", reached
    page.keyboard.press("Enter")
    expect(page.locator("#create-dialog")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#create-dialog")).to_be_hidden()
    assert unlabelled_controls(page) == []


def test_requests_without_a_session_or_a_csrf_token_change_nothing(
    page: Page, context: BrowserContext, server: Server, site: Path
) -> None:
    point_id = make_point(site, "must survive")
    page.goto(f"{server.base}/")
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    assert token
    files, points = fingerprint(site), manifests(site)
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    writes = [
        ("/points", {"note": "forged"}),
        (f"/points/{point_id}/pin", {"pinned": "true"}),
        (f"/points/{point_id}/delete", {}),
        (f"/points/{point_id}/verify", {}),
        (f"/points/{point_id}/check", {}),
        ("/points/latest/check", {}),
        ("/logout", {}),
    ]
    same_origin = {"Origin": server.base}
    with httpx.Client(base_url=server.base, follow_redirects=False) as anonymous:
        for path, form in writes:
            refused = anonymous.post(path, data={**form, "csrf_token": token}, headers=same_origin)
            assert refused.status_code == 401, path
        assert anonymous.get("/", headers={"Accept": "text/html"}).status_code == 303
        assert anonymous.get("/api/activity").status_code == 401
        assert anonymous.get(f"/points/{point_id}/archive").status_code in (303, 401)
    with httpx.Client(base_url=server.base, cookies=cookies, follow_redirects=False) as signed:
        for path, form in writes:
            for data, headers in (
                (form, same_origin),
                ({**form, "csrf_token": "wrong"}, same_origin),
                ({**form, "csrf_token": token}, {"Origin": "http://evil.example"}),
                ({**form, "csrf_token": token}, {"Sec-Fetch-Site": "cross-site"}),
            ):
                refused = signed.post(path, data=data, headers=headers)
                assert refused.status_code == 403, (path, data, headers)
        activity = signed.get("/api/activity").json()
        assert all(job["state"] != "running" for job in activity["jobs"])
        # The same request with the token, from this origin, does change something:
        allowed = signed.post(
            f"/points/{point_id}/pin",
            data={"pinned": "true"},
            headers={**same_origin, "X-CSRF-Token": token, "Accept": "application/json"},
        )
        assert allowed.status_code == 200 and allowed.json()["pinned"] is True
        signed.post(
            f"/points/{point_id}/pin",
            data={"pinned": "false", "csrf_token": token},
            headers=same_origin,
        )
    assert fingerprint(site) == files and manifests(site) == points


def test_security_headers(server: Server) -> None:
    response = httpx.get(f"{server.base}/login")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["cache-control"] == "no-store"
    assert "server" not in response.headers
    rebound = httpx.get(f"{server.base}/login", headers={"Host": "attacker.example"})
    assert rebound.status_code == 400  # DNS rebinding: another name for 127.0.0.1 reaches nothing
    assert httpx.get(f"{server.base}/login", headers={"Host": "localhost"}).status_code == 200


def test_an_unreadable_restore_point_is_shown_and_can_be_deleted(
    page: Page, server: Server, site: Path
) -> None:
    broken = site / "uSync/restore/points/20260101T000000000Z-bad000"
    broken.mkdir(parents=True)
    (broken / "manifest.json").write_text("{ not json", encoding="utf-8")
    page.goto(f"{server.base}/")
    warning = page.locator(".flash-error", has_text="cannot be read")
    expect(warning).to_contain_text("20260101T000000000Z-bad000")
    shot(page, "25-unreadable-restore-point")
    warning.get_by_role("button", name=re.compile("Delete the unreadable")).click()
    deleted = page.locator(".flash-ok")
    expect(deleted).to_contain_text("Deleted restore point 20260101T000000000Z-bad000")
    expect(page.locator(".flash-error")).to_have_count(0)
    assert not broken.exists()
