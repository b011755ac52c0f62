"""Prepared operations waiting for an answer: saved, answered from another process, expiring."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from publisher_restore.errors import PlanExpiredError, PlanOutdatedError
from publisher_restore.operations.contexts import RestoreResult
from publisher_restore.operations.decisions import Choice, Decision
from publisher_restore.operations.pending import PendingPlans
from publisher_restore.operations.restore import PreparedRestore
from tests.operations.helpers import files_below, prepare_damaged
from tests.restore.helpers import fingerprint

WAIT_TAKE_AND_EXECUTE = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    from publisher_restore.operations.restore import PreparedRestore
    from publisher_restore.runtime import Runtime

    runtime = Runtime.open(Path(sys.argv[1]))
    pending = runtime.pending()
    pending.wait_for_answer(sys.argv[2], poll=0.05)
    prepared, decision = pending.take(sys.argv[2], PreparedRestore)
    print(runtime.restore().execute(prepared, decision).model_dump_json())
    """
)


def test_an_answer_from_another_process_lets_the_waiting_one_execute(sample_site: Path) -> None:
    ready = prepare_damaged(sample_site)
    entry = ready.runtime.pending().save(ready.prepared)
    waiting = subprocess.Popen(
        [sys.executable, "-c", WAIT_TAKE_AND_EXECUTE, str(sample_site), entry.id],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(0.5)
    assert waiting.poll() is None, "it must wait for the answer"
    browser = PendingPlans(ready.runtime.env.state_dir)
    [shown] = browser.listing().waiting
    assert shown.id == entry.id and shown.request.findings == ready.prepared.request.findings
    browser.answer(entry.id, Decision(choice=Choice.CONTINUE, decided_by="admin in a browser"))

    stdout, stderr = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, stderr
    result = RestoreResult.model_validate_json(stdout)
    assert result.pre_restore_point is None, "the answer was: continue without a restore point"
    assert fingerprint(sample_site) == ready.good
    assert browser.listing().waiting == [], "a taken plan leaves the store"


def test_an_expired_plan_is_refused_discarded_and_reported(sample_site: Path) -> None:
    ready = prepare_damaged(sample_site)
    entry = ready.runtime.pending().save(ready.prepared)
    later = datetime.now(UTC) + timedelta(minutes=15, seconds=1)
    expired_view = PendingPlans(ready.runtime.env.state_dir, clock=lambda: later)

    with pytest.raises(PlanExpiredError) as refused:
        expired_view.answer(entry.id, Decision(choice=Choice.RESTORE_POINT))
    assert refused.value.exit_code == 12
    assert f"prepared restore {entry.id}" in str(refused.value)
    assert "15 minutes after it was prepared, and was discarded; nothing was changed" in str(
        refused.value
    )
    with pytest.raises(PlanOutdatedError, match="is waiting"):
        ready.runtime.pending().take(entry.id, PreparedRestore)
    assert ready.runtime.pending().listing().waiting == []


def test_listing_discards_and_reports_expired_entries(sample_site: Path) -> None:
    ready = prepare_damaged(sample_site)
    old = ready.runtime.pending().save(ready.prepared)
    in_16_minutes = datetime.now(UTC) + timedelta(minutes=16)
    fresh = PendingPlans(ready.runtime.env.state_dir, clock=lambda: in_16_minutes).save(
        ready.prepared
    )
    listing = PendingPlans(ready.runtime.env.state_dir, clock=lambda: in_16_minutes).listing()
    assert [e.id for e in listing.expired] == [old.id]
    assert [e.id for e in listing.waiting] == [fresh.id]
    folder = ready.runtime.env.state_dir / "pending"
    assert not (folder / f"{old.id}.json").exists() and not (folder / f"{old.id}.plan").exists()
    assert (folder / f"{fresh.id}.plan").stat().st_size > (
        folder / f"{fresh.id}.json"
    ).stat().st_size

    (folder / f"{'a' * 32}.plan").write_text("{}")  # a save that died before its entry
    (folder / "stray.json").write_text("{}")
    listing = ready.runtime.pending().listing()
    assert not (folder / f"{'a' * 32}.plan").exists()
    assert [e.id for e in listing.waiting] == [fresh.id]
    [stray] = listing.unreadable
    assert "stray.json" in stray


def test_the_first_answer_wins_and_prompt_is_no_answer(sample_site: Path) -> None:
    ready = prepare_damaged(sample_site)
    pending = ready.runtime.pending()
    entry = pending.save(ready.prepared)
    with pytest.raises(PlanOutdatedError, match="'prompt' is not an answer"):
        pending.answer(entry.id, Decision(choice=Choice.PROMPT))
    pending.answer(entry.id, Decision(choice=Choice.ABORT, decided_by="alice"))
    with pytest.raises(PlanOutdatedError, match=r"already answered \(abort, by alice\)"):
        pending.answer(entry.id, Decision(choice=Choice.CONTINUE, decided_by="bob"))
    with pytest.raises(PlanOutdatedError, match="no prepared operation"):
        pending.get("../../points/x")


def test_a_plain_check_writes_nothing(sample_site: Path) -> None:
    ready = prepare_damaged(sample_site)
    restore_folder = sample_site / "uSync/restore"
    before, site_before = files_below(restore_folder), fingerprint(sample_site)
    ready.runtime.restore().prepare(ready.point.id)
    assert files_below(restore_folder) == before
    assert fingerprint(sample_site) == site_before
    assert not (restore_folder / ".state" / "pending").exists()


def test_an_expired_entry_leaves_a_note_for_a_day_whoever_noticed(sample_site: Path) -> None:
    ready = prepare_damaged(sample_site)
    entry = ready.runtime.pending().save(ready.prepared)
    state = ready.runtime.env.state_dir
    later = datetime.now(UTC) + timedelta(minutes=16)
    with pytest.raises(PlanExpiredError):
        PendingPlans(state, clock=lambda: later).get(entry.id)  # one process notices

    other = PendingPlans(state, clock=lambda: later)  # another one lists
    assert [e.id for e in other.listing().recently_expired] == [entry.id]
    note = other.expired_entry(entry.id)
    assert note is not None and note.source == entry.source and note.answer is None
    assert not (state / "pending" / f"{entry.id}.plan").exists(), "the plan itself is gone"

    next_day = later + timedelta(days=1, minutes=1)
    assert PendingPlans(state, clock=lambda: next_day).listing().recently_expired == []
    assert not (state / "pending" / f"{entry.id}.expired").exists()
    assert other.expired_entry(entry.id) is None
