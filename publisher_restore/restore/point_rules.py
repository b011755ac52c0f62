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

from publisher_restore.errors import HostileInputError, IntegrityError
from publisher_restore.restore.archive import DEFAULT_LIMITS, check_member_path
from publisher_restore.restore.manifest import Manifest
from publisher_restore.site import Site


def validate_point(site: Site, point: Manifest) -> Site:
    """Refuse a point whose manifest breaks the rule; returns the site judged by the point's
    own Include/Exclude rules (what ``check`` compares with)."""
    paths = point.contents().paths
    for path in paths:
        check_member_path(path, DEFAULT_LIMITS)
    if len(set(paths)) != len(paths):
        raise IntegrityError(f"manifest lists {_twice(paths)!r} twice")
    refuse_file_folder_clashes(paths)
    point_rules = rules_of(site, point)
    refuse_foreign_records(point, point_rules)
    return point_rules


def refuse_file_folder_clashes(paths: list[str]) -> None:
    """No path may be a file and also a folder on the way to another path."""
    files = set(paths)
    for path in paths:
        cut = path.rfind("/")
        while cut > 0:
            folder = path[:cut]
            if folder in files:
                raise HostileInputError(
                    f"manifest lists {folder!r} as a file and as a folder of {path!r}"
                )
            cut = folder.rfind("/")


def rules_of(site: Site, point: Manifest) -> Site:
    """The site judged by the Include/Exclude rules the point was taken with."""
    if (point.include, point.exclude) == (site.settings.include, site.settings.exclude):
        return site
    return site.with_patterns(point.include, point.exclude)


def refuse_foreign_records(point: Manifest, point_rules: Site) -> None:
    """A manifest may only name files its own scopes and rules cover (never the tool's state)."""
    contents = point.contents()
    allowed = set(point.scopes)
    for path, scope in zip(contents.paths, contents.scopes, strict=True):
        if scope not in allowed or point_rules.scope_of(path) != scope:
            raise HostileInputError(
                f"restore point {point.id}: {path!r} is not a {scope.value} file "
                "of this site; the point is refused"
            )


def _twice(paths: list[str]) -> str:
    seen: set[str] = set()
    for path in paths:
        if path in seen:
            return path
        seen.add(path)
    return ""
