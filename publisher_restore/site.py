"""A site on disk: its uSync folder (found the way uSync finds it) and the files each scope holds.

Scopes, by site-relative path (top folder names compared case-insensitively):

- ``usync``: everything under ``uSync/`` (every version folder and root file),
- ``views``: ``Views/**/*.cshtml``,
- ``static``: ``*.css``/``*.js`` directly in ``wwwroot`` and anywhere under ``wwwroot/css``,
  ``wwwroot/scripts`` and ``wwwroot/js``, plus files matched by ``Include`` patterns,
- ``media``: everything under ``wwwroot/media`` (only when media is asked for).

``Exclude`` patterns remove files from every scope (and stop the walk there).  An ``Include``
pattern is walked from its leading literal folders, so one that starts with a wildcard
(``**/*.txt``) walks the whole site folder.  The restore folder (where the tool keeps
its state) never belongs to a scope, wherever it is configured.  Symbolic links are never
followed nor archived: ``iter_files`` skips them and reports each in ``skipped``.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from publisher_restore.config import RestoreSettings, load_settings
from publisher_restore.config.patterns import PathMatcher
from publisher_restore.errors import ConfigError, SiteError
from publisher_restore.scopes import Scope
from publisher_restore.site_walk import WalkEntry, child_named, walk
from publisher_restore.storage.local import make_state_dir
from publisher_restore.usync.folders import (
    USYNC_ROOT,
    VERSION_FOLDER,
    UsyncFolder,
    discover_usync_folders,
)

STATE_FOLDER = ".state"
STATIC_FOLDERS = ("css", "scripts", "js")
STATIC_EXTENSIONS = (".css", ".js")
SCOPE_FOLDERS = ("views", "wwwroot", *(f"wwwroot/{f}" for f in (*STATIC_FOLDERS, "media")))
"""Folders whose files scopes take (lower case); a restore folder may sit inside, not over them."""


@dataclass(frozen=True)
class SiteFile:
    """One file of the site in a scope: site-relative path (forward slashes), size and
    modification time (ns, as the walk saw them)."""

    path: str
    abs_path: Path
    scope: Scope
    size: int
    mtime_ns: int = 0


@dataclass(frozen=True)
class SkippedPath:
    """A path in a scope that was left out, and why (symbolic link, special file, bad name)."""

    path: str
    reason: str


def linked_version_folders(usync_root: Path) -> list[str]:
    """Names of ``v<N>`` entries that are symbolic links (never followed, so never used)."""
    return sorted(
        entry.name
        for entry in os.scandir(usync_root)
        if VERSION_FOLDER.match(entry.name) and entry.is_symlink()
    )


class Site:
    """A site folder, its settings, its current uSync folder and its file scopes."""

    def __init__(self, root: Path, settings: RestoreSettings, usync_folders: list[UsyncFolder],
                 current: UsyncFolder) -> None:  # fmt: skip
        self.root = root
        self.settings = settings
        self.usync_folders = tuple(usync_folders)
        self.usync_folder = current
        self.restore_dir = _restore_dir(root, settings)
        restore_rel = _rel_inside(root, self.restore_dir)
        self._restore_rel = None if restore_rel is None else restore_rel.lower()
        self._includes = PathMatcher(settings.include)
        self._excludes = PathMatcher(settings.exclude)
        self._check_restore_dir()

    @classmethod
    def open(cls, root: Path, settings: RestoreSettings | None = None) -> Site:
        """Open the site at ``root``; SiteError when it or its uSync folder is missing."""
        if not root.is_dir():
            raise SiteError(f"{root}: site folder does not exist")
        root = root.resolve()
        settings = load_settings(root) if settings is None else settings
        usync_root = child_named(root, USYNC_ROOT)
        if usync_root is None:
            for entry in os.scandir(root):
                if entry.name.lower() == USYNC_ROOT.lower():
                    _refuse_link(root, Path(entry.path))
            raise SiteError(f"{root}: no uSync folder (expected {USYNC_ROOT}/v<N>/)")
        folders = discover_usync_folders(usync_root)
        if settings.usync_folder is None:
            _refuse_newer_links(usync_root, folders)
        current = _pick_folder(root, usync_root, folders, settings.usync_folder)
        return cls(root, settings, folders, current)

    @property
    def name(self) -> str:
        """The site folder's name."""
        return self.root.name

    @property
    def has_media_folder(self) -> bool:
        """True when the site has a real ``wwwroot/media`` folder (names matched ignoring case)."""
        wwwroot = child_named(self.root, "wwwroot")
        return wwwroot is not None and child_named(wwwroot, "media") is not None

    @property
    def warnings(self) -> list[str]:
        """What is risky about this site's setup, in words for the person running the tool."""
        restore = self._restore_rel
        if restore is not None and _holds("wwwroot", restore):
            return [
                f"the restore folder {self.restore_dir} is inside wwwroot, which the web server "
                "serves: anyone could download the restore points; set uSync:Restore:Folder "
                "to a folder outside wwwroot"
            ]
        return []

    @property
    def usync_root(self) -> Path:
        """The site's ``uSync`` folder, which holds every version folder."""
        return self.root / self.rel(self.usync_dir).split("/", 1)[0]

    @property
    def usync_dir(self) -> Path:
        """The uSync folder in use (``uSync/v<N>``)."""
        return self.usync_folder.path

    @property
    def usync_version(self) -> int:
        """The N of ``uSync/v<N>``."""
        return self.usync_folder.version

    @property
    def all_usync_dirs(self) -> tuple[Path, ...]:
        """Every ``uSync/v<N>`` folder found, lowest version first."""
        return tuple(folder.path for folder in self.usync_folders)

    @property
    def state_dir(self) -> Path:
        """The tool's own state folder (locks, journals, caches); only its path: reading
        the site never creates it (``make_state_dir`` does, for a write)."""
        return self.restore_dir / STATE_FOLDER

    def make_state_dir(self) -> Path:
        """The state folder, created for a write (with the restore folder's ``.gitignore``)."""
        return make_state_dir(self.restore_dir)

    def rel(self, path: Path) -> str:
        """The site-relative, forward-slash form of a path inside the site."""
        rel = _rel_inside(self.root, path if path.is_absolute() else self.root / path)
        if rel is None:
            raise SiteError(f"{path}: not inside the site folder {self.root}")
        return rel

    def scope_of(self, rel_path: str) -> Scope | None:
        """The scope a site-relative path belongs to, or None when no scope takes it."""
        path = rel_path.replace("\\", "/").removeprefix("./")
        # As PurePosixPath(path).parts for a relative path: no empty or "." segments.
        parts = [part for part in path.split("/") if part not in ("", ".")]
        if not parts or path.startswith("/") or ".." in parts or self._in_restore_dir(path):
            return None
        if self._excludes.matches(path):
            return None
        scope = _builtin_scope([part.lower() for part in parts])
        if scope is None and self._includes.matches(path):
            return Scope.STATIC
        return scope

    def owns(self, rel_path: str, scopes: Collection[Scope]) -> bool:
        """True when the path belongs to one of ``scopes`` (restore may replace or delete it)."""
        return self.scope_of(rel_path) in scopes

    def iter_files(self, include_media: bool = False,
                   skipped: list[SkippedPath] | None = None) -> Iterator[SiteFile]:  # fmt: skip
        """Every file in the scopes, sorted by path; symlinks and special files go to skipped."""
        found: dict[str, SiteFile] = {}
        left_out: dict[str, str] = {}
        for entry in self._walk_candidates(include_media):
            scope = self.scope_of(entry.rel)
            in_scope = scope is not None and (scope is not Scope.MEDIA or include_media)
            if entry.info is None or not stat.S_ISREG(entry.info.st_mode):
                if in_scope or entry.is_dir:
                    left_out[entry.rel] = entry.reason or "not a regular file"
            elif in_scope and scope is not None:
                found[entry.rel] = SiteFile(entry.rel, self.root / entry.rel, scope,
                                            entry.info.st_size, entry.info.st_mtime_ns)  # fmt: skip
        if skipped is not None:
            skipped.extend(SkippedPath(path, left_out[path]) for path in sorted(left_out))
        for rel_path in sorted(found):
            yield found[rel_path]

    def _walk_candidates(self, include_media: bool) -> Iterator[WalkEntry]:
        starts: list[tuple[str, bool]] = [(USYNC_ROOT, True), ("Views", True), ("wwwroot", False)]
        starts += [(f"wwwroot/{folder}", True) for folder in STATIC_FOLDERS]
        if include_media:
            starts.append(("wwwroot/media", True))
        starts += [(start, True) for start in self._includes.walk_starts()]
        for start, recursive in starts:
            yield from walk(self.root, start, recursive, self._pruned, self._pruned_dir)

    def with_patterns(self, include: list[str], exclude: list[str]) -> Site:
        """The same site judged by other Include/Exclude rules (a restore point's own)."""
        settings = self.settings.model_copy(update={"include": include, "exclude": exclude})
        return Site(self.root, settings, list(self.usync_folders), self.usync_folder)

    def _pruned(self, rel_path: str) -> bool:
        return self._in_restore_dir(rel_path) or self._excludes.matches(rel_path)

    def _pruned_dir(self, rel_path: str) -> bool:
        return _holds_tool_state(self.root / rel_path)

    def _in_restore_dir(self, path: str) -> bool:
        restore = self._restore_rel
        if restore is None:
            return False
        lowered = path.lower()
        return lowered == restore or lowered.startswith(restore + "/")

    def _check_restore_dir(self) -> None:
        restore = self._restore_rel
        usync_rel = self.rel(self.usync_dir).lower()
        too_wide = restore is not None and (
            restore == "" or usync_rel == restore or usync_rel.startswith(restore + "/")
        )
        if too_wide or _rel_inside(self.restore_dir, self.root) is not None:
            raise self._restore_dir_error("the site or its uSync folder")
        held = [top for top in SCOPE_FOLDERS if restore is not None and _holds(restore, top)]
        if held:
            # Everything under the restore folder is left out, so the scope would vanish.
            raise self._restore_dir_error(f"the site's {held[0]} folder, which restore points keep")

    def _restore_dir_error(self, what: str) -> ConfigError:
        return ConfigError(
            f"uSync:Restore:Folder in {', '.join(self.settings.sources) or 'defaults'}: "
            f"{self.restore_dir} would hold {what}; choose a folder of its own"
        )


