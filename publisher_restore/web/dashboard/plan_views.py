"""What the import-plan pages show: a push, pull or pack import planned over this site,
the decisions waiting for a person, and the restore-point choice of a pack import."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from publisher_restore.operations.decisions import Choice, Decision, DecisionRequest
from publisher_restore.operations.import_plan import PreparedImport
from publisher_restore.operations.pending import PendingPlan
from publisher_restore.operations.policy import DECIDED_BY
from publisher_restore.publisher.pack_manifest import PackSelection
from publisher_restore.restore.plan import Change
from publisher_restore.scopes import Scope
from publisher_restore.web import formatting
from publisher_restore.web.dashboard.views import (
    ChangeGroup,
    FindingRow,
    change_groups,
    finding_row,
    problem_lines,
)

CHOICE_WORDS = {
    Choice.RESTORE_POINT.value: "take a restore point and continue",
    Choice.CONTINUE.value: "continue without a restore point",
    Choice.ABORT.value: "abort",
    Choice.PROMPT.value: "ask a person",
}


class PackFacts(BaseModel):
    """Which pack a plan was made from."""

    name: str
    size: str
    sha256: str
    source_site: str
    created_local: str
    usync_folder: str
    items: int
    files: int
    selection: str


class ImportPlanView(BaseModel):
    """A planned push, pull or import: counts, findings, every change, notes."""

    operation: str
    source: str
    target: str
    summary: dict[str, object]
    findings: list[FindingRow]
    groups: list[ChangeGroup]
    left_alone: list[str]
    """Incoming items the plan leaves alone, each with why."""
    notes: list[str]
    problems: list[str]
    pack: PackFacts
    mirror: bool
    media: bool

    @classmethod
    def of(cls, prepared: PreparedImport) -> ImportPlanView:
        pack = prepared.pack
        selection = pack.selection
        return cls(
            operation=prepared.operation.value,
            source=prepared.source,
            target=prepared.target,
            summary=prepared.summary(),
            findings=[finding_row(f) for f in prepared.request.findings],
            groups=import_groups(prepared),
            left_alone=[
                f"{c.item_type} {c.alias or c.path}: {c.note}"
                for c in prepared.items
                if c.change == "none" and c.note
            ],
            notes=list(prepared.notes),
            problems=problem_lines(prepared.problems),
            pack=PackFacts(
                name=pack.name,
                size=formatting.human_size(pack.size),
                sha256=pack.sha256.removeprefix("sha256:")[:16],
                source_site=pack.source_site,
                created_local=formatting.local_time(pack.created),
                usync_folder=pack.usync_folder,
                items=pack.items,
                files=pack.files,
                selection=_selection_words(selection),
            ),
            mirror=prepared.options.mirror,
            media=prepared.options.media,
        )

    @property
    def change_count(self) -> int:
        return sum(len(group.rows) for group in self.groups)


def import_groups(prepared: PreparedImport) -> list[ChangeGroup]:
    """The plan's changes grouped as a restore check groups them, each with its note."""
    changes: list[Change] = []
    notes: list[str | None] = []
    for item in prepared.items:
        if item.change != "none":
            changes.append(
                Change(
                    path=item.path,
                    change=item.change,
                    scope=Scope.USYNC,
                    item_type=item.item_type,
                    key=item.key,
                    alias=item.alias or None,
                    details=item.details,
                    files=[item.path],
                )
            )
            notes.append(item.note)
    for file in prepared.files:
        if file.change != "none":
            changes.append(Change(path=file.path, change=file.change, scope=file.scope))
            notes.append(file.note)
    groups = change_groups(changes)
    for group in groups:
        for row in group.rows:
            row.note = notes[row.index]
    return groups


def _selection_words(selection: PackSelection) -> str:
    """``every item`` or ``ContentType:blogPost and what it needs (with files)``."""
    what = "every item" if not selection.items else ", ".join(selection.items)
    if selection.items and selection.dependencies:
        what += " and what they need"
    extras = [name for name in ("files", "media") if getattr(selection, name)]
    return what + (f" (with {' and '.join(extras)})" if extras else "")


class DecisionRow(BaseModel):
    """A push, pull or import waiting for a person's answer (or one that expired)."""

    id: str
    operation: str
    source: str
    question: str
    created_local: str
    created_ago: str
    expires_local: str
    expires_in: str
    findings: int
    highest: str | None
    changes: int
    answer: str | None
    answer_words: str | None
    answered_by: str | None
    answered_local: str | None

    @classmethod
    def of(cls, entry: PendingPlan, now: datetime) -> DecisionRow:
        request: DecisionRequest = entry.request
        answer = entry.answer
        return cls(
            id=entry.id,
            operation=entry.operation.value,
            source=entry.source,
            question=request.question,
            created_local=formatting.local_time(entry.created),
            created_ago=formatting.ago(entry.created, now),
            expires_local=formatting.local_time(entry.expires),
            expires_in=_until(entry.expires, now),
            findings=len(request.findings),
            highest=request.highest.value if request.highest else None,
            changes=request.changes,
            answer=answer.choice.value if answer else None,
            answer_words=CHOICE_WORDS[answer.choice.value] if answer else None,
            answered_by=answer.decided_by if answer else None,
            answered_local=formatting.local_time(entry.answered_at) if entry.answered_at else None,
        )


def _until(moment: datetime, now: datetime) -> str:
    seconds = int((moment - now).total_seconds())
    if seconds <= 0:
        return "now"
    return f"in {formatting.duration(seconds)}"


class ImportChoice(BaseModel):
    """The restore-point choice of a pack import in the dashboard: its default, and why."""

    take_point: bool
    """The checkbox's default."""
    locked: bool
    """A plugin decided, or the policy requires a restore point: the page shows the answer
    and cannot change it."""
    refused: str | None
    """A plugin aborted it: the import cannot run (why)."""
    why: str

    @classmethod
    def of(cls, decision: Decision) -> ImportChoice:
        choice, reason = decision.choice, decision.reason
        if decision.decided_by not in (DECIDED_BY, "pipeline") and decision.is_final:
            why = f"Decided by {decision.decided_by}: {CHOICE_WORDS[choice.value]}" + (
                f" ({reason})." if reason else "."
            )
            refused = why if choice is Choice.ABORT else None
            return cls(
                take_point=choice is Choice.RESTORE_POINT, locked=True, refused=refused, why=why
            )
        if choice is Choice.PROMPT:
            why = (
                f"The Import policy asks a person ({reason or 'Prompt'}): a restore point is "
                "recommended, so this import can be undone."
            )
            return cls(take_point=True, locked=False, refused=None, why=why)
        if choice is Choice.RESTORE_POINT:
            # the policy requires a point here: the page may add one, never skip one
            why = (
                f"The Import policy takes a restore point for this import ({reason}); "
                "it cannot be skipped here."
            )
            return cls(take_point=True, locked=True, refused=None, why=why)
        why = (
            f"The Import policy takes no restore point for this import ({reason}). "
            "Tick the box to take one anyway: without one, the import cannot be undone."
        )
        return cls(take_point=False, locked=False, refused=None, why=why)
