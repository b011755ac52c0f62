"""Through the CLI: a site that changes while the person confirms a restore is not restored."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
import time
from pathlib import Path

from tests.cli.test_cli import cli
from tests.operations.helpers import files_below
from tests.restore.helpers import damage, fingerprint

README = Path(__file__).resolve().parents[2] / "README.md"
CLI = [sys.executable, "-m", "publisher_restore"]


def read_until(fd: int, marker: bytes, timeout: float = 60.0) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        assert time.monotonic() < deadline, f"no {marker!r} in {seen!r}"
        seen += os.read(fd, 4096)
    return seen


def test_a_site_changed_while_confirming_exits_12_and_changes_nothing(sample_site: Path) -> None:
    from publisher_restore.service import RestoreService

    service = RestoreService.open(sample_site)
    service.create()
    damage(service)
    master, slave = pty.openpty()
    restoring = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "publisher_restore",
            "--site",
            str(sample_site),
            "restore",
            "latest",
        ],
        stdin=slave,
        stderr=slave,
        stdout=subprocess.PIPE,
    )
    os.close(slave)
    read_until(master, b"over the site?")
    (sample_site / "wwwroot/css/site.css").write_text("edited meanwhile\n", encoding="utf-8")
    before, state = fingerprint(sample_site), files_below(sample_site / "uSync/restore")
    os.write(master, b"y\n")
    restoring.communicate(timeout=120)
    terminal = read_until(master, b"nothing was changed").decode()
    os.close(master)

    assert restoring.returncode == 12
    assert re.search(
        r"error: the site changed since the check \(1 file differs, first: "
        r"wwwroot/css/site\.css\); run check again; nothing was changed",
        terminal,
    )
    assert fingerprint(sample_site) == before
    assert files_below(sample_site / "uSync/restore").keys() == state.keys()


def test_check_writes_nothing_and_exit_code_12_is_documented(sample_site: Path) -> None:
    created = cli(sample_site, "create", "--no-media")
    assert created.returncode == 0, created.stderr
    (sample_site / "wwwroot/css/site.css").write_text("changed\n", encoding="utf-8")
    state = files_below(sample_site / "uSync/restore")
    checked = cli(sample_site, "check", "latest", "--json")
    assert checked.returncode == 0, checked.stderr
    assert files_below(sample_site / "uSync/restore") == state
    readme = " ".join(README.read_text("utf-8").split())
    assert "12 the site or the inputs changed since the check" in readme
