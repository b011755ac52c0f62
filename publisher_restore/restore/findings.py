"""The analyser's verdict on a restore: restoring an old state can be damaging too."""

from __future__ import annotations

from collections.abc import Sequence

from publisher_restore.site import Site
from publisher_restore.usync.models import AnyItem


def restore_findings(site: Site, now: Sequence[AnyItem], then: Sequence[AnyItem]) -> list[object]:
    """Findings for replacing the active uSync folder's items with the point's (complete)."""
    try:
        from publisher_restore.analyser import analyse_sets
    except ImportError:  # TEMPORARY until the analyser lands
        return []
    from publisher_restore.analyser.sides import SimpleItemSource

    folder = site.rel(site.usync_dir) + "/"
    current = SimpleItemSource([i for i in now if i.path.startswith(folder)])
    incoming = SimpleItemSource([i for i in then if i.path.startswith(folder)])
    result = analyse_sets(current, incoming, semantics="complete", settings=site.settings)
    return list(result.findings)
