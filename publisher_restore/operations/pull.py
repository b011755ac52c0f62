"""Pull: another site's selection into this site, under this site's ``Pull`` policy.

The source is a local site folder (collected in this process) or a configured server,
which exports a pack of the selection (``remote.RemotePack``); the pack is then imported
here, exactly as a push into this site would be.
"""

from __future__ import annotations

from publisher_restore.operations.answers import Answering
from publisher_restore.operations.contexts import PublishResult
from publisher_restore.operations.decisions import OperationKind
from publisher_restore.operations.environment import SiteEnvironment
from publisher_restore.operations.import_plan import ImportOptions
from publisher_restore.operations.pack_sources import PublishRequest, SitePack
from publisher_restore.operations.pipeline import (
    ImportPipeline,
    LocalSession,
    PackSource,
    PlanListener,
    run_publish,
)
from publisher_restore.operations.push import refuse_same_site
from publisher_restore.operations.steps import Steps
from publisher_restore.progress import Progress, SilentProgress
from publisher_restore.site import Site


def pull_from_site(
    source: Site,
    target: SiteEnvironment,
    request: PublishRequest,
    answering: Answering,
    *,
    who: str,
    steps: Steps | None = None,
    progress: Progress | None = None,
    on_plan: PlanListener | None = None,
) -> PublishResult:
    """Pull ``request`` from the site folder ``source`` into ``target`` (this site)."""
    refuse_same_site(source, target.site)
    progress = progress or SilentProgress()
    pack = SitePack(source, request, progress)
    return pull_pack(
        pack, target, request, answering, who=who, steps=steps, progress=progress, on_plan=on_plan
    )


def pull_pack(
    pack: PackSource,
    target: SiteEnvironment,
    request: PublishRequest,
    answering: Answering,
    *,
    who: str,
    steps: Steps | None = None,
    progress: Progress | None = None,
    on_plan: PlanListener | None = None,
) -> PublishResult:
    """Import a pulled pack (from a folder or a server) into ``target`` as a pull."""
    steps = steps or Steps()
    pipeline = ImportPipeline(target, OperationKind.PULL, who, steps, progress or SilentProgress())
    session = LocalSession(pipeline, ImportOptions(mirror=request.mirror, media=request.media))
    return run_publish(pack, session, answering, steps, on_plan=on_plan)
