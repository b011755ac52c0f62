"""Where uSync keeps items: handler folders and version folders, found the way uSync finds them.

The one list of handler folder names, and the one way to find a ``v<N>`` version folder, on
disk (``discover_usync_folders``, ``is_version_folder``) or among the member names of a zip
(``version_folder_among``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from publisher_restore.errors import SiteError

HANDLER_FOLDERS: dict[str, str] = {
    "Languages": "Language",
    "Dictionary": "Dictionary",
    "DataTypes": "DataType",
    "Templates": "Template",
    "ContentTypes": "ContentType",
    "MediaTypes": "MediaType",
    "MemberTypes": "MemberType",
    "Macros": "Macro",
    "Media": "Media",
    "Content": "Content",
    "Blueprints": "Content",
    "Domains": "Domain",
    "RelationTypes": "RelationType",
    "Webhooks": "Webhook",
}
"""Handler folder name -> item type (root element name) of the files inside it."""

OTHER_HANDLER_FOLDERS = ("UserGroups", "Users", "Members", "Forms")
"""Handler folders of uSync add-ons (Complete, Forms): their files are kept, not modelled."""

USYNC_ROOT = "uSync"
ITEM_SUFFIX = ".config"
MARKER_NAME = "usync.config"
"""The ``<uSync version=".." format=".."/>`` file at the top of a version folder."""
VERSION_FOLDER = re.compile(r"^v(\d+)$", re.IGNORECASE)

_BY_FOLDED = {folder.casefold(): folder for folder in HANDLER_FOLDERS}
_ANY_HANDLER = frozenset(f.casefold() for f in (*HANDLER_FOLDERS, *OTHER_HANDLER_FOLDERS))


@dataclass(frozen=True)
class UsyncFolder:
    """One ``uSync/v<N>`` folder; ``marked`` says it has the ``usync.config`` marker file."""

    path: Path
    version: int
    marked: bool


def handler_folder(path: str) -> str | None:
    """The nearest enclosing handler folder of a file path (any slash style), or None."""
    parts = path.replace("\\", "/").split("/")[:-1]
    for part in reversed(parts):
        folder = _BY_FOLDED.get(part.casefold())
        if folder is not None:
            return folder
    return None


def item_type_for_path(path: str) -> str | None:
    """The item type a handler folder in ``path`` implies, or None outside handler folders."""
    folder = handler_folder(path)
    return None if folder is None else HANDLER_FOLDERS[folder]


def is_handler_folder_name(name: str) -> bool:
    """Whether a folder name is one of uSync's handler folders (any case, add-ons included)."""
    return name.casefold() in _ANY_HANDLER


def canonical_handler(name: str) -> str | None:
    """The canonical spelling of an item handler folder name ('content' -> 'Content')."""
    return _BY_FOLDED.get(name.casefold())


def is_format_marker(inner_path: str) -> bool:
    """``usync.config`` outside any handler folder (a Content node may be named "usync")."""
    name = inner_path.replace("\\", "/").rsplit("/", 1)[-1]
    return name.casefold() == MARKER_NAME and handler_folder(inner_path) is None


def is_version_folder(folder: Path) -> bool:
    """A folder uSync would read items from: it has the marker file or a handler folder."""
    if (folder / MARKER_NAME).is_file():
        return True
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return False
    return any(e.is_dir(follow_symlinks=False) and is_handler_folder_name(e.name) for e in entries)


def discover_usync_folders(usync_root: Path) -> list[UsyncFolder]:
    """The ``v<N>`` folders of a ``uSync`` folder that uSync would consider, lowest first."""
    found = []
    for entry in sorted(os.scandir(usync_root), key=lambda e: e.name):
        match = VERSION_FOLDER.match(entry.name)
        if match is None or not entry.is_dir(follow_symlinks=False):
            continue
        folder = Path(entry.path)
        marked = (folder / MARKER_NAME).is_file()
        if marked or is_version_folder(folder):
            found.append(UsyncFolder(folder, int(match.group(1)), marked))
    return sorted(found, key=lambda folder: (folder.version, folder.path.name))


def handler_folders_in(usync_dir: Path) -> frozenset[str]:
    """The item handler folders a version folder has, empty ones included (canonical names)."""
    found: set[str] = set()
    for entry in os.scandir(usync_dir):
        name = canonical_handler(entry.name)
        if name is not None and entry.is_dir(follow_symlinks=False):
            found.add(name)
    return frozenset(found)


def version_folder_among(names: Iterable[str]) -> str:
    """The version folder (a ``/``-ended prefix, '' for the top) of a set of member paths.

    A folder holding ``usync.config`` or a handler folder with item files is a version folder
    (only ``.config`` names count, so ``wwwroot/media/...`` is no candidate); among several
    the highest ``v<N>`` wins, as on disk.  No version folder at all is an error.
    """
    candidates: set[str] = set()
    for name in names:
        if not name.casefold().endswith(ITEM_SUFFIX):
            continue
        parts = name.split("/")
        for depth in range(len(parts)):
            if is_handler_folder_name(parts[depth]) and depth < len(parts) - 1:
                candidates.add("/".join(parts[:depth]))
                break
        if parts[-1].casefold() == MARKER_NAME and not any(map(is_handler_folder_name, parts)):
            candidates.add("/".join(parts[:-1]))
    if not candidates:
        raise SiteError("no uSync items: no version folder (v9, v17, ...) or handler folder")
    chosen = max(candidates, key=_version_rank)
    return f"{chosen}/" if chosen else ""


def _version_rank(folder: str) -> tuple[int, int, str]:
    """``v<N>`` folders by N, before any other; among others the shallowest."""
    match = VERSION_FOLDER.match(folder.rsplit("/", 1)[-1])
    if match:
        return (1, int(match.group(1)), folder)
    return (0, -len(folder.split("/")) if folder else 0, folder)


def handler_folders_among(names: Iterable[str], prefix: str) -> frozenset[str]:
    """The item handler folders directly below ``prefix`` among member paths."""
    found: set[str] = set()
    for name in names:
        if name.startswith(prefix):
            head, _, rest = name[len(prefix) :].partition("/")
            folder = canonical_handler(head)
            if folder is not None and (rest or name.endswith("/")):
                found.add(folder)
    return frozenset(found)