def _holds(folder: str, inner: str) -> bool:
    """True when the lower-cased site-relative ``folder`` is ``inner`` or one of its parents."""
    return inner == folder or inner.startswith(folder + "/")


def _pick_folder(root: Path, usync_root: Path, folders: list[UsyncFolder],
                 pinned: str | None) -> UsyncFolder:  # fmt: skip
    if pinned is not None:
        return _pinned_folder(root, usync_root, folders, pinned)
    if not folders:
        raise SiteError(
            f"{usync_root}: no uSync version folder (v8, v9, v14, ...) with usync.config"
        )
    return folders[-1]


def _pinned_folder(root: Path, usync_root: Path, folders: list[UsyncFolder],
                   pinned: str) -> UsyncFolder:  # fmt: skip
    path = usync_root / pinned if "/" not in pinned else root / pinned
    path = Path(os.path.normpath(path))
    _refuse_link(root, path, _PIN_ANOTHER)
    if _rel_inside(usync_root, path) in (None, "") or not path.is_dir():
        raise SiteError(
            f"{path}: the uSync folder named by uSync:Restore:UsyncFolder is not usable"
        )
    for folder in folders:
        if folder.path == path:
            return folder
    match = re.match(r"^v(\d+)", path.name, re.I)
    if match is None:
        raise SiteError(f"{path}: cannot tell the uSync version from the folder name")
    return UsyncFolder(path, int(match.group(1)), (path / "usync.config").is_file())


