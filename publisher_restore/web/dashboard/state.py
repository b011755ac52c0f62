"""What the dashboard's routes share: the runtime, the security stores, jobs, checks, uploads."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request

from publisher_restore.runtime import Runtime
from publisher_restore.web.dashboard.checks_store import CheckStore, UndoCheckStore
from publisher_restore.web.dashboard.pack_uploads import PackUploads, UploadFolder
from publisher_restore.web.jobs import JobRegistry
from publisher_restore.web.security.login_links import LoginLinks
from publisher_restore.web.security.rate_limit import LoginRateLimiter
from publisher_restore.web.security.sessions import SessionStore
from publisher_restore.web.settings import DashboardSettings


@dataclass
class DashboardState:
    """One server process's dashboard: built once by ``create_app``."""

    runtime: Runtime
    settings: DashboardSettings
    links: LoginLinks
    sessions: SessionStore = field(init=False)
    limiter: LoginRateLimiter = field(default_factory=LoginRateLimiter)
    jobs: JobRegistry = field(default_factory=JobRegistry)
    checks: CheckStore = field(default_factory=CheckStore)
    undo_checks: UndoCheckStore = field(default_factory=UndoCheckStore)
    packs: PackUploads = field(default_factory=PackUploads)
    uploads: UploadFolder = field(default_factory=UploadFolder)

    def __post_init__(self) -> None:
        self.sessions = SessionStore(idle_seconds=self.settings.session_minutes * 60)

    def close(self) -> None:
        """The server stops: uploaded packs and their folder go."""
        self.packs.clear()
        self.uploads.remove()


def dashboard_state(request: Request) -> DashboardState:
    """The state ``create_app`` put on the application."""
    state: DashboardState = request.app.state.dashboard
    return state
