"""Run several ``publisher-restore`` command lines in this one process, each with its own
stdout and stderr captured at the file-descriptor level (so nothing printed can escape).

Reads a JSON list of argument lists on stdin; writes a JSON list of
``{"args", "exit_code", "stdout", "stderr"}`` on the original stdout.  Test helper only.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
import traceback
from collections.abc import Iterator
from typing import Any

from publisher_restore.cli.main import main


@contextlib.contextmanager
def _captured() -> Iterator[dict[str, str]]:
    """Point fds 1 and 2 at temp files for the block; the dict gets what was written."""
    captured: dict[str, str] = {}
    saved = {fd: os.dup(fd) for fd in (1, 2)}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        files = {1: out, 2: err}
        sys.stdout.flush()
        sys.stderr.flush()
        for fd, target in files.items():
            os.dup2(target.fileno(), fd)
        try:
            yield captured
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            for fd, original in saved.items():
                os.dup2(original, fd)
                os.close(original)
            for name, target in (("stdout", out), ("stderr", err)):
                target.seek(0)
                captured[name] = target.read().decode("utf-8", errors="replace")


def _run(args: list[str]) -> dict[str, Any]:
    code = 0
    with _captured() as captured:
        try:
            main(args)
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        except BaseException:  # as the interpreter would: a traceback and exit code 1
            traceback.print_exc()
            code = 1
    return {"args": args, "exit_code": code, **captured}


def run_batch() -> None:
    """Read the command lines, run each, print the results as JSON."""
    commands: list[list[str]] = json.load(sys.stdin)
    results = [_run(args) for args in commands]
    print(json.dumps(results))


if __name__ == "__main__":
    run_batch()
