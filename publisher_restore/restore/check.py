"""``check``: compare a restore point with the site as it is now.

Files are compared by SHA-256.  uSync files that differ are parsed on both
sides and paired by ``usync.pairing`` (the rule ``analyse`` uses too: version
folder, type, Key, then Alias), so a report says "property made mandatory", not
"file changed".  Only the archived files that differ are read from the archive,
and no item file is ever read whole past the item size limit.

In the report the site now is the ``current`` side and the restore point the
``incoming`` one, as in the analyser's findings for the restore.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pluggy

from publisher_restore.analyser import AnalysisProblem
from publisher_restore.errors import SiteError
from publisher_restore.hashing import bytes_digest, file_digest
from publisher_restore.progress import Progress
from publisher_restore.restore.archive import read_member_bytes
from publisher_restore.restore.manifest import FileRecord, Manifest, Scope
from publisher_restore.restore.plan import Change, ChangeKind, FileOp, RestorePlan
from publisher_restore.restore.point_rules import validate_point
from publisher_restore.restore.restore_analysis import restore_findings
from publisher_restore.restore.site_paths import safe_site_path
from publisher_restore.restore.store import RestorePointStore
from publisher_restore.site import Site, SiteFile
from publisher_restore.usync.diff import ChangeDetail, diff_items
from publisher_restore.usync.identity import Grouping
from publisher_restore.usync.loader import parse_file_bytes
from publisher_restore.usync.models import AnyItem, EmptyItem, ParseProblem
from publisher_restore.usync.pairing import Duplicate, Pairing, pair
from publisher_restore.usync.sources import over_limit, read_item_bytes
from publisher_restore.usync.xmlsafe import MAX_ITEM_BYTES


@dataclass(frozen=True)
class CurrentFile:
    """A file of the site now, with its digest (and, for uSync item files, bytes or why not)."""

    site_file: SiteFile
    sha256: str
    data: bytes | ParseProblem | None = None


Parsed = AnyItem | ParseProblem

Chooser = Callable[[Sequence[AnyItem], Sequence[AnyItem], Collection[str]], Collection[str]]
"""Partial restore: from the items now, the point's items and every covered path, the paths
to restore (``operations.restore_selection`` builds one from ``--item`` and ``--path``)."""


@dataclass(frozen=True)
class ItemPair:
    """An item (or marker) now and the same one in the restore point; either may be missing."""

    now: AnyItem | None
    then: AnyItem | None


@dataclass
class ParsedSide:
    """The uSync items of one side, and the files that could not be parsed."""

    items: list[AnyItem]
    problems: list[ParseProblem]


def plan_restore(
    site: Site,
    store: RestorePointStore,
    point: Manifest,
    progress: Progress,
    pm: pluggy.PluginManager | None = None,
    choose: Chooser | None = None,
) -> RestorePlan:
    """What restoring ``point`` (or the part ``choose`` picks) would change; changes nothing."""
    point_rules = validate_point(site, point)
    restorable, kept_out = _split_by_current_rules(site, point, point_rules)
    current = scan_current(site, point, point_rules, progress)
    operations = file_operations(current, restorable)
    archived = _archived_configs(store, point, current, progress)
    parsed_now = _parse_files(_config_bytes_now(current))
    now = _side(parsed_now)
    then = _side(_parse_point_files(point, archived, parsed_now))
    chosen: set[str] | None = None
    if choose is not None:
        chosen = set(choose(now.items, then.items, {*current, *(r.path for r in restorable)}))
        operations = [op for op in operations if op.path in chosen]
        then = _partly_restored(now, then, chosen)
    pairing = pair(now.items, then.items, grouping=Grouping.VERSION_FOLDER)
    changes = _changes(current, point, operations, pairing)
    problems = _problems(now, then, kept_out)
    plan = RestorePlan(point=point, changes=changes, operations=operations, problems=problems)
    plan.selection = None if chosen is None else sorted(chosen)
    plan.blocked = _blocked(site.root, operations)
    plan.findings = restore_findings(site, point.usync_folder, now.items, then.items, pm)
    return plan


def scan_current(
    site: Site, point: Manifest, point_rules: Site, progress: Progress
) -> dict[str, CurrentFile]:
    """Hash every current file that the point's scopes and its own rules both cover."""
    scopes = point.scopes
    files = [
        f
        for f in site.iter_files(include_media=Scope.MEDIA in scopes)
        if f.scope in scopes and (point_rules is site or point_rules.scope_of(f.path) == f.scope)
    ]
    progress.begin("scan", files=len(files), total_bytes=sum(f.size for f in files))
    current = {}
    for site_file in files:
        current[site_file.path] = _scanned(site_file)
        progress.advance(files=1, nbytes=site_file.size)
    progress.end()
    return current


