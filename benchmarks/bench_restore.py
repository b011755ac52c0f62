"""Measure create / check / restore on a copy of a site; prints JSON.

    .venv/bin/python benchmarks/bench_restore.py [--site DIR] [--media-mb N] [--repeat N]

Defaults to the largest corpus site (navsjon-sportfiske).  ``--media-mb`` adds
synthetic incompressible media files (1-4 MB each) to the copy and includes media.
Peak RSS is the process maximum (ru_maxrss), so run one configuration per process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from publisher_restore.service import RestoreService

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SITE = REPO.parent / "shared" / "corpus" / "navsjon-sportfiske"


def timed(action: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best-of-``repeat`` wall time in seconds, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    return best, result


def add_media(site: Path, megabytes: int) -> int:
    rng = random.Random(7)
    written = 0
    folder = 0
    while written < megabytes * 1024 * 1024:
        size = rng.randint(1, 4) * 1024 * 1024
        target = site / "wwwroot" / "media" / f"m{folder:04d}" / "photo.jpg"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(os.urandom(size))
        written += size
        folder += 1
    return written


def damage(site: Path, service: RestoreService) -> None:
    for path in sorted((service.site.usync_dir / "Content").glob("*.config"))[:10]:
        path.unlink()
    for path in sorted((service.site.usync_dir / "ContentTypes").glob("*.config"))[:5]:
        text = path.read_text(encoding="utf-8-sig")
        path.write_text(text.replace("<Mandatory>false</Mandatory>", "<Mandatory>true</Mandatory>"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", type=Path, default=DEFAULT_SITE)
    parser.add_argument("--media-mb", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        shutil.copytree(args.site, site, ignore=shutil.ignore_patterns("restore"))
        media_bytes = add_media(site, args.media_mb) if args.media_mb else 0
        service = RestoreService.open(site)
        create_s, point = timed(
            lambda: service.create(include_media=bool(media_bytes)), args.repeat
        )
        damage(site, service)
        check_s, plan = timed(lambda: service.check(point.id), args.repeat)
        restore_s, _ = timed(lambda: service.restore(point.id, pre_restore=False), 1)
        verify_s, _ = timed(lambda: service.verify(point.id), args.repeat)
        print(
            json.dumps(
                {
                    "site": str(args.site),
                    "files": point.file_count,
                    "items": len(point.items),
                    "content_bytes": point.content_bytes,
                    "archive_bytes": point.archive_size,
                    "media_bytes": media_bytes,
                    "create_s": round(create_s, 3),
                    "check_s": round(check_s, 3),
                    "check_changes": len(plan.changes),
                    "restore_s": round(restore_s, 3),
                    "verify_s": round(verify_s, 3),
                    "peak_rss_mb": round(
                        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
                    ),
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
