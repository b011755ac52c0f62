"""Benchmark publisher-restore against zip, tar --zstd and restic on one synthetic site.

    .venv/bin/python -m benchmarks.harness             # 20,000 items + 600 MB media, medians of 3
    .venv/bin/python -m benchmarks.harness --quick     # 2,000 items + 30 MB media, one run each
    .venv/bin/python -m benchmarks.harness --items 100000 --media-mb 0 --repeat 1

Prints one markdown table (``--json``: the whole report as JSON; ``--json-out FILE`` writes it
too); progress goes to stderr.  Installs restic from Debian's packages when it is missing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.harness import report as reporting
from benchmarks.harness.measure import CommandFailed
from benchmarks.harness.scenarios import Bench, log
from benchmarks.harness.targets import evaluate
from benchmarks.harness.tools import (
    Archivers,
    PublisherRestore,
    Restic,
    ToolMissing,
    default_cli,
    ensure_tools,
    tool_versions,
)
from benchmarks.synthetic_site import SiteSpec, generate_site, write_changed_copy

PROFILES: dict[str, dict[str, float]] = {
    "default": {
        "items": 20_000,
        "languages": 3,
        "views": 60,
        "static_files": 80,
        "media_mb": 600,
        "repeat": 3,
    },
    "quick": {
        "items": 2_000,
        "languages": 3,
        "views": 20,
        "static_files": 20,
        "media_mb": 30,
        "repeat": 1,
    },
}
SIZES = ("items", "languages", "views", "static_files", "media_mb", "repeat", "seed")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.harness",
        description=(__doc__ or "").splitlines()[0],
    )
    parser.add_argument(
        "--quick", action="store_true", help="2,000 items, 30 MB media, 1 run (< 1 min)"
    )
    parser.add_argument("--items", type=int, help="uSync items (default 20,000)")
    parser.add_argument("--languages", type=int, help="languages (default 3)")
    parser.add_argument("--views", type=int, help="Razor views (default 60)")
    parser.add_argument("--static-files", type=int, help="css/js files (default 80)")
    parser.add_argument("--media-mb", type=float, help="media MB, 10^6 bytes (default 600)")
    parser.add_argument(
        "--repeat", type=int, help="runs per operation, median reported (default 3)"
    )
    parser.add_argument("--seed", type=int, help="generator seed (default 11)")
    parser.add_argument(
        "--work", type=Path, help="build here (must not exist); default a temp folder"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument(
        "--cli", type=Path, help="publisher-restore executable (default: the .venv's)"
    )
    parser.add_argument("--json", action="store_true", help="print the whole report as JSON")
    parser.add_argument("--json-out", type=Path, help="also write the JSON report to this file")
    parser.add_argument(
        "--render",
        type=Path,
        metavar="REPORT.json",
        help="print the table of a saved report; run nothing",
    )
    return parser.parse_args(argv)


def settings(args: argparse.Namespace) -> tuple[str, SiteSpec, int]:
    profile = "quick" if args.quick else "default"
    values = dict(PROFILES[profile])
    overrides = {name: getattr(args, name) for name in SIZES if getattr(args, name) is not None}
    if set(overrides) - {"seed"}:
        profile += " (changed: " + ", ".join(f"{k}={v:g}" for k, v in overrides.items()) + ")"
    values.update(overrides)
    repeat = int(values.pop("repeat"))
    if repeat < 1:
        raise ValueError("--repeat must be at least 1")
    spec = SiteSpec(
        items=int(values["items"]),
        languages=int(values["languages"]),
        views=int(values["views"]),
        static_files=int(values["static_files"]),
        media_mb=values["media_mb"],
        **({"seed": int(values["seed"])} if "seed" in values else {}),
    )
    return profile, spec, repeat


def benchmark(args: argparse.Namespace, work: Path) -> reporting.Report:
    profile, spec, repeat = settings(args)
    started, clock = datetime.now(UTC), time.perf_counter()
    restic_path, installed = ensure_tools()
    cli = args.cli or default_cli()
    machine = reporting.machine()
    log(f"building the site in {work}: {spec.items:,} items, {spec.media_mb:g} MB media")
    site_summary = generate_site(work / "site", spec)
    changed = write_changed_copy(work / "site", work / "changed", seed=spec.seed)
    log(f"built in {site_summary.seconds:.1f} s; {changed.changed} items changed in the copy")
    site = work / "site"
    pr = PublisherRestore(cli, site)
    restic = Restic(restic_path, site, work / "restic-cache")
    bench = Bench(work, site, work / "changed", repeat, pr, Archivers(site), restic)
    bench.run_all()
    machine["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    tools = {
        "publisher_restore": pr.version().rsplit(" ", 1)[-1],
        "git": reporting.git_revision(),
        "restic": restic.settings(work / "restic" / "plain") | {"installed_by_harness": installed},
        **tool_versions(),
    }
    return reporting.Report(
        profile=profile,
        spec=spec,
        repeat=repeat,
        started=started.isoformat(timespec="seconds"),
        seconds=round(time.perf_counter() - clock, 1),
        machine=machine,
        tools=tools,
        site=site_summary,
        changed_copy=changed,
        facts=bench.facts,
        measurements=bench.results,
        targets=evaluate(bench.results, spec.items, site_summary.scopes["media"].bytes),
    )


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.render is not None:
        saved = reporting.Report.model_validate_json(args.render.read_text(encoding="utf-8"))
        print(reporting.render(saved))
        return 0
    if args.work is not None and args.work.exists():
        print(f"benchmark: {args.work} already exists; name a new folder", file=sys.stderr)
        return 2
    work = args.work or Path(tempfile.mkdtemp(prefix="pr-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        result = benchmark(args, work)
        as_json = result.model_dump_json(indent=2)
        if args.json_out:
            args.json_out.write_text(as_json + "\n", encoding="utf-8")
        print(as_json if args.json else reporting.render(result), flush=True)
    except (ToolMissing, CommandFailed, RuntimeError, ValueError, OSError) as error:
        print(f"benchmark: {error}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
