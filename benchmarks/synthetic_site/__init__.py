"""A synthetic Umbraco site of any size, with realistic uSync 9-13 XML, views, static files, media.

``generate_site(folder, SiteSpec(items=20_000, media_mb=600))`` writes ``uSync/v9`` (languages,
data types, document/media/member types with compositions, templates, dictionary, domains,
media items, culture-variant content with Block List values), ``Views``, css/js under
``wwwroot`` and incompressible media files under ``wwwroot/media``.  The same spec and seed
always give the same bytes.  ``write_changed_copy`` writes a copy of the uSync folder with a
share of its items changed, for the analyser.

    .venv/bin/python -m benchmarks.synthetic_site OUT [--items N] [--media-mb N] ...
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

from pydantic import BaseModel

from benchmarks.synthetic_site import render
from benchmarks.synthetic_site.changes import ChangeSummary, write_changed_copy
from benchmarks.synthetic_site.items import (
    ContentWriter,
    Counts,
    ItemWriter,
    TreeWriter,
    write_dictionary,
    write_domains,
    write_media,
    write_settings,
)
from benchmarks.synthetic_site.media import plan_media, write_media_files
from benchmarks.synthetic_site.schema import LANGUAGES, Schema
from benchmarks.synthetic_site.site_files import write_static, write_views
from benchmarks.synthetic_site.values import ValueContext
from benchmarks.synthetic_site.words import Text

__all__ = [
    "ChangeSummary",
    "ScopeSize",
    "SiteSpec",
    "SiteSummary",
    "generate_site",
    "write_changed_copy",
]

MB = 1_000_000
USYNC_FOLDER = "uSync/v9"


class SiteSpec(BaseModel):
    """What to generate; sizes in items, files and MB (10^6 bytes)."""

    items: int = 20_000
    languages: int = 3
    views: int = 60
    static_files: int = 80
    media_mb: float = 600
    seed: int = 11


class ScopeSize(BaseModel):
    files: int = 0
    bytes: int = 0


class SiteSummary(BaseModel):
    """What was written: items per handler folder, files and bytes per scope."""

    spec: SiteSpec
    items: dict[str, int]
    scopes: dict[str, ScopeSize]
    seconds: float


def _text(seed: int, part: str) -> Text:
    return Text(random.Random(f"{seed}:{part}"))


def generate_site(root: Path, spec: SiteSpec) -> SiteSummary:
    """Write the site into ``root`` (which must not hold a ``uSync`` folder yet)."""
    started = time.perf_counter()
    if not 1 <= spec.languages <= len(LANGUAGES):
        raise ValueError(f"languages must be 1 to {len(LANGUAGES)}, not {spec.languages}")
    schema = Schema(LANGUAGES[: spec.languages])
    counts = Counts.plan(spec.items, schema)
    usync = root / USYNC_FOLDER
    usync.mkdir(parents=True)
    (usync / "usync.config").write_text(render.marker(), encoding="utf-8")
    writer = ItemWriter(usync)
    write_settings(writer, schema)
    write_dictionary(writer, schema, _text(spec.seed, "dictionary"), counts.dictionary)
    media_ctx = ValueContext(_text(spec.seed, "media"))
    media_files = plan_media(media_ctx.text, int(spec.media_mb * MB))
    write_media(TreeWriter(writer, schema, media_ctx, "Media"), media_files, counts.media)
    content_ctx = ValueContext(_text(spec.seed, "content"), image_keys=media_ctx.image_keys)
    content = ContentWriter(TreeWriter(writer, schema, content_ctx, "Content"))
    homes = content.write(counts.content, counts.roots)
    write_domains(writer, schema, homes)
    if sum(writer.counts.values()) != spec.items:
        raise RuntimeError(f"wrote {sum(writer.counts.values())} items, planned {spec.items}")
    write_views(root, _text(spec.seed, "views"), spec.views)
    write_static(root, _text(spec.seed, "static"), spec.static_files)
    write_media_files(root, media_files, spec.seed)
    return SiteSummary(
        spec=spec,
        items=dict(sorted(writer.counts.items())),
        scopes=scope_sizes(root),
        seconds=round(time.perf_counter() - started, 2),
    )


def scope_of(rel_path: str) -> str:
    if rel_path.startswith("uSync/"):
        return "usync"
    if rel_path.startswith("Views/"):
        return "views"
    if rel_path.startswith("wwwroot/media/"):
        return "media"
    return "static"


def scope_sizes(root: Path) -> dict[str, ScopeSize]:
    """Files and bytes under ``root`` per restore-point scope."""
    sizes = {name: ScopeSize() for name in ("usync", "views", "static", "media")}
    for folder, _, files in os.walk(root):
        for name in files:
            path = Path(folder, name)
            size = sizes[scope_of(path.relative_to(root).as_posix())]
            size.files += 1
            size.bytes += path.stat().st_size
    return sizes
