"""Where a push or pull gets its pack: a site's selection (collected here) or a file.

A remote export (``pull --from NAME``) is a pack source too (``remote.RemotePack``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from publisher_restore.progress import Progress, SilentProgress
from publisher_restore.publisher.collect import collect_pack, parse_specs
from publisher_restore.site import Site

PACK_NAME = "collected.usync"


class PublishRequest(BaseModel):
    """What to push or pull: the ``--item`` selection and the flags."""

    model_config = ConfigDict(frozen=True)

    items: tuple[str, ...] = ()
    """``TYPE:ALIAS_OR_KEY`` specs; none: every item of the source."""
    dependencies: bool = True
    files: bool = False
    """Views and static files too."""
    media: bool = False
    mirror: bool = False
    """Complete semantics on the target: items only it holds are deleted."""


@dataclass
class SitePack:
    """A site on this machine: its selection, collected into a pack."""

    site: Site
    request: PublishRequest
    progress: Progress = field(default_factory=SilentProgress)
    _notes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"site {self.site.name} ({self.site.root})"

    def produce(self, workdir: Path) -> Path:
        request = self.request
        collected = collect_pack(
            self.site,
            parse_specs(request.items),
            workdir / PACK_NAME,
            dependencies=request.dependencies,
            files=request.files,
            media=request.media,
            progress=self.progress,
        )
        self._notes = collected.notes()  # not the selection: its items are not needed again
        return collected.path

    def notes(self) -> list[str]:
        return list(self._notes)
