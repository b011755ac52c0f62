"""Benchmark: a push, prepare and execute timed apart, locally and over HTTP.

Two workloads:

- ``corpus``: the largest corpus site (``navsjon-sportfiske`` by default), every item
  pushed from a changed copy (``bench_analyser.change_site``: about 2% of the items edited,
  some damaging) to an unchanged copy;
- ``generated``: a 20,000-item synthetic site (``benchmarks.synthetic_site``, no media),
  pushed the same way from a copy with 2% of its items changed (``write_changed_copy``).

For each: ``collect`` (the source's selection written as a pack), ``prepare`` (the pack
read with every check, paired, analysed and planned on the target) and ``execute``
(token re-check under the lock, writes, history record), once without a restore point
and once with one (a fresh target each time); and over HTTP against a ``serve`` process:
``prepare`` (upload + the target's prepare) and ``execute``.  Best of ``--repeat``.
Prints one JSON object.  Usage::

    .venv/bin/python -m benchmarks.bench_publish [--items 20000] [--repeat 3] [--site NAME]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from benchmarks.bench_analyser import change_site
from benchmarks.synthetic_site import SiteSpec, generate_site, write_changed_copy
from publisher_restore.operations.decisions import Choice, Decision, OperationKind
from publisher_restore.operations.import_plan import ImportOptions, PreparedImport
from publisher_restore.operations.pipeline import ImportPipeline
from publisher_restore.operations.remote import PublisherClient
from publisher_restore.plugin_manager import build_plugin_manager
from publisher_restore.publisher.collect import collect_pack
from publisher_restore.publisher.settings import ServerSettings
from publisher_restore.runtime import Runtime
from publisher_restore.site import Site

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
OPTIONS = ImportOptions()
T = TypeVar("T")


def timed(action: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def local_run(source: Path, target_template: Path, work: Path, choice: Choice) -> dict[str, Any]:
    """One push on a fresh copy of the target: collect, prepare, execute."""
    target = work / "target"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(target_template, target)
    pack_path = work / "push.usync"
    collect_seconds, _ = timed(lambda: collect_pack(Site.open(source), [], pack_path))
    runtime = Runtime.open(target, build_plugin_manager(load_entry_points=False))
    pipeline = ImportPipeline(runtime.env, OperationKind.PUSH, "bench@local")

    def prepare() -> tuple[Any, PreparedImport]:
        pack = pipeline.open_pack(pack_path, OPTIONS)
        return pack, pipeline.prepare(pack, "bench source", OPTIONS)

    prepare_seconds, (pack, prepared) = timed(prepare)
    decision = Decision(choice=choice, decided_by="bench")
    execute_seconds, result = timed(lambda: pipeline.execute(prepared, decision, pack))
    pack.close()
    return {
        "collect": collect_seconds,
        "prepare": prepare_seconds,
        "execute": execute_seconds,
        "written": result.written,
        "findings": len(prepared.request.findings),
        "items_in_pack": prepared.pack.items,
        "pack_bytes": prepared.pack.size,
    }


def serve(site: Path) -> tuple[subprocess.Popen[bytes], str]:
    args = ["--site", str(site), "serve", "--port", "0", "--json"]
    process = subprocess.Popen(
        [sys.executable, "-m", "publisher_restore", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdout is not None
    text = b""
    while not text.rstrip().endswith(b"}"):
        text += process.stdout.readline()
    return process, json.loads(text)["url"].rstrip("/")


def http_run(source: Path, target_template: Path, work: Path) -> dict[str, Any]:
    """One push over HTTP to a ``serve`` process on a fresh copy of the target."""
    target = work / "http-target"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(target_template, target)
    app_key = secrets.token_urlsafe(32)
    clients = {"bench": {"AppKey": app_key, "Allow": ["Push"]}}
    publisher = {"Push": "Never", "MaxBodyMiB": 1024, "Clients": clients}
    settings = {"uSync": {"Restore": {"Publisher": publisher}}}
    (target / "appsettings.json").write_text(json.dumps(settings), encoding="utf-8")
    pack_path = work / "push.usync"
    collect_pack(Site.open(source), [], pack_path)
    process, url = serve(target)
    try:
        client = PublisherClient(ServerSettings(name="t", url=url, app_id="bench", app_key=app_key))
        prepare_seconds, response = timed(
            lambda: client.prepare_push(pack_path, source="bench", who="bench", options=OPTIONS)
        )
        execute_seconds, result = timed(
            lambda: client.execute(response.pending_id, response.plan.token, None)
        )
        client.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
    return {"prepare": prepare_seconds, "execute": execute_seconds, "written": result.written}


def best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Fastest of each timing (counts from the first run), rounded."""
    out = dict(runs[0])
    for key in ("collect", "prepare", "execute"):
        if key in out:
            out[key] = round(min(run[key] for run in runs), 3)
    return out


def workload(name: str, source: Path, target: Path, repeat: int, work: Path) -> dict[str, Any]:
    work.mkdir(parents=True, exist_ok=True)
    return {
        "workload": name,
        "local_without_restore_point": best(
            [local_run(source, target, work, Choice.CONTINUE) for _ in range(repeat)]
        ),
        "local_with_restore_point": best(
            [local_run(source, target, work, Choice.RESTORE_POINT) for _ in range(repeat)]
        ),
        "http_without_restore_point": best([http_run(source, target, work) for _ in range(repeat)]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--site", default="navsjon-sportfiske", help="a corpus site (uSync/v9)")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="bench-publish-"))
    try:
        corpus_target, corpus_source = base / "corpus-target", base / "corpus-source"
        shutil.copytree(CORPUS / args.site, corpus_target)
        shutil.copytree(CORPUS / args.site, corpus_source)
        corpus_changes = change_site(corpus_source)
        corpus = workload(args.site, corpus_source, corpus_target, args.repeat, base / "w1")
        corpus["changes"] = corpus_changes
        generated_target, generated_source = base / "gen-target", base / "gen-source"
        generate_site(generated_target, SiteSpec(items=args.items, media_mb=0))
        shutil.copytree(generated_target, generated_source, ignore=shutil.ignore_patterns("uSync"))
        changes = write_changed_copy(generated_target, generated_source)
        name = f"synthetic site ({args.items} items)"
        generated = workload(name, generated_source, generated_target, args.repeat, base / "w2")
        generated["changes"] = changes.model_dump()
        report = {"cpu_count": os.cpu_count(), "results": [corpus, generated]}
        print(json.dumps(report, indent=2))
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
