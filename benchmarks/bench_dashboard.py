"""Benchmark: how long the dashboard takes to show the restore points and a check, in Chromium.

On a copy of the largest corpus site (navsjon-sportfiske) with ``--points`` restore points,
a real ``publisher-restore serve`` and Debian's Chromium (Playwright), times:

- ``list``: open the restore-points page until it has loaded (scripts and styles included);
- ``check``: from the list, press Restore… until the check page shows its summary (the
  check runs as a server-side job; the time includes the job page and its polling);
- ``check_job``: the check job alone, as the server measured it (started -> finished);

for two sites: ``typical`` (the browser tests' bad import: 6 changes, a damaging finding)
and ``everything`` (every uSync item file deleted, so the check lists every item as created,
with all its values).  Then, under ``operations``, on a site with ``--operations`` imports
in its history and one import waiting for a decision, the pages of part B: ``operations``,
``operation`` (one operation's details), ``decisions``, ``decision`` (one waiting, with its
plan), and ``pack_plan``: upload a whole-site pack (every item of the site, one content
type changed) on the Sync packs page until its plan shows (upload, every check of the
pack, the plan over the site).  Prints one JSON object with the median of ``--repeat``
runs (ms).

    .venv/bin/python benchmarks/bench_dashboard.py [--points 10] [--operations 20] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path

import httpx
from playwright.sync_api import Page, sync_playwright

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from publisher_restore.operations.decisions import Choice, Decision, OperationKind  # noqa: E402
from publisher_restore.operations.history import OperationHistory  # noqa: E402
from publisher_restore.operations.import_plan import ImportOptions  # noqa: E402
from publisher_restore.operations.pipeline import ImportPipeline  # noqa: E402
from publisher_restore.operations.steps import Steps  # noqa: E402
from publisher_restore.runtime import Runtime  # noqa: E402
from tests.web.helpers import cli_command, launch, password_hash, serving, sign_in  # noqa: E402

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


CODE = "uSync/v9/ContentTypes/featurecomponentcode.config"
GRID = "uSync/v9/ContentTypes/contentgriddefault.config"
MANDATORY = ("<Mandatory>false</Mandatory>", "<Mandatory>true</Mandatory>")


def export_pack(root: Path, name: str, changed: str | None, items: list[str]) -> Path:
    """A pack from a copy of the corpus site, a property of ``changed`` made mandatory."""
    source = root / name / SITE
    shutil.copytree(CORPUS / SITE, source)
    if changed is not None:
        path = source / changed
        path.write_text(path.read_text(encoding="utf-8-sig").replace(*MANDATORY, 1), "utf-8")
    out = root / f"{name}.usync"
    args = [a for item in items for a in ("--item", item)]
    command = cli_command(source, "pack", "export", "--out", str(out), *args)
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    return out


def history_site(root: Path, operations: int) -> tuple[Path, str]:
    """The corpus site with ``operations`` imports done and one waiting; the waiting id."""
    site = root / SITE
    shutil.copytree(CORPUS / SITE, site)
    one = ["ContentType:featureComponentCode"]
    packs = [export_pack(root, f"src{n}", CODE if n == 0 else None, one) for n in range(2)]
    env = Runtime.open(site).env
    pipeline = ImportPipeline(env, OperationKind.IMPORT, "bench", Steps())
    for number in range(operations + 1):
        with pipeline.open_pack(packs[number % 2], ImportOptions()) as pack:
            prepared = pipeline.prepare(pack, f"pack {number}", ImportOptions())
            if number == operations:
                return site, pipeline.pending().save(prepared).id
            pipeline.execute(prepared, Decision(choice=Choice.CONTINUE, decided_by="bench"), pack)
    raise AssertionError("unreachable")


def measure_pages(operations: int, repeat: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        site, waiting = history_site(root, operations)
        whole = export_pack(root, "whole", GRID, [])
        pack_bytes = whole.stat().st_size
        env = {"uSync__Restore__Dashboard__PasswordHash": password_hash()}
        times: dict[str, list[float]] = {}
        with serving(site, root / "serve.log", env) as server, sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            sign_in(page, server.base)
            history = OperationHistory(Runtime.open(site).env.store.provider)
            op_id = history.entries()[0][0].record.id
            pages = {
                "operations_ms": "/operations",
                "operation_ms": f"/operations/{op_id}",
                "decisions_ms": "/decisions",
                "decision_ms": f"/decisions/{waiting}",
            }
            for _ in range(repeat):
                for key, path in pages.items():
                    url = f"{server.base}{path}"
                    times.setdefault(key, []).append(timed(partial(page.goto, url)))

                def plan() -> None:
                    page.goto(f"{server.base}/packs")
                    page.get_by_label("Sync pack file").set_input_files(str(whole))
                    page.get_by_role("button", name="Upload and plan").click()
                    page.wait_for_selector("#import-title, #job-result", timeout=300_000)

                times.setdefault("pack_plan_ms", []).append(timed(plan))
            browser.close()
    result: dict[str, object] = {"operations": operations, "pack_bytes": pack_bytes}
    result.update({key: round(statistics.median(values)) for key, values in times.items()})
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10)
    parser.add_argument("--operations", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    result = {
        "site": SITE,
        "points": args.points,
        "repeat": args.repeat,
        "typical": measure(typical, args.points, args.repeat),
        "everything": measure(everything, args.points, args.repeat),
        "operations": measure_pages(args.operations, args.repeat),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
