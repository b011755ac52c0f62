"""The one pipeline of push, pull and pack import: collect, prepare, decide, execute.

    collect (source) -> prepare (target) -> decide -> restore point -> write -> record
    -> after-hooks

- ``ImportPipeline`` is the target side: it reads a pack as hostile input, plans it over
  the target (``import_prepare``), asks ``decide_damaging_change`` (plugins first, the
  built-in policy last) and executes: under the target's lock it re-checks the plan
  token, fires ``before_push``/``before_pull`` and ``before_import`` (a veto stops it; the
  built-in restore-point plugin takes the decided point), writes every change
  (``import_execute``), records the operation (``history``) and fires the after-hooks,
  which always run once the before-hooks did.
- ``run_publish`` drives one operation from wherever it starts: a ``PackSource`` collects
  the pack (a site's selection, a remote export, a file), a ``TargetSession`` prepares and
  executes it (``LocalSession`` here, a remote target over HTTP in ``remote``), and
  ``answers.resolve`` turns a ``prompt`` into an answer.

The steps are recorded (``steps``) and returned in the result.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Protocol

from publisher_restore.analyser.findings import Finding
from publisher_restore.analyser.wording import counted
from publisher_restore.errors import (
    OperationCancelled,
    OperationVetoed,
    PlanOutdatedError,
)
from publisher_restore.operations.answers import Answering, resolve
from publisher_restore.operations.contexts import (
    DecisionContext,
    PublishContext,
    PublishOutcome,
    PublishResult,
)
from publisher_restore.operations.decide import ask_plugins, refuse_unless_final
from publisher_restore.operations.decisions import (
    Choice,
    Decision,
    DecisionRequest,
    OperationKind,
)
from publisher_restore.operations.environment import SiteEnvironment
from publisher_restore.operations.history import (
    ChangeRecord,
    FindingNote,
    OperationHistory,
    OperationOutcome,
    OperationRecord,
    new_operation_id,
)
from publisher_restore.operations.import_execute import (
    planned_records,
    refuse_if_altered,
    refuse_if_target_changed,
    write_changes,
)
from publisher_restore.operations.import_plan import (
    ImportInputs,
    ImportOptions,
    PackSummary,
    PreparedImport,
    plan_type_for,
    writes_digest,
)
from publisher_restore.operations.import_prepare import plan_import
from publisher_restore.operations.pending import PendingPlans
from publisher_restore.operations.policy import PublisherPolicy
from publisher_restore.operations.restore_inputs import RulesInForce
from publisher_restore.operations.restore_points import RestorePoints
from publisher_restore.operations.steps import StepName, Steps
from publisher_restore.operations.tokens import fingerprint
from publisher_restore.progress import Progress, SilentProgress
from publisher_restore.publisher.pack_reader import OpenedPack, PackLimits, read_pack
from publisher_restore.publisher.settings import PublisherSettings, load_publisher_settings
from publisher_restore.restore.manifest import Reason
from publisher_restore.site import Site

WORK_PREFIX = "publisher-restore-"


@dataclass
class ImportPipeline:
    """The target side of a push, pull or import (one operation kind, one target site)."""

    env: SiteEnvironment
    kind: OperationKind
    who: str
    steps: Steps = field(default_factory=Steps)
    progress: Progress = field(default_factory=SilentProgress)

    @property
    def site(self) -> Site:
        return self.env.site

    @cached_property
    def publisher(self) -> PublisherSettings:
        """The target's ``uSync:Restore:Publisher`` connection settings (limits, StopOnError)."""
        return load_publisher_settings(self.site.root)

    def pending(self) -> PendingPlans:
        """The target's pending-plan store, with its ``PendingMinutes``."""
        return PendingPlans(self.env.state_dir, expiry=self.publisher.pending_for)

    def history(self) -> OperationHistory:
        return OperationHistory(self.env.store.provider)

    def open_pack(
        self, path: Path, options: ImportOptions, *, checked_sha256: str | None = None
    ) -> OpenedPack:
        """Read a pack with every check, against this target's scope rules and limits
        (``checked_sha256``: a pack this site checked at prepare, see ``read_pack``)."""
        limits = PackLimits(max_pack_bytes=self.publisher.max_body_bytes)
        return read_pack(
            path,
            rules=self.site,
            media=options.media,
            limits=limits,
            checked_sha256=checked_sha256,
        )

    def prepare(self, pack: OpenedPack, source: str, options: ImportOptions) -> PreparedImport:
        """The plan of importing ``pack`` here: changes, findings, decision request, token."""
        site = self.site
        planned = plan_import(site, pack, options, self.env.rules, self.env.analyser_settings())
        prepared_type = plan_type_for(self.kind)
        writes = sum(c.writes != "nothing" for c in planned.items) + sum(
            f.after is not None for f in planned.files
        )
        request = DecisionRequest.build(
            self.kind,
            f"Take a restore point of {site.name} before this {self.kind.value} from {source}?",
            planned.analysis.findings,
            changes=writes,
        )
        inputs = ImportInputs(
            pack_sha256=pack.sha256,
            options=options,
            target_folder=site.rel(site.usync_dir),
            rules=fingerprint(RulesInForce.of(site, self.env.rules)),
            usync_files=planned.usync_hashes,
            site_files=planned.site_hashes,
            writes_sha256=writes_digest(planned.items, planned.files),
        )
        return prepared_type(
            token=fingerprint(inputs),
            source=source,
            request=request,
            target=site.name,
            pack=_summary(pack),
            options=options,
            items=planned.items,
            files=planned.files,
            unchanged=planned.unchanged,
            analysis=planned.analysis.summary,
            problems=planned.analysis.problems,
            notes=planned.notes,
            threshold=PublisherPolicy.from_settings(site.settings).threshold,
            inputs=inputs,
        )

    def decide(self, prepared: PreparedImport) -> Decision:
        """Plugins first, the built-in policy last; ``prompt`` when a person must answer."""
        if prepared.writes == 0:
            return Decision(
                choice=Choice.CONTINUE, decided_by="pipeline", reason="nothing to change"
            )
        context = DecisionContext(self.site, self.kind, prepared.source, prepared.token)
        answer = ask_plugins(self.env.lifecycle, context, prepared.request)
        if answer is None:
            return Decision(choice=Choice.PROMPT, decided_by="pipeline", reason="nobody decided")
        return answer

    def execute(
        self, prepared: PreparedImport, decision: Decision, pack: OpenedPack
    ) -> PublishResult:
        """Write the plan under the target's lock, if the target is still as planned."""
        what = f"{self.kind.value} to {prepared.target}"
        refuse_unless_final(decision, what)
        result = PublishResult(
            operation=self.kind,
            source=prepared.source,
            target=prepared.target,
            decision=decision,
            notes=list(prepared.notes),
        )
        if prepared.writes == 0:
            result.outcome = PublishOutcome.UNCHANGED
            self.steps.skip(StepName.WRITE, "nothing to change: the target holds it all")
            result.steps = list(self.steps.records)
            return result
        refuse_if_altered(prepared, pack, self.site)
        with self.env.lock.hold(self.kind.value):
            points = RestorePoints(self.env, self.progress)
            points.refuse_if_interrupted()
            refuse_if_target_changed(
                prepared, self.site, RulesInForce.of(self.site, self.env.rules)
            )
            context = PublishContext(
                site=self.site,
                operation=self.kind,
                source=prepared.source,
                plan=prepared,
                decision=decision,
                taker=lambda: points.create_held(
                    reason=Reason(self.kind.value),
                    note=point_note(prepared),
                    include_media=decision.include_media,
                    created_by=self.who,
                ),
            )
            self._run(context, result, pack)
        return result

    def _run(self, context: PublishContext, result: PublishResult, pack: OpenedPack) -> None:
        record: OperationRecord | None = None
        try:
            with self.steps.run(StepName.RESTORE_POINT) as step:
                self.env.lifecycle.before_publish(context)
                step.detail, step.skipped = _point_detail(context)
                if context.restore_point is not None:
                    result.restore_point = context.restore_point.id
            record = self._start_record(context)
            result.operation_id = record.id
            with self.steps.run(StepName.WRITE) as step:
                changes = write_changes(
                    self.site,
                    context.plan,
                    pack,
                    stop_on_error=self.publisher.stop_on_error,
                    progress=self.progress,
                )
                _count(result, changes)
                step.detail = _write_detail(result)
            with self.steps.run(StepName.RECORD) as step:
                record = self._finish_record(record, result, changes)
                step.detail = f"{record.id} ({record.outcome.value})"
        except OperationVetoed as veto:
            result.outcome, result.error = PublishOutcome.VETOED, str(veto)
            raise
        except BaseException as error:
            result.outcome, result.error = PublishOutcome.FAILED, str(error) or repr(error)
            if record is not None and record.outcome is OperationOutcome.RUNNING:
                self._fail_record(record, result.error)
            raise
        finally:
            with self.steps.run(StepName.AFTER_HOOKS) as step:
                self.env.lifecycle.after_publish(context, result)
                step.detail = f"outcome {result.outcome.value}"
            result.steps = list(self.steps.records)

    def _start_record(self, context: PublishContext) -> OperationRecord:
        prepared = context.plan
        record = OperationRecord(
            id=new_operation_id(),
            kind=self.kind,
            source=prepared.source,
            target=self.site.name,
            who=self.who,
            started=datetime.now(UTC),
            decision=context.decision,
            restore_point=context.restore_point.id if context.restore_point else None,
            findings=[FindingNote.of(f) for f in prepared.request.findings],
            changes=planned_records(prepared),
            notes=list(prepared.notes),
        )
        self.history().save(record)
        return record

    def _finish_record(
        self, record: OperationRecord, result: PublishResult, changes: list[ChangeRecord]
    ) -> OperationRecord:
        outcome = {
            PublishOutcome.SUCCEEDED: OperationOutcome.SUCCEEDED,
            PublishOutcome.PARTIAL: OperationOutcome.PARTIAL,
        }.get(result.outcome, OperationOutcome.FAILED)
        final = record.model_copy(
            update={"finished": datetime.now(UTC), "outcome": outcome, "changes": changes}
        )
        self.history().save(final)
        self.env.lifecycle.operation_recorded(final)
        return final

    def _fail_record(self, record: OperationRecord, error: str) -> None:
        failed = record.model_copy(
            update={
                "finished": datetime.now(UTC),
                "outcome": OperationOutcome.FAILED,
                "error": error,
            }
        )
        self.history().save(failed)
        self.env.lifecycle.operation_recorded(failed)


