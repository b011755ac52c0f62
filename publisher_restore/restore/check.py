"""``check``: compare a restore point with the site as it is now, touching only what changed.

1. The site's files in the point's scopes are compared with the point's index by hash.
   A file whose size and modification time still match its row (recorded long enough
   before the point was taken) is taken as unchanged without being read (the same
   shortcut ``create`` uses; ``rehash`` reads every file).
2. Only the uSync files that differ are read as items: on the site in full, in the
   point as far as needed.  An item file that is the same on both sides takes part by
   the identity the index recorded (``shared_files``), read from the site only if an
   analyser rule asks.  A point's content or media item that the site does not hold at
   all is created whole by the restore: it is known by its identity, never parsed.
3. Items are paired by ``usync.pairing`` (the rule ``analyse`` uses: version folder,
   type, Key, then Alias), so a report says "property made mandatory", not "file
   changed".  An updated item lists every field that changes; a created or deleted item
   is created or deleted whole (its marker's action is named, its fields are not).

Memory follows what changed.  In the report the site now is the ``current`` side and the
restore point the ``incoming`` one, as in the analyser's findings for the restore.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic

import pluggy

from publisher_restore.analyser import AnalysisProblem
from publisher_restore.analyser.shared import SharedItem
from publisher_restore.errors import SiteError
from publisher_restore.hashing import bytes_digest, file_digest
from publisher_restore.progress import Progress
from publisher_restore.restore.contents import Identity, PointContents, PointItem
from publisher_restore.restore.create import is_item_file
from publisher_restore.restore.identity import TREE, read_identity
from publisher_restore.restore.manifest import Manifest, Scope
from publisher_restore.restore.plan import Change, ChangeKind, FileOp, RestorePlan
from publisher_restore.restore.point_reader import reader_for
from publisher_restore.restore.point_rules import validate_point
from publisher_restore.restore.restore_analysis import restore_findings
from publisher_restore.restore.shared_files import SiteSharedItem
from publisher_restore.restore.site_paths import SafePaths
from publisher_restore.restore.store import RestorePointStore
from publisher_restore.site import Site, SiteFile, SkippedPath
from publisher_restore.usync.diff import ChangeDetail, diff_items
from publisher_restore.usync.identity import E, Grouping, key_fold
from publisher_restore.usync.loader import parse_file_bytes
from publisher_restore.usync.models import AnyItem, EmptyItem, ParseProblem
from publisher_restore.usync.pairing import Duplicate, Pairing, pair
from publisher_restore.usync.sources import over_limit, read_item_bytes
from publisher_restore.usync.xmlsafe import MAX_ITEM_BYTES

Parsed = AnyItem | ParseProblem
Items = Callable[[], Sequence[AnyItem]]

Chooser = Callable[[Items, Items, Collection[str]], Collection[str]]
"""Partial restore: from the items now and the point's items (asked for only when needed:
they are read in full) and every covered path, the paths to restore
(``operations.restore_selection`` builds one from ``--item`` and ``--path``)."""


@dataclass(frozen=True, slots=True)
class CurrentFile:
    """A file of the site now, with its digest; a changed uSync item file also parsed."""

    site_file: SiteFile
    sha256: str
    parsed: Parsed | None = None
    read: bool = True
    """False: taken as unchanged by size and modification time, not read."""


@dataclass
class SiteScan:
    """The site's files in a point's scopes, as one walk found them, and their digests."""

    files: list[SiteFile]
    skipped: list[SkippedPath]
    current: dict[str, CurrentFile] = field(default_factory=dict)
    """The files the point's own rules cover too (what ``check`` compares)."""
    rehash: bool = False

    def digest(self, site_file: SiteFile) -> str:
        """The digest of any scanned file (those outside the point's rules hashed now)."""
        found = self.current.get(site_file.path)
        return found.sha256 if found is not None else file_digest(site_file.abs_path)[1]


Entry = AnyItem | PointItem


@dataclass(frozen=True)
class ItemPair(Generic[E]):
    """An item (or marker) now and the same one in the restore point; either may be missing."""

    now: E | None
    then: E | None


@dataclass
class ParsedSide:
    """The changed uSync items of one side, and the files that could not be parsed."""

    items: list[Entry]
    problems: list[ParseProblem]


