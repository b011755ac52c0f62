"""Report renderers: text for people, JSON for machines, SARIF for scanners, markdown for PRs."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from publisher_restore.analyser.findings import AnalysisResult
from publisher_restore.analyser.render.json_report import render_json
from publisher_restore.analyser.render.markdown import render_markdown
from publisher_restore.analyser.render.sarif import render_sarif
from publisher_restore.analyser.render.text import render_text
from publisher_restore.analyser.rules.base import Rule

Renderer = Callable[[AnalysisResult, Sequence[Rule]], str]

RENDERERS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
    "markdown": render_markdown,
}

__all__ = ["RENDERERS", "Renderer", "render_json", "render_markdown", "render_sarif", "render_text"]
