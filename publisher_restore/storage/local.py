"""Objects as files under one folder (by default ``<site>/uSync/restore``).

Writes go to a temp file in ``<root>/.state/tmp/`` (same file system), are
fsynced, then published with ``os.link`` (fails if the name exists) or
``os.replace`` (overwrites), and the folder is fsynced.  Inside ``write_batch`` the
fsyncs wait until the batch ends and then run together (in parallel threads, which
lets the file system commit them in a few journal transactions instead of one per
object); ``adopt_file`` links a temp file on the same file system into place
instead of copying it.  Locks are ``flock``
files in ``<root>/.state/locks/``, taken in arrival order (``file_lock``).
Nothing under ``.state/`` is ever an object: ``list`` skips it and names inside
it are refused.  Folders are not objects: a write killed between making an
object's folder and publishing into it leaves an empty folder, which
``cleanup_temp`` removes with the temp files.

Reading never writes: ``list``, ``stat``, ``open_read`` and ``lock_holder`` on a
folder that does not exist create nothing; the folder and its ``.state`` are made
by the first write or lock.  The folder then gets a ``.gitignore`` (``*``): sites
commit ``uSync/`` to git, and restore points must not travel with it.  That file
is not an object either.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from publisher_restore.errors import ObjectExistsError, ObjectNotFoundError, StorageError
from publisher_restore.faults import crash_point
from publisher_restore.storage import fsutil
from publisher_restore.storage.base import (
    LockHolder,
    LockWaitCallback,
    ObjectInfo,
    ProgressCallback,
    StorageProvider,
    check_name,
)
from publisher_restore.storage.file_lock import hold_file_lock, lock_holder_of

if TYPE_CHECKING:
    from publisher_restore.storage.registry import StorageRequest

STATE_DIR = ".state"
GITIGNORE = ".gitignore"
GITIGNORE_TEXT = (
    "# Written by publisher-restore on first use: restore points and the tool's state\n"
    "# stay out of git (sites commit uSync/, and this folder is inside it by default).\n"
    "*\n"
)
_INTERNAL = frozenset({STATE_DIR, GITIGNORE})
TEMP_SUFFIX = ".tmp"
TEMP_MAX_AGE = 600.0
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS, errno.EXDEV}
SYNC_THREADS = 16


class LocalStorageProvider(StorageProvider):
    """A folder on the local disk used as an object store."""

    scheme = "local"

    def __init__(self, root: Path) -> None:
        self.root = Path(root).absolute()
        self.temp_dir = self.root / STATE_DIR / "tmp"
        self.lock_dir = self.root / STATE_DIR / "locks"
        self._batch_guard = threading.Lock()
        self._batch_depth = 0
        self._unsynced: set[Path] = set()

    @classmethod
    def from_request(cls, request: StorageRequest) -> LocalStorageProvider:
        """The provider for a site's configured restore folder."""
        return cls(request.restore_dir)

    def describe(self) -> str:
        return f"local folder {self.root}"

    def put_file(
        self,
        name: str,
        source: Path,
        *,
        overwrite: bool = False,
        progress: ProgressCallback | None = None,
    ) -> None:
        target = self._path(name)
        try:
            source_stream = open(source, "rb")  # noqa: SIM115 - closed by the with below
        except OSError as error:
            raise StorageError(f"cannot read {source} to store it as {name!r}: {error}") from error
        with source_stream:
            self._write(name, target, source_stream, overwrite=overwrite, progress=progress)

    def put_bytes(self, name: str, data: bytes, *, overwrite: bool = False) -> None:
        target = self._path(name)
        with io.BytesIO(data) as stream:
            self._write(name, target, stream, overwrite=overwrite, progress=None)

    def open_read(self, name: str) -> BinaryIO:
        path = self._path(name)
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            raise ObjectNotFoundError(f"no object {name!r} in {self.describe()}") from None
        except OSError as error:
            raise StorageError(f"cannot open {path}: {error}") from error
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise ObjectNotFoundError(f"no object {name!r} in {self.describe()}")
        return open(fd, "rb")

    def read_range(self, name: str, offset: int, length: int) -> bytes:
        with self.open_read(name) as stream:
            return os.pread(stream.fileno(), length, offset) if length > 0 else b""

    @contextlib.contextmanager
    def write_batch(self) -> Iterator[None]:
        with self._batch_guard:
            self._batch_depth += 1
        try:
            yield
        except BaseException:
            self._end_batch(flush=False)
            raise
        self._end_batch(flush=True)

    def adopt_file(self, name: str, source: Path, *, overwrite: bool = False) -> None:
        target = self._path(name)
        try:
            if not self._adopt_by_link(name, source, target, overwrite):
                self.put_file(name, source, overwrite=overwrite)
        finally:
            source.unlink(missing_ok=True)

    def stat(self, name: str) -> ObjectInfo | None:
        try:
            info = self._path(name).lstat()
        except (FileNotFoundError, NotADirectoryError):
            return None
        return ObjectInfo(name=name, size=info.st_size) if stat.S_ISREG(info.st_mode) else None

    def list(self, prefix: str = "") -> Iterator[ObjectInfo]:
        folder, _, _ = prefix.rpartition("/")
        start = self._path(folder) if folder else self.root
        base = f"{folder}/" if folder else ""
        for info in _walk(start, base):
            if info.name.startswith(prefix):
                yield info

    def delete(self, name: str) -> None:
        path = self._path(name)
        try:
            if not stat.S_ISREG(path.lstat().st_mode):
                return
            path.unlink()
        except (FileNotFoundError, NotADirectoryError):
            return
        except OSError as error:
            raise StorageError(f"cannot delete {path}: {error}") from error
        fsutil.fsync_dir(path.parent)
        fsutil.prune_empty_dirs(path.parent, self.root)

    def lock(
        self,
        name: str,
        *,
        timeout: float = 30.0,
        holder: LockHolder | None = None,
        on_wait: LockWaitCallback | None = None,
    ) -> contextlib.AbstractContextManager[None]:
        check_name(name)
        make_state_dir(self.root)
        return hold_file_lock(
            self._lock_path(name),
            timeout=timeout,
            label=f"lock {name!r} of {self.describe()}",
            holder=holder,
            on_wait=on_wait,
        )

    def lock_holder(self, name: str) -> LockHolder | None:
        check_name(name)
        return lock_holder_of(self._lock_path(name))

    def cleanup_temp(self, *, older_than: float = TEMP_MAX_AGE) -> int:
        """Remove temp files and empty object folders untouched for ``older_than`` seconds;
        pass 0 only under the store lock.

        A writer refreshes its temp file's mtime with every chunk, and a folder's
        mtime changes when a name is added to it, so only leftovers of dead writers
        are old.  Returns how many files and folders were removed.
        """
        removed = 0
        cutoff = time.time() - older_than
        with contextlib.suppress(FileNotFoundError), os.scandir(self.temp_dir) as entries:
            for entry in entries:
                if entry.name.endswith(TEMP_SUFFIX) and _mtime(entry) <= cutoff:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(entry.path)
                        removed += 1
        return removed + _remove_empty_folders(self.root, cutoff, top=True)

    def local_path(self, name: str) -> Path | None:
        return self._path(name)

    def _lock_path(self, name: str) -> Path:
        return self.lock_dir / f"{name}.lock"

    def _path(self, name: str) -> Path:
        check_name(name)
        first = name.split("/", 1)[0]
        if first in _INTERNAL:
            raise StorageError(f"invalid storage object name {name!r}: {first} is internal")
        return self.root / name

    def _write(
        self,
        name: str,
        target: Path,
        stream: BinaryIO,
        *,
        overwrite: bool,
        progress: ProgressCallback | None,
    ) -> None:
        temp = self._temp_path()
        try:
            self._fill_temp(temp, stream, name, progress)
            self._publish(name, temp, target, overwrite=overwrite)
        finally:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()

    def _adopt_by_link(self, name: str, source: Path, target: Path, overwrite: bool) -> bool:
        """Move ``source`` into place (same file system, no overwrite); False: copy instead."""
        if overwrite or not source.is_file() or source.is_symlink():
            return False
        try:
            if source.stat().st_dev != self.root.stat().st_dev:
                return False
        except OSError:
            return False
        if not self._batch_depth:  # in a batch, the published name is synced at its end
            _fsync_path(source)
        try:
            self._publish(name, source, target, overwrite=False)
        except ObjectExistsError:
            raise
        except StorageError:
            return False  # the move failed: copy as put_file does
        return True

    def _end_batch(self, *, flush: bool) -> None:
        with self._batch_guard:
            self._batch_depth -= 1
            if self._batch_depth:
                return
            pending, self._unsynced = sorted(self._unsynced), set()
        if flush and pending:
            with ThreadPoolExecutor(min(SYNC_THREADS, len(pending))) as pool:
                list(pool.map(_fsync_path, pending))

    def _temp_path(self) -> Path:
        make_state_dir(self.root)
        fsutil.make_dirs_durably(self.temp_dir)
        return self.temp_dir / f"{os.getpid()}-{uuid.uuid4().hex}{TEMP_SUFFIX}"

    def _fill_temp(
        self, temp: Path, stream: BinaryIO, name: str, progress: ProgressCallback | None
    ) -> None:
        try:
            with open(temp, "xb") as target_stream:
                fsutil.copy_stream(stream, target_stream, progress)
                target_stream.flush()
                if not self._batch_depth:
                    os.fsync(target_stream.fileno())
        except OSError as error:
            raise StorageError(f"cannot write {name!r} to {self.describe()}: {error}") from error

    def _publish(self, name: str, temp: Path, target: Path, *, overwrite: bool) -> None:
        if target.is_dir() and not target.is_symlink():
            raise StorageError(f"cannot store {name!r}: {target} is a folder of other objects")
        for _attempt in range(3):  # a concurrent delete may prune the parent we just made
            fsutil.make_dirs_durably(target.parent)
            crash_point("store-folder-made")
            try:
                _link_or_replace(temp, target, overwrite=overwrite)
            except FileExistsError:
                raise ObjectExistsError(
                    f"object {name!r} already exists in {self.describe()}"
                ) from None
            except FileNotFoundError:
                continue
            except OSError as error:
                raise StorageError(f"cannot store {name!r} at {target}: {error}") from error
            self._published(target)
            return
        raise StorageError(f"cannot store {name!r}: its folder {target.parent} keeps vanishing")

    def _published(self, target: Path) -> None:
        """Make a new name durable: now, or with the batch (the object and its folder)."""
        with self._batch_guard:
            if self._batch_depth:
                self._unsynced.update((target, target.parent))
                return
        fsutil.fsync_dir(target.parent)


