"""Walking a site's folders without following symbolic links, folder names matched ignoring case."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

LINK_REASON = (
    "a symbolic link: links are never followed (a restore would write through them), "
    "so it is not in the restore point"
)


def child_named(parent: Path, name: str) -> Path | None:
    """The real directory under ``parent`` whose name matches ``name`` ignoring case."""
    exact = parent / name
    if exact.is_dir() and not exact.is_symlink():
        return exact
    try:
        entries = sorted(os.scandir(parent), key=lambda e: e.name)
    except OSError:
        return None
    for entry in entries:
        if entry.name.lower() == name.lower() and entry.is_dir(follow_symlinks=False):
            return Path(entry.path)
    return None


@dataclass(frozen=True)
class WalkEntry:
    """A path met while walking: its lstat, or None and why it cannot be taken."""

    rel: str
    info: os.stat_result | None
    reason: str = ""
    is_dir: bool = False


def walk(
    root: Path,
    start: str,
    recursive: bool,
    pruned: Callable[[str], bool],
    pruned_dir: Callable[[str], bool] = lambda _rel: False,
) -> Iterator[WalkEntry]:
    """Files under ``start`` (site-relative), never following a symbolic link.

    ``pruned`` is asked of every entry, ``pruned_dir`` only of folders about to be entered.
    """
    first = _resolve_start(root, start)
    if first is None or pruned(first.rel):
        return
    if first.info is None or not stat.S_ISDIR(first.info.st_mode):
        yield first
        return
    stack = [first.rel]
    while stack:
        rel_dir = stack.pop()
        for entry in _scan(root / rel_dir, rel_dir):
            if pruned(entry.rel):
                continue
            if entry.info is not None and stat.S_ISDIR(entry.info.st_mode):
                if recursive and not pruned_dir(entry.rel):
                    stack.append(entry.rel)
                continue
            if entry.is_dir and not recursive:
                continue
            yield entry


def _scan(directory: Path, rel_dir: str) -> list[WalkEntry]:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as error:
        return [WalkEntry(rel_dir, None, f"cannot read folder ({error.strerror})", is_dir=True)]
    found = []
    for entry in entries:
        rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
        if not _is_clean_name(entry.name):
            found.append(WalkEntry(rel, None, "file name is not valid UTF-8 or has a backslash"))
        elif entry.is_symlink():
            is_dir = entry.is_dir(follow_symlinks=True)
            found.append(WalkEntry(rel, None, LINK_REASON, is_dir=is_dir))
        else:
            found.append(WalkEntry(rel, entry.stat(follow_symlinks=False)))
    return found


def _resolve_start(root: Path, start: str) -> WalkEntry | None:
    """The entry at ``start``, matching folder names ignoring case; None when absent."""
    current = root
    rel = ""
    info = root.lstat()
    for segment in [part for part in start.split("/") if part]:
        child = child_named(current, segment) or current / segment
        rel = f"{rel}/{child.name}" if rel else child.name
        try:
            info = child.lstat()
        except OSError:
            return None
        if stat.S_ISLNK(info.st_mode):
            return WalkEntry(rel, None, LINK_REASON, is_dir=child.is_dir())
        current = child
    return WalkEntry(rel, info)


def _is_clean_name(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\\" not in name