def point_note(prepared: PreparedImport) -> str:
    """The restore point's note: the operation, its source and its findings."""
    return (
        f"before {prepared.operation.value} from {prepared.source}: "
        f"{describe_findings(prepared.request.findings)}"
    )


def describe_findings(findings: list[Finding]) -> str:
    """``no findings`` or ``1 damaging (DC101), 2 risky (DC103, DC113)``."""
    if not findings:
        return "no findings"
    parts = []
    for severity in ("damaging", "risky", "notice"):
        codes = [f.code for f in findings if f.severity.value == severity]
        if codes:
            parts.append(f"{len(codes)} {severity} ({', '.join(dict.fromkeys(codes))})")
    return ", ".join(parts)


def _point_detail(context: PublishContext) -> tuple[str, bool]:
    decision = context.decision
    if context.restore_point is not None:
        return (
            f"{context.restore_point.id} ({decision.choice.value}, by {decision.decided_by})",
            False,
        )
    if decision.choice is Choice.RESTORE_POINT:
        return "decided, but no plugin took one (the restore-point plugin was replaced)", True
    return f"not taken: {decision.choice.value}, by {decision.decided_by}", True


def _count(result: PublishResult, changes: list[ChangeRecord]) -> None:
    result.changes = changes
    result.written = sum(c.outcome == "written" for c in changes)
    result.failed = sum(c.outcome == "failed" for c in changes)
    result.not_attempted = sum(c.outcome == "not-attempted" for c in changes)
    result.outcome = PublishOutcome.PARTIAL if result.failed else PublishOutcome.SUCCEEDED


