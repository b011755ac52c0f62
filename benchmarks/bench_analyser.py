"""Benchmark: analysing a ~20,000-item site against a changed copy vs lxml parsing both sides.

Builds the site by multiplying the corpus sites' items (every GUID rewritten per copy, so each
copy is a consistent set of new items), writes a changed copy (properties removed, compositions
dropped, values emptied, content deleted), then times:

- ``parse``: read every item file of both sides and ``lxml.etree.fromstring`` it;
- ``analyse``: what ``publisher-restore analyse`` does before rendering: find each side's
  folder, load both (safe parsing into the item model) and run every built-in rule.

Prints one JSON object; the target is ``ratio <= 1.5``.  Usage::

    .venv/bin/python benchmarks/bench_analyser.py [--items 20000] [--repeat 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from publisher_restore.analyser.engine import run_rules
from publisher_restore.analyser.loading import load_pair
from publisher_restore.analyser.rules import builtin_rules
from publisher_restore.site import Site

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"

GUID = re.compile(rb"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def new_keys(copy: int) -> Callable[[re.Match[bytes]], bytes]:
    """Map every GUID to a new one for this copy: unique, and the same wherever it appears."""
    namespace = uuid.UUID(int=copy + 1)

    def replace(match: re.Match[bytes]) -> bytes:
        return str(uuid.uuid5(namespace, match.group(0).decode().lower())).encode()

    return replace


def corpus_files() -> list[tuple[str, Path, Path]]:
    """(site, version folder, file) for every item file of every corpus site's current folder."""
    found = []
    for site in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        usync = Site.open(site).usync_dir
        for path in sorted(usync.rglob("*.config")):
            if path.name.lower() != "usync.config":
                found.append((site.name, usync, path))
    return found


def build_site(root: Path, items: int) -> int:
    """Write ``items`` item files under ``root/uSync/v9``; returns how many were written."""
    files = corpus_files()
    target = root / "uSync" / "v9"
    target.mkdir(parents=True)
    (target / "usync.config").write_bytes(b'<uSync version="10.0.0.0" format="9.2.0" />')
    written, copy = 0, 0
    while written < items:
        rekey = new_keys(copy)
        for site, usync, path in files:
            if written >= items:
                break
            relative = path.relative_to(usync)
            dest = target / relative.parts[0] / f"{site}-{copy}" / Path(*relative.parts[1:])
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(GUID.sub(rekey, path.read_bytes()))
            written += 1
        copy += 1
    return written


def change_site(root: Path) -> dict[str, int]:
    """Apply a realistic mix of damaging and harmless edits to about 2% of the items."""
    counts = {
        "properties_removed": 0,
        "compositions_removed": 0,
        "values_emptied": 0,
        "content_deleted": 0,
        "descriptions_edited": 0,
    }
    usync = root / "uSync" / "v9"
    for index, path in enumerate(sorted(usync.rglob("*.config"))):
        if index % 50:
            continue
        data = path.read_bytes()
        handler = path.relative_to(usync).parts[0]
        if handler == "ContentTypes" and b"<GenericProperty>" in data:
            data = re.sub(
                rb"\s*<GenericProperty>.*?</GenericProperty>", b"", data, count=1, flags=re.S
            )
            counts["properties_removed"] += 1
        elif handler == "ContentTypes" and b"<Composition " in data:
            data = re.sub(rb"\s*<Composition [^>]*>[^<]*</Composition>", b"", data, count=1)
            counts["compositions_removed"] += 1
        elif handler == "Content" and index % 100 == 0:
            key = re.search(rb'Key="([^"]+)"', data)
            alias = re.search(rb'Alias="([^"]*)"', data)
            if key and alias:
                data = b'<Empty Key="%s" Alias="%s" Change="Delete" />' % (key[1], alias[1])
                counts["content_deleted"] += 1
        elif handler in ("Content", "Media") and b"<Value><![CDATA[" in data:
            data = re.sub(rb"<Value><!\[CDATA\[[^\]]+\]\]>", b"<Value><![CDATA[]]>", data, count=1)
            counts["values_emptied"] += 1
        else:
            data = data.replace(
                b"<Description></Description>", b"<Description>Edited</Description>", 1
            )
            counts["descriptions_edited"] += 1
        path.write_bytes(data)
    return counts


def parse_both(sides: list[Path]) -> int:
    """Read and lxml-parse every item file of both sides; returns the number of files."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    count = 0
    for side in sides:
        for path in side.rglob("*.config"):
            with contextlib.suppress(etree.XMLSyntaxError):
                etree.fromstring(path.read_bytes(), parser)
            count += 1
    return count


def analyse_both(current: Path, incoming: Path) -> int:
    """Load both sides and run every rule, as the analyse command does; returns findings."""
    cur, inc = load_pair(current, incoming)
    return len(run_rules(cur, inc, "complete", builtin_rules()).findings)


def best_of(repeat: int, action: Callable[[], int]) -> tuple[float, int]:
    """The fastest of ``repeat`` runs, and the action's result."""
    times, result = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    """Build, change, time, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=None, help="build here and keep it")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-analyser-"))
    try:
        current, incoming = base / "current", base / "incoming"
        items = build_site(current, args.items)
        shutil.copytree(current, incoming)
        changes = change_site(incoming)
        parse_time, files = best_of(args.repeat, lambda: parse_both([current, incoming]))
        analyse_time, findings = best_of(args.repeat, lambda: analyse_both(current, incoming))
        print(
            json.dumps(
                {
                    "items_per_side": items,
                    "files_parsed": files,
                    "changes": changes,
                    "findings": findings,
                    "lxml_parse_seconds": round(parse_time, 3),
                    "analyse_seconds": round(analyse_time, 3),
                    "ratio": round(analyse_time / parse_time, 2),
                    "target_ratio": 1.5,
                },
                indent=2,
            )
        )
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
