"""``check``: compare a restore point with the site as it is now.

Files are compared by SHA-256.  uSync files that differ are parsed on both
sides and matched as uSync matches items (version folder, type, Key, then
Alias), so a report says "property made mandatory", not "file changed".
Only the archived files that differ are read from the archive.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pluggy

from publisher_restore.errors import SiteError
from publisher_restore.hashing import bytes_digest, file_digest
from publisher_restore.progress import Progress
from publisher_restore.restore.archive import read_member_bytes
from publisher_restore.restore.manifest import FileRecord, Manifest, Scope
from publisher_restore.restore.matching import ItemPair, match_items
from publisher_restore.restore.plan import Change, ChangeKind, FileOp, RestorePlan
from publisher_restore.restore.point_rules import validate_point
from publisher_restore.restore.restore_analysis import restore_findings
from publisher_restore.restore.site_paths import safe_site_path
from publisher_restore.restore.store import RestorePointStore
from publisher_restore.site import Site, SiteFile
from publisher_restore.usync.diff import ChangeDetail, diff_items
from publisher_restore.usync.loader import parse_file_bytes
from publisher_restore.usync.models import AnyItem, EmptyItem, ParseProblem


@dataclass(frozen=True)
class CurrentFile:
    """A file of the site now, with its digest (and its bytes, for uSync item files)."""

    site_file: SiteFile
    sha256: str
    data: bytes | None = None


Parsed = AnyItem | ParseProblem


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
) -> RestorePlan:
    """Everything restoring ``point`` would change, without changing anything."""
    point_rules = validate_point(site, point)
    restorable, kept_out = _split_by_current_rules(site, point, point_rules)
    current = scan_current(site, point, point_rules, progress)
    operations = file_operations(current, restorable)
    archived = _archived_configs(store, point, current, progress)
    parsed_now = _parse_files(_config_bytes_now(current))
    now = _side(parsed_now)
    then = _side(_parse_point_files(point, current, archived, parsed_now))
    changes = _changes(current, point, operations, now, then)
    problems = [str(p) for p in (*now.problems, *then.problems)]
    problems += [f"{r.path}: not restored, outside the site's current scopes" for r in kept_out]
    plan = RestorePlan(point=point, changes=changes, operations=operations, problems=problems)
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
    """Item files are small and parsed later: keep the bytes hashed, so they are read once."""
    if _is_config(site_file.path, site_file.scope):
        data = site_file.abs_path.read_bytes()
        return CurrentFile(site_file, bytes_digest(data), data)
    return CurrentFile(site_file, file_digest(site_file.abs_path)[1])


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
) -> dict[str, bytes]:
    wanted = {
        r.path
        for r in point.files
        if _is_config(r.path, r.scope)
        and (r.path not in current or current[r.path].sha256 != r.sha256)
    }
    if not wanted:
        return {}
    progress.begin("read", files=len(point.files), total_bytes=point.content_bytes)
    with store.open_archive(point) as stream:
        members = read_member_bytes(stream, point.files, wanted)
    progress.end()
    return members


def _config_bytes_now(current: dict[str, CurrentFile]) -> dict[str, bytes]:
    return {path: f.data for path, f in current.items() if f.data is not None}


def _parse_point_files(
    point: Manifest,
    current: dict[str, CurrentFile],
    archived: dict[str, bytes],
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
            parsed[record.path] = parse_file_bytes(data, record.path)
    return parsed


def _parse_files(files: dict[str, bytes]) -> dict[str, Parsed]:
    return {path: parse_file_bytes(data, path) for path, data in sorted(files.items())}


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
    now: ParsedSide,
    then: ParsedSide,
) -> list[Change]:
    changed_paths = {op.path for op in operations}
    item_changes, covered = _item_changes(match_items(now.items, then.items), changed_paths)
    scopes = {r.path: r.scope for r in point.files}
    file_changes = [
        Change(
            path=op.path,
            change=_file_change_kind(op, current),
            scope=scopes.get(op.path) or current[op.path].site_file.scope,
        )
        for op in operations
        if op.path not in covered
    ]
    return sorted([*item_changes, *file_changes], key=lambda c: (c.path, c.change))


def _file_change_kind(op: FileOp, current: dict[str, CurrentFile]) -> ChangeKind:
    if op.action == "delete":
        return "delete"
    return "update" if op.path in current else "create"


def _item_changes(pairs: list[ItemPair], changed_paths: set[str]) -> tuple[list[Change], set[str]]:
    """One change per changed item; an Empty marker sharing a file with an item folds into it.

    uSync writes ``<Empty Change="Delete|Rename"/>`` where an item's file was, so
    restoring that item replaces the marker: one change for the item, not also a
    contradicting change for the marker.
    """
    item_paths = {i.path for p in pairs if not _touches_marker(p) for i in (p.now, p.then) if i}
    changes: list[Change] = []
    covered: set[str] = set()
    for pair in pairs:
        paths = {i.path for i in (pair.now, pair.then) if i is not None}
        covered |= paths
        folded = _touches_marker(pair) and paths <= item_paths
        if folded or not paths & changed_paths:
            continue
        changes.append(_item_change(pair))
    return changes, covered


def _touches_marker(pair: ItemPair) -> bool:
    return isinstance(pair.now, EmptyItem) or isinstance(pair.then, EmptyItem)


def _marker_detail(pair: ItemPair) -> list[ChangeDetail]:
    """A change to an Empty marker says so: its action before and after."""
    if not _touches_marker(pair):
        return []
    actions = [i.action.value if isinstance(i, EmptyItem) else None for i in (pair.now, pair.then)]
    kind: ChangeKind = "create" if pair.now is None else "delete" if pair.then is None else "update"
    return [ChangeDetail(path="Empty/Change", old=actions[0], new=actions[1], change=kind)]


def _item_change(pair: ItemPair) -> Change:
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
    )


def _identity_details(now: AnyItem, then: AnyItem) -> list[ChangeDetail]:
    """An item matched by Alias gets its old Key back; a moved item its old file."""
    details = []
    for name, old, new in (("Key", now.key, then.key), ("File", now.path, then.path)):
        if old != new:
            details.append(ChangeDetail(path=name, old=old, new=new, change="update"))
    return details
