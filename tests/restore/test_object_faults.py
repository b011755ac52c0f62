"""Faults in content-addressed storage: each has one right outcome.

- a prune while a create runs in another process waits for it, and loses nothing of it;
- a damaged or missing object: ``verify`` names the point's object and a file that needs
  it, and a restore is refused before it writes anything;
- a manifest naming an object that was never stored: the same;
- objects shared by points outlive any one of them, and go with the last.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import time
from pathlib import Path

import pytest

from publisher_restore.errors import IntegrityError
from publisher_restore.restore.manifest import Scope
from publisher_restore.service import RestoreService
from tests.restore.helpers import damage, fingerprint
from tests.restore.points_craft import forge_point
from tests.restore.test_interruptions import run_cli, stored_objects
from tests.restore.test_unfinished_restores import first_stderr_line, popen_cli, wait_until_stopped


def named_objects(service: RestoreService) -> set[str]:
    """Every object some listed point's manifest names (``objects/`` dropped)."""
    names: set[str] = set()
    for point in service.points():
        names |= {name.removeprefix("objects/") for name in service.store.body(point).objects}
    return names


def test_a_prune_while_a_create_runs_waits_and_loses_nothing(sample_site: Path) -> None:
    service = RestoreService.open(sample_site)
    old = service.create(note="old")
    kept = service.create(note="kept")
    (sample_site / "Views/Partials/nav.cshtml").write_text("new since the last point\n")
    creating = popen_cli(sample_site, "create", "--no-media", "--json",
                         crash_at="create-objects:1:STOP")  # fmt: skip
    pruning = None
    try:
        wait_until_stopped(creating)
        pruning = popen_cli(sample_site, "prune", "--keep-last", "1", "--json")
        said = first_stderr_line(pruning)
        assert "waiting for the lock held by" in said and "(create, started" in said
        time.sleep(0.5)
        assert pruning.poll() is None, "the prune must wait for the create"
    finally:
        os.kill(creating.pid, signal.SIGCONT)
        created_out, created_err = creating.communicate(timeout=120)
    assert pruning is not None
    pruned_out, pruned_err = pruning.communicate(timeout=120)
    assert creating.returncode == 0, created_err
    assert pruning.returncode == 0, pruned_err
    new = json.loads(created_out)["id"]
    assert set(json.loads(pruned_out)["deleted"]) == {old.id, kept.id}
    service = RestoreService.open(sample_site)
    assert [p.id for p in service.points()] == [new]
    assert service.verify(new).ok
    assert stored_objects(sample_site) == named_objects(service), "garbage went, nothing else"


def first_object(site: Path, kind: str) -> Path:
    return sorted((site / "uSync/restore/objects" / kind).iterdir())[0]


@pytest.mark.parametrize("fault", ["flipped byte", "deleted"])
@pytest.mark.parametrize("kind", ["pack", "index"])
def test_a_damaged_or_missing_object_is_named_and_refused_before_any_write(
    sample_site: Path, fault: str, kind: str
) -> None:
    service = RestoreService.open(sample_site)
    point = service.create()
    stored = first_object(sample_site, kind)
    if fault == "deleted":
        stored.unlink()
    else:
        data = bytearray(stored.read_bytes())
        data[len(data) // 2] ^= 0x08
        stored.write_bytes(bytes(data))
    name = f"objects/{kind}/{stored.name}"

    verified = RestoreService.open(sample_site).verify(point.id)
    assert not verified.ok and verified.error is not None
    assert name in verified.error
    if kind == "pack":
        assert " it, first: " in verified.error
    cli = run_cli(sample_site, "verify", point.id)
    assert cli.returncode == 5 and point.id in cli.stdout and name in cli.stdout

    damage(service)
    before = fingerprint(sample_site)
    with pytest.raises(IntegrityError):
        RestoreService.open(sample_site).restore(point.id, pre_restore=False)
    assert fingerprint(sample_site) == before, "refused before any write"
    assert not service.work.exists()


def test_a_manifest_naming_an_object_never_stored_is_named_and_refused(sample_site: Path) -> None:
    service = RestoreService.open(sample_site)
    point = forge_point(service, {"Views/Home.cshtml": b"@* restored *@\n"}, Scope.VIEWS)
    data = b"@* restored *@\n"
    name = f"objects/file/{hashlib.sha256(data).hexdigest()}"
    (sample_site / "uSync/restore" / name).unlink()  # the manifest still names it

    verified = service.verify(point.id)
    assert not verified.ok and verified.error is not None
    assert f"object {name} is missing from storage" in verified.error
    assert "first: Views/Home.cshtml" in verified.error
    (sample_site / "Views/Home.cshtml").write_text("changed\n")
    before = fingerprint(sample_site)
    with pytest.raises(IntegrityError, match="missing from storage"):
        service.restore(point.id, pre_restore=False)
    assert fingerprint(sample_site) == before


def test_shared_objects_outlive_a_point_and_go_with_the_last(sample_site: Path) -> None:
    service = RestoreService.open(sample_site)
    first = service.create(note="first")
    second = service.create(note="second")
    shared = {name.removeprefix("objects/") for name in service.store.body(first).objects}
    assert shared & named_objects(service) == shared
    service.delete(first.id)
    assert shared <= stored_objects(sample_site), "the second point still needs them"
    assert service.verify(second.id).ok
    service.delete(second.id)
    assert stored_objects(sample_site) == set()


def test_a_compressed_large_file_verifies_also_when_an_older_point_stored_it(
    sample_site: Path,
) -> None:
    """A large file's object is compressed when it pays: the point records the object's
    stored size, not the file's (verify compares the two)."""
    media = sample_site / "wwwroot/media/2024"
    media.mkdir(parents=True)
    (media / "scan.bmp").write_bytes(b"\x07" * 1_500_000)  # large, and compresses well
    first = run_cli(sample_site, "create", "--media", "--json")
    assert first.returncode == 0, first.stderr
    assert run_cli(sample_site, "create", "--no-media").returncode == 0
    again = run_cli(sample_site, "create", "--media", "--json")  # shares the stored object
    assert again.returncode == 0, again.stderr
    verified = run_cli(sample_site, "verify", "--all", "--json")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    store = RestoreService.open(sample_site).store
    objects = store.body(store.get("latest")).objects
    [name] = [name for name in objects if "/file/" in name]
    assert name.endswith(".zst") and objects[name] < 10_000
