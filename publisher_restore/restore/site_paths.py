"""Site paths a restore may write or delete: inside the site, never through a link."""

from __future__ import annotations

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
