"""Prepared operations waiting for a person's answer, kept for another process to answer.

A push at a terminal or from a remote site that needs a person's decision is saved
here; the dashboard lists it, shows its findings and writes the answer; the
waiting process takes the answered plan and executes it (which re-checks the
token).  Only operations that wait for an answer are saved: a plain check writes
nothing.  An entry expires (15 minutes by default): it is then discarded and
reported as expired, never executed.

Entries are objects of a local storage provider in ``<restore folder>/.state/pending``,
so they follow the store's rules: atomic writes, safe names, a lock for
read-modify-write.  Each entry is two objects: ``<id>.plan`` (the plan, which for a
large site is megabytes) written first, then ``<id>.json`` (what is asked, the answer),
which makes the entry exist; listing reads only the small ones.  An entry discarded
because it expired leaves a note, ``<id>.expired`` (the entry as it was), for a day, so
the dashboard can say it expired whichever process noticed first.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, Field, ValidationError

from publisher_restore.errors import IntegrityError, PlanExpiredError, PlanOutdatedError
from publisher_restore.operations.decisions import Decision, DecisionRequest, OperationKind
from publisher_restore.operations.plans import PreparedOperation
from publisher_restore.storage.local import LocalStorageProvider, ensure_state_dir

PENDING_FOLDER = "pending"
DEFAULT_EXPIRY = timedelta(minutes=15)
KEEP_EXPIRED = timedelta(days=1)
"""How long the note of an expired entry is kept."""
POLL_INTERVAL = 0.25
_LOCK = "pending"
_SUFFIX = ".json"
_PLAN_SUFFIX = ".plan"
_EXPIRED_SUFFIX = ".expired"

Plan = TypeVar("Plan", bound=PreparedOperation)
Model = TypeVar("Model", bound=BaseModel)
Clock = Callable[[], datetime]


class PendingPlan(BaseModel):
    """One saved operation: what it asks, its answer once given, and the plan itself."""

    id: str
    operation: OperationKind
    source: str
    token: str
    created: datetime
    expires: datetime
    request: DecisionRequest
    answer: Decision | None = None
    answered_at: datetime | None = None


class PendingListing(BaseModel):
    """What the store holds now, and what it just discarded."""

    waiting: list[PendingPlan] = Field(default_factory=list)
    """Unexpired entries, oldest first (answered ones too, until their process takes them)."""
    expired: list[PendingPlan] = Field(default_factory=list)
    """Entries that expired and were discarded by this listing."""
    unreadable: list[str] = Field(default_factory=list)
    """Entries that cannot be read, each with its problem."""
    recently_expired: list[PendingPlan] = Field(default_factory=list)
    """Entries that expired within ``KEEP_EXPIRED`` (``expired`` included), newest first,
    whichever process discarded them."""


class PendingPlans:
    """The pending-plan store of one site."""

    def __init__(
        self,
        state_dir: Path,
        *,
        expiry: timedelta = DEFAULT_EXPIRY,
        clock: Clock = lambda: datetime.now(UTC),
    ) -> None:
        self.state_dir = state_dir
        self.objects = LocalStorageProvider(state_dir / PENDING_FOLDER)
        self.expiry = expiry
        self.clock = clock

    def save(self, prepared: PreparedOperation) -> PendingPlan:
        """Keep a prepared operation that waits for an answer; returns its entry."""
        created = self.clock()
        entry = PendingPlan(
            id=secrets.token_hex(16),
            operation=prepared.operation,
            source=prepared.source,
            token=prepared.token,
            created=created,
            expires=created + self.expiry,
            request=prepared.request,
        )
        ensure_state_dir(self.state_dir)  # made here, so the restore folder gets its .gitignore
        with self.objects.lock(_LOCK):
            self.objects.put_bytes(_plan_name(entry.id), prepared.model_dump_json().encode())
            self.objects.put_bytes(_name(entry.id), _bytes(entry))
        return entry

    def listing(self) -> PendingListing:
        """Every entry; expired ones are discarded and reported."""
        found = PendingListing()
        if not self.objects.root.is_dir():
            return found  # nothing was ever saved: a read creates nothing
        with self.objects.lock(_LOCK):
            names = {info.name for info in self.objects.list()}
            for name in sorted(names):
                if name.endswith(_PLAN_SUFFIX) and _entry_of(name) not in names:
                    self.objects.delete(name)  # a save that died before its entry
                elif name.endswith(_SUFFIX):
                    self._list_one(name, found)
                elif name.endswith(_EXPIRED_SUFFIX):
                    self._list_expired(name, found)
        found.waiting.sort(key=lambda e: e.created)
        found.recently_expired += found.expired
        found.recently_expired.sort(key=lambda e: e.expires, reverse=True)
        return found

    def _list_expired(self, name: str, found: PendingListing) -> None:
        try:
            entry = self._load(name, PendingPlan, "note of an expired entry")
        except IntegrityError:
            self.objects.delete(name)  # only a note: an unreadable one is dropped
            return
        if self.clock() - entry.expires > KEEP_EXPIRED:
            self.objects.delete(name)
        else:
            found.recently_expired.append(entry)

    def expired_entry(self, pending_id: str) -> PendingPlan | None:
        """The note an expired entry left (for ``KEEP_EXPIRED``), else None."""
        name = _expired_name(pending_id)
        if self.objects.stat(name) is None:
            return None
        try:
            return self._load(name, PendingPlan, "note of an expired entry")
        except IntegrityError:
            return None

    def _list_one(self, name: str, found: PendingListing) -> None:
        try:
            entry = self._read(_name(name.removesuffix(_SUFFIX)))
        except (IntegrityError, PlanOutdatedError) as error:
            found.unreadable.append(f"{self.objects.root / name}: {error}")
            return
        if self._expired(entry):
            self._expire(entry)
            found.expired.append(entry)
        else:
            found.waiting.append(entry)

    def get(self, pending_id: str) -> PendingPlan:
        """One entry; ``PlanExpiredError`` (and discarded) once it has expired."""
        entry = self._read(_name(pending_id))
        if self._expired(entry):
            self._expire(entry)
            raise PlanExpiredError(_expired_message(entry))
        return entry

    def answer(self, pending_id: str, decision: Decision) -> PendingPlan:
        """Record a person's answer; the first answer wins."""
        if not decision.is_final:
            raise PlanOutdatedError(f"pending operation {pending_id}: 'prompt' is not an answer")
        with self.objects.lock(_LOCK):
            entry = self.get(pending_id)
            if entry.answer is not None:
                raise PlanOutdatedError(
                    f"pending operation {pending_id} was already answered "
                    f"({entry.answer.choice.value}, by {entry.answer.decided_by or 'someone'})"
                )
            answered = entry.model_copy(update={"answer": decision, "answered_at": self.clock()})
            self.objects.put_bytes(_name(pending_id), _bytes(answered), overwrite=True)
        return answered

    def wait_for_answer(self, pending_id: str, *, poll: float = POLL_INTERVAL) -> PendingPlan:
        """Block until the entry is answered; ``PlanExpiredError`` when it expires first."""
        while True:
            entry = self.get(pending_id)
            if entry.answer is not None:
                return entry
            time.sleep(poll)

    def take(self, pending_id: str, plan_type: type[Plan]) -> tuple[Plan, Decision]:
        """Remove an answered entry and return its plan and answer, for execution."""
        with self.objects.lock(_LOCK):
            entry = self.get(pending_id)
            if entry.answer is None:
                raise PlanOutdatedError(f"pending operation {pending_id} has no answer yet")
            plan = self._plan(entry, plan_type)
            self._remove(pending_id)
        return plan, entry.answer

    def plan(self, pending_id: str, plan_type: type[Plan]) -> Plan:
        """The saved plan of a live entry, as its operation's type (to show it in full)."""
        return self._plan(self.get(pending_id), plan_type)

    def discard(self, pending_id: str) -> None:
        """Forget an entry (aborted, or executed some other way)."""
        self._remove(_name(pending_id).removesuffix(_SUFFIX))

    def _expire(self, entry: PendingPlan) -> None:
        """Discard an expired entry, leaving its note."""
        self.objects.put_bytes(_expired_name(entry.id), _bytes(entry), overwrite=True)
        self._remove(entry.id)

    def _remove(self, pending_id: str) -> None:
        self.objects.delete(_name(pending_id))  # the entry first: it makes the plan exist
        self.objects.delete(_plan_name(pending_id))

    def _plan(self, entry: PendingPlan, plan_type: type[Plan]) -> Plan:
        if entry.operation != plan_type.model_fields["operation"].default:
            raise IntegrityError(f"pending operation {entry.id} is a {entry.operation.value}")
        return self._load(_plan_name(entry.id), plan_type, "plan")

    def _expired(self, entry: PendingPlan) -> bool:
        return self.clock() >= entry.expires

    def _read(self, name: str) -> PendingPlan:
        if self.objects.stat(name) is None:
            raise PlanOutdatedError(
                f"no prepared operation {name.removesuffix(_SUFFIX)} is waiting (it was executed, "
                "discarded or never saved); prepare it again"
            )
        entry = self._load(name, PendingPlan, "pending operation")
        if _name(entry.id) != name:
            raise IntegrityError(f"{self.objects.root / name}: names another entry ({entry.id})")
        return entry

    def _load(self, name: str, model: type[Model], what: str) -> Model:
        try:
            return model.model_validate_json(self.objects.get_bytes(name))
        except ValidationError as error:
            problem = error.errors()[0]
            where = ".".join(str(p) for p in problem["loc"]) or "document"
            raise IntegrityError(
                f"{self.objects.root / name}: unreadable {what} ({where}: {problem['msg']})"
            ) from None


def _name(pending_id: str) -> str:
    if len(pending_id) != 32 or not all(c in "0123456789abcdef" for c in pending_id):
        raise PlanOutdatedError(f"no prepared operation {pending_id!r} is waiting")
    return pending_id + _SUFFIX


def _plan_name(pending_id: str) -> str:
    return _name(pending_id).removesuffix(_SUFFIX) + _PLAN_SUFFIX


def _expired_name(pending_id: str) -> str:
    return _name(pending_id).removesuffix(_SUFFIX) + _EXPIRED_SUFFIX


def _entry_of(plan_name: str) -> str:
    return plan_name.removesuffix(_PLAN_SUFFIX) + _SUFFIX


def _bytes(entry: PendingPlan) -> bytes:
    return entry.model_dump_json().encode("utf-8")


def _expired_message(entry: PendingPlan) -> str:
    minutes = round((entry.expires - entry.created).total_seconds() / 60)
    return (
        f"prepared {entry.operation.value} {entry.id} ({entry.source}) expired at "
        f"{entry.expires:%Y-%m-%d %H:%M:%S} UTC, {minutes} minutes after it was prepared, and "
        "was discarded; nothing was changed; prepare it again"
    )
