"""Import a sync pack file into this site, under this site's ``Import`` policy.

The pack is read as hostile input (``publisher.pack_reader``: every check of
``docs/pack-format.md`` before anything is written) and imported by the same pipeline as
a push or a pull.
"""

from __future__ import annotations

from pathlib import Path

from publisher_restore.operations.answers import Answering
from publisher_restore.operations.contexts import PublishResult
from publisher_restore.operations.decisions import OperationKind
from publisher_restore.operations.environment import SiteEnvironment
from publisher_restore.operations.import_plan import ImportOptions
from publisher_restore.operations.pipeline import (
    FilePack,
    ImportPipeline,
    LocalSession,
    PlanListener,
    run_publish,
)
from publisher_restore.operations.steps import Steps
from publisher_restore.progress import Progress, SilentProgress


def import_pack(
    path: Path,
    target: SiteEnvironment,
    options: ImportOptions,
    answering: Answering,
    *,
    who: str,
    steps: Steps | None = None,
    progress: Progress | None = None,
    on_plan: PlanListener | None = None,
) -> PublishResult:
    """Import the pack at ``path`` into ``target``."""
    steps = steps or Steps()
    pipeline = ImportPipeline(
        target, OperationKind.IMPORT, who, steps, progress or SilentProgress()
    )
    session = LocalSession(pipeline, options)
    return run_publish(FilePack(path), session, answering, steps, on_plan=on_plan)