@dataclass
class Shared:
    """Item files unchanged between the site and the point: one entry for both sides."""

    items: list[SharedItem] = field(default_factory=list)
    models: list[AnyItem] = field(default_factory=list)
    """Read in full although unchanged (languages, markers, items without a valid Key)."""
    problems: list[ParseProblem] = field(default_factory=list)


def plan_restore(
    site: Site,
    store: RestorePointStore,
    point: Manifest,
    progress: Progress,
    pm: pluggy.PluginManager | None = None,
    choose: Chooser | None = None,
    *,
    scan: SiteScan | None = None,
    rehash: bool = False,
) -> RestorePlan:
    """What restoring ``point`` (or the part ``choose`` picks) would change; changes nothing."""
    point_rules = validate_point(site, point)
    contents = point.contents()
    restorable, kept_out = _split_by_current_rules(site, contents, point_rules)
    scan = scan or scan_site(site, point, progress, rehash=rehash)
    current = compare_current(scan, site, point, point_rules, progress)
    operations = file_operations(current, contents, restorable)
    unchanged = _Unchanged(contents, current)
    now = _side_now(current)
    then = _side_then(store, point, contents, current, now)
    chosen: set[str] | None = None
    if choose is not None:
        all_now, all_then = _everything(store, point, now, then, unchanged)
        covered = {*current, *(contents.paths[row] for row in restorable)}
        chosen = set(choose(all_now, all_then, covered))
        operations = [op for op in operations if op.path in chosen]
        then = _partly_restored(now, then, chosen)
    problems = _problems(now, then, unchanged.problems(), [contents.paths[row] for row in kept_out])
    plan = RestorePlan(point=point, operations=operations, problems=problems)
    plan.selection = None if chosen is None else sorted(chosen)
    plan.blocked = blocked_paths(site.root, operations)
    if now.items or then.items:  # with no changed item there is nothing to pair or analyse
        shared = unchanged.shared()
        common = shared.items
        pairing = pair(now.items, then.items, common=common, grouping=Grouping.VERSION_FOLDER)
        plan.changes = _changes(current, point, operations, pairing)
        plan.findings = restore_findings(
            site, point.usync_folder, now.items, then.items, pm, shared=shared.items,
            shared_models=shared.models, point_paths=contents.paths,
        )  # fmt: skip
    else:
        plan.changes = _file_changes(current, contents, operations, covered=set())
    return plan


def scan_site(site: Site, point: Manifest, progress: Progress, *, rehash: bool = False) -> SiteScan:
    """Walk the site's files in the point's scopes (once; check and the plan token share it)."""
    skipped: list[SkippedPath] = []
    scopes = point.scopes
    files = site.iter_files(include_media=Scope.MEDIA in scopes, skipped=skipped)
    return SiteScan([f for f in files if f.scope in scopes], skipped, rehash=rehash)


def compare_current(
    scan: SiteScan, site: Site, point: Manifest, point_rules: Site, progress: Progress
) -> dict[str, CurrentFile]:
    """Digest every scanned file the point's own rules cover too; parse the changed items."""
    contents = point.contents()
    files = [
        f for f in scan.files if point_rules is site or point_rules.scope_of(f.path) == f.scope
    ]
    progress.begin("scan", files=len(files), total_bytes=sum(f.size for f in files))
    current: dict[str, CurrentFile] = {}
    for site_file in files:
        row = contents.row(site_file.path)
        current[site_file.path] = _compared(site_file, row, contents, point, scan.rehash)
        progress.advance(files=1, nbytes=site_file.size)
    progress.end()
    scan.current = current
    return current


def unchanged_by_stat(
    site_file: SiteFile, row: int | None, contents: PointContents, point: Manifest
) -> bool:
    """The size-and-time shortcut: the file still has the size and modification time its
    row recorded, and the row was recorded long enough before the point was taken."""
    if row is None:
        return False
    mtime = contents.mtimes[row]
    return (
        0 < mtime < point.trusted_before_ns
        and mtime == site_file.mtime_ns
        and contents.sizes[row] == site_file.size
    )


