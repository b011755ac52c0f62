"""Restore points made by hand for tests: forged ones, and version-1 points (the old writer).

``forge_point`` writes a version-2 point whose manifest, index and objects agree with each
other but name files of the caller's choosing (what a hostile store could hold).
``legacy_point`` writes a point the way versions before content-addressed storage did
(``points/<id>/archive.tar.zst`` + ``manifest.json`` listing every file and item), so the
tests can show such points stay readable.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from publisher_restore.restore import index_chunks
from publisher_restore.restore.archive import SourceFile, write_archive
from publisher_restore.restore.contents import Location, PointContents
from publisher_restore.restore.create import point_scopes
from publisher_restore.restore.legacy import LegacyManifest
from publisher_restore.restore.manifest import (
    FileRecord,
    ItemRecord,
    Manifest,
    ProblemRecord,
    Scope,
    new_restore_point_id,
)
from publisher_restore.restore.objects import file_name
from publisher_restore.restore.store import PointBody
from publisher_restore.service import RestoreService
from publisher_restore.usync.loader import parse_file_bytes
from publisher_restore.usync.models import EmptyItem, ParseProblem


def forge_point(
    service: RestoreService, files: dict[str, bytes], scope: Scope = Scope.STATIC
) -> Manifest:
    """A new point holding exactly ``files`` (all in ``scope``), each an object of its own."""
    provider = service.store.provider
    contents = PointContents()
    sizes: dict[str, int] = {}
    for path, data in sorted(files.items()):
        sha256 = hashlib.sha256(data).hexdigest()
        name = file_name(sha256, compressed=False)
        provider.put_bytes(name, data, overwrite=True)
        sizes[name] = len(data)
        contents.objects.append(name)
        contents.add(path, len(data), 0, sha256, scope, Location(len(contents.objects) - 1))
    chunks = index_chunks.encode(contents)
    for chunk in chunks:
        provider.put_bytes(chunk.name, chunk.data, overwrite=True)
        sizes[chunk.name] = len(chunk.data)
    body = PointBody(index=[c.name for c in chunks], objects=sizes)
    site = service.site
    manifest = Manifest(
        id=new_restore_point_id(),
        created=datetime.now(UTC),
        note="forged",
        usync_folder=site.rel(site.usync_dir),
        scopes=point_scopes(False),
        file_count=len(contents),
        content_bytes=contents.content_bytes,
        contents_sha256=hashlib.sha256(body.to_bytes()).hexdigest(),
    )
    service.store.publish(manifest, body)
    return service.store.get(manifest.id)


def legacy_point(
    service: RestoreService, *, note: str = "", include_media: bool = False
) -> Manifest:
    """A version-1 point of the site as it is now, written as the old create wrote it."""
    site = service.site
    point_id = new_restore_point_id()
    folder = site.restore_dir / "points" / point_id
    folder.mkdir(parents=True)
    files = list(site.iter_files(include_media=include_media))
    archive = folder / "archive.tar.zst"
    sources = [SourceFile(f.path, f.abs_path, f.scope) for f in files]
    records = write_archive(archive, sources)
    items, problems = _items(site.root, records)
    legacy = LegacyManifest(
        id=point_id,
        created=datetime.now(UTC),
        note=note,
        usync_folder=site.rel(site.usync_dir),
        scopes=point_scopes(include_media),
        includes_media=include_media,
        include=list(site.settings.include),
        exclude=list(site.settings.exclude),
        archive_size=archive.stat().st_size,
        archive_sha256=hashlib.sha256(archive.read_bytes()).hexdigest(),
        files=records,
        items=items,
        problems=problems,
    )
    manifest = folder / "manifest.json"
    manifest.write_text(legacy.model_dump_json(indent=2), encoding="utf-8")
    return service.store.get(point_id)


def _items(root: Path, records: list[FileRecord]) -> tuple[list[ItemRecord], list[ProblemRecord]]:
    """Every uSync item file parsed in full, as the old create listed them."""
    items: list[ItemRecord] = []
    problems: list[ProblemRecord] = []
    for record in records:
        if record.scope != Scope.USYNC or not record.path.endswith(".config"):
            continue
        parsed = parse_file_bytes((root / record.path).read_bytes(), record.path)
        if isinstance(parsed, ParseProblem):
            problems.append(ProblemRecord(**parsed.model_dump()))
        else:
            action = parsed.action.value if isinstance(parsed, EmptyItem) else None
            items.append(
                ItemRecord(
                    item_type=parsed.item_type,
                    key=parsed.key,
                    alias=parsed.alias,
                    path=record.path,
                    action=action,
                )
            )
    return items, problems


def legacy_files(service: RestoreService, point: Manifest) -> tuple[Path, Path]:
    """A version-1 point's archive and manifest files."""
    folder = service.site.restore_dir / "points" / point.id
    return folder / "archive.tar.zst", folder / "manifest.json"