def _write_detail(result: PublishResult) -> str:
    detail = f"{result.written} written"
    if result.failed:
        detail += f", {result.failed} failed"
    if result.not_attempted:
        detail += f", {result.not_attempted} not attempted (StopOnError)"
    return detail


def _summary(pack: OpenedPack) -> PackSummary:
    manifest = pack.manifest
    return PackSummary(
        name=pack.path.name,
        sha256=pack.sha256,
        size=pack.size,
        source_site=manifest.source_site,
        created=manifest.created,
        usync_folder=manifest.usync_folder,
        selection=manifest.selection,
        items=len(manifest.items),
        files=len(manifest.files),
    )


# -- driving one operation ------------------------------------------------------------------


class PackSource(Protocol):
    """Where the pack comes from: a site's selection, a remote export, a file."""

    @property
    def label(self) -> str:
        """The source in words (``site dev (/srv/dev)``, ``pack x.usync (from dev, ...)``)."""
        ...

    def produce(self, workdir: Path) -> Path:
        """The pack's path (written into ``workdir`` when it has to be made)."""
        ...

    def notes(self) -> list[str]:
        """What the person should know about the collection (references left out...)."""
        ...


class TargetSession(Protocol):
    """One operation's conversation with its target: here (``LocalSession``) or over HTTP."""

    @property
    def target(self) -> str: ...

    def prepare(self, pack: Path, source: str) -> tuple[PreparedImport, Decision]: ...

    def hold(self, prepared: PreparedImport) -> None: ...

    def answered(self) -> Decision | None: ...

    def record_answer(self, decision: Decision) -> Decision: ...

    def execute(self, prepared: PreparedImport, decision: Decision) -> PublishResult: ...

    def close(self) -> None: ...