def _compared(
    site_file: SiteFile, row: int | None, contents: PointContents, point: Manifest, rehash: bool
) -> CurrentFile:
    if row is not None and not rehash and unchanged_by_stat(site_file, row, contents, point):
        return CurrentFile(site_file, contents.hashes[row], read=False)
    if not is_item_file(site_file.path, site_file.scope):
        return CurrentFile(site_file, file_digest(site_file.abs_path)[1])
    if site_file.size > MAX_ITEM_BYTES:
        sha256 = file_digest(site_file.abs_path)[1]
        if row is not None and contents.hashes[row] == sha256:
            return CurrentFile(site_file, sha256)  # the same bytes: shared
        too_big = ParseProblem(path=site_file.path, problem=over_limit(site_file.size))
        return CurrentFile(site_file, sha256, too_big)
    read = read_item_bytes(site_file.abs_path, site_file.path)
    if isinstance(read.data, ParseProblem):
        raise SiteError(f"{read.data} (it changed while check read the site)")
    sha256 = bytes_digest(read.data)
    if row is not None and contents.hashes[row] == sha256:
        return CurrentFile(site_file, sha256)  # the same bytes: shared, not parsed
    return CurrentFile(site_file, sha256, parse_file_bytes(read.data, site_file.path))


def _split_by_current_rules(
    site: Site, contents: PointContents, point_rules: Site
) -> tuple[list[int], list[int]]:
    """Rows the site's rules still cover are restored; the others are reported."""
    rows = range(len(contents))
    if point_rules is site:
        return list(rows), []
    restorable: list[int] = []
    kept_out: list[int] = []
    for row in rows:
        fits = site.scope_of(contents.paths[row]) == contents.scopes[row]
        (restorable if fits else kept_out).append(row)
    return restorable, kept_out


def file_operations(
    current: dict[str, CurrentFile], contents: PointContents, rows: Iterable[int]
) -> list[FileOp]:
    """Write what differs or is missing; delete what the point does not have."""
    ops: list[FileOp] = []
    wanted: set[str] = set()
    for row in rows:
        path = contents.paths[row]
        wanted.add(path)
        found = current.get(path)
        if found is None or found.sha256 != contents.hashes[row]:
            record = contents.record(row)
            ops.append(FileOp.model_construct(_OP_FIELDS, path=path, action="write", record=record))
    ops.sort(key=lambda op: op.path)
    ops += [
        FileOp.model_construct(_OP_FIELDS, path=path, action="delete", record=None)
        for path in sorted(current)
        if path not in wanted
    ]
    return ops


_OP_FIELDS = set(FileOp.model_fields)
"""Every field of an operation set (see ``contents._FILE_FIELDS``)."""


def blocked_paths(root: Path, operations: list[FileOp]) -> list[str]:
    """Why some of the operations' paths cannot be written safely (links in the way)."""
    paths = SafePaths(root)
    return [problem for op in operations if (problem := paths.problem(op.path)) is not None]


# -- the two sides ---------------------------------------------------------------------------


def _side_now(current: dict[str, CurrentFile]) -> ParsedSide:
    side = ParsedSide(items=[], problems=[])
    for path in sorted(current):
        parsed = current[path].parsed
        if isinstance(parsed, ParseProblem):
            side.problems.append(parsed)
        elif parsed is not None:
            side.items.append(parsed)
    return side


def _changed_rows(contents: PointContents, current: dict[str, CurrentFile]) -> list[int]:
    """Rows of the point's item files whose bytes the site does not have."""
    return [
        row
        for row, path in enumerate(contents.paths)
        if is_item_file(path, contents.scopes[row])
        and (path not in current or current[path].sha256 != contents.hashes[row])
    ]


def _side_then(
    store: RestorePointStore,
    point: Manifest,
    contents: PointContents,
    current: dict[str, CurrentFile],
    now: ParsedSide,
) -> ParsedSide:
    """The point's changed item files: read in full where a comparison needs them."""
    held_now = {_held_key(item) for item in now.items}
    side = ParsedSide(items=[], problems=[])
    wanted: list[int] = []
    for row in _changed_rows(contents, current):
        path = contents.paths[row]
        problem = contents.problems.get(path)
        identity = contents.identities[row]
        if problem is not None and contents.legacy_items is None:
            side.problems.append(
                ParseProblem(path=path, line=problem.line, problem=problem.problem)
            )
        elif contents.sizes[row] > MAX_ITEM_BYTES:
            side.problems.append(ParseProblem(path=path, problem=over_limit(contents.sizes[row])))
        elif identity is not None and _created_whole(identity, held_now):
            side.items.append(PointItem(identity.item_type, identity.key, identity.alias, path))
        else:
            wanted.append(row)
    found = reader_for(store, point).read_files(contents.paths[row] for row in wanted)
    for row in wanted:
        parsed = parse_file_bytes(found[contents.paths[row]], contents.paths[row])
        if isinstance(parsed, ParseProblem):
            side.problems.append(parsed)
        else:
            side.items.append(parsed)
    side.items.sort(key=lambda entry: entry.path)
    side.problems.sort(key=lambda problem: problem.path)
    return side


