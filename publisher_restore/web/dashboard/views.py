"""What the pages show, as plain values: rows of restore points, a timeline, a check's groups."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

from pydantic import BaseModel

from publisher_restore.analyser import AnalysisProblem
from publisher_restore.analyser.findings import Finding
from publisher_restore.analyser.wording import describe
from publisher_restore.operations.restore import PreparedRestore
from publisher_restore.publisher.order import WRITE_ORDER
from publisher_restore.restore.manifest import Manifest, Reason
from publisher_restore.restore.plan import Change
from publisher_restore.scopes import Scope
from publisher_restore.usync.folders import handler_folder
from publisher_restore.web import formatting

REASONS = tuple(reason.value for reason in Reason)
_FOLDER_ORDER = {entry.folder: index for index, entry in enumerate(WRITE_ORDER)}
_FILE_GROUPS = {
    Scope.USYNC: "Other uSync files",
    Scope.VIEWS: "Views",
    Scope.STATIC: "Static files",
    Scope.MEDIA: "Media files",
}


class PointRow(BaseModel):
    """One restore point as the list shows it."""

    id: str
    created: datetime
    created_local: str
    created_ago: str
    reason: str
    note: str
    who: str
    media: bool
    size_bytes: int
    size: str
    added: str
    """What taking the point added to storage (points share the files they have in common)."""
    files: int
    items: int
    pinned: bool

    @classmethod
    def of(cls, point: Manifest, now: datetime) -> PointRow:
        return cls(
            id=point.id,
            created=point.created,
            created_local=formatting.local_time(point.created),
            created_ago=formatting.ago(point.created, now),
            reason=point.reason.value,
            note=point.note,
            who=point.created_by,
            media=point.includes_media,
            size_bytes=point.archive_size,
            size=formatting.human_size(point.archive_size),
            added=formatting.human_size(
                point.archive_size if point.is_legacy else point.added_bytes
            ),
            files=point.file_count,
            items=len(point.items),
            pinned=point.pinned,
        )


class OperationMark(BaseModel):
    """An operation as the timeline marks it."""

    id: str
    started: datetime
    kind: str
    outcome: str
    label: str


class TimelineDot(BaseModel):
    id: str
    x: float
    """Percent of the timeline's width, oldest at 0."""
    reason: str
    """A point's reason, or an operation's kind."""
    label: str
    href: str
    outcome: str = ""
    """An operation's outcome (``failed`` is drawn so)."""


class Timeline(BaseModel):
    """Restore points and operations on one line from the oldest to now, in two lanes."""

    dots: list[TimelineDot]
    marks: list[TimelineDot]
    """The operations' lane."""
    start: str
    end: str

    @classmethod
    def of(
        cls, rows: list[PointRow], now: datetime, operations: Sequence[OperationMark] = ()
    ) -> Timeline | None:
        if not rows and not operations:
            return None
        start = min([row.created for row in rows] + [op.started for op in operations])
        span = max((now - start).total_seconds(), 1.0)

        def x(moment: datetime) -> float:
            return round(2 + 96 * (moment - start).total_seconds() / span, 2)

        dots = [
            TimelineDot(
                id=row.id,
                x=x(row.created),
                reason=row.reason,
                label=" · ".join(filter(None, (row.created_local, row.reason, row.note))),
                href=f"#p-{row.id}",
            )
            for row in rows
        ]
        marks = [
            TimelineDot(
                id=op.id,
                x=x(op.started),
                reason=op.kind,
                label=op.label,
                href=f"/operations/{op.id}",
                outcome=op.outcome,
            )
            for op in operations
        ]
        return cls(dots=dots, marks=marks, start=formatting.local_time(start), end="now")


class ReasonOption(BaseModel):
    value: str
    count: int


def reason_options(points: list[Manifest]) -> list[ReasonOption]:
    counts = Counter(point.reason.value for point in points)
    return [ReasonOption(value=reason, count=counts.get(reason, 0)) for reason in REASONS]


class DetailRow(BaseModel):
    """One changed value: what the site has now, and what the restore writes."""

    path: str
    change: str
    now: str
    restored: str


class ChangeRow(BaseModel):
    """One item or file a restore (or an import) changes; ``index`` is what the form ticks."""

    index: int
    change: str
    name: str
    item_type: str | None
    key: str | None
    path: str
    files: list[str]
    details: list[DetailRow]
    note: str | None = None


class ChangeGroup(BaseModel):
    name: str
    slug: str
    rows: list[ChangeRow]


class FindingRow(BaseModel):
    code: str
    severity: str
    message: str
    item: str
    impact: str | None
    acknowledged: bool


