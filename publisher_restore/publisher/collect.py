"""The collect step on the source: a selection of its items (and files) as a sync pack.

Push, pull and ``pack export`` all start here: the source's current uSync folder is
read, the ``--item`` specs are resolved (none: every item) and their dependencies added,
and the selection is written as a ``.usync`` pack (``pack_export``).  A whole-site pack
reads each item only as far as its identity (a 20,000-item site is not modelled in full
just to be copied); the target parses and analyses what it receives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from publisher_restore.errors import HostileInputError, ItemParseError
from publisher_restore.progress import Progress
from publisher_restore.publisher.item_spec import ItemSpec, parse_item_spec
from publisher_restore.publisher.lookup import SourceItems
from publisher_restore.publisher.order import in_write_order
from publisher_restore.publisher.pack_export import export_pack
from publisher_restore.publisher.pack_manifest import PackManifest
from publisher_restore.publisher.selection import SelectedItem, Selection, select_items
from publisher_restore.site import Site
from publisher_restore.usync.folders import is_format_marker
from publisher_restore.usync.loader import load_items, parse_file_bytes
from publisher_restore.usync.models import AnyItem, GenericItem, ParseProblem
from publisher_restore.usync.parsers import PARSERS
from publisher_restore.usync.parsers.common import envelope
from publisher_restore.usync.sources import FolderSource, SourceFile
from publisher_restore.usync.xmlsafe import parse_xml


@dataclass(frozen=True)
class Collected:
    """A pack written from a source site, and the selection it holds."""

    path: Path
    manifest: PackManifest
    selection: Selection

    def notes(self) -> list[str]:
        """What the person should know: references left out, unreadable files skipped."""
        notes = [f"not in the pack: {missing}" for missing in self.selection.missing]
        notes += [f"unreadable, left out: {problem}" for problem in self.selection.unreadable]
        return notes


def parse_specs(items: Sequence[str]) -> list[ItemSpec]:
    """``--item`` values parsed (``SelectionError``, exit 2, for a bad one)."""
    return [parse_item_spec(text) for text in items]


def collect_pack(
    site: Site,
    specs: Sequence[ItemSpec],
    dest: Path,
    *,
    dependencies: bool = True,
    files: bool = False,
    media: bool = False,
    overwrite: bool = True,
    progress: Progress | None = None,
) -> Collected:
    """Write the selection of ``site`` to the pack ``dest``.

    Without ``specs`` every item file goes, so none is modelled in full: each is known by
    its identity (``everything``), which is all a pack records and orders by.
    """
    if specs:
        item_set = load_items(site.root, site.usync_dir)
        source = SourceItems.from_item_set(item_set, f"site {site.name}")
        selection = select_items(source, specs, dependencies=dependencies)
    else:
        selection = everything(site, dependencies=dependencies)
    manifest = export_pack(
        site, selection, dest, files=files, media=media, overwrite=overwrite, progress=progress
    )
    return Collected(dest, manifest, selection)


def everything(site: Site, *, dependencies: bool = True) -> Selection:
    """Every readable item file of the site's uSync folder, in write order, by identity.

    The common item families are read as far as their identity (root element, Key,
    Alias, Level: the parsers' own ``envelope``, with uSync's validity rules); Empty
    markers and legacy or unknown roots are parsed in full.  A file that is not a readable
    item is left out and listed, as ``select_items`` does.
    """
    items: list[AnyItem] = []
    problems: list[ParseProblem] = []
    folder = FolderSource.open(site.root, site.usync_dir)
    for file in folder.files():
        if is_format_marker(file.path[len(folder.prefix) :]):
            continue
        found = _identity(file)
        if isinstance(found, ParseProblem):
            problems.append(found)
        else:
            items.append(found)
    entries = tuple(SelectedItem(item=item, requested=True) for item in in_write_order(items))
    return Selection(entries=entries, dependencies=dependencies, unreadable=tuple(problems))


def _identity(file: SourceFile) -> AnyItem | ParseProblem:
    if isinstance(file.data, ParseProblem):
        return file.data
    try:
        root = parse_xml(file.data, file.path)
        tag = str(root.tag)
        if tag in PARSERS and tag != "Empty":
            return GenericItem(**envelope(root, file.path))
    except (ItemParseError, HostileInputError, ValidationError):
        pass  # worded by the loader below, as everywhere else
    return parse_file_bytes(file.data, file.path)
