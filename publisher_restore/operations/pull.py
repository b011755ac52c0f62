"""Pull: another site's selection into this site, under this site's ``Pull`` policy.

The source is a local site folder (collected in this process) or a configured server,
which exports a pack of the selection (``remote.RemotePack``); the pack is then imported
here, exactly as a push into this site would be.
"""

from __future__ import annotations

from publisher_restore.operations.contexts import PublishResult
from publisher_restore.operations.decisions import OperationKind
from publisher_restore.operations.environment import SiteEnvironment
from publisher_restore.operations.import_plan import ImportOptions
from publisher_restore.operations.pack_sources import PublishRequest, SitePack
from publisher_restore.operations.pipeline import (
    LocalSession,
    PackSource,
    PublishRun,
    run_publish,
)
from publisher_restore.operations.push import refuse_same_site
from publisher_restore.site import Site


def pull_from_site(
    source: Site, target: SiteEnvironment, request: PublishRequest, run: PublishRun
) -> PublishResult:
    """Pull ``request`` from the site folder ``source`` into ``target`` (this site)."""
    refuse_same_site(source, target.site)
    return pull_pack(SitePack(source, request, run.progress), target, request, run)


def pull_pack(
    pack: PackSource, target: SiteEnvironment, request: PublishRequest, run: PublishRun
) -> PublishResult:
    """Import a pulled pack (from a folder or a server) into ``target`` as a pull."""
    session = LocalSession(
        run.pipeline(target, OperationKind.PULL),
        ImportOptions(mirror=request.mirror, media=request.media),
    )
    return run_publish(pack, session, run)
