"""Benchmark: how long the dashboard takes to show the restore points and a check, in Chromium.

On a copy of the largest corpus site (navsjon-sportfiske) with ``--points`` restore points,
a real ``publisher-restore serve`` and Debian's Chromium (Playwright), times:

- ``list``: open the restore-points page until it has loaded (scripts and styles included);
- ``check``: from the list, press Restore… until the check page shows its summary (the
  check runs as a server-side job; the time includes the job page and its polling);
- ``check_job``: the check job alone, as the server measured it (started -> finished);

for two sites: ``typical`` (the browser tests' bad import: 6 changes, a damaging finding)
and ``everything`` (every uSync item file deleted, so the check lists every item as created,
with all its values).  Prints one JSON object with the median of ``--repeat`` runs (ms).

    .venv/bin/python benchmarks/bench_dashboard.py [--points 10] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import httpx
from playwright.sync_api import Page, sync_playwright

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from publisher_restore.runtime import Runtime  # noqa: E402
from tests.web.helpers import launch, password_hash, serving, sign_in  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus"
SITE = "navsjon-sportfiske"
HANDLERS = ("Content", "ContentTypes", "DataTypes", "Languages", "Media", "MediaTypes",
            "MemberTypes", "Templates")  # fmt: skip


def typical(site: Path) -> None:
    """The browser tests' bad import."""
    from tests.web.test_dashboard_flows import damage

    damage(site)


def everything(site: Path) -> None:
    for handler in HANDLERS:
        for path in (site / "uSync/v9" / handler).glob("*.config"):
            path.unlink()


def prepare_site(root: Path, points: int, change: Callable[[Path], None]) -> tuple[Path, str]:
    site = root / SITE
    shutil.copytree(CORPUS / SITE, site)
    for path in site.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    runtime = Runtime.open(site)
    point_ids = [runtime.restore_points().create(note=f"point {n}").id for n in range(points)]
    change(site)
    return site, point_ids[-1]


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def job_ms(base: str, page: Page) -> float:
    """The server's own start -> finish time of the check job that produced this page."""
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    jobs = httpx.get(f"{base}/api/activity", cookies=cookies).json()["jobs"]
    checks = [j for j in jobs if j["kind"] == "check" and j["finished"]]
    last = max(checks, key=lambda j: j["finished"])
    started, finished = (datetime.fromisoformat(last[k]) for k in ("started", "finished"))
    return (finished - started).total_seconds() * 1000


def measure(change: Callable[[Path], None], points: int, repeat: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        site, point_id = prepare_site(root, points, change)
        env = {"uSync__Restore__Dashboard__PasswordHash": password_hash()}
        with serving(site, root / "serve.log", env) as server, sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            sign_in(page, server.base)
            lists, checks, jobs, changes = [], [], [], 0
            for _ in range(repeat):
                lists.append(timed(lambda: page.goto(f"{server.base}/", wait_until="load")))

                def check() -> None:
                    row = page.locator(f"#p-{point_id}")
                    row.get_by_role("button", name="Restore the point", exact=False).click()
                    page.wait_for_selector("#count-changes", timeout=120_000)

                checks.append(timed(check))
                changes = int(page.locator("#count-changes").inner_text())
                jobs.append(job_ms(server.base, page))
            browser.close()
    return {
        "changes": changes,
        "list_ms": round(statistics.median(lists)),
        "check_ms": round(statistics.median(checks)),
        "check_job_ms": round(statistics.median(jobs)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    result = {
        "site": SITE,
        "points": args.points,
        "repeat": args.repeat,
        "typical": measure(typical, args.points, args.repeat),
        "everything": measure(everything, args.points, args.repeat),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
