"""The measurements behind docs/archive-format.md: tar+zstd against zip, on this machine.

Two data sets: a corpus site alone, and the same site plus synthetic incompressible
"media" (random files of 1-5 MiB).  Every variant hashes each file with SHA-256 on
the way in and on the way out, as the product must.  Prints JSON (``--markdown``
prints a table instead); best of ``--repeat`` runs with a warm page cache.

    python benchmarks/compare_archive_formats.py --site ../shared/corpus/zmenu --media-mb 100
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import tempfile
import time
import zipfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from publisher_restore.restore.archive import SourceFile, verify_archive, write_archive
from publisher_restore.restore.manifest import FileRecord, Scope

MIB = 1024 * 1024
CHUNK = 1024 * 1024
TEXT_SUFFIXES = {".config", ".xml", ".json", ".cshtml", ".css", ".js", ".txt"}


def site_files(root: Path, prefix: str = "") -> list[SourceFile]:
    """Every file under ``root`` as a SourceFile, its path under ``prefix``."""
    return [
        SourceFile(path=prefix + p.relative_to(root).as_posix(), abs_path=p, scope=Scope.MEDIA)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    ]


def make_media(folder: Path, total_mib: int, seed: int) -> None:
    """Random (incompressible) files of 1-5 MiB adding up to ``total_mib``."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    written, index = 0, 0
    while written < total_mib * MIB:
        size = rng.randint(1 * MIB, 5 * MIB)
        (folder / f"image-{index:03d}.jpg").write_bytes(rng.randbytes(size))
        written, index = written + size, index + 1


def tar_zstd_writer(threads: int) -> Callable[[Path, list[SourceFile]], Any]:
    """The product's writer at level 3 with ``threads`` compression workers."""

    def write(target: Path, files: list[SourceFile]) -> list[FileRecord]:
        return write_archive(target, files, level=3, threads=threads)

    return write


def tar_zstd_read(target: Path, records: list[FileRecord]) -> None:
    """The product's verifying reader."""
    with target.open("rb") as stream:
        verify_archive(stream, records)


def zip_writer(store_media: bool) -> Callable[[Path, list[SourceFile]], Any]:
    """zip, deflating everything or only the text files."""

    def write(target: Path, files: list[SourceFile]) -> None:
        with zipfile.ZipFile(target, "w") as archive:
            for source in files:
                text = source.abs_path.suffix.lower() in TEXT_SUFFIXES
                method = zipfile.ZIP_STORED if store_media and not text else zipfile.ZIP_DEFLATED
                info = zipfile.ZipInfo(source.path, date_time=(2024, 1, 1, 0, 0, 0))
                info.compress_type = method
                digest = hashlib.sha256()
                with source.abs_path.open("rb") as src, archive.open(info, "w") as dst:
                    while chunk := src.read(CHUNK):
                        digest.update(chunk)
                        dst.write(chunk)

    return write


def zip_read(target: Path, _: Any) -> None:
    """Read and hash every member."""
    with zipfile.ZipFile(target) as archive:
        for info in archive.infolist():
            digest = hashlib.sha256()
            with archive.open(info) as src:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)


VARIANTS: dict[str, tuple[Callable[[Path, list[SourceFile]], Any], Callable[..., None]]] = {
    "tar+zstd-3 threads=0": (tar_zstd_writer(0), tar_zstd_read),
    "tar+zstd-3 threads=2": (tar_zstd_writer(2), tar_zstd_read),
    "zip deflate": (zip_writer(store_media=False), zip_read),
    "zip stored media + deflate text": (zip_writer(store_media=True), zip_read),
}


def best_of(repeat: int, action: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of ``repeat`` runs, with the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return min(times), result


def write_fresh(
    write: Callable[[Path, list[SourceFile]], Any], target: Path, files: list[SourceFile]
) -> Any:
    """Write ``target`` anew (the product's writer refuses to overwrite)."""
    target.unlink(missing_ok=True)
    return write(target, files)


def measure(files: list[SourceFile], work: Path, repeat: int) -> dict[str, Any]:
    """Write and read every variant over ``files``."""
    content = sum(f.abs_path.stat().st_size for f in files)
    rows: dict[str, Any] = {"content_bytes": content, "files": len(files), "variants": {}}
    target = work / "archive"
    for name, (write, read) in VARIANTS.items():
        write_s, records = best_of(repeat, partial(write_fresh, write, target, files))
        read_s, _ = best_of(repeat, partial(read, target, records))
        rows["variants"][name] = {
            "archive_bytes": target.stat().st_size,
            "write_s": round(write_s, 3),
            "write_mb_s": round(content / MIB / write_s, 1),
            "read_s": round(read_s, 3),
            "read_mb_s": round(content / MIB / read_s, 1),
        }
    return rows


def markdown(results: dict[str, Any]) -> str:
    """The results as one table per data set."""
    out = io.StringIO()
    for dataset, rows in results.items():
        out.write(f"\n{dataset}: {rows['files']} files, {rows['content_bytes'] / MIB:.1f} MiB\n\n")
        out.write("| format | archive MiB | write s | write MiB/s | read+verify s | read MiB/s |\n")
        out.write("|---|---:|---:|---:|---:|---:|\n")
        for name, v in rows["variants"].items():
            out.write(
                f"| {name} | {v['archive_bytes'] / MIB:.2f} | {v['write_s']} | "
                f"{v['write_mb_s']} | {v['read_s']} | {v['read_mb_s']} |\n"
            )
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Measure both data sets and print the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--media-mb", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="compare-formats-") as tmp:
        work = Path(tmp)
        make_media(work / "media", args.media_mb, args.seed)
        site = site_files(args.site)
        media = site_files(work / "media", prefix="wwwroot/media/")
        name = args.site.name
        results = {
            f"{name} (site only)": measure(site, work, args.repeat),
            f"{name} + {args.media_mb} MiB media": measure(site + media, work, args.repeat),
        }
    print(markdown(results) if args.markdown else json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
