"""Damaging-change analysis as an operation: two item sources in, an ``AnalysisResult`` out.

The rules come from the runtime (every plugin's, collected once); the settings
from the site the current side belongs to, or from a settings file the caller
names.  ``analyse`` and the demo call this; the incoming side is a folder or a sync pack.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publisher_restore.analyser.engine import run_rules
from publisher_restore.analyser.findings import AnalysisResult, Semantics
from publisher_restore.analyser.loading import load_pair, load_sources
from publisher_restore.analyser.rules.base import Rule
from publisher_restore.analyser.settings import AnalyserSettings
from publisher_restore.analyser.sides import ItemSource
from publisher_restore.analyser.sources import analyser_section, resolve_side
from publisher_restore.errors import ConfigError
from publisher_restore.publisher.pack_reader import read_pack


@dataclass(frozen=True)
class Analysis:
    """The analyser with a fixed rule set."""

    rules: tuple[Rule, ...]

    def compare(
        self,
        current: ItemSource,
        incoming: ItemSource,
        *,
        semantics: Semantics,
        settings: AnalyserSettings | None = None,
    ) -> AnalysisResult:
        """The findings of importing ``incoming`` over ``current``."""
        return run_rules(current, incoming, semantics, list(self.rules), settings)

    def compare_folders(
        self,
        current: Path,
        incoming: Path,
        *,
        semantics: Semantics,
        settings: AnalyserSettings | None = None,
    ) -> AnalysisResult:
        """``compare`` of two folders (site roots, uSync folders or version folders).

        Without ``settings``, the current side's site configuration applies (none
        when the current side is not inside a site).
        """
        loaded_current, loaded_incoming = load_pair(current, incoming)
        if settings is None:
            settings = AnalyserSettings.from_section(analyser_section(loaded_current.folder))
        return self.compare(loaded_current, loaded_incoming, semantics=semantics, settings=settings)

    def compare_pack(
        self,
        current: Path,
        pack: Path,
        *,
        semantics: Semantics,
        settings: AnalyserSettings | None = None,
    ) -> AnalysisResult:
        """``compare`` of a folder and a sync pack (read with every check of the pack reader)."""
        side = resolve_side(current)
        with read_pack(pack, rules=None, media=None) as opened:
            loaded_current, loaded_incoming = load_sources(
                side.source(), opened.item_source(), folders=(side, None)
            )
        if settings is None:
            settings = AnalyserSettings.from_section(analyser_section(side))
        return self.compare(loaded_current, loaded_incoming, semantics=semantics, settings=settings)


def settings_from_file(path: Path) -> AnalyserSettings:
    """``uSync:Restore:Analyser`` from a JSON settings file (keys case-insensitive)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as error:
        raise ConfigError(f"{path}: cannot read analyser settings: {error}") from None
    node: Any = data
    for key in ("usync", "restore", "analyser"):
        if isinstance(node, dict):
            node = next((v for k, v in node.items() if str(k).casefold() == key), {})
    if not isinstance(node, dict):
        raise ConfigError(f"{path}: uSync:Restore:Analyser is not an object")
    return AnalyserSettings.from_section(node)
