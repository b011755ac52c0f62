"""Prepare an import on the target: pair the pack with the target, plan every write, analyse.

The target's version folder and the pack's items are loaded together (a file both hold
byte for byte is parsed once and changes nothing), paired and analysed in ONE analyser
context, so what the plan writes is exactly what the findings describe: the same
pairing, and with ``--mirror`` the same complete-semantics deletions.  Nothing is
written here.  The naming rules are in ``import_plan``'s docstring.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

from publisher_restore.analyser.context import AnalysisContext
from publisher_restore.analyser.engine import analyse_context
from publisher_restore.analyser.findings import AnalysisResult, Semantics
from publisher_restore.analyser.loading import LoadedSide, load_sources
from publisher_restore.analyser.rules.base import Rule
from publisher_restore.analyser.settings import AnalyserSettings
from publisher_restore.analyser.shared import SharedItem
from publisher_restore.analyser.sides import Side
from publisher_restore.errors import SiteError
from publisher_restore.hashing import bytes_digest, file_digest
from publisher_restore.operations.import_plan import (
    ABSENT,
    FileChange,
    ImportOptions,
    ItemChange,
)
from publisher_restore.publisher.markers import delete_marker
from publisher_restore.publisher.order import write_order_key
from publisher_restore.publisher.pack_reader import OpenedPack
from publisher_restore.restore.site_paths import safe_site_path
from publisher_restore.site import Site
from publisher_restore.usync.diff import ChangeDetail, diff_items
from publisher_restore.usync.identity import Identified
from publisher_restore.usync.models import AnyItem, EmptyItem, ParseProblem
from publisher_restore.usync.pairing import MarkerOutcome, Pair, Pairing
from publisher_restore.usync.sources import FolderSource, MemorySource, SourceFile

UNREADABLE = "unreadable:"
"""Hash stand-in for a target file that cannot be read as a regular file."""


@dataclass(frozen=True)
class TargetFolder:
    """The target's version folder as read at prepare: every item file and its hash."""

    source: MemorySource
    hashes: dict[str, str]
    data: dict[str, bytes]


def read_target_folder(site: Site) -> TargetFolder:
    """Every ``*.config`` of the site's uSync version folder, read once."""
    folder = FolderSource.open(site.root, site.usync_dir)
    entries = tuple(folder.files())
    data = {e.path: e.data for e in entries if isinstance(e.data, bytes)}
    hashes = {e.path: _hash_of(e) for e in entries}
    return TargetFolder(MemorySource(entries, folder.prefix, folder.handler_folders), hashes, data)


def target_hashes(site: Site) -> dict[str, str]:
    """The same hashes as ``read_target_folder``, for the re-check at execute."""
    folder = FolderSource.open(site.root, site.usync_dir)
    return {entry.path: _hash_of(entry) for entry in folder.files()}


def _hash_of(entry: SourceFile) -> str:
    if isinstance(entry.data, ParseProblem):
        return UNREADABLE + entry.data.problem
    return bytes_digest(entry.data)


def site_file_hash(site: Site, rel_path: str) -> str:
    """The SHA-256 of a site file now, ``absent``, or why it cannot be written."""
    try:
        path = safe_site_path(site.root, rel_path)
    except SiteError as error:
        return UNREADABLE + str(error)
    if not path.exists():
        return ABSENT
    return file_digest(path)[1]


@dataclass
class PlannedImport:
    """What ``plan_import`` found: the changes, the analysis, the target's hashes."""

    items: list[ItemChange]
    files: list[FileChange]
    unchanged: int
    analysis: AnalysisResult
    notes: list[str]
    usync_hashes: dict[str, str]
    site_hashes: dict[str, str]