@dataclass
class LocalSession:
    """A target on this machine: the pipeline runs in this process."""

    pipeline: ImportPipeline
    options: ImportOptions
    _pack: OpenedPack | None = None
    _pending_id: str | None = None

    @property
    def target(self) -> str:
        return f"site {self.pipeline.site.name} ({self.pipeline.site.root})"

    def prepare(self, pack: Path, source: str) -> tuple[PreparedImport, Decision]:
        self._pack = self.pipeline.open_pack(pack, self.options)
        prepared = self.pipeline.prepare(self._pack, source, self.options)
        return prepared, self.pipeline.decide(prepared)

    def hold(self, prepared: PreparedImport) -> None:
        self._pending_id = self.pipeline.pending().save(prepared).id

    def answered(self) -> Decision | None:
        assert self._pending_id is not None
        return self.pipeline.pending().get(self._pending_id).answer

    def record_answer(self, decision: Decision) -> Decision:
        assert self._pending_id is not None
        pending = self.pipeline.pending()
        try:
            pending.answer(self._pending_id, decision)
        except PlanOutdatedError:
            earlier = pending.get(self._pending_id).answer
            if earlier is None:
                raise
            return earlier
        return decision

    def execute(self, prepared: PreparedImport, decision: Decision) -> PublishResult:
        assert self._pack is not None
        self._discard_pending()
        return self.pipeline.execute(prepared, decision, self._pack)

    def close(self) -> None:
        self._discard_pending()
        if self._pack is not None:
            self._pack.close()

    def _discard_pending(self) -> None:
        if self._pending_id is not None:
            self.pipeline.pending().discard(self._pending_id)
            self._pending_id = None


def run_publish(pack_source: PackSource, session: TargetSession, run: PublishRun) -> PublishResult:
    """Collect, prepare, decide and execute one operation; steps are recorded in ``run``."""
    steps = run.steps
    with tempfile.TemporaryDirectory(prefix=WORK_PREFIX) as work:
        try:
            with steps.run(StepName.COLLECT, where="source") as step:
                pack = pack_source.produce(Path(work))
                step.detail = pack_source.label
            with steps.run(StepName.PREPARE) as step:
                prepared, decision = session.prepare(pack, pack_source.label)
                prepared.notes[:0] = pack_source.notes()
                step.detail = _prepare_detail(prepared)
            if run.on_plan is not None:
                run.on_plan(prepared)
            with steps.run(StepName.DECIDE) as step:
                decision = resolve(decision, prepared, run.answering, session)
                step.detail = f"{decision.choice.value}, by {decision.decided_by}"
                if decision.reason:
                    step.detail += f": {decision.reason}"
            if decision.choice is Choice.ABORT:
                raise OperationCancelled(
                    f"{prepared.operation.value} aborted by {decision.decided_by}"
                    f"{': ' + decision.reason if decision.reason else ''}; nothing was changed"
                )
            return session.execute(prepared, decision)
        finally:
            session.close()


class PlanListener(Protocol):
    """Shown the plan once prepared (the CLI prints it before asking)."""

    def __call__(self, prepared: PreparedImport) -> None: ...


@dataclass(frozen=True)
class PublishRun:
    """How one push, pull or import is run: who asks, who answers, where it reports."""

    answering: Answering
    who: str
    steps: Steps = field(default_factory=Steps)
    progress: Progress = field(default_factory=SilentProgress)
    on_plan: PlanListener | None = None

    def pipeline(self, target: SiteEnvironment, kind: OperationKind) -> ImportPipeline:
        """The target side of this run, as ``kind``."""
        return ImportPipeline(target, kind, self.who, self.steps, self.progress)


def _prepare_detail(prepared: PreparedImport) -> str:
    counts = prepared.summary()["items"]
    text = (
        f"{counts['create']} created, {counts['update']} updated, {counts['delete']} deleted, "
        f"{prepared.unchanged} unchanged; {describe_findings(prepared.request.findings)}"
    )
    files = [f for f in prepared.files if f.after is not None]
    if files:
        text += f"; {counted(len(files), 'site file')}"
    return text


@dataclass(frozen=True)
class FilePack:
    """A pack file given on the command line (``pack import``)."""

    path: Path

    @property
    def label(self) -> str:
        return f"pack {self.path.name}"

    def produce(self, workdir: Path) -> Path:
        return self.path

    def notes(self) -> list[str]:
        return []
