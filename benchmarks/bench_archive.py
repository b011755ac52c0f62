"""Archive throughput and memory for one folder: create, verify, extract; prints JSON.

Each phase runs in its own fresh process so its peak RSS is its own.  Throughput
is content bytes (the files' total size) per second of wall time.

    python benchmarks/bench_archive.py /work/shared/corpus/zmenu [--level 3] [--threads 0]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from publisher_restore.restore.archive import (
    SourceFile,
    extract_verified,
    verify_archive,
    write_archive,
)
from publisher_restore.restore.manifest import FileRecord, Scope

MIB = 1024 * 1024


def source_files(root: Path) -> list[SourceFile]:
    """Every regular file under ``root``, in path order."""
    return [
        SourceFile(path=p.relative_to(root).as_posix(), abs_path=p, scope=Scope.MEDIA)
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    ]


def peak_rss_mib() -> float:
    """This process's peak resident set size (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase_idle(_: dict[str, Any]) -> dict[str, Any]:
    """Baseline: the interpreter with the package imported."""
    return {}


def phase_create(job: dict[str, Any]) -> dict[str, Any]:
    """Write the archive; records go to a JSON file for the other phases."""
    files = source_files(Path(job["folder"]))
    records = write_archive(Path(job["archive"]), files, level=job["level"], threads=job["threads"])
    Path(job["records"]).write_text(json.dumps([r.model_dump(mode="json") for r in records]))
    return {"files": len(records)}


def phase_verify(job: dict[str, Any]) -> dict[str, Any]:
    """Read and check the archive without writing."""
    with open(job["archive"], "rb") as stream:
        report = verify_archive(stream, load_records(job))
    return {"files": report.file_count}


def phase_extract(job: dict[str, Any]) -> dict[str, Any]:
    """Verify while writing every file into an empty staging folder."""
    stage = Path(job["stage"])
    stage.mkdir()
    with open(job["archive"], "rb") as stream:
        report = extract_verified(stream, load_records(job), stage)
    return {"files": report.file_count}


PHASES = {"idle": phase_idle, "create": phase_create, "verify": phase_verify}
PHASES["extract"] = phase_extract


def load_records(job: dict[str, Any]) -> list[FileRecord]:
    """The records the create phase wrote."""
    return [FileRecord(**r) for r in json.loads(Path(job["records"]).read_text())]


def run_phase(name: str, job: dict[str, Any], queue: Any) -> None:
    """Child-process entry: time one phase and report it with the peak RSS."""
    started = time.perf_counter()
    result = PHASES[name](job)
    result["seconds"] = time.perf_counter() - started
    result["peak_rss_mib"] = round(peak_rss_mib(), 1)
    queue.put(result)


def measure(name: str, job: dict[str, Any]) -> dict[str, Any]:
    """Run one phase in a fresh spawned process and return what it reported."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=run_phase, args=(name, job, queue))
    process.start()
    result: dict[str, Any] = queue.get()
    process.join()
    if process.exitcode != 0:
        raise SystemExit(f"phase {name} failed with exit code {process.exitcode}")
    return result


def main(argv: list[str] | None = None) -> int:
    """Benchmark one folder and print one JSON object."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--level", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args(argv)
    content = sum(f.abs_path.stat().st_size for f in source_files(args.folder))
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as work:
        job = {
            "folder": str(args.folder),
            "archive": f"{work}/archive.tar.zst",
            "records": f"{work}/records.json",
            "stage": f"{work}/stage",
            "level": args.level,
            "threads": args.threads,
        }
        results = {name: measure(name, job) for name in PHASES}
        archive_bytes = Path(job["archive"]).stat().st_size
    for name in ("create", "verify", "extract"):
        seconds = results[name]["seconds"]
        results[name]["mb_per_s"] = round(content / MIB / seconds, 1) if seconds else None
        results[name]["seconds"] = round(seconds, 3)
    summary = {
        "folder": str(args.folder),
        "level": args.level,
        "threads": args.threads,
        "content_bytes": content,
        "archive_bytes": archive_bytes,
        "ratio": round(archive_bytes / content, 3) if content else None,
        "baseline_rss_mib": results.pop("idle")["peak_rss_mib"],
        **results,
    }
    json.dump(summary, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