def plan_import(
    site: Site,
    pack: OpenedPack,
    options: ImportOptions,
    rules: Sequence[Rule],
    settings: AnalyserSettings,
) -> PlannedImport:
    """Pair, analyse and plan the writes of ``pack`` over ``site``; changes nothing."""
    target = read_target_folder(site)
    current, incoming = load_sources(target.source, pack.item_source())
    semantics: Semantics = "complete" if options.mirror else "import"
    ctx = AnalysisContext(Side.build(current), Side.build(incoming), semantics)
    analysis = analyse_context(ctx, list(rules), settings)
    planner = _ItemPlanner(site, target, pack, current, ctx)
    items = planner.plan(options.mirror)
    files, same_files, site_hashes = _plan_files(site, pack)
    notes = planner.notes + _version_note(site, pack)
    notes += [f"{f.path}: {f.note}" for f in files if f.note]
    return PlannedImport(
        items=items,
        files=files,
        unchanged=len(incoming.shared) + planner.unchanged + same_files,
        analysis=analysis,
        notes=notes,
        usync_hashes=target.hashes,
        site_hashes=site_hashes,
    )


def _version_note(site: Site, pack: OpenedPack) -> list[str]:
    theirs, ours = pack.manifest.usync_folder, f"v{site.usync_version}"
    if theirs == ours:
        return []
    return [
        f"the pack's items come from a uSync {theirs} folder; they are written into this "
        f"site's {site.rel(site.usync_dir)} and read by uSync as {ours} files"
    ]


@dataclass
class _Planned:
    change: ItemChange
    order: tuple[int, str, int, str, str]


