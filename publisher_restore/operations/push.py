"""Push: this site's selection to another site, on this machine or behind a server's API.

The source is the ``--site`` folder; the target is a local site folder (its pipeline runs
in this process, under its own configuration and policy) or a configured server
(``uSync:Restore:Publisher:Servers:NAME``, see ``remote``).  Either way the target
decides, by its policy, and the target is written; this side collects and answers.
"""

from __future__ import annotations

from publisher_restore.errors import SiteError
from publisher_restore.operations.contexts import PublishResult
from publisher_restore.operations.decisions import OperationKind
from publisher_restore.operations.environment import SiteEnvironment
from publisher_restore.operations.import_plan import ImportOptions
from publisher_restore.operations.pack_sources import PublishRequest, SitePack
from publisher_restore.operations.pipeline import LocalSession, PublishRun, run_publish
from publisher_restore.site import Site


def push_to_site(
    source: Site, target: SiteEnvironment, request: PublishRequest, run: PublishRun
) -> PublishResult:
    """Push ``request`` from ``source`` to the site of ``target`` (a folder on this machine)."""
    refuse_same_site(source, target.site)
    session = LocalSession(
        run.pipeline(target, OperationKind.PUSH),
        ImportOptions(mirror=request.mirror, media=request.media),
    )
    return run_publish(SitePack(source, request, run.progress), session, run)


def refuse_same_site(source: Site, target: Site) -> None:
    """A site cannot be its own source."""
    if source.root == target.root:
        raise SiteError(f"{source.root} is both the source and the target; name another site")
