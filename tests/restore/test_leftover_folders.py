"""Folders are cleaned up too: a killed create's empty folder, a rolled-back restore's new ones."""

from __future__ import annotations

import shutil
import signal
from pathlib import Path

from publisher_restore.hashing import file_digest
from publisher_restore.service import RestoreService
from tests.restore.test_interruptions import run_cli

REMOVED = ("Views/Partials", "wwwroot/scripts")
"""Folders taken away after the point: a restore has to create them again."""


def tree(site: Path) -> dict[str, str]:
    """Every folder and file outside the restore folder: path -> 'folder' or the file's hash."""
    found = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if not rel.startswith("uSync/restore"):
            found[rel] = "folder" if path.is_dir() else file_digest(path)[1]
    return found


def empty_folders(restore: Path) -> list[str]:
    """Empty folders of the restore folder, outside the tool's ``.state``."""
    return sorted(
        p.relative_to(restore).as_posix()
        for p in restore.rglob("*")
        if p.is_dir() and not any(p.iterdir()) and ".state" not in p.relative_to(restore).parts
    )


def test_the_next_create_removes_the_empty_folder_of_a_killed_create(sample_site: Path) -> None:
    killed = run_cli(sample_site, "create", "--no-media", crash_at="store-folder-made:1")
    assert killed.returncode == -signal.SIGKILL
    restore = sample_site / "uSync/restore"
    assert empty_folders(restore) == ["creating"], "the kill leaves an empty folder"

    assert run_cli(sample_site, "create", "--no-media").returncode == 0
    [point] = RestoreService.open(sample_site).points()
    assert empty_folders(restore) == []
    assert [p.name for p in (restore / "points").iterdir()] == [point.id]


def test_a_rollback_removes_the_folders_the_restore_made(sample_site: Path) -> None:
    point = RestoreService.open(sample_site).create()
    for folder in REMOVED:
        shutil.rmtree(sample_site / folder)
    before = tree(sample_site)

    restoring = run_cli(sample_site, "restore", point.id, "--yes", "--no-pre-restore",
                        crash_at="apply-op:2")  # fmt: skip
    assert restoring.returncode == -signal.SIGKILL
    assert all((sample_site / folder).is_dir() for folder in REMOVED)
    # Killed again once every file is undone, before anything else is tidied.
    rolling_back = run_cli(sample_site, "recover", "--rollback", crash_at="rollback-op:2")
    assert rolling_back.returncode == -signal.SIGKILL

    finished = run_cli(sample_site, "recover")
    assert finished.returncode == 0, finished.stderr
    assert "rolled back an interrupted restore" in finished.stdout.lower()
    assert tree(sample_site) == before


def test_a_rollback_keeps_folders_that_were_there_before(sample_site: Path) -> None:
    point = RestoreService.open(sample_site).create()
    (sample_site / "Views/Partials/nav.cshtml").unlink()  # the folder stays, empty
    before = tree(sample_site)
    killed = run_cli(sample_site, "restore", point.id, "--yes", "--no-pre-restore",
                     crash_at="apply-op:1")  # fmt: skip
    assert killed.returncode == -signal.SIGKILL
    assert run_cli(sample_site, "recover", "--rollback").returncode == 0
    assert tree(sample_site) == before