def _held_key(item: Entry) -> tuple[str, str]:
    return item.item_type, key_fold(item.key) or ""


def _created_whole(identity: Identity, held_now: set[tuple[str, str]]) -> bool:
    """A content or media item the site does not hold at all: the restore creates it whole,
    so nothing compares its fields (the analyser's rules read no created content)."""
    if identity.item_type not in TREE or identity.modelled or not identity.key:
        return False
    return (identity.item_type, key_fold(identity.key) or "") not in held_now


class _Unchanged:
    """The item files both sides hold unchanged, as the index knows them (built on demand:
    a check with no changed item needs only their problems)."""

    def __init__(self, contents: PointContents, current: dict[str, CurrentFile]) -> None:
        self._contents = contents
        self._current = current
        self._shared: Shared | None = None

    def rows(self) -> Iterator[tuple[str, int, CurrentFile]]:
        contents = self._contents
        for path, found in self._current.items():
            row = contents.row(path)
            if row is None or not is_item_file(path, found.site_file.scope):
                continue
            if found.sha256 == contents.hashes[row]:
                yield path, row, found

    def problems(self) -> list[ParseProblem]:
        """Unchanged files the index lists as unreadable (a version-2 point)."""
        if self._contents.legacy_items is not None:
            return self.shared().problems
        found = [p for path, _row, _file in self.rows() if (p := self._problem(path))]
        return sorted(found, key=lambda problem: problem.path)

    def _problem(self, path: str) -> ParseProblem | None:
        problem = self._contents.problems.get(path)
        if problem is None:
            return None
        return ParseProblem(path=path, line=problem.line, problem=problem.problem)

    def shared(self) -> Shared:
        if self._shared is None:
            self._shared = self._build()
        return self._shared

    def _build(self) -> Shared:
        shared = Shared()
        legacy = self._contents.legacy_items is not None
        for path, row, found in self.rows():
            problem = None if legacy else self._problem(path)
            if problem is not None:
                shared.problems.append(problem)
                continue
            identity = self._contents.identities[row]
            if identity is None:  # a version-1 point: its index has no identities
                identity_or_problem = _identity_from_site(found.site_file)
                if isinstance(identity_or_problem, ParseProblem):
                    shared.problems.append(identity_or_problem)
                    continue
                identity = identity_or_problem
            if identity.modelled:
                model = _model_from_site(found.site_file)
                if isinstance(model, ParseProblem):
                    shared.problems.append(model)
                else:
                    shared.models.append(model)
            else:
                shared.items.append(SiteSharedItem(identity, path, found.site_file.abs_path))
        shared.items.sort(key=lambda item: item.path)
        shared.models.sort(key=lambda item: item.path)
        shared.problems.sort(key=lambda problem: problem.path)
        return shared


def _site_bytes(site_file: SiteFile) -> bytes | ParseProblem:
    if site_file.size > MAX_ITEM_BYTES:
        return ParseProblem(path=site_file.path, problem=over_limit(site_file.size))
    return read_item_bytes(site_file.abs_path, site_file.path).data


def _identity_from_site(site_file: SiteFile) -> Identity | ParseProblem:
    data = _site_bytes(site_file)
    return data if isinstance(data, ParseProblem) else read_identity(data, site_file.path)


def _model_from_site(site_file: SiteFile) -> Parsed:
    data = _site_bytes(site_file)
    return data if isinstance(data, ParseProblem) else parse_file_bytes(data, site_file.path)


def _everything(
    store: RestorePointStore,
    point: Manifest,
    now: ParsedSide,
    then: ParsedSide,
    same: _Unchanged,
) -> tuple[Items, Items]:
    """Both sides' items in full, unchanged ones included, read only if the chooser asks."""
    models: dict[str, list[AnyItem]] = {}

    def unchanged() -> list[AnyItem]:
        if "shared" not in models:
            shared = same.shared()
            parsed = [s.model() for s in shared.items]
            models["shared"] = [*shared.models, *(m for m in parsed if m is not None)]
        return models["shared"]

    def all_now() -> list[AnyItem]:
        return [*(i for i in now.items if not isinstance(i, PointItem)), *unchanged()]

    def all_then() -> list[AnyItem]:
        if "then" not in models:
            models["then"] = _then_models(store, point, then)
        return [*models["then"], *unchanged()]

    return all_now, all_then