@dataclass
class _ItemPlanner:
    """Turns the pairing into per-item writes, never two writes to one path."""

    site: Site
    target: TargetFolder
    pack: OpenedPack
    current: LoadedSide
    ctx: AnalysisContext
    notes: list[str] = field(default_factory=list)
    unchanged: int = 0
    _planned: list[_Planned] = field(default_factory=list)
    _taken: dict[str, str] = field(default_factory=dict)  # casefolded path -> path
    _pack_bytes: dict[str, bytes] = field(init=False)
    _occupant: dict[str, str] = field(init=False)
    _folder: str = field(init=False)

    def __post_init__(self) -> None:
        self._pack_bytes = {f.path: f.data for f in self.pack.items if isinstance(f.data, bytes)}
        self._occupant = _occupants(self.current)
        self._folder = self.site.rel(self.site.usync_dir)

    @property
    def pairing(self) -> Pairing[AnyItem]:
        return self.ctx.pairing

    def plan(self, mirror: bool) -> list[ItemChange]:
        by_incoming = {id(p.incoming): p for p in self.pairing.items.changed}
        current = self.ctx.current
        both = {id(entry) for entry in (*current.items, *current.empties)}  # read once: same
        for item in self.ctx.incoming.items:
            if id(item) in both:
                self.unchanged += 1
            else:
                self._plan_item(item, by_incoming.get(id(item)))
        for outcome in self.pairing.outcomes:
            if id(outcome.marker) in both:
                self.unchanged += 1
            else:
                self._plan_marker(outcome)
        if mirror:
            for deletion in self.ctx.deletions:
                if deletion.marker is None:
                    self._plan_mirror(deletion.item)
        self._planned.sort(key=lambda planned: planned.order)
        return [planned.change for planned in self._planned]

    # -- incoming items ------------------------------------------------------------------

    def _plan_item(self, item: AnyItem, paired: Pair[AnyItem] | None) -> None:
        duplicate = self.pairing.items.duplicate_of(item)
        if duplicate is not None and duplicate.side == "incoming":
            self._add(
                item,
                ItemChange(
                    path=self._target_path(item),
                    incoming=item.path,
                    **_identity(item),
                    change="none",
                    writes="nothing",
                    note=f"a second file with the Key of {duplicate.kept_as.path}: "
                    "that file carries the item",
                ),
            )
            return
        if paired is not None:
            self._plan_update(paired.current, item, paired)
        else:
            self._plan_create(item)

    def _plan_update(self, current: AnyItem, item: AnyItem, paired: Pair[AnyItem]) -> None:
        after = bytes_digest(self._pack_bytes[item.path])
        before = self.target.hashes.get(current.path)
        if before == after:
            self.unchanged += 1
            return
        details = diff_items(current, item) + _identity_details(current, item)
        note = None
        if _inner(current.path, self._folder) != _inner(item.path, self.pack.prefix):
            note = (
                f"incoming file {item.path} is written to the target's {current.path} "
                f"(matched by {paired.matched_by}; the target's file name is kept)"
            )
        change = ItemChange(
            path=current.path,
            incoming=item.path,
            **_identity(item),
            change="update",
            writes="item",
            details=details,
            note=note,
            before=before,
            after=after,
        )
        self._add(item, change)

    def _plan_create(self, item: AnyItem) -> None:
        wanted = self._target_path(item)
        path, note = self._free_path(wanted, item)
        change = ItemChange(
            path=path,
            incoming=item.path,
            **_identity(item),
            change="create",
            writes="item",
            details=diff_items(None, item),
            note=note,
            before=self.target.hashes.get(path),
            after=bytes_digest(self._pack_bytes[item.path]),
        )
        self._add(item, change)

    def _free_path(self, wanted: str, item: AnyItem) -> tuple[str, str | None]:
        """The incoming name, unless a different item's file (or a planned write) holds it."""
        occupant = self._occupant.get(wanted.casefold())
        if wanted.casefold() not in self._taken and occupant in (None, "marker"):
            note = None
            if occupant == "marker":
                note = f"replaces the Empty marker file {wanted} (the name is the item's again)"
            return wanted, note
        stem, dot, suffix = wanted.rpartition(".")
        key = (item.key or "").replace("-", "") or "0" * 32
        for length in range(8, 33, 4):
            candidate = f"{stem}_{key[:length]}{dot}{suffix}"
            if candidate.casefold() not in self._taken and (
                candidate.casefold() not in self._occupant
            ):
                held = "an unreadable file" if occupant == "problem" else "another item's file"
                return candidate, f"{wanted} is {held}: written as {candidate}"
        raise SiteError(f"{wanted}: no free file name for {item.item_type} {item.alias!r}")

    # -- markers ---------------------------------------------------------------------------

    def _plan_marker(self, outcome: MarkerOutcome) -> None:
        marker = outcome.marker
        if outcome.effect == "delete" and outcome.target is not None:
            self._plan_delete(marker, outcome.target)
        elif outcome.effect == "clean":
            self._plan_clean(marker)
        elif outcome.effect in ("kept", "gone"):
            why = (
                "the pack still holds the item it names"
                if outcome.effect == "kept"
                else "it names nothing on the target"
            )
            self._add(
                marker,
                ItemChange(
                    path=self._target_path(marker),
                    incoming=marker.path,
                    **_identity(marker),
                    change="none",
                    writes="nothing",
                    note=f"Delete marker left out: {why}",
                ),
            )
        else:
            self.unchanged += 1  # Rename and None markers are no-ops on import

    def _plan_delete(self, marker: EmptyItem, target: Identified) -> None:
        if isinstance(target, SharedItem):
            return  # never the case: an item both sides hold unchanged is kept
        item = cast(AnyItem, target)
        data = self._pack_bytes[marker.path]
        for victim in [item, *self._same_item_files(item)]:
            note = None
            if victim is not item:
                note = f"a second file with the Key of {item.path}: it gets the marker too"
            elif _inner(victim.path, self._folder) != _inner(marker.path, self.pack.prefix):
                note = f"the Delete marker {marker.path} replaces the item's file {victim.path}"
            self._add(
                victim,
                ItemChange(
                    path=victim.path,
                    incoming=marker.path,
                    **_identity(victim),
                    change="delete",
                    writes="item",
                    details=diff_items(victim, None),
                    note=note,
                    before=self.target.hashes.get(victim.path),
                    after=bytes_digest(data),
                ),
            )

    def _plan_clean(self, marker: EmptyItem) -> None:
        path = self._target_path(marker)
        occupant = self._occupant.get(path.casefold())
        after = bytes_digest(self._pack_bytes[marker.path])
        before = self.target.hashes.get(path)
        if before == after:
            self.unchanged += 1
            return
        writable = occupant in (None, "marker") and path.casefold() not in self._taken
        note = (
            "Clean marker: on its next import uSync deletes the children of "
            f"{marker.key} that have no file in the folder"
            if writable
            else f"Clean marker left out: {path} is another item's file"
        )
        self._add(
            marker,
            ItemChange(
                path=path,
                incoming=marker.path,
                **_identity(marker),
                change=("update" if before else "create") if writable else "none",
                writes="item" if writable else "nothing",
                note=note,
                before=before,
                after=after if writable else None,
            ),
        )

    def _plan_mirror(self, item: AnyItem) -> None:
        for victim in [item, *self._same_item_files(item)]:
            data = delete_marker(victim.key, victim.alias, like=self.target.data[victim.path])
            self._add(
                victim,
                ItemChange(
                    path=victim.path,
                    **_identity(victim),
                    change="delete",
                    writes="marker",
                    details=diff_items(victim, None),
                    note="only on the target (--mirror): replaced by a Delete marker",
                    before=self.target.hashes.get(victim.path),
                    after=bytes_digest(data),
                ),
            )

    def _same_item_files(self, item: AnyItem) -> list[AnyItem]:
        """Other target files holding ``item``'s Key (uSync's leftovers after a rename)."""
        return [
            d.entry
            for d in self.pairing.items.duplicates
            if d.side == "current" and d.kept_as is item and not isinstance(d.entry, SharedItem)
        ]

    # -- shared ---------------------------------------------------------------------------

    def _target_path(self, item: AnyItem) -> str:
        return f"{self._folder}/{_inner(item.path, self.pack.prefix)}"

    def _add(self, item: AnyItem, change: ItemChange) -> None:
        if change.writes != "nothing":
            folded = change.path.casefold()
            if folded in self._taken:
                change = change.model_copy(
                    update={
                        "change": "none",
                        "writes": "nothing",
                        "after": None,
                        "note": f"{self._taken[folded]} is already written by another change",
                    }
                )
            else:
                change = self._unless_blocked(change)
                if change.writes != "nothing":
                    self._taken[folded] = change.path
        self._planned.append(_Planned(change, write_order_key(item)))

    def _unless_blocked(self, change: ItemChange) -> ItemChange:
        try:
            safe_site_path(self.site.root, change.path)
        except SiteError as error:
            self.notes.append(f"blocked: {error}")
            return change.model_copy(
                update={
                    "change": "none",
                    "writes": "nothing",
                    "after": None,
                    "note": f"blocked: {error}",
                }
            )
        return change


