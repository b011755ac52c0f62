"""Where the read-only ``shared`` folder (corpus, reference docs) is.

It sits beside the repository (``../shared``), as in CI.  A clone made elsewhere from a
local checkout (``git clone /path/to/repo /tmp/x``) finds it beside the checkout it was
cloned from; ``PUBLISHER_RESTORE_SHARED`` names it outright.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ENV = "PUBLISHER_RESTORE_SHARED"


def find_shared() -> Path:
    """The shared folder, or ``REPO/../shared`` (which may not exist) when none is found."""
    for candidate in _candidates():
        if (candidate / "corpus").is_dir():
            return candidate.resolve()
    return (REPO.parent / "shared").resolve()


def _candidates() -> list[Path]:
    named = os.environ.get(ENV)
    found = [Path(named)] if named else []
    found.append(REPO.parent / "shared")
    origin = _local_origin()
    if origin is not None:
        found.append(origin.parent / "shared")
    return found


def _local_origin() -> Path | None:
    try:
        url = subprocess.run(
            ["git", "-C", str(REPO), "config", "--get", "remote.origin.url"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        return None
    path = Path(url.removeprefix("file://")) if url else None
    return path if path is not None and path.is_dir() else None


SHARED = find_shared()
CORPUS = SHARED / "corpus"