def _fsync_path(path: Path) -> None:
    """fsync a file or a folder (a folder: its entries); a vanished one needs nothing."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except (FileNotFoundError, NotADirectoryError):
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_state_dir(folder: Path) -> Path:
    """The tool's ``.state`` folder inside ``folder``, made for a write; its first creation
    also writes the ``.gitignore`` that keeps ``folder`` out of git (unless one is there).

    Every writer makes ``.state`` through here (or ``ensure_state_dir``), never with a
    plain ``mkdir``: a ``.state`` made any other way would skip the ``.gitignore`` for good.
    Read paths never call it.
    """
    state = folder / STATE_DIR
    if state.is_dir():
        return state
    fsutil.make_dirs_durably(state)
    with contextlib.suppress(FileExistsError):
        # O_EXCL: never overwrite a user's file, never write through a link.
        fd = os.open(folder / GITIGNORE, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
        with open(fd, "w", encoding="utf-8") as out:
            out.write(GITIGNORE_TEXT)
    return state


def ensure_state_dir(state: Path) -> Path:
    """Make a state folder for a write: ``<folder>/.state`` as ``make_state_dir`` makes it
    (``.gitignore`` included), any other path (a test's own folder) as a plain folder."""
    if state.name == STATE_DIR:
        return make_state_dir(state.parent)
    fsutil.make_dirs_durably(state)
    return state


def _remove_empty_folders(folder: Path, cutoff: float, *, top: bool = False) -> int:
    """Remove empty folders below ``folder`` (deepest first) last changed before ``cutoff``;
    never ``folder`` itself, ``.state``, or anything behind a link.  Returns how many."""
    removed = 0
    entries: list[os.DirEntry[str]] = []
    with contextlib.suppress(FileNotFoundError, NotADirectoryError), os.scandir(folder) as scan:
        entries = [e for e in scan if not (top and e.name in _INTERNAL)]
    for entry in entries:
        if not entry.is_dir(follow_symlinks=False):
            continue
        inner = Path(entry.path)
        changed = _folder_mtime(inner)  # before our own removals below touch it
        removed += _remove_empty_folders(inner, cutoff)
        if changed <= cutoff:
            try:
                inner.rmdir()
            except OSError:  # not empty (or gone): kept
                continue
            removed += 1
    return removed


def _folder_mtime(folder: Path) -> float:
    try:
        return folder.lstat().st_mtime
    except FileNotFoundError:
        return float("inf")


def _link_or_replace(temp: Path, target: Path, *, overwrite: bool) -> None:
    if overwrite:
        os.replace(temp, target)
        return
    try:
        os.link(temp, target)
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise
        # No hard links here (some network shares): check-then-replace is racy,
        # but every writer of restore points holds the store lock anyway.
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "exists", str(target)) from error
        os.replace(temp, target)


def _walk(folder: Path, base: str) -> Iterator[ObjectInfo]:
    """Regular files below ``folder`` in name order, skipping ``.state`` and symlinks."""
    try:
        with os.scandir(folder) as scan:
            entries = list(scan)
    except (FileNotFoundError, NotADirectoryError):
        return
    keyed = [(_sort_key(entry), entry) for entry in entries]
    for _key, entry in sorted(keyed, key=lambda pair: pair[0]):
        if not base and entry.name in _INTERNAL:
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path), f"{base}{entry.name}/")
        elif entry.is_file(follow_symlinks=False):
            size = entry.stat(follow_symlinks=False).st_size
            yield ObjectInfo(name=f"{base}{entry.name}", size=size)


def _sort_key(entry: os.DirEntry[str]) -> str:
    # A folder sorts as "name/" so the walk yields full names in plain string order.
    return f"{entry.name}/" if entry.is_dir(follow_symlinks=False) else entry.name


def _mtime(entry: os.DirEntry[str]) -> float:
    try:
        return entry.stat(follow_symlinks=False).st_mtime
    except FileNotFoundError:
        return float("inf")
