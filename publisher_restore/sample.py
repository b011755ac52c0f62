"""The bundled sample site (package data), so the demo works from an installed wheel too."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def sample_site_path() -> Path:
    """The folder of the bundled sample site (read it; copy it before changing anything)."""
    return Path(str(files("publisher_restore") / "sample_site"))
