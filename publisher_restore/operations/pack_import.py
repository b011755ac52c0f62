"""Import a sync pack file into this site, under this site's ``Import`` policy.

The pack is read as hostile input (``publisher.pack_reader``: every check of
``docs/pack-format.md`` before anything is written) and imported by the same pipeline as
a push or a pull.
"""

from __future__ import annotations

from pathlib import Path

from publisher_restore.operations.contexts import PublishResult
from publisher_restore.operations.decisions import OperationKind
from publisher_restore.operations.environment import SiteEnvironment
from publisher_restore.operations.import_plan import ImportOptions
from publisher_restore.operations.pipeline import (
    FilePack,
    LocalSession,
    PublishRun,
    run_publish,
)


def import_pack(
    path: Path, target: SiteEnvironment, options: ImportOptions, run: PublishRun
) -> PublishResult:
    """Import the pack at ``path`` into ``target``."""
    session = LocalSession(run.pipeline(target, OperationKind.IMPORT), options)
    return run_publish(FilePack(path), session, run)