def _occupants(current: LoadedSide) -> dict[str, str]:
    """casefolded target path -> ``item``, ``marker`` or ``problem``."""
    found: dict[str, str] = {}
    for item in current.items:
        found[item.path.casefold()] = "marker" if isinstance(item, EmptyItem) else "item"
    for shared in current.shared:
        found[shared.path.casefold()] = "item"
    for problem in current.problems:
        found[problem.path.casefold()] = "problem"
    return found


def _inner(path: str, prefix: str) -> str:
    prefix = prefix.rstrip("/") + "/"
    return path[len(prefix) :] if path.startswith(prefix) else path


def _identity(item: AnyItem) -> dict[str, str | None]:
    return {"item_type": item.item_type, "key": item.key, "alias": item.alias}


def _identity_details(current: AnyItem, incoming: AnyItem) -> list[ChangeDetail]:
    if current.key and incoming.key and current.key != incoming.key:
        return [ChangeDetail(path="Key", old=current.key, new=incoming.key, change="update")]
    return []


def _plan_files(site: Site, pack: OpenedPack) -> tuple[list[FileChange], int, dict[str, str]]:
    """Changed site files (unchanged ones only counted), and every pack path's hash now."""
    changes: list[FileChange] = []
    hashes: dict[str, str] = {}
    for record in sorted(pack.files, key=lambda r: r.site_path):
        now = hashes[record.site_path] = site_file_hash(site, record.site_path)
        if now == record.sha256:
            continue
        blocked = now.startswith(UNREADABLE)
        changes.append(
            FileChange(
                path=record.site_path,
                scope=record.scope,
                member=record.path,
                change="none" if blocked else "create" if now == ABSENT else "update",
                size=record.size,
                note=f"blocked: {now.removeprefix(UNREADABLE)}" if blocked else None,
                before=None if now in (ABSENT,) or blocked else now,
                after=None if blocked else record.sha256,
            )
        )
    return changes, len(pack.files) - len(changes), hashes
