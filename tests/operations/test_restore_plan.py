"""A prepared restore executes only while the site and its inputs are as they were at prepare."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from publisher_restore.errors import IntegrityError, PlanOutdatedError, SiteError
from publisher_restore.operations.contexts import RestoreResult
from publisher_restore.operations.decisions import Choice, Decision
from publisher_restore.restore.plan import FileOp
from publisher_restore.runtime import Runtime
from tests.operations.helpers import (
    PreparedSite,
    files_below,
    prepare_damaged,
    set_restore_settings,
)
from tests.restore.helpers import fingerprint

RESTORE_POINT = Decision(choice=Choice.RESTORE_POINT, decided_by="test")


def edit_a_view(site: Path) -> str:
    view = sorted((site / "Views").rglob("*.cshtml"))[-1]
    view.write_text(view.read_text(encoding="utf-8") + "\n@* edited *@\n", encoding="utf-8")
    return view.relative_to(site).as_posix()


def add_a_stylesheet(site: Path) -> str:
    (site / "wwwroot/css/late.css").write_text("p { margin: 0 }\n", encoding="utf-8")
    return "wwwroot/css/late.css"


def delete_a_content_item(site: Path) -> str:
    item = sorted((site / "uSync/v9/Content").glob("*.config"))[0]
    item.unlink()
    return item.relative_to(site).as_posix()


@pytest.mark.parametrize("change", [edit_a_view, add_a_stylesheet, delete_a_content_item])
def test_a_site_changed_after_prepare_is_refused_with_exit_code_12_and_nothing_is_written(
    sample_site: Path, change: object
) -> None:
    ready = prepare_damaged(sample_site)
    assert callable(change)
    changed_path = change(sample_site)
    before, state_before = fingerprint(sample_site), files_below(sample_site / "uSync/restore")

    with pytest.raises(PlanOutdatedError) as refused:
        ready.runtime.restore().execute(ready.prepared, RESTORE_POINT)

    assert refused.value.exit_code == 12
    assert str(refused.value) == (
        f"the site changed since the check (1 file differs, first: {changed_path}); "
        "run check again; nothing was changed"
    )
    assert fingerprint(sample_site) == before
    assert files_below(sample_site / "uSync/restore").keys() == state_before.keys()
    assert [p.id for p in ready.runtime.restore_points().points()] == [ready.point.id]


def test_an_unchanged_site_executes_the_plan_and_matches_the_point(sample_site: Path) -> None:
    ready = prepare_damaged(sample_site)
    result = ready.runtime.restore().execute(ready.prepared, RESTORE_POINT)
    assert fingerprint(sample_site) == ready.good
    assert result.pre_restore_point and result.written == 3 and result.deleted == 1


def test_changed_rules_are_refused_when_another_process_executes(sample_site: Path) -> None:
    ready = prepare_damaged(sample_site)
    set_restore_settings(sample_site, Exclude=["Views/Partials/**"])
    later = Runtime.open(sample_site, ready.runtime.pm)
    with pytest.raises(PlanOutdatedError, match=r"configuration .* changed since the check"):
        later.restore().execute(ready.prepared, RESTORE_POINT)


def test_a_point_deleted_after_prepare_is_refused(sample_site: Path) -> None:
    ready = prepare_damaged(sample_site)
    ready.runtime.restore_points().delete(ready.point.id)
    with pytest.raises(PlanOutdatedError, match=f"{ready.point.id} was deleted since the check"):
        ready.runtime.restore().execute(ready.prepared, RESTORE_POINT)


def test_an_altered_plan_is_refused_before_anything_is_written(sample_site: Path) -> None:
    ready = prepare_damaged(sample_site)
    before = fingerprint(sample_site)
    plan = ready.prepared.plan
    extra = FileOp(path="appsettings.json", action="delete")
    altered = ready.prepared.model_copy(
        update={"plan": plan.model_copy(update={"operations": [*plan.operations, extra]})}
    )
    with pytest.raises(IntegrityError, match=r"'appsettings\.json', which the check could not"):
        ready.runtime.restore().execute(altered, RESTORE_POINT)
    forged = ready.prepared.model_copy(update={"token": "sha256:" + "0" * 64})
    with pytest.raises(IntegrityError, match="token does not match its inputs"):
        ready.runtime.restore().execute(forged, RESTORE_POINT)
    assert fingerprint(sample_site) == before


EXECUTE_IN_ANOTHER_PROCESS = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    from publisher_restore.operations.decisions import Choice, Decision
    from publisher_restore.operations.restore import PreparedRestore
    from publisher_restore.runtime import Runtime

    site, plan_file = Path(sys.argv[1]), Path(sys.argv[2])
    prepared = PreparedRestore.model_validate_json(plan_file.read_bytes())
    decision = Decision(choice=Choice.RESTORE_POINT, decided_by="another process")
    print(Runtime.open(site).restore().execute(prepared, decision).model_dump_json())
    """
)


def test_a_plan_written_as_json_executes_in_another_process(
    sample_site: Path, tmp_path: Path
) -> None:
    ready: PreparedSite = prepare_damaged(sample_site)
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(ready.prepared.model_dump_json(), encoding="utf-8")

    ran = subprocess.run(
        [sys.executable, "-c", EXECUTE_IN_ANOTHER_PROCESS, str(sample_site), str(plan_file)],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert ran.returncode == 0, ran.stderr
    result = RestoreResult.model_validate_json(ran.stdout)
    assert (result.written, result.deleted) == (3, 1)
    assert result.pre_restore_point in {p.id for p in ready.runtime.restore_points().points()}
    assert fingerprint(sample_site) == ready.good


def test_a_plan_with_its_blocked_paths_removed_is_still_refused(
    sample_site: Path, tmp_path: Path
) -> None:
    ready = prepare_damaged(sample_site)
    outside = tmp_path / "outside"
    (sample_site / "Views").rename(outside)
    (sample_site / "Views").symlink_to(outside)
    prepared = ready.runtime.restore().prepare(ready.point.id)
    assert prepared.plan.blocked
    hidden = prepared.model_copy(update={"plan": prepared.plan.model_copy(update={"blocked": []})})
    with pytest.raises(SiteError, match="symbolic link"):
        ready.runtime.restore().execute(hidden, RESTORE_POINT)
    assert [p.id for p in ready.runtime.restore_points().points()] == [ready.point.id]
    assert not ready.runtime.env.work.exists(), "nothing staged, nothing half applied"
