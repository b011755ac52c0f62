"""The analyser's verdict on a restore: restoring an old state can be damaging too."""

from __future__ import annotations

from collections.abc import Sequence

import pluggy

from publisher_restore.analyser import AnalyserSettings, Finding, SimpleItemSource, analyse_sets
from publisher_restore.site import Site
from publisher_restore.usync.identity import in_folder
from publisher_restore.usync.models import AnyItem


def restore_findings(
    site: Site,
    point_folder: str,
    now: Sequence[AnyItem],
    then: Sequence[AnyItem],
    pm: pluggy.PluginManager | None,
) -> list[Finding]:
    """Findings for replacing the site's uSync folder with the point's own (complete).

    Each side keeps its own version folder (``Grouping.OWN_FOLDER``, as ``analyse``), so a
    point taken in ``uSync/v9`` compares item by item with a site now in ``uSync/v13``.
    """
    current = SimpleItemSource(in_folder(now, site.rel(site.usync_dir)))
    incoming = SimpleItemSource(in_folder(then, point_folder or site.rel(site.usync_dir)))
    settings = AnalyserSettings.from_section(site.settings.analyser)
    result = analyse_sets(current, incoming, semantics="complete", settings=settings, pm=pm)
    return list(result.findings)
