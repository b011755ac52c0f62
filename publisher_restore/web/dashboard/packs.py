"""Sync packs: upload a ``.usync``, read its plan and findings, import it with a restore point.

The upload streams to this server's upload folder (at most ``MaxBodyMiB``); the pack is
then read as hostile input (``publisher.pack_reader``, every check before a byte is used)
and planned over the site by the pipeline of ``pack import`` (``ImportPipeline``), as a
job.  The import runs the same pipeline's execute, as a job: refused when the site
changed since the plan (plan again), the restore point taken when the person ticked it
(the default follows the ``Import`` policy; a plugin's answer stands).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from publisher_restore.analyser.wording import counted
from publisher_restore.errors import HostileInputError, PackContentError
from publisher_restore.operations.contexts import PublishOutcome
from publisher_restore.operations.decisions import Choice, Decision, OperationKind
from publisher_restore.operations.import_plan import ImportOptions
from publisher_restore.operations.pipeline import ImportPipeline, describe_findings
from publisher_restore.operations.steps import Steps
from publisher_restore.progress import Progress
from publisher_restore.publisher.settings import MIB, load_publisher_settings
from publisher_restore.web.dashboard.auth import SignedIn, read_form
from publisher_restore.web.dashboard.pack_uploads import PackUpload
from publisher_restore.web.dashboard.plan_views import ImportChoice, ImportPlanView
from publisher_restore.web.dashboard.render import render
from publisher_restore.web.dashboard.restoring import QUICK_CHECK_SECONDS
from publisher_restore.web.dashboard.state import DashboardState, dashboard_state
from publisher_restore.web.dashboard.views import now_utc
from publisher_restore.web.formatting import human_size, local_time
from publisher_restore.web.jobs import Job, JobOutcome
from publisher_restore.web.uploads import UploadRefused, file_name, receive_to_file

router = APIRouter()
State = Annotated[DashboardState, Depends(dashboard_state)]
HOSTILE_ADVICE = (
    "Nothing was changed and the upload was deleted. This file cannot be imported: ask "
    "whoever sent it for a new pack ('publisher-restore pack export'), or check that it "
    "is the .usync file you meant"
)


def upload_limit(state: DashboardState) -> int:
    """``uSync:Restore:Publisher:MaxBodyMiB`` in bytes: the largest pack accepted."""
    return load_publisher_settings(state.runtime.site.root).max_body_bytes


@router.get("/packs")
def packs_page(request: Request, state: State, session: SignedIn) -> Response:
    kept = [(entry.id, entry.prepared) for entry in state.packs.entries()]
    context = {
        "limit_mib": upload_limit(state) // MIB,
        "kept": [
            {
                "id": entry_id,
                "name": upload.name,
                "size": human_size(upload.size),
                "uploaded": local_time(upload.uploaded),
                "planned": upload.prepared is not None,
            }
            for entry_id, upload in kept
        ],
    }
    return render(request, "packs.html", context, session=session)


@router.post("/packs")
async def upload_pack(
    request: Request, state: State, session: SignedIn, media: bool = False, mirror: bool = False
) -> JSONResponse:
    """The pack as the raw body (the page's script sends it with the CSRF header)."""
    path = state.uploads.new_path()
    try:
        size = await receive_to_file(request, path, upload_limit(state))
    except UploadRefused as refused:
        return JSONResponse({"detail": str(refused)}, status_code=refused.status)
    upload = PackUpload(
        name=file_name(request.headers.get("x-pack-name")),
        path=path,
        size=size,
        options=ImportOptions(media=media, mirror=mirror),
        who=session.who,
        uploaded=now_utc(),
    )
    entry = state.packs.add(upload)
    job = _start_plan(state, entry.id, upload)
    return JSONResponse({"next": _next_of(job)})


@router.get("/packs/{upload_id}")
def pack_page(request: Request, upload_id: str, state: State, session: SignedIn) -> Response:
    entry = state.packs.get(upload_id)
    if entry is None or entry.prepared.prepared is None:
        return _gone(request, session)
    upload = entry.prepared
    assert upload.prepared is not None and upload.decision is not None
    context = {
        "upload_id": upload_id,
        "upload": {"name": upload.name, "size": human_size(upload.size)},
        "plan": ImportPlanView.of(upload.prepared),
        "choice": ImportChoice.of(upload.decision),
        "writes": upload.prepared.writes,
        "planned_at": local_time(upload.prepared.prepared_at),
    }
    return render(request, "pack_plan.html", context, session=session)


@router.post("/packs/{upload_id}/plan")
def plan_again(request: Request, upload_id: str, state: State, session: SignedIn) -> Response:
    entry = state.packs.get(upload_id)
    if entry is None:
        return _gone(request, session)
    job = _start_plan(state, upload_id, entry.prepared)
    return RedirectResponse(_next_of(job), status_code=303)


@router.post("/packs/{upload_id}/discard")
def discard(request: Request, upload_id: str, state: State, session: SignedIn) -> Response:
    entry = state.packs.get(upload_id)
    state.packs.discard(upload_id)
    if entry is not None:
        session.flash(f"Discarded the upload of {entry.prepared.name}; nothing was imported.")
    return RedirectResponse("/packs", status_code=303)


@router.post("/packs/{upload_id}/import")
async def import_pack(
    request: Request, upload_id: str, state: State, session: SignedIn
) -> Response:
    entry = state.packs.get(upload_id)
    if entry is None or entry.prepared.prepared is None:
        return _gone(request, session)
    upload = entry.prepared
    prepared, decided = upload.prepared, upload.decision
    assert prepared is not None and decided is not None
    form = await read_form(request)
    choice = ImportChoice.of(decided)
    if choice.refused is not None:
        session.flash(f"This import cannot run. {choice.refused}", "error")
        return RedirectResponse(f"/packs/{upload_id}", status_code=303)
    who = session.who
    take_point = form.get("restore_point") == "yes"
    decision = decided if choice.locked else _chosen(take_point, decided, who)

    def work(progress: Progress) -> JobOutcome:
        pipeline = ImportPipeline(state.runtime.env, OperationKind.IMPORT, who, Steps(), progress)
        checked = prepared.inputs.pack_sha256
        with pipeline.open_pack(upload.path, prepared.options, checked_sha256=checked) as pack:
            result = pipeline.execute(prepared, decision, pack)
        state.packs.discard(upload_id)
        if result.outcome is PublishOutcome.UNCHANGED:
            message = "Nothing to import: the site already holds everything in this pack."
        else:
            message = (
                f"Imported {upload.name}: {counted(result.written, 'file')} written"
                + (f", {result.failed} failed" if result.failed else "")
                + "."
                + (" A restore point was taken first." if result.restore_point else "")
            )
        next_url = f"/operations/{result.operation_id}" if result.operation_id else "/operations"
        return JobOutcome(message=message, next_url=next_url, data=result.model_dump(mode="json"))

    job = state.jobs.start(
        "import", f"Import {upload.name}", work, again_url=f"/packs/{upload_id}/plan"
    )
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


def _start_plan(state: DashboardState, upload_id: str, upload: PackUpload) -> Job:
    """Check and plan the pack as a job (a refused pack is deleted with its upload)."""

    def work(progress: Progress) -> JobOutcome:
        pipeline = ImportPipeline(
            state.runtime.env, OperationKind.IMPORT, upload.who, Steps(), progress
        )
        try:
            progress.begin("pack-check", files=1, total_bytes=upload.size)
            with pipeline.open_pack(upload.path, upload.options) as pack:
                progress.advance(files=1, nbytes=upload.size)
                progress.begin("plan", files=len(pack.items) + len(pack.files), total_bytes=0)
                prepared = pipeline.prepare(pack, upload.source, upload.options)
            progress.end()
        except (HostileInputError, PackContentError) as refused:
            state.packs.discard(upload_id)
            raise type(refused)(
                f"The pack {upload.name} was refused: {refused}. {HOSTILE_ADVICE}"
            ) from None
        decision = pipeline.decide(prepared)
        state.packs.replace(upload_id, replace(upload, prepared=prepared, decision=decision))
        counts = prepared.summary()["items"]
        return JobOutcome(
            message=(
                f"Planned: {counts['create']} created, {counts['update']} updated, "
                f"{counts['delete']} deleted; {describe_findings(prepared.request.findings)}."
            ),
            next_url=f"/packs/{upload_id}",
        )

    return state.jobs.start("pack-plan", f"Check and plan {upload.name}", work)


def _chosen(take_point: bool, decided: Decision, who: str) -> Decision:
    """The person's answer: a restore point (with the policy's media choice) or none."""
    if take_point:
        return Decision(
            choice=Choice.RESTORE_POINT,
            decided_by=who,
            reason="restore point ticked in the dashboard",
            include_media=decided.include_media,
        )
    return Decision(
        choice=Choice.CONTINUE, decided_by=who, reason="restore point unticked in the dashboard"
    )


def _next_of(job: Job) -> str:
    view = job.view() if job.wait(QUICK_CHECK_SECONDS) else None
    if view is not None and view.next_url and view.error is None:
        return view.next_url
    return f"/jobs/{job.id}"


def _gone(request: Request, session: SignedIn) -> Response:
    context = {
        "title": "This upload is no longer available",
        "message": (
            "Uploaded packs are kept for an hour, and an upload is used up by its import or "
            "discarded. Nothing was imported from it. Upload the pack again."
        ),
        "back_url": "/packs",
        "back_label": "Back to sync packs",
    }
    return render(request, "gone.html", context, session=session, status=404)
