"""The analyser's verdict on a restore: restoring an old state can be damaging too."""

from __future__ import annotations

from collections.abc import Sequence

import pluggy

from publisher_restore.analyser import AnalyserSettings, Finding, SimpleItemSource, analyse_sets
from publisher_restore.site import Site
from publisher_restore.usync.models import AnyItem


def restore_findings(
    site: Site, now: Sequence[AnyItem], then: Sequence[AnyItem], pm: pluggy.PluginManager | None
) -> list[Finding]:
    """Findings for replacing the active uSync folder's items with the point's (complete)."""
    folder = site.rel(site.usync_dir) + "/"
    current = SimpleItemSource([i for i in now if i.path.startswith(folder)])
    incoming = SimpleItemSource([i for i in then if i.path.startswith(folder)])
    settings = AnalyserSettings.from_section(site.settings.analyser)
    result = analyse_sets(current, incoming, semantics="complete", settings=settings, pm=pm)
    return list(result.findings)
