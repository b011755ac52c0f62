"""Media files: incompressible bytes of photo-like sizes under ``wwwroot/media/<id>/<name>.jpg``."""

from __future__ import annotations

import math
import random
import string
from dataclasses import dataclass
from pathlib import Path

from benchmarks.synthetic_site.words import Text

MIN_FILE = 50_000
MAX_FILE = 4_000_000
CHUNK = 1 << 20


@dataclass(frozen=True)
class MediaFile:
    folder: str
    name: str
    size: int

    @property
    def src(self) -> str:
        return f"/media/{self.folder}/{self.name}"

    @property
    def rel_path(self) -> str:
        return f"wwwroot{self.src}"

    @classmethod
    def invent(cls, text: Text, name: str) -> MediaFile:
        """A media reference whose file is not on disk (media kept elsewhere, or not generated)."""
        folder = "".join(text.rng.choices(string.ascii_lowercase + string.digits, k=8))
        return cls(folder, "-".join(name.lower().split()) + ".jpg", MIN_FILE)


def plan_media(text: Text, total_bytes: int) -> list[MediaFile]:
    """Files of log-uniform sizes between 50 KB and 4 MB adding up to ``total_bytes``."""
    planned: list[MediaFile] = []
    written = 0
    low, high = math.log(MIN_FILE), math.log(MAX_FILE)
    while written < total_bytes:
        size = min(int(math.exp(text.rng.uniform(low, high))), total_bytes - written)
        name = "-".join(text.title(1, 3).lower().split()) + f"-{len(planned)}.jpg"
        folder = "".join(text.rng.choices(string.ascii_lowercase + string.digits, k=8))
        planned.append(MediaFile(folder, name, max(size, 1)))
        written += max(size, 1)
    return planned


def write_media_files(root: Path, files: list[MediaFile], seed: int) -> None:
    """Random bytes (reproducible from the seed), written in chunks."""
    rng = random.Random(seed)
    for media in files:
        target = root / media.rel_path
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as out:
            left = media.size
            while left:
                piece = min(left, CHUNK)
                out.write(rng.randbytes(piece))
                left -= piece
