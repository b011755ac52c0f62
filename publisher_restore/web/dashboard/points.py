"""The restore-point pages: the list, create, pin, delete, verify and download."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.background import BackgroundTask

from publisher_restore.errors import IntegrityError
from publisher_restore.operations.history import PREFIX as OPERATIONS_PREFIX
from publisher_restore.progress import Progress
from publisher_restore.restore.manifest import Manifest
from publisher_restore.restore.store import MANIFEST_NAME, MANIFEST_NAME_V1, POINTS_PREFIX
from publisher_restore.site_walk import child_named
from publisher_restore.web.dashboard.auth import SignedIn, read_form
from publisher_restore.web.dashboard.history import operation_rows
from publisher_restore.web.dashboard.render import render
from publisher_restore.web.dashboard.state import DashboardState, dashboard_state
from publisher_restore.web.dashboard.views import (
    REASONS,
    PointRow,
    Timeline,
    now_utc,
    reason_options,
)
from publisher_restore.web.formatting import human_size, local_time_zone
from publisher_restore.web.jobs import JobOutcome

router = APIRouter()
State = Annotated[DashboardState, Depends(dashboard_state)]
MAX_NOTE = 500


class PinResult(BaseModel):
    """``POST /points/{id}/pin`` answered as JSON (the page's script asks for it)."""

    id: str
    pinned: bool
    message: str


@router.get("/")
def points_page(
    request: Request, state: State, session: SignedIn, reason: str = "", highlight: str = ""
) -> Response:
    return render(request, "points.html", _listing(state, reason, highlight), session=session)


@router.get("/points/table")
def points_table(
    request: Request, state: State, session: SignedIn, reason: str = "", highlight: str = ""
) -> Response:
    """The table alone, for the list page's script to refresh in place."""
    context = _listing(state, reason, highlight)
    return render(request, "_points_table.html", context, session=session)


@router.get("/points/new")
def new_point_page(request: Request, state: State, session: SignedIn) -> Response:
    """The create form as a page (the list opens it as a dialog when scripts run)."""
    return render(request, "point_new.html", {"has_media": has_media(state)}, session=session)


@router.post("/points")
async def create_point(request: Request, state: State, session: SignedIn) -> Response:
    form = await read_form(request)
    note = str(form.get("note") or "").strip()
    if len(note) > MAX_NOTE:
        too_long = f"The note is too long ({len(note)} characters; at most {MAX_NOTE})."
        session.flash(too_long, "error")
        return RedirectResponse("/", status_code=303)
    media = form.get("include_media") == "yes" and has_media(state)
    who = session.who

    def work(progress: Progress) -> JobOutcome:
        points = state.runtime.restore_points(progress)
        point = points.create(note=note, include_media=media, created_by=who)
        return JobOutcome(
            message=(
                f"Restore point created: {point.file_count} files, "
                f"{human_size(point.archive_size)}{', media included' if media else ''}."
            ),
            next_url=f"/?highlight={point.id}#p-{point.id}",
            data={"point_id": point.id},
        )

    title = "Create a restore point" + (" with media" if media else "")
    job = state.jobs.start("create", title, work)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.post("/points/{point_id}/pin", response_model=None)
async def pin_point(
    request: Request, point_id: str, state: State, session: SignedIn
) -> Response | PinResult:
    form = await read_form(request)
    pinned = form.get("pinned") == "true"
    point = await run_in_threadpool(state.runtime.restore_points().pin, point_id, pinned)
    message = f"{'Pinned' if point.pinned else 'Unpinned'} the restore point of {_when(point)}."
    if "application/json" in request.headers.get("accept", ""):
        return PinResult(id=point.id, pinned=point.pinned, message=message)
    session.flash(message)
    return RedirectResponse(_back(form.get("back")), status_code=303)


@router.get("/points/{point_id}/delete")
def delete_page(request: Request, point_id: str, state: State, session: SignedIn) -> Response:
    point = state.runtime.restore_points().get(point_id)
    row = PointRow.of(point, now_utc())
    return render(request, "point_delete.html", {"point": row}, session=session)


@router.post("/points/{point_id}/delete")
async def delete_point(
    request: Request, point_id: str, state: State, session: SignedIn
) -> Response:
    form = await read_form(request)
    deleted = await run_in_threadpool(state.runtime.restore_points().delete, point_id)
    session.flash(f"Deleted restore point {deleted}.")
    return RedirectResponse(_back(form.get("back")), status_code=303)


@router.post("/points/{point_id}/verify")
def verify_point(point_id: str, state: State, session: SignedIn) -> Response:
    point = state.runtime.restore_points().get(point_id)

    def work(progress: Progress) -> JobOutcome:
        result = state.runtime.restore_points(progress).verify(point.id)
        if not result.ok:
            raise IntegrityError(f"restore point {point.id} failed verification: {result.error}")
        return JobOutcome(
            message=f"Verified: all {point.file_count} files match their SHA-256.",
            next_url=f"/?highlight={point.id}#p-{point.id}",
        )

    job = state.jobs.start("verify", f"Verify the restore point of {_when(point)}", work, point.id)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/points/{point_id}/archive")
def download_archive(point_id: str, state: State, session: SignedIn) -> Response:
    """The point as one self-contained ``.tar.zst`` (``export``'s file: ``tar --zstd -xf``
    opens it, ``import-point`` takes it back), written to a temporary file first so that a
    damaged point is an error page rather than a truncated download."""
    points = state.runtime.restore_points()
    point = points.get(point_id)
    folder = Path(tempfile.mkdtemp(prefix="publisher-restore-export-"))
    try:
        exported = points.export(point.id, folder / "point.tar.zst")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    name = f"{point.site_name or 'site'}-{point.id}.tar.zst"
    return FileResponse(
        exported.path,
        media_type="application/zstd",
        filename=_ascii(name),
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )


@router.get("/api/points/version")
def points_version(state: State, session: SignedIn) -> JSONResponse:
    """A digest of the stored manifests: changes whenever a point is added, pinned or deleted."""
    return JSONResponse({"version": listing_version(state)})


def listing_version(state: DashboardState) -> str:
    """Changes when a point is added, pinned or deleted, or an operation is recorded."""
    digest = hashlib.sha256()
    provider = state.runtime.env.store.provider
    for info in provider.list(POINTS_PREFIX):
        if info.name.endswith(("/" + MANIFEST_NAME, "/" + MANIFEST_NAME_V1)):
            digest.update(f"{info.name}\0{info.size}\n".encode())
    for info in provider.list(OPERATIONS_PREFIX):
        digest.update(f"{info.name}\0{info.size}\n".encode())
    return digest.hexdigest()[:16]


def has_media(state: DashboardState) -> bool:
    """True when the site has a media folder (``wwwroot/media``) to include."""
    wwwroot = child_named(state.runtime.site.root, "wwwroot")
    return wwwroot is not None and child_named(wwwroot, "media") is not None


def _listing(state: DashboardState, reason: str, highlight: str) -> dict[str, object]:
    points_ops = state.runtime.restore_points()
    points, unreadable = points_ops.points(), points_ops.unreadable_points()
    now = now_utc()
    rows = [PointRow.of(point, now) for point in points]
    operations, _unreadable = operation_rows(state, points)
    reason = reason if reason in REASONS else ""
    shown = [row for row in rows if not reason or row.reason == reason]
    return {
        "rows": shown,
        "total": len(rows),
        "reason": reason,
        "reasons": reason_options(points),
        "timeline": Timeline.of(rows, now, [op.mark() for op in operations]),
        "operation_kinds": sorted({op.kind for op in operations}),
        "highlight": highlight,
        "time_zone": local_time_zone(now),
        "unreadable": unreadable,
        "has_media": has_media(state),
        "has_latest": any(row.reason != "pre-restore" for row in rows),
        "version": listing_version(state),
        "storage": _storage_label(state),
        "back": f"/?reason={reason}" if reason else "/",
    }


def _storage_label(state: DashboardState) -> str:
    settings = state.runtime.settings
    if settings.storage.provider == "Local":
        return f"local folder {settings.folder}"
    return f"{settings.storage.provider} storage"


def _when(point: Manifest) -> str:
    return PointRow.of(point, now_utc()).created_local


def _back(target: object) -> str:
    text = target if isinstance(target, str) else "/"
    return text if text.startswith("/?") or text == "/" else "/"


def _ascii(name: str) -> str:
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in name)