_SIDES = {"current": "the site now", "incoming": "the restore point"}


def problem_lines(problems: list[AnalysisProblem]) -> list[str]:
    """One line per unreadable file, naming where it is unreadable (the site, the point, both)."""
    sides: dict[tuple[str, int | None, str], list[str]] = {}
    for problem in problems:
        found = sides.setdefault((problem.path, problem.line, problem.problem), [])
        found.append(_SIDES[problem.side])
    return [
        f"{path}:{line}: {text} (in {' and in '.join(where)})" if line
        else f"{path}: {text} (in {' and in '.join(where)})"
        for (path, line, text), where in sides.items()
    ]  # fmt: skip


class CheckView(BaseModel):
    """A checked restore as its page shows it."""

    check_id: str
    point: PointRow
    summary: dict[str, object]
    findings: list[FindingRow]
    groups: list[ChangeGroup]
    problems: list[str]
    blocked: list[str]
    partial: bool
    checked_at: str

    @classmethod
    def of(cls, check_id: str, prepared: PreparedRestore, now: datetime) -> CheckView:
        plan = prepared.plan
        return cls(
            check_id=check_id,
            point=PointRow.of(plan.point, now),
            summary=plan.summary(),
            findings=[finding_row(f) for f in prepared.request.findings],
            groups=change_groups(plan.changes),
            problems=problem_lines(plan.problems),
            blocked=plan.blocked,
            partial=plan.selection is not None,
            checked_at=formatting.local_time(prepared.prepared_at),
        )

    @property
    def change_count(self) -> int:
        return sum(len(group.rows) for group in self.groups)


def change_groups(changes: list[Change]) -> list[ChangeGroup]:
    """Changes grouped by uSync handler (in uSync's import order), then plain files by scope."""
    grouped: dict[str, list[ChangeRow]] = {}
    order: dict[str, tuple[int, str]] = {}
    for index, change in enumerate(changes):
        name, rank = _group_of(change)
        grouped.setdefault(name, []).append(_row(index, change))
        order[name] = rank
    return [
        ChangeGroup(name=name, slug=_slug(name), rows=rows)
        for name, rows in sorted(grouped.items(), key=lambda entry: order[entry[0]])
    ]


def _group_of(change: Change) -> tuple[str, tuple[int, str]]:
    folder = handler_folder(change.path) if change.item_type else None
    if folder is not None:
        return _words(folder), (_FOLDER_ORDER.get(folder, len(_FOLDER_ORDER)), folder)
    name = _FILE_GROUPS[change.scope]
    return name, (100 + list(_FILE_GROUPS).index(change.scope), name)


def _words(folder: str) -> str:
    """``ContentTypes`` -> ``Content types``."""
    spaced = "".join(f" {c.lower()}" if c.isupper() else c for c in folder).strip()
    return spaced[:1].upper() + spaced[1:]


def _slug(name: str) -> str:
    return "-".join(name.lower().split())


def _row(index: int, change: Change) -> ChangeRow:
    return ChangeRow(
        index=index,
        change=change.change,
        name=change.alias or change.path.rsplit("/", 1)[-1],
        item_type=change.item_type,
        key=change.key,
        path=change.path,
        files=change.files,
        details=[
            DetailRow(
                path=detail.path,
                change=detail.change,
                now=_shown(detail.old),
                restored=_shown(detail.new),
            )
            for detail in change.details
        ],
    )


def _shown(value: str | None) -> str:
    return "" if value is None else value


def finding_row(finding: Finding) -> FindingRow:
    """A finding as the tables show it, its impact in the words of its own message."""
    return FindingRow(
        code=finding.code,
        severity=finding.severity.value,
        message=finding.message,
        item=f"{finding.item_type} {finding.item_alias}",
        impact=impact_words(finding),
        acknowledged=finding.acknowledged,
    )


IMPACT_NOUNS = ("page", "media item", "blueprint", "item")
"""The nouns the analyser counts with (``analyser.impact.noun_for``)."""


def impact_words(finding: Finding) -> str | None:
    """``2 values on 2 pages (en-US 1, da 1)``: what the message says, with its noun.

    The analyser words an impact with the noun of what it counted (pages, media items,
    blueprints, items); the noun is not kept beside the impact, so it is the one whose
    wording the message holds (``item`` when the message words it otherwise).
    """
    impact = finding.impact
    if impact is None or impact.is_zero:
        return None
    for noun in IMPACT_NOUNS:
        words = describe(impact, noun)
        if words in finding.message:
            return words
    return describe(impact, "item")


def now_utc() -> datetime:
    return datetime.now(UTC)
