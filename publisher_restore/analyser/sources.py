"""Finds the uSync version folder of each side: a site root, a uSync folder, a version folder.

The discovery rules themselves (what a version folder is, which one is newest) live in
``usync.folders``; a site root is opened as a ``Site`` so its ``UsyncFolder`` setting counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from publisher_restore.config import load_settings
from publisher_restore.errors import SiteError
from publisher_restore.site import Site
from publisher_restore.usync.folders import (
    USYNC_ROOT,
    discover_usync_folders,
    is_version_folder,
)
from publisher_restore.usync.loader import ItemSet, load_items
from publisher_restore.usync.sources import FolderSource

NESTED_DEPTH = 4
SKIPPED_FOLDERS = frozenset({".git", "node_modules", "bin", "obj", "wwwroot", "App_Data"})
_ROOT_NAME = USYNC_ROOT.casefold()


@dataclass(frozen=True)
class SideFolder:
    """Where one side's items are: paths are reported relative to ``root``."""

    root: Path
    usync_dir: Path
    site_root: Path | None

    def source(self) -> FolderSource:
        """The side's item files."""
        return FolderSource(self.root, self.usync_dir)


def resolve_side(path: Path) -> SideFolder:
    """The uSync version folder ``path`` names: itself, its newest v<N>, or its site's."""
    if not path.is_dir():
        raise SiteError(f"{path}: not a folder")
    path = path.resolve()
    if is_version_folder(path):
        parent = path.parent
        site_root = parent.parent if parent.name.casefold() == _ROOT_NAME else None
        return SideFolder(site_root or path, path, site_root)
    if path.name.casefold() == _ROOT_NAME:
        return _usync_root(path)
    if not any(c.name.casefold() == _ROOT_NAME for c in path.iterdir() if c.is_dir()):
        nested = _nested_usync(path)
        if nested is not None:
            return _usync_root(nested)
    site = Site.open(path)
    return SideFolder(site.root, site.usync_dir, site.root)


def _usync_root(path: Path) -> SideFolder:
    folders = discover_usync_folders(path)
    if not folders:
        raise SiteError(f"{path}: no uSync version folder (v8, v9, v14, ...) inside")
    return SideFolder(path.parent, folders[-1].path, path.parent)


def _nested_usync(path: Path) -> Path | None:
    """The one ``uSync`` folder a few levels down (a repository whose site is in ``src/...``)."""
    found: list[Path] = []
    level = [path]
    for _ in range(NESTED_DEPTH):
        below = [
            child
            for folder in level
            for child in sorted(folder.iterdir())
            if child.is_dir() and not child.is_symlink() and child.name not in SKIPPED_FOLDERS
        ]
        found += [c for c in below if c.name.casefold() == _ROOT_NAME and discover_usync_folders(c)]
        level = [c for c in below if c.name.casefold() != _ROOT_NAME]
    if len(found) > 1:
        names = ", ".join(str(f) for f in found)
        raise SiteError(f"{path}: several uSync folders below ({names}); name one of them")
    return found[0] if found else None


def load_side(path: Path) -> tuple[ItemSet, SideFolder]:
    """Resolve and parse one side; unreadable files come back as problems."""
    side = resolve_side(path)
    return load_items(side.root, side.usync_dir), side


def analyser_section(side: SideFolder | None) -> dict[str, object]:
    """The ``uSync:Restore:Analyser`` section of the side's site (empty without a site)."""
    if side is None or side.site_root is None:
        return {}
    return dict(load_settings(side.site_root).analyser)
