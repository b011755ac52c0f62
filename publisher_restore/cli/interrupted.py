"""What to tell someone who pressed Ctrl-C: the state the site was left in.

A restore writes to the site only under the restore journal, which says whether it stopped
part-way; the journal is read here, never written.  A restore point is published by its
manifest, written last, so an interrupted create or delete lists no half point.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from publisher_restore.errors import PublisherRestoreError
from publisher_restore.restore.journal import Journal, WorkArea
from publisher_restore.site import STATE_FOLDER, Site

INTERRUPTED_EXIT_CODE = 130  # 128 + SIGINT, as shells report a process ended by Ctrl-C
READ_ONLY = frozenset({"list", "show", "check", "verify", "analyse", "history", "serve"})
PUBLISHING = frozenset({"push", "pull", "pack"})


def interrupted_message(args: Sequence[str]) -> str:
    """One line: interrupted, and what state the site is in now."""
    site_dir, command = _invocation(args)
    if command == "demo":
        return "interrupted: only the demo's own copy of the sample site was touched"
    journal = _pending_journal(site_dir)
    if journal is not None and journal.phase != "staging":
        return (
            f"interrupted: the restore of {journal.point_id} stopped part-way; run "
            "'publisher-restore recover' to finish it, or 'publisher-restore recover "
            "--rollback' to put the site back as it was"
        )
    if journal is not None:
        return (
            "interrupted before the site was changed; the unfinished restore of "
            f"{journal.point_id} is discarded by the next recover, restore or create"
        )
    if command in READ_ONLY or command is None:
        return "interrupted: nothing was changed"
    if command == "pack" and "export" in args:
        return "interrupted: no pack was written (a pack is moved into place only when complete)"
    if command in PUBLISHING:
        return (
            "interrupted: if it had started writing, the target holds part of its changes and "
            "its history lists the operation as running ('history' on the target); "
            "'undo OPERATION' puts back what it wrote"
        )
    # create, restore and recover may complete a pending restore before their own work, and
    # a restore may have just finished: what is sure is that none is left half-done.
    return (
        "interrupted: no restore is left half-done; a restore point is listed only once "
        "complete ('publisher-restore list' shows them)"
    )


def _invocation(args: Sequence[str]) -> tuple[Path, str | None]:
    """The ``--site`` folder and the command name; the group takes no other valued option."""
    site = Path(".")
    items = iter(args)
    for arg in items:
        if arg == "--site":
            site = Path(next(items, "."))
        elif arg.startswith("--site="):
            site = Path(arg.removeprefix("--site="))
        elif not arg.startswith("-"):
            return site, arg
    return site, None


def _pending_journal(site_dir: Path) -> Journal | None:
    try:
        site = Site.open(site_dir)
        work = WorkArea(site.restore_dir / STATE_FOLDER)
        return work.read() if work.exists() else None
    except (PublisherRestoreError, OSError, ValueError):
        return None
