"""The one rule for what a restore point may hold: ``verify``, ``check`` and ``restore`` apply it.

A point is refused (exit 5, before anything is read from its archive or written
to the site) when its manifest names:

- a path that is not a safe archive member name (absolute, ``..``, a drive, control
  characters...), a path twice, or a path that is both a file and a folder;
- a file whose scope is not one of the point's scopes, or that the point's own
  Include/Exclude rules do not put in that scope.  The restore folder (its
  ``.state`` included) never belongs to a scope, wherever it is configured, so a
  manifest naming the tool's own files is refused too.

So a point ``verify`` passes is one ``check`` and ``restore`` accept, and the other way round.
"""

from __future__ import annotations

from publisher_restore.errors import HostileInputError
from publisher_restore.restore.archive import DEFAULT_LIMITS
from publisher_restore.restore.archive.read import index_manifest
from publisher_restore.restore.manifest import Manifest
from publisher_restore.site import Site


def validate_point(site: Site, point: Manifest) -> Site:
    """Refuse a point whose manifest breaks the rule; returns the site judged by the point's
    own Include/Exclude rules (what ``check`` compares with)."""
    index_manifest(point.files, DEFAULT_LIMITS)
    point_rules = rules_of(site, point)
    refuse_foreign_records(point, point_rules)
    return point_rules


def rules_of(site: Site, point: Manifest) -> Site:
    """The site judged by the Include/Exclude rules the point was taken with."""
    if (point.include, point.exclude) == (site.settings.include, site.settings.exclude):
        return site
    return site.with_patterns(point.include, point.exclude)


def refuse_foreign_records(point: Manifest, point_rules: Site) -> None:
    """A manifest may only name files its own scopes and rules cover (never the tool's state)."""
    for record in point.files:
        if record.scope not in point.scopes or point_rules.scope_of(record.path) != record.scope:
            raise HostileInputError(
                f"restore point {point.id}: {record.path!r} is not a {record.scope.value} file "
                "of this site; the point is refused"
            )
