"""One operation holds the site lock across "take a restore point, then apply"."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from publisher_restore.hookspecs import hookimpl
from publisher_restore.operations.decisions import Choice, Decision
from publisher_restore.plugin_manager import build_plugin_manager
from publisher_restore.restore.manifest import Manifest, Reason
from publisher_restore.runtime import Runtime
from tests.operations.helpers import prepare_damaged
from tests.restore.helpers import fingerprint

WAIT = 1.0
"""Long enough for an unlocked create of the sample site, several times over."""


class CreateInBetween:
    """After the pre-restore point, before the apply: start a create in a second runtime."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.created: list[Manifest] = []
        self.thread: threading.Thread | None = None
        self.waited_for_the_lock = False

    @hookimpl
    def restore_point_created(self, restore_point: Manifest, reason: str) -> None:
        if reason != Reason.PRE_RESTORE.value:
            return
        other = Runtime.open(self.site, build_plugin_manager(load_entry_points=False))
        self.thread = threading.Thread(
            target=lambda: self.created.append(other.restore_points().create(note="second"))
        )
        self.thread.start()
        self.thread.join(WAIT)
        self.waited_for_the_lock = self.thread.is_alive() and not self.created


def test_a_create_started_between_restore_point_and_apply_waits_for_the_apply(
    sample_site: Path,
) -> None:
    plugin = CreateInBetween(sample_site)
    pm = build_plugin_manager(load_entry_points=False)
    pm.register(plugin)
    ready = prepare_damaged(sample_site, pm)

    result = ready.runtime.restore().execute(
        ready.prepared, Decision(choice=Choice.RESTORE_POINT, decided_by="test")
    )

    assert result.pre_restore_point and plugin.thread is not None
    assert plugin.waited_for_the_lock, "the second create ran inside the restore"
    plugin.thread.join(120)
    [second] = plugin.created
    archived = {record.path: record.sha256 for record in second.files}
    assert archived == {path: ready.good[path] for path in archived}, "it saw the restored site"
    assert archived.keys() >= {p for p in ready.good if p.startswith(("uSync/v9", "Views/"))}
    assert fingerprint(sample_site) == ready.good


def test_the_holder_may_take_the_lock_again_while_other_threads_wait(sample_site: Path) -> None:
    runtime = Runtime.open(sample_site, build_plugin_manager(load_entry_points=False))
    points = runtime.restore_points()
    others: list[Manifest] = []
    other = threading.Thread(target=lambda: others.append(points.create(note="other thread")))
    with runtime.env.lock.hold():
        mine = points.create(note="inside my own hold")
        other.start()
        time.sleep(WAIT)
        assert other.is_alive() and not others, "another thread must wait for the holder"
    other.join(120)
    assert [p.note for p in points.points()] == ["other thread", mine.note]
