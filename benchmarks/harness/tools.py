"""The programs the harness times: publisher-restore's CLI and the anchors (zip, tar, restic)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks.harness.measure import Sample, run, tree_bytes

MEDIA = "wwwroot/media"
SITE_FOLDERS = ("uSync", "Views", "wwwroot")
RESTIC_PASSWORD = "publisher-restore-benchmark"


class ToolMissing(RuntimeError):
    """A program the harness needs is not installed and could not be installed."""


def _clean_env() -> dict[str, str]:
    """This environment minus anything that would configure publisher-restore from outside."""
    drop = ("ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT")
    return {
        k: v for k, v in os.environ.items() if not k.lower().startswith("usync__") and k not in drop
    }


def default_cli() -> Path:
    """``publisher-restore`` next to this interpreter (the project's .venv), else on PATH."""
    beside = Path(sys.executable).parent / "publisher-restore"
    found = beside if beside.exists() else shutil.which("publisher-restore")
    if not found:
        raise ToolMissing("publisher-restore is not installed: run scripts/setup.sh first")
    return Path(found)


class PublisherRestore:
    """The CLI in a child process, its restore folder outside the site (the site stays as is)."""

    def __init__(self, cli: Path, site: Path) -> None:
        self.cli, self.site = cli, site

    def command(self, *args: str) -> list[str]:
        return [str(self.cli), "--site", str(self.site), *args]

    def run(self, store: Path, *args: str, ok: tuple[int, ...] = (0,)) -> tuple[Sample, Any]:
        env = _clean_env() | {"uSync__Restore__Folder": str(store)}
        sample, stdout = run(self.command(*args), env=env, ok=ok)
        return sample, json.loads(stdout) if stdout.strip() else None

    def create(self, store: Path, media: bool) -> tuple[Sample, dict[str, Any]]:
        before = tree_bytes(store)
        sample, result = self.run(store, "create", "--media" if media else "--no-media", "--json")
        sample.bytes_added = tree_bytes(store) - before
        return sample, result

    def version(self) -> str:
        return subprocess.run(
            [str(self.cli), "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()


class Archivers:
    """``zip -qr`` and ``tar --zstd`` over the files a restore point holds."""

    def __init__(self, site: Path) -> None:
        self.site = site

    def zip(self, out: Path, media: bool) -> Sample:
        out.unlink(missing_ok=True)
        exclude = [] if media else ["-x", f"{MEDIA}/*"]
        sample, _ = run(["zip", "-qr", str(out), *SITE_FOLDERS, *exclude], cwd=self.site)
        sample.bytes_added = out.stat().st_size
        return sample

    def tar(self, out: Path, media: bool) -> Sample:
        out.unlink(missing_ok=True)
        exclude = [] if media else [f"--exclude={MEDIA}"]
        sample, _ = run(["tar", "--zstd", "-cf", str(out), *exclude, *SITE_FOLDERS], cwd=self.site)
        sample.bytes_added = out.stat().st_size
        return sample

    def untar(self, archive: Path, members: list[str]) -> Sample:
        sample, _ = run(["tar", "--zstd", "-xf", str(archive), "-C", str(self.site), *members])
        return sample


class Restic:
    """restic with a local repository per scenario; password and cache set by the harness."""

    def __init__(self, executable: Path, site: Path, cache: Path) -> None:
        self.executable, self.site = executable, site
        self.env = _clean_env() | {
            "RESTIC_PASSWORD": RESTIC_PASSWORD,
            "RESTIC_CACHE_DIR": str(cache),
        }

    def _run(self, repo: Path, *args: str) -> tuple[Sample, str]:
        return run([str(self.executable), "-r", str(repo), *args], env=self.env)

    def init(self, repo: Path) -> None:
        shutil.rmtree(repo, ignore_errors=True)
        self._run(repo, "init")

    def backup(self, repo: Path, media: bool) -> Sample:
        """Back up the site's folders by absolute path, so a restore to / puts files back."""
        paths = [str(self.site / folder) for folder in SITE_FOLDERS]
        exclude = [] if media else ["--exclude", str(self.site / MEDIA)]
        before = tree_bytes(repo)
        sample, _ = self._run(repo, "backup", "--quiet", "--host", "benchmark", *exclude, *paths)
        sample.bytes_added = tree_bytes(repo) - before
        return sample

    def restore(self, repo: Path, rel_paths: list[str]) -> Sample:
        includes = [arg for rel in rel_paths for arg in ("--include", str(self.site / rel))]
        sample, _ = self._run(repo, "restore", "latest", "--target", "/", *includes)
        return sample

    def settings(self, repo: Path) -> dict[str, Any]:
        _, config = self._run(repo, "cat", "config")
        version = subprocess.run(
            [str(self.executable), "version"], capture_output=True, text=True, check=False
        ).stdout.split()
        return {
            "version": " ".join(version[:2]),
            "repository_version": json.loads(config).get("version"),
            "compression": "auto (restic's default)",
            "cache": "RESTIC_CACHE_DIR in the work folder, empty at the start",
            "host": "--host benchmark (so an unchanged backup finds its parent)",
            "threads": "restic's defaults (GOMAXPROCS = all cores)",
        }


def ensure_program(program: str, package: str) -> tuple[Path, bool]:
    """The program's path, installing its Debian package if missing; True if just installed."""
    found = shutil.which(program)
    if found:
        return Path(found), False
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise ToolMissing(
            f"{program} is missing: install it (Debian: apt-get install -y {package})"
        )
    install = ["apt-get", "install", "-y", "-q", package]
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(install, env=env, capture_output=True, check=False).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, check=False)
        done = subprocess.run(install, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise ToolMissing(f"apt-get install {package} failed: {done.stderr.strip()[-500:]}")
    found = shutil.which(program)
    if not found:
        raise ToolMissing(f"apt-get installed {package} but {program} is not on PATH")
    return Path(found), True


def ensure_tools() -> tuple[Path, bool]:
    """zip, tar, zstd, GNU time (the meter) and restic; restic's path, True if just installed."""
    for program, package in (("zip", "zip"), ("tar", "tar"), ("zstd", "zstd"), ("time", "time")):
        ensure_program(program, package)
    return ensure_program("restic", "restic")


def tool_versions() -> dict[str, str]:
    """Short versions of the anchors, e.g. ``{"zip": "zip 3.0", "tar": "GNU tar 1.34", ...}``."""

    def version(command: list[str], pattern: str, name: str) -> str:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        found = re.search(pattern, done.stdout + done.stderr)
        return f"{name} {found[1]}" if found else f"{name} (unknown version)"

    return {
        "zip": version(["zip", "-v"], r"This is Zip (\S+)", "zip"),
        "tar": version(["tar", "--version"], r"GNU tar\) (\S+)", "GNU tar"),
        "zstd": version(["zstd", "--version"], r"v(\d+\.\d+\.\d+)", "zstd"),
    }
