"""JSON report: ``findings`` in the catalogue's shape, ``summary`` and ``problems``."""

from __future__ import annotations

import json
from collections.abc import Sequence

from publisher_restore.analyser.findings import AnalysisResult
from publisher_restore.analyser.rules.base import Rule


def render_json(result: AnalysisResult, rules: Sequence[Rule] = ()) -> str:
    """The whole result as indented JSON."""
    payload = result.model_dump(mode="json")
    ordered = {key: payload[key] for key in ("findings", "summary", "problems", "semantics")}
    return json.dumps(ordered, indent=2, ensure_ascii=False)
