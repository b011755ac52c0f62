"""The prompt at a terminal (a real pty): typed answers, and an answer from the dashboard.

While ``push`` waits at the terminal, the operation sits in the target's pending-plan
store, where the target's dashboard lists it; an answer given there lets the waiting push
continue, as one typed at the terminal does.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import time
from pathlib import Path

from publisher_restore.operations.decisions import Choice, Decision
from publisher_restore.operations.pending import PendingPlans
from tests.cli.test_plan_outdated import read_until
from tests.publisher.sites import ARTICLE_CONTROLS, remove_property, restore_points, site_pair

PROMPT = b"(or answer in the target's dashboard) > "


def start_push(source: Path, target: Path) -> tuple[subprocess.Popen[bytes], int]:
    master, slave = pty.openpty()
    args = ["--site", str(source), "push", "--to", str(target)]
    process = subprocess.Popen(
        [sys.executable, "-m", "publisher_restore", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        close_fds=True,
    )
    os.close(slave)
    return process, master


def finish(process: subprocess.Popen[bytes], master: int) -> bytes:
    output = b""
    deadline = time.monotonic() + 60
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
        assert time.monotonic() < deadline
    process.wait(timeout=60)
    os.close(master)
    return output


def test_an_answer_typed_at_the_terminal_continues_without_a_restore_point(
    tmp_path: Path,
) -> None:
    source, target = site_pair(tmp_path)
    remove_property(source, ARTICLE_CONTROLS, "articleDate")
    process, master = start_push(source, target)
    shown = read_until(master, PROMPT)
    assert b"[damaging] DC101" in shown and b"[c] continue without a restore point" in shown

    os.write(master, b"c\n")
    output = finish(process, master)

    assert process.returncode == 0, output.decode()
    assert b"Pushed site source" in output
    assert restore_points(target) == []
    assert (target / ARTICLE_CONTROLS).read_bytes() == (source / ARTICLE_CONTROLS).read_bytes()


def test_a_prompt_answered_in_the_dashboard_lets_the_push_waiting_at_the_terminal_continue(
    tmp_path: Path,
) -> None:
    source, target = site_pair(tmp_path)
    remove_property(source, ARTICLE_CONTROLS, "articleDate")
    process, master = start_push(source, target)
    read_until(master, PROMPT)
    pending = PendingPlans(target / "uSync" / "restore" / ".state")
    [waiting] = pending.listing().waiting
    assert waiting.request.findings[0].code == "DC101"

    answer = Decision(choice=Choice.RESTORE_POINT, decided_by="admin@dashboard")
    pending.answer(waiting.id, answer)
    output = finish(process, master)

    assert process.returncode == 0, output.decode()
    assert b"answered elsewhere by admin@dashboard: restore-point" in output
    [point] = restore_points(target)
    assert point.encode() in output
    assert pending.listing().waiting == []
