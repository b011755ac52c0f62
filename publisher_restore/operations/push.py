"""Push: this site's selection to another site, on this machine or behind a server's API.

The source is the ``--site`` folder; the target is a local site folder (its pipeline runs
in this process, under its own configuration and policy) or a configured server
(``uSync:Restore:Publisher:Servers:NAME``, see ``remote``).  Either way the target
decides, by its policy, and the target is written; this side collects and answers.
"""

from __future__ import annotations

from publisher_restore.errors import SiteError
from publisher_restore.operations.answers import Answering
from publisher_restore.operations.contexts import PublishResult
from publisher_restore.operations.decisions import OperationKind
from publisher_restore.operations.environment import SiteEnvironment
from publisher_restore.operations.import_plan import ImportOptions
from publisher_restore.operations.pack_sources import PublishRequest, SitePack
from publisher_restore.operations.pipeline import (
    ImportPipeline,
    LocalSession,
    PlanListener,
    run_publish,
)
from publisher_restore.operations.steps import Steps
from publisher_restore.progress import Progress, SilentProgress
from publisher_restore.site import Site


def push_to_site(
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
    """Push ``request`` from ``source`` to the site of ``target`` (a folder on this machine)."""
    refuse_same_site(source, target.site)
    steps = steps or Steps()
    progress = progress or SilentProgress()
    pipeline = ImportPipeline(target, OperationKind.PUSH, who, steps, progress)
    session = LocalSession(pipeline, ImportOptions(mirror=request.mirror, media=request.media))
    pack = SitePack(source, request, progress)
    return run_publish(pack, session, answering, steps, on_plan=on_plan)


def refuse_same_site(source: Site, target: Site) -> None:
    """A site cannot be its own source."""
    if source.root == target.root:
        raise SiteError(f"{source.root} is both the source and the target; name another site")