def _then_models(store: RestorePointStore, point: Manifest, then: ParsedSide) -> list[AnyItem]:
    """The point's changed items, those known by identity only read now."""
    only_known = [i.path for i in then.items if isinstance(i, PointItem)]
    found = reader_for(store, point).read_files(only_known)
    items: list[AnyItem] = [i for i in then.items if not isinstance(i, PointItem)]
    for path in only_known:
        parsed = parse_file_bytes(found[path], path)
        if not isinstance(parsed, ParseProblem):
            items.append(parsed)
    return items


def _partly_restored(now: ParsedSide, then: ParsedSide, chosen: set[str]) -> ParsedSide:
    """The site after a partial restore: the point's files where chosen, today's elsewhere."""
    return ParsedSide(
        items=[i for i in now.items if i.path not in chosen]
        + [i for i in then.items if i.path in chosen],
        problems=[p for p in then.problems if p.path in chosen],
    )


def _problems(
    now: ParsedSide, then: ParsedSide, unchanged: list[ParseProblem], kept_out: list[str]
) -> list[AnalysisProblem]:
    """Unreadable files of each side, in the analyser's shape (the site now is current)."""
    current = sorted([*now.problems, *unchanged], key=lambda p: p.path)
    incoming = sorted([*then.problems, *unchanged], key=lambda p: p.path)
    found = [AnalysisProblem(side="current", **p.model_dump()) for p in current]
    found += [AnalysisProblem(side="incoming", **p.model_dump()) for p in incoming]
    outside = "not restored, outside the site's current scopes"
    found += [AnalysisProblem(side="incoming", path=path, problem=outside) for path in kept_out]
    return found


# -- changes ---------------------------------------------------------------------------------


def _changes(
    current: dict[str, CurrentFile],
    point: Manifest,
    operations: list[FileOp],
    pairing: Pairing[Entry],
) -> list[Change]:
    changed_paths = {op.path for op in operations}
    kinds = {op.path: _file_change_kind(op, current) for op in operations}
    duplicates = pairing.items.duplicates
    item_changes, covered = _item_changes(item_pairs(pairing), duplicates, changed_paths, kinds)
    file_changes = _file_changes(current, point.contents(), operations, covered)
    return sorted([*item_changes, *file_changes], key=lambda c: (c.path, c.change))


def _file_changes(
    current: dict[str, CurrentFile],
    contents: PointContents,
    operations: list[FileOp],
    covered: set[str],
) -> list[Change]:
    """A change for every operation no item change covers (views, css, unreadable files)."""
    found = []
    for op in operations:
        if op.path in covered:
            continue
        row = contents.row(op.path)
        scope = contents.scopes[row] if row is not None else current[op.path].site_file.scope
        found.append(_change(op.path, _file_change_kind(op, current), scope, files=[op.path]))
    return found


_CHANGE_FIELDS = set(Change.model_fields)
"""Every field of a change set: one object shared by every change built (see
``contents._FILE_FIELDS``)."""


def _change(
    path: str,
    kind: ChangeKind,
    scope: Scope,
    *,
    files: list[str],
    item: Entry | None = None,
    details: list[ChangeDetail] | None = None,
) -> Change:
    """A ``Change`` built without validation (every value is typed already)."""
    return Change.model_construct(
        _CHANGE_FIELDS,
        path=path,
        change=kind,
        scope=scope,
        item_type=None if item is None else item.item_type,
        key=None if item is None else item.key,
        alias=None if item is None else item.alias,
        details=[] if details is None else details,
        files=files,
    )


def item_pairs(pairing: Pairing[E]) -> list[ItemPair[E]]:
    """Items and marker files: pairs, then what only one side holds.

    Two marker files naming one item are two files on disk: each is reported as a marker.
    """
    found: list[ItemPair[E]] = []
    for matching in (pairing.items, pairing.markers):
        found += [ItemPair(p.current, p.incoming) for p in matching.changed]
        found += [ItemPair(item, None) for item in matching.unmatched_current]
        found += [ItemPair(None, item) for item in matching.unmatched_incoming]
    for duplicate in pairing.markers.duplicates:
        alone = (duplicate.entry, None) if duplicate.side == "current" else (None, duplicate.entry)
        found.append(ItemPair(*alone))
    return found


