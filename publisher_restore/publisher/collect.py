"""The collect step on the source: a selection of its items (and files) as a sync pack.

Push, pull and ``pack export`` all start here: the source's current uSync folder is
read, the ``--item`` specs are resolved (none: every item) and their dependencies added,
and the selection is written as a ``.usync`` pack (``pack_export``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from publisher_restore.progress import Progress
from publisher_restore.publisher.item_spec import ItemSpec, parse_item_spec
from publisher_restore.publisher.lookup import SourceItems
from publisher_restore.publisher.pack_export import export_pack
from publisher_restore.publisher.pack_manifest import PackManifest
from publisher_restore.publisher.selection import Selection, select_items
from publisher_restore.site import Site
from publisher_restore.usync.loader import load_items


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
    """Write the selection of ``site`` to the pack ``dest``."""
    item_set = load_items(site.root, site.usync_dir)
    source = SourceItems.from_item_set(item_set, f"site {site.name}")
    selection = select_items(source, specs, dependencies=dependencies)
    manifest = export_pack(
        site, selection, dest, files=files, media=media, overwrite=overwrite, progress=progress
    )
    return Collected(dest, manifest, selection)