def _scanned(site_file: SiteFile) -> CurrentFile:
    """Item files are small and parsed later: keep the bytes hashed, so they are read once.

    One over the item size limit is hashed as a stream and reported, never read whole.
    """
    if not _is_config(site_file.path, site_file.scope):
        return CurrentFile(site_file, file_digest(site_file.abs_path)[1])
    if site_file.size > MAX_ITEM_BYTES:
        too_big = ParseProblem(path=site_file.path, problem=over_limit(site_file.size))
        return CurrentFile(site_file, file_digest(site_file.abs_path)[1], too_big)
    read = read_item_bytes(site_file.abs_path, site_file.path)
    if isinstance(read.data, ParseProblem):
        raise SiteError(f"{read.data} (it changed while check read the site)")
    return CurrentFile(site_file, bytes_digest(read.data), read.data)


def _problems(
    now: ParsedSide, then: ParsedSide, kept_out: list[FileRecord]
) -> list[AnalysisProblem]:
    """Unreadable files of each side, in the analyser's shape (the site now is current)."""
    found = [AnalysisProblem(side="current", **p.model_dump()) for p in now.problems]
    found += [AnalysisProblem(side="incoming", **p.model_dump()) for p in then.problems]
    outside = "not restored, outside the site's current scopes"
    found += [AnalysisProblem(side="incoming", path=r.path, problem=outside) for r in kept_out]
    return found


def _split_by_current_rules(
    site: Site, point: Manifest, point_rules: Site
) -> tuple[list[FileRecord], list[FileRecord]]:
    """Files the site's rules still cover are restored; the others are reported."""
    if point_rules is site:
        return list(point.files), []
    restorable: list[FileRecord] = []
    kept_out: list[FileRecord] = []
    for record in point.files:
        fits = site.scope_of(record.path) == record.scope
        (restorable if fits else kept_out).append(record)
    return restorable, kept_out


def _blocked(root: Path, operations: list[FileOp]) -> list[str]:
    blocked = []
    for op in operations:
        try:
            safe_site_path(root, op.path)
        except SiteError as error:
            blocked.append(str(error))
    return blocked


def file_operations(
    current: dict[str, CurrentFile], archived: Iterable[FileRecord]
) -> list[FileOp]:
    """Write what differs or is missing; delete what the point does not have."""
    wanted = {record.path: record for record in archived}
    ops = [
        FileOp(path=path, action="write", record=record)
        for path, record in sorted(wanted.items())
        if path not in current or current[path].sha256 != record.sha256
    ]
    ops += [FileOp(path=path, action="delete") for path in sorted(current) if path not in wanted]
    return ops


def _is_config(path: str, scope: Scope) -> bool:
    return scope == Scope.USYNC and path.endswith(".config")


def _archived_configs(
    store: RestorePointStore, point: Manifest, current: dict[str, CurrentFile], progress: Progress
) -> dict[str, bytes | ParseProblem]:
    """The point's item files that differ from the site's; one too big is reported, not read."""
    changed = [
        r
        for r in point.files
        if _is_config(r.path, r.scope)
        and (r.path not in current or current[r.path].sha256 != r.sha256)
    ]
    found: dict[str, bytes | ParseProblem] = {
        r.path: ParseProblem(path=r.path, problem=over_limit(r.size))
        for r in changed
        if r.size > MAX_ITEM_BYTES
    }
    wanted = {r.path for r in changed if r.path not in found}
    if not wanted:
        return found
    progress.begin("read", files=len(point.files), total_bytes=point.content_bytes)
    with store.open_archive(point) as stream:
        found.update(read_member_bytes(stream, point.files, wanted, max_bytes=MAX_ITEM_BYTES))
    progress.end()
    return found


def _config_bytes_now(current: dict[str, CurrentFile]) -> dict[str, bytes | ParseProblem]:
    return {path: f.data for path, f in current.items() if f.data is not None}


def _parse_point_files(
    point: Manifest,
    archived: dict[str, bytes | ParseProblem],
    parsed_now: dict[str, Parsed],
) -> dict[str, Parsed]:
    """The point's uSync files: a file unchanged since is the same item, parsed once."""
    parsed: dict[str, Parsed] = {}
    for record in point.files:
        if not _is_config(record.path, record.scope):
            continue
        data = archived.get(record.path)
        if data is None:
            parsed[record.path] = parsed_now[record.path]
        else:
            parsed[record.path] = _parse(data, record.path)
    return parsed


