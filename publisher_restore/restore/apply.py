"""Apply a restore plan to the site: staged, journaled, resumable.

Every operation is idempotent, so completing an interrupted apply is running
the remaining operations again.  Originals of overwritten and deleted files
are kept in the work area until the apply is complete, so it can also be
rolled back; the folders the apply creates are recorded before it starts, so a
rollback removes them too.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from publisher_restore.errors import IntegrityError, RecoveryNeededError
from publisher_restore.faults import crash_point
from publisher_restore.hashing import file_digest
from publisher_restore.progress import Progress
from publisher_restore.restore.journal import Journal, WorkArea
from publisher_restore.restore.plan import FileOp, RestorePlan
from publisher_restore.restore.point_reader import reader_for
from publisher_restore.restore.site_paths import SafePaths, safe_site_path
from publisher_restore.restore.store import RestorePointStore
from publisher_restore.storage.fsutil import prune_empty_dirs

SYNC_THREADS = 16


def stage(work: WorkArea, store: RestorePointStore, plan: RestorePlan, progress: Progress) -> None:
    """Write the files to restore into the work area, each verified against its hash.

    Only the objects holding them are read (a version-1 point's archive is read whole).
    The site is not touched; on any failure the work area is discarded.
    """
    work.start_fresh()
    work.write(Journal(point_id=plan.point.id, phase="staging", operations=plan.operations))
    try:
        _stage(work, store, plan, progress)
        # Staged bytes must be on disk before the journal says they can be used.
        sync_tree(work.staged)
    except BaseException:
        work.discard()
        raise
    crash_point("staged")


def apply_staged(root: Path, work: WorkArea, progress: Progress) -> None:
    """Replace and delete site files under the journal, then clear the work area."""
    journal = work.read()
    new_folders = folders_to_create(root, journal.operations)
    journal = journal.model_copy(update={"phase": "applying", "new_folders": new_folders})
    work.write(journal)
    run_operations(root, work, journal.operations, progress)
    work.discard()


def discard_unapplied(work: WorkArea) -> None:
    """Drop staged files that were never applied (a veto or a failed pre-restore point)."""
    if work.exists() and work.read().phase == "staging":
        work.discard()


def complete(root: Path, work: WorkArea, progress: Progress) -> Journal:
    """Finish an interrupted apply (``applying``) and clear the work area."""
    journal = work.read()
    run_operations(root, work, journal.operations, progress, recheck_staged=True)
    work.discard()
    return journal


def roll_back(root: Path, work: WorkArea) -> Journal:
    """Undo an interrupted apply: put every saved original back."""
    journal = work.read()
    work.write(journal.model_copy(update={"phase": "rolling-back"}))
    removed = [op.path for op in reversed(journal.operations) if _undo(root, work, op)]
    if journal.new_folders is None:  # an older journal: folders the removals emptied
        _prune_parents(root, removed)
    else:
        _remove_folders(root, journal.new_folders)
    work.discard()
    return journal


def folders_to_create(root: Path, ops: list[FileOp]) -> list[str]:
    """Site-relative folders that writing ``ops`` would create, deepest first."""
    missing: set[str] = set()
    present: set[str] = {""}
    for op in ops:
        if op.action != "write":
            continue
        folder = op.path.rpartition("/")[0]
        while folder not in present and folder not in missing:
            if os.path.lexists(os.path.join(root, folder)):
                present.add(folder)
                break
            missing.add(folder)
            folder = folder.rpartition("/")[0]
    return sorted(missing, key=lambda rel: (-rel.count("/"), rel))


def _remove_folders(root: Path, folders: list[str]) -> None:
    """Remove the folders the apply created, deepest first, where they are empty again."""
    for rel in sorted(folders, key=lambda r: -r.count("/")):
        folder = root / rel
        if folder.is_dir() and not folder.is_symlink():
            with contextlib.suppress(OSError):  # not empty: something else is in it now
                folder.rmdir()


def run_operations(
    root: Path,
    work: WorkArea,
    ops: list[FileOp],
    progress: Progress,
    *,
    recheck_staged: bool = False,
) -> None:
    """Run every operation; an OS failure leaves a journal that ``recover`` resumes."""
    progress.begin("apply", files=len(ops), total_bytes=0)
    paths = _Paths(root, work)
    for op in ops:
        try:
            if op.action == "write":
                _write(paths, op, recheck_staged)
            else:
                _delete(root, work, op)
        except OSError as error:
            raise RecoveryNeededError(
                f"restore stopped at {op.path} ({error.strerror or error}); the site is partly "
                "restored: run 'publisher-restore recover' to complete it, or "
                "'publisher-restore recover --rollback' to undo it"
            ) from error
        progress.advance(files=1)
        crash_point("apply-op")
    _prune_parents(root, [op.path for op in ops if op.action == "delete"])
    progress.end()


def _stage(work: WorkArea, store: RestorePointStore, plan: RestorePlan, progress: Progress) -> None:
    writes = [op for op in plan.operations if op.action == "write"]
    total = sum(op.record.size for op in writes if op.record is not None)
    progress.begin("stage", files=len(writes), total_bytes=total)
    reader_for(store, plan.point).stage(
        {op.path for op in writes}, work.staged, lambda n: progress.advance(nbytes=n)
    )
    progress.end()


def sync_tree(root: Path) -> None:
    """fsync every file and folder below ``root`` (in parallel: the file system commits
    them together), so they survive a power cut."""
    paths: list[str] = []
    for folder, _dirs, files in os.walk(root):
        paths.append(folder)
        paths.extend(os.path.join(folder, name) for name in files)
    slices = [paths[i::SYNC_THREADS] for i in range(min(SYNC_THREADS, len(paths)))]
    with ThreadPoolExecutor(max(1, len(slices))) as pool:
        list(pool.map(_fsync_all, slices))


def _fsync_all(paths: list[str]) -> None:
    for path in paths:
        _fsync(path)


def _fsync(path: str) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class _Paths:
    """Where an apply reads and writes, with the folders it has checked or made remembered
    (a restore writes thousands of files into a few folders)."""

    def __init__(self, root: Path, work: WorkArea) -> None:
        self.root = root
        self.staged = str(work.staged)
        self.backup = str(work.backup)
        self.safe = SafePaths(root)
        self._made: set[str] = set()

    def make_parent(self, path: str) -> None:
        parent = os.path.dirname(path)
        if parent not in self._made:
            os.makedirs(parent, exist_ok=True)
            self._made.add(parent)


def _write(paths: _Paths, op: FileOp, recheck_staged: bool) -> None:
    target = paths.safe.check(op.path)
    staged = os.path.join(paths.staged, op.path)
    backup = os.path.join(paths.backup, op.path)
    if not os.path.exists(staged):
        _check_already_written(target, op)
        return
    if recheck_staged:
        _check_staged(Path(staged), op)
    if os.path.lexists(target) and not os.path.exists(backup):
        _save_copy(target, Path(backup))
    paths.make_parent(str(target))
    move_file(Path(staged), target)


def _check_staged(staged: Path, op: FileOp) -> None:
    """After a crash, staged bytes are trusted only if they still match the manifest."""
    assert op.record is not None
    if file_digest(staged)[1] != op.record.sha256:
        raise IntegrityError(
            f"{op.path}: the staged copy was damaged by the interruption; run "
            "'publisher-restore recover --rollback', then restore again"
        )


def _check_already_written(target: Path, op: FileOp) -> None:
    """An operation whose staged file is gone was applied before a crash; make sure."""
    assert op.record is not None
    if not target.exists() or file_digest(target)[1] != op.record.sha256:
        raise IntegrityError(
            f"{op.path}: staged file is missing and the site file does not match the "
            "restore point; run 'publisher-restore recover --rollback'"
        )


def _delete(root: Path, work: WorkArea, op: FileOp) -> None:
    target, backup = safe_site_path(root, op.path), work.backup / op.path
    if not target.exists():
        return
    if backup.exists():
        # A cross-filesystem move copied the backup but died before removing the original.
        target.unlink()
    else:
        backup.parent.mkdir(parents=True, exist_ok=True)
        move_file(target, backup)


def _undo(root: Path, work: WorkArea, op: FileOp) -> bool:
    """Put one original back; True when a file the restore created was removed.

    Safe to repeat: a file is removed only while it still holds the restored bytes,
    so a second rollback never deletes an original the first one put back.
    """
    target, backup = safe_site_path(root, op.path), work.backup / op.path
    removed = False
    if backup.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        move_file(backup, target)
    elif op.action == "write" and _holds_restored_bytes(target, op):
        target.unlink()
        removed = True
    crash_point("rollback-op")
    return removed


def _holds_restored_bytes(target: Path, op: FileOp) -> bool:
    assert op.record is not None
    return target.is_file() and file_digest(target)[1] == op.record.sha256


def _save_copy(source: Path, backup: Path) -> None:
    """Keep the original, cheaply as a hard link where the filesystem allows."""
    backup.parent.mkdir(parents=True, exist_ok=True)
    tmp = backup.with_name(backup.name + ".partial")
    tmp.unlink(missing_ok=True)
    try:
        os.link(source, tmp)
    except OSError:
        shutil.copy2(source, tmp)
    os.replace(tmp, backup)


def move_file(source: Path, target: Path) -> None:
    """Rename atomically; across filesystems, copy beside the target and rename there."""
    try:
        os.replace(source, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        tmp = target.with_name(f".{target.name}.publisher-restore-tmp")
        shutil.copy2(source, tmp)
        with tmp.open("rb") as stream:
            os.fsync(stream.fileno())
        os.replace(tmp, target)
        source.unlink()


def _prune_parents(root: Path, paths: list[str]) -> None:
    """Remove folders a restore emptied (deepest first), never the site root."""
    for rel in sorted(paths, key=lambda p: p.count("/"), reverse=True):
        prune_empty_dirs((root / rel).parent, root)
