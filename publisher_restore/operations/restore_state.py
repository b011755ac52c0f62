"""A restore that has not finished: running now, or interrupted and waiting to be recovered.

Both leave the same journal in the work area; only the site lock tells them apart.
A journal with the lock held by a restore (or by a create or recover, which finish
it first) is a running restore; a journal with nobody holding the lock is an
interrupted one.  Finding out reads the journal and asks the store who holds the
lock: nothing is taken and nothing is written.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel

from publisher_restore.operations.environment import SiteEnvironment
from publisher_restore.restore.journal import Journal, Phase
from publisher_restore.restore.manifest import utc_text
from publisher_restore.storage.base import LockHolder

LEAVE_JOURNALS_ALONE = frozenset({"delete", "pin", "prune"})
"""Operations that hold the lock without finishing a restore they find."""
_ATTEMPTS = 3

RECOVER_ADVICE = (
    "'publisher-restore recover' completes it (a create or restore completes it first), "
    "'publisher-restore recover --rollback' puts the site back as it was before it"
)


class RestoreInProgress(BaseModel):
    """An unfinished restore: which point, since when, where it is, and whether it runs."""

    point_id: str
    started: datetime
    phase: Phase
    running: bool
    holder: LockHolder | None = None
    """Who holds the site lock, for a running restore."""

    def describe(self) -> str:
        """One clause: what is going on."""
        if self.running:
            by = self.holder.describe() if self.holder else "another process"
            return f"a restore of {self.point_id} is running in {by}"
        return (
            f"a restore of {self.point_id} started {_when(self.started)} was interrupted "
            f"{_stopped(self.phase)}"
        )

    def advice(self) -> str:
        """What it is, and what to do about it."""
        if self.running:
            return f"{self.describe()}; run this again once it has finished"
        return f"{self.describe()}; {RECOVER_ADVICE}"

    def notice(self) -> str:
        """What a command that leaves it alone says about it."""
        if self.running:
            return f"{self.describe()}; the site is changing until it finishes"
        return self.advice()


class Recovery(BaseModel):
    """What finishing an interrupted restore did."""

    point_id: str
    started: datetime
    phase: Phase
    """Where the restore had stopped."""
    action: Literal["completed", "rolled back", "discarded"]

    @property
    def message(self) -> str:
        """One sentence (without its first capital): what was done, to which restore."""
        if self.action == "discarded":
            return (
                f"discarded an unfinished restore of {self.point_id} started "
                f"{_when(self.started)} (it stopped while staging: the site was untouched)"
            )
        return (
            f"{self.action} an interrupted restore of {self.point_id} started "
            f"{_when(self.started)} (it had stopped {_stopped(self.phase)})"
        )

    def summary(self) -> dict[str, object]:
        """The JSON form (``recovery`` beside the sentence in ``recovered``)."""
        return {
            "point_id": self.point_id,
            "started": utc_text(self.started),
            "phase": self.phase,
            "action": self.action,
        }

    @classmethod
    def of(
        cls, journal: Journal, action: Literal["completed", "rolled back", "discarded"]
    ) -> Recovery:
        return cls(
            point_id=journal.point_id, started=journal.started, phase=journal.phase, action=action
        )


def find_restore_in_progress(env: SiteEnvironment) -> RestoreInProgress | None:
    """The unfinished restore of this site, running or interrupted; None when there is none."""
    work = env.work
    journal = work.peek()
    for _attempt in range(_ATTEMPTS):
        if journal is None:
            return None
        if env.lock.held_here:
            return _found(journal, running=False)
        holder = env.store.lock_holder()
        if holder is not None and holder.operation not in LEAVE_JOURNALS_ALONE:
            return _found(journal, running=True, holder=holder)
        # Nobody is finishing it, unless it finished between the two looks: look again.
        again = work.peek()
        if again == journal:
            return _found(journal, running=False)
        journal = again
    # It keeps changing under our eyes: something is working on it right now.
    return None if journal is None else _found(journal, running=True)


def _found(
    journal: Journal, *, running: bool, holder: LockHolder | None = None
) -> RestoreInProgress:
    return RestoreInProgress(
        point_id=journal.point_id,
        started=journal.started,
        phase=journal.phase,
        running=running,
        holder=holder,
    )


def _when(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"


def _stopped(phase: Phase) -> str:
    return {
        "staging": "while staging, before the site was changed",
        "applying": "part-way through changing the site",
        "rolling-back": "part-way through rolling back",
    }[phase]
