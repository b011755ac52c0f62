"""Site paths a restore may write or delete: inside the site, never through a link."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from publisher_restore.errors import SiteError


def safe_site_path(root: Path, rel_path: str) -> Path:
    """The absolute path of ``rel_path``; ``SiteError`` if a link or a file stands in its way.

    Every existing component is checked with ``lstat``: writing through a linked
    folder would put restored files outside the site.
    """
    parts = rel_path.split("/")
    if rel_path.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise SiteError(f"{rel_path}: not a plain site-relative path")
    current = root
    for index, part in enumerate(parts):
        current = current / part
        try:
            mode = current.lstat().st_mode
        except FileNotFoundError:
            return root.joinpath(*parts)
        if stat.S_ISLNK(mode):
            raise SiteError(f"{rel_path}: '{current}' is a symbolic link; a restore never "
                            "writes through links")  # fmt: skip
        last = index == len(parts) - 1
        if not last and not stat.S_ISDIR(mode):
            raise SiteError(f"{rel_path}: '{current}' is a file where a folder is expected")
        if last and not stat.S_ISREG(mode):
            raise SiteError(f"{rel_path}: '{current}' is not a regular file")
    return current


class SafePaths:
    """``safe_site_path`` for many paths, each folder looked at once (restores write
    thousands of files into a few folders)."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._folders: dict[str, bool] = {"": True}
        """Site-relative folder -> True: a real folder; False: absent (so is all below)."""

    def check(self, rel_path: str) -> Path:
        """As ``safe_site_path(root, rel_path)``: the path, or ``SiteError`` saying why not."""
        problem = self.problem(rel_path)
        if problem is not None:
            raise SiteError(problem)
        return self._root.joinpath(*rel_path.split("/"))

    def problem(self, rel_path: str) -> str | None:
        """Why ``safe_site_path(root, rel_path)`` would refuse ``rel_path``, or None."""
        parts = rel_path.split("/")
        if rel_path.startswith("/") or any(p in ("", ".", "..") for p in parts):
            return f"{rel_path}: not a plain site-relative path"
        folder = ""
        for part in parts[:-1]:
            folder = f"{folder}/{part}" if folder else part
            known = self._folders.get(folder)
            if known is None:
                found = self._look(rel_path, folder, last=False)
                if isinstance(found, str):
                    return found
                known = self._folders[folder] = found
            if not known:
                return None
        found = self._look(rel_path, rel_path, last=True)
        return found if isinstance(found, str) else None

    def _look(self, rel_path: str, rel: str, *, last: bool) -> bool | str:
        """Whether ``rel`` exists (as a folder, or as the regular file at the end), or why
        it is in the way."""
        current = self._root / rel
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            return False
        if stat.S_ISLNK(mode):
            return (
                f"{rel_path}: '{current}' is a symbolic link; a restore never writes through links"
            )
        if not last and not stat.S_ISDIR(mode):
            return f"{rel_path}: '{current}' is a file where a folder is expected"
        if last and not stat.S_ISREG(mode):
            return f"{rel_path}: '{current}' is not a regular file"
        return True