def _parse_files(files: dict[str, bytes | ParseProblem]) -> dict[str, Parsed]:
    return {path: _parse(data, path) for path, data in sorted(files.items())}


def _parse(data: bytes | ParseProblem, path: str) -> Parsed:
    return data if isinstance(data, ParseProblem) else parse_file_bytes(data, path)


def _partly_restored(now: ParsedSide, then: ParsedSide, chosen: set[str]) -> ParsedSide:
    """The site after a partial restore: the point's files where chosen, today's elsewhere."""
    return ParsedSide(
        items=[i for i in now.items if i.path not in chosen]
        + [i for i in then.items if i.path in chosen],
        problems=[p for p in then.problems if p.path in chosen],
    )


def _side(parsed: dict[str, Parsed]) -> ParsedSide:
    side = ParsedSide(items=[], problems=[])
    for _path, result in sorted(parsed.items()):
        if isinstance(result, ParseProblem):
            side.problems.append(result)
        else:
            side.items.append(result)
    return side


def _changes(
    current: dict[str, CurrentFile],
    point: Manifest,
    operations: list[FileOp],
    pairing: Pairing[AnyItem],
) -> list[Change]:
    changed_paths = {op.path for op in operations}
    kinds = {op.path: _file_change_kind(op, current) for op in operations}
    duplicates = pairing.items.duplicates
    item_changes, covered = _item_changes(item_pairs(pairing), duplicates, changed_paths, kinds)
    scopes = {r.path: r.scope for r in point.files}
    file_changes = [
        Change(
            path=op.path,
            change=kinds[op.path],
            scope=scopes.get(op.path) or current[op.path].site_file.scope,
            files=[op.path],
        )
        for op in operations
        if op.path not in covered
    ]
    return sorted([*item_changes, *file_changes], key=lambda c: (c.path, c.change))


def item_pairs(pairing: Pairing[AnyItem]) -> list[ItemPair]:
    """Items and marker files: pairs, then what only one side holds.

    Two marker files naming one item are two files on disk: each is reported as a marker.
    """
    found: list[ItemPair] = []
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
    pairs: list[ItemPair],
    duplicates: list[Duplicate[AnyItem]],
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
            by_path[path] = Change(path=path, change=kinds[path], scope=Scope.USYNC, files=[path])
            by_path[path].details.append(detail)
            changes.append(by_path[path])
    return changes, covered


def _duplicate_detail(duplicate: Duplicate[AnyItem], kind: ChangeKind) -> ChangeDetail:
    """A file whose item another file holds: restoring it creates or deletes no item."""
    item = duplicate.entry
    text = f"{item.item_type} {item.alias!r} ({item.key}), also in {duplicate.kept_as.path}"
    now, then = (text, None) if duplicate.side == "current" else (None, text)
    return ChangeDetail(path="Duplicate Key", old=now, new=then, change=kind)


def _touches_marker(pair: ItemPair) -> bool:
    return isinstance(pair.now, EmptyItem) or isinstance(pair.then, EmptyItem)


def _marker_detail(pair: ItemPair) -> list[ChangeDetail]:
    """A change to an Empty marker says so: its action before and after."""
    if not _touches_marker(pair):
        return []
    actions = [i.action.value if isinstance(i, EmptyItem) else None for i in (pair.now, pair.then)]
    kind: ChangeKind = "create" if pair.now is None else "delete" if pair.then is None else "update"
    return [ChangeDetail(path="Empty/Change", old=actions[0], new=actions[1], change=kind)]


def _item_change(pair: ItemPair, files: list[str]) -> Change:
    item = pair.then or pair.now
    assert item is not None
    kind: ChangeKind
    if pair.now is None:
        kind = "create"
    elif pair.then is None:
        kind = "delete"
    else:
        kind = "update"
    details = _marker_detail(pair) + diff_items(pair.now, pair.then)
    if pair.now and pair.then:
        details += _identity_details(pair.now, pair.then)
    return Change(
        path=item.path,
        change=kind,
        scope=Scope.USYNC,
        item_type=item.item_type,
        key=item.key,
        alias=item.alias,
        details=details,
        files=files,
    )


def _identity_details(now: AnyItem, then: AnyItem) -> list[ChangeDetail]:
    """An item matched by Alias gets its old Key back; a moved item its old file."""
    details = []
    for name, old, new in (("Key", now.key, then.key), ("File", now.path, then.path)):
        if old != new:
            details.append(ChangeDetail(path=name, old=old, new=new, change="update"))
    return details
