"""Claims the README makes that a test can hold (the rest sit beside the code they describe)."""

from __future__ import annotations

import re
import signal
from pathlib import Path

from publisher_restore.cli.interrupted import INTERRUPTED_EXIT_CODE
from publisher_restore.restore.journal import WorkArea
from publisher_restore.service import RestoreService
from tests.restore.helpers import damage
from tests.restore.test_interruptions import run_cli
from tests.shared_folder import SHARED

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_doc_the_readme_names_exists() -> None:
    named = set(re.findall(r"`((?:\.\./shared/)?docs/[\w.-]+\.md)`", README))
    assert "../shared/docs/architecture.md" in named and "docs/archive-format.md" in named
    where = {path: SHARED / path.removeprefix("../shared/") for path in named}
    where.update({path: REPO / path for path in named if not path.startswith("../shared/")})
    assert [path for path, found in where.items() if not found.is_file()] == []
    assert "`docs/architecture.md`" not in README


def test_the_documented_ctrl_c_exit_code_is_the_one_used() -> None:
    assert f"{INTERRUPTED_EXIT_CODE} interrupted by Ctrl-C (SIGINT" in README
    assert INTERRUPTED_EXIT_CODE == 128 + signal.SIGINT


def test_which_commands_complete_an_interrupted_restore(sample_site: Path) -> None:
    service = RestoreService.open(sample_site)
    spare = service.create(note="to delete")
    point = service.create()
    damage(service)
    killed = run_cli(sample_site, "restore", point.id, "--yes", crash_at="apply-op:2")
    assert killed.returncode == -signal.SIGKILL
    work = WorkArea(service.site.restore_dir / ".state")
    assert work.exists()

    # "list, show, verify, delete, pin and prune leave it as it is"
    for args in (["list"], ["show", point.id], ["verify", point.id], ["delete", spare.id,
                 "--yes"], ["pin", point.id], ["prune", "--dry-run"]):  # fmt: skip
        assert run_cli(sample_site, *args).returncode == 0, args
        assert work.exists(), args
    # "check refuses to compare until then (exit 11)"
    assert run_cli(sample_site, "check", point.id).returncode == 11
    # "completed ... first thing by the next create"
    assert run_cli(sample_site, "create", "--no-media").returncode == 0
    assert not work.exists()
    assert "`recover`, or first thing by the next `create` or `restore`" in README
