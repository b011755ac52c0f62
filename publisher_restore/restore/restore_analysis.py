"""The analyser's verdict on a restore: restoring an old state can be damaging too."""

from __future__ import annotations

from collections.abc import Sequence

import pluggy

from publisher_restore.analyser import AnalyserSettings, Finding, SimpleItemSource, analyse_sets
from publisher_restore.analyser.shared import SharedItem
from publisher_restore.restore.contents import PointItem
from publisher_restore.site import Site
from publisher_restore.usync.folders import handler_folders_among, handler_folders_in
from publisher_restore.usync.identity import in_folder
from publisher_restore.usync.models import AnyItem


def restore_findings(
    site: Site,
    point_folder: str,
    now: Sequence[AnyItem | PointItem],
    then: Sequence[AnyItem | PointItem],
    pm: pluggy.PluginManager | None,
    *,
    shared: Sequence[SharedItem] = (),
    shared_models: Sequence[AnyItem] = (),
    point_paths: Sequence[str] = (),
) -> list[Finding]:
    """Findings for replacing the site's uSync folder with the point's own (complete).

    Each side keeps its own version folder (``Grouping.OWN_FOLDER``, as ``analyse``), so a
    point taken in ``uSync/v9`` compares item by item with a site now in ``uSync/v13``.
    Files both sides hold unchanged come as ``shared`` (looked up, counted, never
    compared); the point's items known only by their identity (content it creates whole)
    are left out, and each side's handler folders are given, so leaving them out deletes
    nothing.
    """
    site_folder = site.rel(site.usync_dir)
    incoming_folder = point_folder or site_folder
    unchanged = list(shared)
    models = list(shared_models)
    now_items = [*_models(now), *models]
    then_items = [*_models(then), *models]
    current = SimpleItemSource(
        in_folder(now_items, site_folder),
        shared=in_folder(unchanged, site_folder),
        handler_folders=_site_folders(site),
    )
    incoming = SimpleItemSource(
        in_folder(then_items, incoming_folder),
        shared=in_folder(unchanged, incoming_folder),
        handler_folders=handler_folders_among(point_paths, incoming_folder.rstrip("/") + "/"),
    )
    settings = AnalyserSettings.from_section(site.settings.analyser)
    result = analyse_sets(current, incoming, semantics="complete", settings=settings, pm=pm)
    return list(result.findings)


def _models(entries: Sequence[AnyItem | PointItem]) -> list[AnyItem]:
    return [entry for entry in entries if not isinstance(entry, PointItem)]


def _site_folders(site: Site) -> frozenset[str]:
    try:
        return handler_folders_in(site.usync_dir)
    except OSError:
        return frozenset()
