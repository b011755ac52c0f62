"""A site's selection as a sync pack: the glue between a site, a selection and the writer."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from publisher_restore.progress import Progress
from publisher_restore.publisher.pack_manifest import PackManifest, PackSelection
from publisher_restore.publisher.pack_writer import PackHeader, item_sources, write_pack
from publisher_restore.publisher.selection import Selection
from publisher_restore.scopes import Scope
from publisher_restore.site import Site, SiteFile

FILE_SCOPES = frozenset({Scope.VIEWS, Scope.STATIC})
"""What ``--files`` adds: views and static files (``--media`` adds media)."""


def site_files_for_pack(site: Site, *, files: bool, media: bool) -> list[SiteFile]:
    """The site files a pack carries: views and static files, media, both or neither."""
    if not files and not media:
        return []
    scopes = (FILE_SCOPES if files else frozenset()) | ({Scope.MEDIA} if media else frozenset())
    return [f for f in site.iter_files(include_media=media) if f.scope in scopes]


def export_pack(
    site: Site,
    selection: Selection,
    dest: Path,
    *,
    files: bool = False,
    media: bool = False,
    created: datetime | None = None,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> PackManifest:
    """Write ``selection`` (read from ``site``'s uSync folder) and the asked site files."""
    header = PackHeader(
        source_site=site.name,
        usync_folder=f"v{site.usync_version}",
        selection=PackSelection(
            items=tuple(spec.text for spec in selection.specs),
            dependencies=selection.dependencies,
            files=files,
            media=media,
        ),
        created=created or datetime.now(UTC),
    )
    return write_pack(
        dest,
        header,
        item_sources(site.root, site.usync_dir, selection.items),
        site_files_for_pack(site, files=files, media=media),
        overwrite=overwrite,
        progress=progress,
    )
