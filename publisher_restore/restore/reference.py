"""The points a create compares the site with: what it may keep without reading again.

The newest point (and, for a create with media, the newest point with media) supplies
rows for files whose size and modification time still match (``create.shortcut``), and
the digests of bytes storage holds already, so a file that was touched but not changed
is hashed but not stored again.  A reference that cannot be read is no reference: the
create then reads and stores everything, which is slower, never wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from publisher_restore.errors import IntegrityError, StorageError
from publisher_restore.restore.contents import Location, PointContents
from publisher_restore.restore.manifest import Manifest
from publisher_restore.restore.store import RestorePointStore
from publisher_restore.site import SiteFile


@dataclass
class Reference:
    """Rows of earlier points, newest first, and the objects they name (with sizes)."""

    tables: list[tuple[PointContents, int]] = field(default_factory=list)
    """Each point's index and the time before which its rows may be trusted."""
    objects: dict[str, int] = field(default_factory=dict)
    _stored: dict[str, tuple[str, Location]] | None = None

    def unchanged(self, site_file: SiteFile) -> tuple[PointContents, int] | None:
        """The row ``site_file`` still matches by size and time, if any."""
        for contents, trusted_before in self.tables:
            row = contents.row(site_file.path)
            if row is None:
                continue
            mtime = contents.mtimes[row]
            matches = 0 < mtime < trusted_before and mtime == site_file.mtime_ns
            return (contents, row) if matches and contents.sizes[row] == site_file.size else None
        return None

    def small_digests(self) -> frozenset[bytes]:
        """Digests of the small files whose bytes are in stored packs."""
        return frozenset(bytes.fromhex(sha) for sha in self._stored_rows())

    def stored(self, sha256: str) -> tuple[str, Location]:
        """The pack and location holding bytes with this digest."""
        return self._stored_rows()[sha256]

    def _stored_rows(self) -> dict[str, tuple[str, Location]]:
        if self._stored is None:
            self._stored = {}
            for contents, _trusted in reversed(self.tables):  # the newest wins
                for row, location in enumerate(contents.locations):
                    if location is not None and not location.whole:
                        name = contents.objects[location.obj]
                        self._stored[contents.hashes[row]] = (name, location)
        return self._stored


def load_reference(store: RestorePointStore, include_media: bool) -> Reference:
    """The newest point, and the newest with media when media is asked for."""
    points = [p for p in store.points() if not p.is_legacy]
    chosen: list[Manifest] = points[:1]
    if include_media and points and not points[0].includes_media:
        chosen += [p for p in points if p.includes_media][:1]
    reference = Reference()
    for manifest in chosen:
        try:
            body = store.body(manifest)
            contents = manifest.contents()
        except (IntegrityError, StorageError):
            continue  # read everything instead
        reference.tables.append((contents, manifest.trusted_before_ns))
        reference.objects.update(body.objects)
    return reference