def _file_change_kind(op: FileOp, current: dict[str, CurrentFile]) -> ChangeKind:
    if op.action == "delete":
        return "delete"
    return "update" if op.path in current else "create"


def _item_changes(
    pairs: list[ItemPair[Entry]],
    duplicates: list[Duplicate[Entry]],
    changed_paths: set[str],
    kinds: dict[str, ChangeKind],
) -> tuple[list[Change], set[str]]:
    """One change per changed item; an Empty marker sharing a file with an item folds into it.

    uSync writes ``<Empty Change="Delete|Rename"/>`` where an item's file was, so
    restoring that item replaces the marker: one change for the item, not also a
    contradicting change for the marker.  A second file holding the Key of an item is a
    file change that says so (the item itself is not created or deleted by it).
    """
    item_paths = {i.path for p in pairs if not _touches_marker(p) for i in (p.now, p.then) if i}
    changes: list[Change] = []
    covered: set[str] = set()
    for found in pairs:
        paths = {i.path for i in (found.now, found.then) if i is not None}
        covered |= paths
        folded = _touches_marker(found) and paths <= item_paths
        if folded or not paths & changed_paths:
            continue
        changes.append(_item_change(found, sorted(paths & changed_paths)))
    by_path = {change.path: change for change in changes}
    for duplicate in duplicates:
        path = duplicate.entry.path
        covered.add(path)
        if path not in changed_paths:
            continue
        detail = _duplicate_detail(duplicate, kinds[path])
        if path in by_path:
            by_path[path].details.append(detail)  # the file also holds another change
        else:
            by_path[path] = _change(path, kinds[path], Scope.USYNC, files=[path], details=[detail])
            changes.append(by_path[path])
    return changes, covered


def _duplicate_detail(duplicate: Duplicate[Entry], kind: ChangeKind) -> ChangeDetail:
    """A file whose item another file holds: restoring it creates or deletes no item."""
    item = duplicate.entry
    text = f"{item.item_type} {item.alias!r} ({item.key}), also in {duplicate.kept_as.path}"
    now, then = (text, None) if duplicate.side == "current" else (None, text)
    return ChangeDetail(path="Duplicate Key", old=now, new=then, change=kind)


def _touches_marker(pair: ItemPair[Entry]) -> bool:
    return isinstance(pair.now, EmptyItem) or isinstance(pair.then, EmptyItem)


def _marker_detail(pair: ItemPair[Entry]) -> list[ChangeDetail]:
    """A change to an Empty marker says so: its action before and after."""
    if not _touches_marker(pair):
        return []
    actions = [i.action.value if isinstance(i, EmptyItem) else None for i in (pair.now, pair.then)]
    kind: ChangeKind = "create" if pair.now is None else "delete" if pair.then is None else "update"
    return [ChangeDetail(path="Empty/Change", old=actions[0], new=actions[1], change=kind)]


def _item_change(pair: ItemPair[Entry], files: list[str]) -> Change:
    item = pair.then or pair.now
    assert item is not None
    kind: ChangeKind
    if pair.now is None:
        kind = "create"
    elif pair.then is None:
        kind = "delete"
    else:
        kind = "update"
    details = _marker_detail(pair)
    now, then = _model(pair.now), _model(pair.then)
    if now is not None and then is not None:
        details += diff_items(now, then) + _identity_details(now, then)
    return _change(item.path, kind, Scope.USYNC, files=files, item=item, details=details)


def _model(entry: Entry | None) -> AnyItem | None:
    """An item read in full (not a marker, not one known by its identity only)."""
    return None if entry is None or isinstance(entry, PointItem | EmptyItem) else entry


def _identity_details(now: AnyItem, then: AnyItem) -> list[ChangeDetail]:
    """An item matched by Alias gets its old Key back; a moved item its old file."""
    details = []
    for name, old, new in (("Key", now.key, then.key), ("File", now.path, then.path)):
        if old != new:
            details.append(ChangeDetail(path=name, old=old, new=new, change="update"))
    return details
