"""Peak memory and time of ``publisher-restore analyse`` alone, at several site sizes.

For each size: the harness's synthetic site (no media) and its copy with 2% of the items
changed, then ``analyse --current SITE --incoming COPY --json`` in a child process, measured
as the harness measures (GNU time: wall, CPU, peak RSS).  Prints one markdown table::

    .venv/bin/python -m benchmarks.analyse_memory                      # 2,000 and 20,000 items
    .venv/bin/python -m benchmarks.analyse_memory --items 2000 20000 100000 --json-out out.json
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from benchmarks.harness.measure import run
from benchmarks.harness.tools import default_cli
from benchmarks.synthetic_site import SiteSpec, generate_site, write_changed_copy


def measure(cli: Path, work: Path, items: int) -> dict[str, float | int]:
    """Build one site and its changed copy under ``work``, and analyse them once."""
    site, copy = work / f"site-{items}", work / f"changed-{items}"
    generate_site(site, SiteSpec(items=items, media_mb=0))
    write_changed_copy(site, copy)
    command = [str(cli), "analyse", "--current", str(site), "--incoming", str(copy), "--json"]
    sample, stdout = run(command)
    findings = json.loads(stdout)["summary"]["total"]
    shutil.rmtree(site)
    shutil.rmtree(copy)
    return {
        "items": items,
        "findings": findings,
        "wall_s": sample.wall_s,
        "cpu_s": sample.cpu_s,
        "peak_rss_mb": sample.peak_rss_mb,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[2_000, 20_000])
    parser.add_argument("--cli", type=Path, default=None, help="default: the .venv's")
    parser.add_argument("--json-out", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args(argv)
    cli = args.cli or default_cli()
    rows = []
    with tempfile.TemporaryDirectory(prefix="pr-analyse-") as work:
        for items in args.items:
            print(f"analyse at {items:,} items", file=sys.stderr, flush=True)
            rows.append(measure(cli, Path(work), items))
    if args.json_out:
        args.json_out.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    print("| items | findings | wall s | CPU s | peak MB |")
    print("| --: | --: | --: | --: | --: |")
    for row in rows:
        print(
            f"| {row['items']:,} | {row['findings']} | {row['wall_s']:.2f} | "
            f"{row['cpu_s']:.2f} | {row['peak_rss_mb']:,.0f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