_PIN_ANOTHER = ", or pin another version folder with uSync:Restore:UsyncFolder"


def _refuse_newer_links(usync_root: Path, folders: list[UsyncFolder]) -> None:
    """uSync itself would follow a linked version folder newer than every real one."""
    newest = folders[-1].version if folders else -1
    for name in linked_version_folders(usync_root):
        match = VERSION_FOLDER.match(name)
        if match is not None and int(match.group(1)) >= newest:
            _refuse_link(usync_root.parent, usync_root / name, _PIN_ANOTHER)


def _refuse_link(root: Path, path: Path, remedy: str = "") -> None:
    """SiteError when ``path`` is a symbolic link, saying why links are not followed."""
    if not path.is_symlink():
        return
    raise SiteError(
        f"{_rel_inside(root, path) or path} is a symbolic link (to {os.readlink(path)}); "
        "publisher-restore never follows links in a site, because a restore would write "
        f"through them into another folder: put the folder itself there{remedy}"
    )


def _restore_dir(root: Path, settings: RestoreSettings) -> Path:
    folder = Path(settings.folder)
    return Path(os.path.normpath(folder if folder.is_absolute() else root / folder))


def _rel_inside(base: Path, path: Path) -> str | None:
    """``path`` relative to ``base`` in forward-slash form, or None when it is outside."""
    try:
        rel = Path(os.path.normpath(path)).relative_to(base)
    except ValueError:
        return None
    text = rel.as_posix()
    return "" if text == "." else text


def _builtin_scope(parts: list[str]) -> Scope | None:
    top, name = parts[0], parts[-1]
    if top == USYNC_ROOT.lower() and len(parts) > 1:
        return Scope.USYNC
    if top == "views" and len(parts) > 1 and name.endswith(".cshtml"):
        return Scope.VIEWS
    if top != "wwwroot" or len(parts) < 2:
        return None
    if parts[1] == "media" and len(parts) > 2:
        return Scope.MEDIA
    is_static_file = name.endswith(STATIC_EXTENSIONS)
    if is_static_file and (len(parts) == 2 or parts[1] in STATIC_FOLDERS):
        return Scope.STATIC
    return None


def _holds_tool_state(folder: Path) -> bool:
    """A restore folder left behind when ``Folder`` was moved: never archived or restored."""
    return (folder / STATE_FOLDER).is_dir() and (folder / "points").is_dir()
