"""Every CLI command run for real, and the check that no planted secret is printed.

For a provider's or a setting's tests: plant distinct secrets in a site's configuration,
run every command, then assert that no secret (nor a long piece of one) appears in any
command's stdout or stderr::

    printed = run_every_command(site, tmp_path)
    assert not leaks(printed, ["PLANTED-SECRET-1", ...])

``run_every_command`` runs each command as its own process.  ``run_in_one_process`` runs
them all through the same console entry point, one after another in one fresh process,
capturing each command's file descriptors 1 and 2: the same output for a fraction of the
start-up cost, for configurations that fail every command the same way.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

# Every command, in an order that works on a fresh site (create first, delete last).
SITE_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("create", "--no-media", "--note", "secrets check"),
    ("list",),
    ("show", "latest"),
    ("check", "latest"),
    ("restore", "latest", "--yes"),
    ("recover",),
    ("verify", "--all"),
    ("pin", "latest"),
    ("prune", "--dry-run"),
    ("delete", "latest", "--yes"),
)


@dataclass(frozen=True)
class Printed:
    """What one command printed, and how it exited."""

    args: tuple[str, ...]
    exit_code: int
    stdout: str
    stderr: str

    @property
    def text(self) -> str:
        return self.stdout + self.stderr


def every_command(site: Path, scratch: Path, *, as_json: bool = False) -> list[tuple[str, ...]]:
    """The argument lists of every command on ``site`` (``demo`` copies it into ``scratch``)."""
    flag = ("--json",) if as_json else ()
    commands = [("--site", str(site), *command, *flag) for command in SITE_COMMANDS]
    analyse = ("analyse", "--current", str(site), "--incoming", str(site))
    commands.append(("--site", str(site), *analyse, *flag))
    commands.append(("demo", "--source", str(site), "--into", str(scratch / "demo-copy"), *flag))
    return commands


def run_cli(args: Sequence[str], env: Mapping[str, str] | None = None) -> Printed:
    """One ``publisher-restore`` process, off a terminal."""
    done = subprocess.run(
        [sys.executable, "-m", "publisher_restore", *args],
        capture_output=True,
        text=True,
        timeout=180,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
        check=False,
    )
    return Printed(tuple(args), done.returncode, done.stdout, done.stderr)


def run_every_command(
    site: Path,
    scratch: Path,
    *,
    as_json: bool = False,
    env: Mapping[str, str] | None = None,
    in_order: bool = False,
) -> list[Printed]:
    """Run every command; ``in_order`` one after another (each sees the last one's points),
    else side by side (for a configuration that fails every command the same way)."""
    commands = every_command(site, scratch, as_json=as_json)
    if in_order:
        return [run_cli(args, env) for args in commands]
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda args: run_cli(args, env), commands))


def run_in_one_process(
    site: Path,
    scratch: Path,
    *,
    as_json: bool = False,
    env: Mapping[str, str] | None = None,
) -> list[Printed]:
    """Every command through ``publisher-restore``'s entry point in one fresh process."""
    commands = every_command(site, scratch, as_json=as_json)
    done = subprocess.run(
        [sys.executable, "-m", "publisher_restore.testing.cli_batch"],
        input=json.dumps(commands),
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
        check=True,
    )
    return [Printed(tuple(r["args"]), r["exit_code"], r["stdout"], r["stderr"])
            for r in json.loads(done.stdout)]  # fmt: skip


def leaks(printed: Iterable[Printed], secrets: Iterable[str]) -> list[str]:
    """``command: secret`` for each secret, or a 12-character piece of it, found in output."""
    found = []
    for run in printed:
        for secret in secrets:
            pieces = {secret, secret[:12], secret[-12:]}
            if any(piece in run.text for piece in pieces):
                found.append(f"{' '.join(run.args)}: {secret}")
    return found
