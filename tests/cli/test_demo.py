"""The demo cleans up after itself unless asked to keep its copy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def demo(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "publisher_restore", "demo", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TMPDIR": str(tmp_path)},
    )


def test_the_temporary_copy_is_removed_unless_kept(tmp_path: Path) -> None:
    ran = demo(tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.splitlines()[-1] == (
        "7. Removed the temporary copy (pass --keep or --into DIR to keep it)."
    )
    assert list(tmp_path.iterdir()) == []

    kept = demo(tmp_path, "--keep", "--json")
    assert kept.returncode == 0, kept.stderr
    report = json.loads(kept.stdout)
    assert report["kept"] is True and report["identical"] is True
    site = Path(report["site"])
    assert site.parent.parent == tmp_path and (site / "uSync" / "v9").is_dir()


def test_a_copy_made_into_a_folder_is_kept(tmp_path: Path) -> None:
    ran = demo(tmp_path, "--into", str(tmp_path / "mine"), "--json")
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["kept"] is True
    assert (tmp_path / "mine" / "uSync" / "v9").is_dir()
