"""The compatibility table documented in docs/ is the one the code uses."""

from __future__ import annotations

import re

from publisher_restore.analyser.compat import EQUIVALENT, FORMATS, READABLE
from tests.analyser.helpers import REPO

DOC = (REPO / "docs" / "damaging-changes.md").read_text(encoding="utf-8")
SECTION = DOC[DOC.index("## Editor compatibility") : DOC.index("## Acknowledgements")]


def _rows() -> list[list[str]]:
    return [
        re.findall(r"`([^`]+)`", line) for line in SECTION.splitlines() if line.startswith("| `")
    ]


def test_documented_formats_match_the_code() -> None:
    documented = {}
    for cells in _rows():
        if (
            cells[0] in set(FORMATS.values())
            and len(cells) >= 2
            and cells[1].startswith("umbraco.")
        ):
            for editor in cells[1:]:
                documented[editor] = cells[0]
    assert documented == FORMATS


def test_documented_one_way_moves_and_aliases_match_the_code() -> None:
    pairs = {tuple(cells) for cells in _rows() if len(cells) == 2}
    moves = {p for p in pairs if not p[1].startswith("umbraco.")}
    aliases = {p for p in pairs if p[0].startswith("umbraco.") and p[1].startswith("umbraco.")}
    assert moves == set(READABLE)
    assert aliases == set(EQUIVALENT.items())
