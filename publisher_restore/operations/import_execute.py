"""Execute an import plan: re-check the target, then write every change, one result each.

Writes follow the plan's order (uSync's: languages, dictionary, data types, templates,
content types, media types, member types, media, content, domains, ...; then site files
by path).  Each file is written on its own, atomically and never through a link
(``publisher.site_writer``): a failing change is recorded with its error and the rest
go on, unless ``StopOnError``, which leaves the remaining changes ``not-attempted``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from publisher_restore.errors import IntegrityError, PlanOutdatedError, PublisherRestoreError
from publisher_restore.operations.history import ChangeRecord
from publisher_restore.operations.import_plan import (
    FileChange,
    ItemChange,
    PreparedImport,
    writes_digest,
)
from publisher_restore.operations.import_prepare import site_file_hash, target_hashes
from publisher_restore.operations.restore_inputs import RulesInForce
from publisher_restore.operations.tokens import (
    AGAIN,
    fingerprint,
    refuse_if_files_changed,
    refuse_if_tampered,
)
from publisher_restore.progress import Progress
from publisher_restore.publisher.markers import delete_marker
from publisher_restore.publisher.pack_reader import OpenedPack
from publisher_restore.publisher.site_writer import write_site_file
from publisher_restore.site import Site


def refuse_if_altered(prepared: PreparedImport, pack: OpenedPack, site: Site) -> None:
    """The plan must fingerprint its own inputs and changes, name this pack and this site."""
    what = f"{prepared.operation.value} to {prepared.target}"
    refuse_if_tampered(prepared.token, prepared.inputs, what)
    if prepared.inputs.writes_sha256 != writes_digest(prepared.items, prepared.files):
        raise IntegrityError(f"{what}: the plan's changes were altered; {AGAIN}")
    if pack.sha256 != prepared.inputs.pack_sha256:
        raise IntegrityError(f"{what}: the pack is not the one the plan was made from; {AGAIN}")
    folder = prepared.inputs.target_folder.rstrip("/") + "/"
    if folder != site.rel(site.usync_dir) + "/":
        raise PlanOutdatedError(f"the site's uSync folder changed since the plan; {AGAIN}")
    listed = {(f.path, f.site_path) for f in pack.files}
    for change in prepared.items:
        if change.writes != "nothing" and not change.path.startswith(folder):
            raise IntegrityError(f"{what}: the plan writes {change.path!r}; {AGAIN}")
    for file in prepared.files:
        if (file.member, file.path) not in listed:
            raise IntegrityError(f"{what}: the plan writes {file.path!r}; {AGAIN}")


def refuse_if_target_changed(prepared: PreparedImport, site: Site, rules: RulesInForce) -> None:
    """``PlanOutdatedError`` (exit 12) when the target is not as it was at prepare."""
    if fingerprint(rules) != prepared.inputs.rules:
        raise PlanOutdatedError(
            "the target's configuration (Include/Exclude, uSync folder or analyser rules and "
            f"settings) changed since the plan was made; {AGAIN}"
        )
    refuse_if_files_changed(prepared.inputs.usync_files, target_hashes(site))
    now = {path: site_file_hash(site, path) for path in prepared.inputs.site_files}
    refuse_if_files_changed(prepared.inputs.site_files, now)


def planned_records(prepared: PreparedImport) -> list[ChangeRecord]:
    """Every change the plan writes, as the history records it (outcome ``planned``)."""
    records = [_item_record(change) for change in prepared.items if change.writes != "nothing"]
    records += [_file_record(file) for file in prepared.files if file.after is not None]
    return records


def write_changes(
    site: Site,
    prepared: PreparedImport,
    pack: OpenedPack,
    *,
    stop_on_error: bool,
    progress: Progress,
) -> list[ChangeRecord]:
    """Write every planned change in order; returns one record per change with its outcome."""
    members = {file.path: file for file in pack.files}
    item_bytes = {file.path: file.data for file in pack.items if isinstance(file.data, bytes)}
    steps: list[tuple[ChangeRecord, Callable[[], Iterable[bytes]]]] = [
        (_item_record(change), partial(_item_chunks, site, change, item_bytes))
        for change in prepared.items
        if change.writes != "nothing"
    ]
    steps += [
        (_file_record(file), partial(pack.file_chunks, members[file.member]))
        for file in prepared.files
        if file.after is not None
    ]
    progress.begin("write", files=len(steps), total_bytes=0)
    done: list[ChangeRecord] = []
    failed = False
    for record, chunks in steps:
        if failed and stop_on_error:
            done.append(record.model_copy(update={"outcome": "not-attempted"}))
            continue
        try:
            write_site_file(site.root, record.path, chunks(), sha256=record.after or "")
        except (OSError, PublisherRestoreError) as error:
            failed = True
            message = f"{error.strerror or error}" if isinstance(error, OSError) else str(error)
            done.append(record.model_copy(update={"outcome": "failed", "error": message}))
        else:
            done.append(record.model_copy(update={"outcome": "written"}))
        progress.advance(files=1)
    progress.end()
    return done


def _item_chunks(site: Site, change: ItemChange, item_bytes: dict[str, bytes]) -> list[bytes]:
    if change.writes == "marker":
        current = (site.root / change.path).read_bytes()
        return [delete_marker(change.key, change.alias, like=current)]
    assert change.incoming is not None
    return [item_bytes[change.incoming]]


def _item_record(change: ItemChange) -> ChangeRecord:
    return ChangeRecord(
        path=change.path,
        kind="item",
        change="update" if change.change == "none" else change.change,
        item_type=change.item_type,
        key=change.key,
        alias=change.alias,
        before=change.before,
        after=change.after,
    )


def _file_record(file: FileChange) -> ChangeRecord:
    return ChangeRecord(
        path=file.path,
        kind="file",
        change="create" if file.before is None else "update",
        before=file.before,
        after=file.after,
    )
