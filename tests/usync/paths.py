"""Where the read-only corpus and the hand-written samples live."""

from __future__ import annotations

from pathlib import Path

from tests.shared_folder import CORPUS as SHARED_CORPUS

REPO = Path(__file__).resolve().parents[2]
CORPUS = SHARED_CORPUS
SAMPLES = REPO / "fixtures" / "usync-samples"


def corpus_file(relative: str) -> bytes:
    """Bytes of a corpus file, e.g. ``zmenu/uSync/v9/Domains/_en-us.config``."""
    return (CORPUS / relative).read_bytes()
