"""scripts/setup.sh: pip runs once per change of what .venv is built from, and quietly."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOISE = "WARNING: Location 'file:///opt/pypi/simple/pip/' is ignored"

# A stand-in for .venv/bin/python: logs each call, prints pip-like noise, exits as told.
FAKE_PYTHON = f"""#!/usr/bin/env bash
echo "$*" >> "$(dirname "$0")/calls.log"
echo "{NOISE}" >&2
exit "${{FAKE_PIP_EXIT:-0}}"
"""


def fake_checkout(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    shutil.copy(REPO / "scripts" / "setup.sh", repo / "scripts" / "setup.sh")
    (repo / "plugins" / "azure-blob").mkdir(parents=True)
    (repo / "pyproject.toml").write_text('[project]\nname = "a"\n')
    (repo / "plugins" / "azure-blob" / "pyproject.toml").write_text('[project]\nname = "b"\n')
    python = repo / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    return repo


def setup(repo: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(repo / "scripts" / "setup.sh")],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
    )


def pip_calls(repo: Path) -> list[str]:
    log = repo / ".venv" / "bin" / "calls.log"
    return log.read_text().splitlines() if log.exists() else []


def test_pip_runs_once_then_only_when_a_pyproject_changes(tmp_path: Path) -> None:
    repo = fake_checkout(tmp_path)
    first = setup(repo)
    assert first.returncode == 0, first.stderr
    assert [call.split()[:3] for call in pip_calls(repo)] == [
        ["-m", "pip", "install"], ["-m", "pip", "install"]
    ]  # fmt: skip
    assert first.stdout == "" and NOISE not in first.stderr
    assert first.stderr.startswith("setup: installing")

    again = setup(repo)
    assert again.returncode == 0 and again.stdout == again.stderr == ""
    assert len(pip_calls(repo)) == 2

    (repo / "plugins" / "azure-blob" / "pyproject.toml").write_text('[project]\nname = "c"\n')
    assert setup(repo).returncode == 0
    assert len(pip_calls(repo)) == 4


def test_a_failing_pip_shows_everything_and_is_retried(tmp_path: Path) -> None:
    repo = fake_checkout(tmp_path)
    failed = setup(repo, FAKE_PIP_EXIT="1")
    assert failed.returncode == 1
    assert NOISE in failed.stderr and "setup: pip install failed" in failed.stderr
    assert setup(repo).returncode == 0
    assert len(pip_calls(repo)) == 3
