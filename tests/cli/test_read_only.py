"""A read never writes: every command that only looks leaves the site byte for byte as it was.

Run on a fresh site (no restore folder yet, so nothing may create one: no ``.state``,
no lock file, no ``.gitignore``) and on a site with restore points; the commands that
would change something find nothing to change here (no such point, nothing to prune:
the site has at most two points, all recent; nothing to recover), so they must not
write either.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from publisher_restore.service import RestoreService

READ_ONLY: tuple[tuple[str, ...], ...] = (
    ("list",),
    ("list", "--json"),
    ("show", "latest"),
    ("show", "latest", "--json"),
    ("check", "latest"),
    ("check", "latest", "--json"),
    ("check", "latest", "--verify"),
    ("verify",),
    ("verify", "--all", "--json"),
    ("prune", "--dry-run", "--keep-last", "1"),
    ("prune", "--keep-last", "2", "--json"),
    ("prune", "--keep-days", "30"),
    ("pin", "no-such-point"),
    ("pin", "no-such-point", "--unpin", "--json"),
    ("delete", "no-such-point", "--yes"),
    ("recover",),
    ("recover", "--rollback", "--json"),
)


def snapshot(root: Path) -> dict[str, str | bytes]:
    """Every entry under ``root``: folders, links (with their target) and files (their bytes)."""
    found: dict[str, str | bytes] = {}
    for folder, folders, files in os.walk(root):
        for name in folders + files:
            path = Path(folder, name)
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[rel] = f"link to {os.readlink(path)}"
            elif path.is_dir():
                found[rel] = "folder"
            else:
                found[rel] = path.read_bytes()
    return found


def run_all(site: Path) -> list[dict[str, object]]:
    commands = [["--site", str(site), *args] for args in READ_ONLY]
    commands.append(["analyse", "--current", str(site), "--incoming", str(site)])
    done = subprocess.run(
        [sys.executable, "-m", "publisher_restore.testing.cli_batch"],
        input=json.dumps(commands),
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    results: list[dict[str, object]] = json.loads(done.stdout)
    return results


@pytest.mark.parametrize("with_points", [False, True], ids=["fresh site", "with points"])
def test_read_only_commands_leave_the_site_byte_identical(
    sample_site: Path, with_points: bool
) -> None:
    if with_points:
        service = RestoreService.open(sample_site)
        service.create(note="older")
        service.create(note="newest")
    before = snapshot(sample_site)

    results = run_all(sample_site)

    for result in results:
        assert "Traceback" not in str(result["stderr"]), result
    assert snapshot(sample_site) == before, [r["args"] for r in results]
    if not with_points:
        assert not (sample_site / "uSync/restore").exists()
        codes = {" ".join(str(a) for a in r["args"])[len(str(sample_site)) + 8 :]: r["exit_code"]
                 for r in results}  # fmt: skip
        assert codes["check latest"] == 8 and codes["pin no-such-point"] == 8
        assert codes["recover"] == 0 and codes["prune --keep-days 30"] == 0
