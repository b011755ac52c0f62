"""Azure provider throughput on Azurite: restore-point upload and download vs plain SDK calls.

Run: ``.venv/bin/python benchmarks/bench_azure.py [--media-mb 200] [--rounds 3]``.
Takes a restore point of the sample site plus ``--media-mb`` of random media
through the real service (timing its ``store`` phase, the archive upload),
then uploads the very same archive bytes with a plain ``upload_blob`` to the
same emulator; then reads the archive back through the provider's stream and
with a plain ``download_blob().readall()``.  Prints JSON (MB/s, medians).
Not a test: numbers depend on the machine, and the emulator shares its CPU.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from azure.storage.blob import ContainerClient
from publisher_restore_azure.azurite import Azurite, find_executable

from publisher_restore.restore.store import archive_object
from publisher_restore.sample import sample_site_path
from publisher_restore.service import RestoreService

REPO = Path(__file__).resolve().parents[1]
SAMPLE_SITE = sample_site_path()
MB = 1_000_000
MEDIA_FILE_MB = 5
READ_SIZE = 1024 * 1024


class PhaseTimer:
    """A ``Progress`` that records how long each phase of a create took."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._phase = ""
        self._started = 0.0

    def begin(self, phase: str, *, files: int, total_bytes: int) -> None:
        self._phase, self._started = phase, time.perf_counter()

    def advance(self, *, files: int = 0, nbytes: int = 0) -> None:
        return None

    def end(self) -> None:
        self.seconds[self._phase] = time.perf_counter() - self._started


def make_site(root: Path, media_mb: int, connection_string: str) -> Path:
    """The sample site with ``media_mb`` of incompressible media, stored in Azure only."""
    site = root / "site"
    shutil.copytree(SAMPLE_SITE, site, ignore=shutil.ignore_patterns("restore"))
    media = site / "wwwroot" / "media" / "bench"
    media.mkdir(parents=True)
    for index in range(max(1, media_mb // MEDIA_FILE_MB)):
        (media / f"file-{index:03d}.bin").write_bytes(os.urandom(MEDIA_FILE_MB * MB))
    azure = {"ConnectionString": connection_string, "ContainerName": "bench"}
    settings = {"uSync": {"Restore": {"Storage": {"Azure": azure}}}}
    (site / "appsettings.json").write_text(json.dumps(settings), encoding="utf-8")
    return site


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def read_through(service: RestoreService, name: str) -> int:
    """Read an object to the end through the provider's stream, as verify and restore do."""
    total = 0
    with service.store.provider.open_read(name) as stream:
        while piece := stream.read(READ_SIZE):
            total += len(piece)
    return total


def one_round(site: Path, plain: ContainerClient, scratch: Path, index: int) -> dict[str, float]:
    """One create (store phase timed) plus the plain upload and both downloads of its archive."""
    timer = PhaseTimer()
    service = RestoreService.open(site, progress=timer)
    point = service.create(include_media=True)
    archive = scratch / "archive.tar.zst"
    with service.store.open_archive(point) as stream, archive.open("wb") as out:
        shutil.copyfileobj(stream, out, READ_SIZE)
    size = archive.stat().st_size

    def plain_upload(concurrency: int) -> None:
        with archive.open("rb") as data:
            plain.upload_blob(
                f"plain/{index}-{concurrency}", data, length=size, max_concurrency=concurrency
            )

    return {
        "archive_bytes": size,
        "create_seconds": sum(timer.seconds.values()),
        "point_upload_seconds": timer.seconds["store"],
        "plain_upload_seconds": timed(lambda: plain_upload(1)),
        "plain_upload_8_seconds": timed(lambda: plain_upload(8)),
        "point_download_seconds": timed(lambda: read_through(service, archive_object(point))),
        "plain_download_seconds": timed(
            lambda: plain.get_blob_client(f"plain/{index}-1").download_blob().readall()
        ),
    }


def summarise(rounds: list[dict[str, float]]) -> dict[str, Any]:
    size = rounds[0]["archive_bytes"]

    def rate(key: str) -> float:
        return round(size / MB / statistics.median(r[key] for r in rounds), 1)

    upload, plain_up = rate("point_upload_seconds"), rate("plain_upload_seconds")
    plain_up_8 = rate("plain_upload_8_seconds")
    download, plain_down = rate("point_download_seconds"), rate("plain_download_seconds")
    return {
        "archive_mb": round(size / MB, 1),
        "create_seconds_median": round(statistics.median(r["create_seconds"] for r in rounds), 2),
        "upload_mb_s": {
            "restore_point": upload,
            "plain_upload_blob": plain_up,
            "plain_upload_blob_max_concurrency_8": plain_up_8,
        },
        "upload_ratio": round(upload / plain_up, 2),
        "download_mb_s": {"restore_point": download, "plain_download_blob": plain_down},
        "download_ratio": round(download / plain_down, 2),
        "rounds": [{k: round(v, 3) for k, v in r.items()} for r in rounds],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--media-mb", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-azure-") as temp:
        root = Path(temp)
        with Azurite(find_executable(REPO), root / "azurite") as emulator:
            site = make_site(root, args.media_mb, emulator.connection_string)
            plain = ContainerClient.from_connection_string(emulator.connection_string, "plain")
            plain.create_container()
            rounds = [one_round(site, plain, root, i) for i in range(args.rounds)]
    report = {"media_mb": args.media_mb, **summarise(rounds)}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
