"""The size-and-modification-time shortcut, as documented: what it skips, and ``--rehash``.

A file whose size and modification time (ns) still match its row in the point is taken as
unchanged without being read, by create (against the previous point), check and restore;
only rows recorded at least two seconds before the point was taken count, so a file
changed again within the same timestamp tick is never missed.  ``--rehash`` reads every
file.  A change that keeps both size and time (``touch -r``, some copy tools) is missed
without it: that is the documented price.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from publisher_restore.service import RestoreService
from tests.restore.test_interruptions import run_cli

VIEW = "Views/Partials/nav.cshtml"


def age(site: Path, seconds: float = 3600) -> None:
    """Every file of the site modified ``seconds`` ago (long enough to be trusted)."""
    past = time.time_ns() - int(seconds * 1e9)
    for path in site.rglob("*"):
        if path.is_file() and "restore" not in path.parts:
            os.utime(path, ns=(past, past))


def same_size_same_time(path: Path) -> None:
    """Change the file's bytes, keeping its size and modification time."""
    before = path.stat()
    data = bytearray(path.read_bytes())
    data[0] = ord("#") if data[0] != ord("#") else ord("@")
    path.write_bytes(bytes(data))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_an_unchanged_second_create_reads_nothing_and_adds_no_file_bytes(sample_site: Path) -> None:
    age(sample_site)
    service = RestoreService.open(sample_site)
    first = service.create(include_media=True)
    second = service.create(include_media=True)
    assert second.added_bytes == 0
    assert service.store.body(second).objects == service.store.body(first).objects
    touched = sample_site / VIEW
    os.utime(touched)  # a new time, the same bytes: read again, nothing stored again
    third = service.create(include_media=True)
    new = set(service.store.body(third).objects) - set(service.store.body(second).objects)
    assert all(name.startswith("objects/index/") for name in new), new


def test_check_and_create_trust_size_and_time_and_rehash_reads_everything(
    sample_site: Path,
) -> None:
    age(sample_site)
    service = RestoreService.open(sample_site)
    point = service.create()
    same_size_same_time(sample_site / VIEW)

    assert service.check(point.id).changes == [], "documented: not seen without --rehash"
    operation = service._operation()
    rehashed = operation.prepare(point.id, rehash=True)
    assert [c.path for c in rehashed.plan.changes] == [VIEW]
    assert rehashed.inputs.rehash
    checked = run_cli(sample_site, "check", point.id, "--rehash", "--json")
    assert [c["path"] for c in json.loads(checked.stdout)["changes"]] == [VIEW]

    kept = service.create()
    assert kept.contents().hashes == point.contents().hashes, "the row was kept, not read"
    reread = service.create(rehash=True)
    changed = {p for p, h in zip(reread.contents().paths, reread.contents().hashes, strict=True)
               if h != point.contents().hashes[point.contents().row(p) or 0]}  # fmt: skip
    assert changed == {VIEW}


def test_a_file_changed_right_after_it_was_recorded_is_never_missed(sample_site: Path) -> None:
    os.utime(sample_site / VIEW)  # written just now: too fresh to trust
    service = RestoreService.open(sample_site)
    point = service.create()
    assert point.trusted_before_ns < (sample_site / VIEW).stat().st_mtime_ns
    same_size_same_time(sample_site / VIEW)
    assert [c.path for c in service.check(point.id).changes] == [VIEW]
    second = service.create()
    row = second.contents().row(VIEW)
    assert row is not None and second.contents().hashes[row] != point.contents().hashes[row]


def test_restore_rehash_restores_what_only_rehash_sees(sample_site: Path) -> None:
    age(sample_site)
    service = RestoreService.open(sample_site)
    original = (sample_site / VIEW).read_bytes()
    point = service.create()
    same_size_same_time(sample_site / VIEW)
    plain = run_cli(sample_site, "restore", point.id, "--yes", "--no-pre-restore", "--json")
    assert plain.returncode == 0 and json.loads(plain.stdout)["written"] == 0
    done = run_cli(sample_site, "restore", point.id, "--yes", "--no-pre-restore", "--rehash",
                   "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["written"] == 1
    assert (sample_site / VIEW).read_bytes() == original
