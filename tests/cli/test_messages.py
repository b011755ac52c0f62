"""What the CLI says: one-line errors, Ctrl-C, plurals, units, timestamps, the list table."""

from __future__ import annotations

import contextlib
import json
import os
import pty
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from rich.progress import DownloadColumn
from rich.progress import Progress as RichBar

from publisher_restore.cli.output import bar_columns, human_size, plural
from publisher_restore.restore.journal import WorkArea
from publisher_restore.service import RestoreService
from tests.cli.test_cli import cli

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def on_a_terminal(site: Path, *args: str, answer: str = "", env: dict[str, str] | None = None
                  ) -> tuple[int, str, str]:  # fmt: skip
    """Run with stdin and stderr on a terminal (bars and prompts on), stdout captured."""
    master, slave = pty.openpty()
    ran = subprocess.Popen(
        [sys.executable, "-m", "publisher_restore", "--site", str(site), *args],
        stdin=slave,
        stderr=slave,
        stdout=subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )
    os.close(slave)
    if answer:
        os.write(master, answer.encode() + b"\n")
    stdout, _ = ran.communicate(timeout=120)
    terminal = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        terminal += chunk
    os.close(master)
    return ran.returncode, stdout.decode(), terminal.decode(errors="replace")


def screen_lines(terminal: str) -> list[str]:
    """The terminal's lines as a person reads them: colours gone, each line's last redraw."""
    lines = []
    for raw in ANSI.sub("", terminal).split("\n"):
        lines.append(raw.rstrip("\r").split("\r")[-1])
    return lines


def test_usage_errors_are_one_line_naming_the_help(sample_site: Path) -> None:
    for args, help_of in ((["list", "--bogus"], "list"), (["show"], "show"), (["nope"], "")):
        done = cli(sample_site, *args)
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: "), done.stderr
        assert f"see 'publisher-restore {help_of}".replace("  ", " ") in done.stderr


def test_site_after_the_command_is_explained(sample_site: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "publisher_restore", "list", "--site", str(sample_site)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr == (
        "error: --site is a global option: put it before the command, as in "
        "'publisher-restore --site DIR list ...'\n"
    )


def test_ctrl_c_during_a_restore_says_how_to_finish_it(sample_site: Path) -> None:
    service = RestoreService.open(sample_site)
    point = service.create(include_media=False)
    (sample_site / "wwwroot/css/site.css").write_text("changed")
    (sample_site / "Views/master.cshtml").unlink()

    code, stdout, terminal = on_a_terminal(
        sample_site,
        "restore",
        point.id,
        "--yes",
        env={"PUBLISHER_RESTORE_CRASH_AT": "apply-op:2:INT"},
    )
    assert code == 130 and stdout == ""
    [said] = [line for line in screen_lines(terminal) if "interrupted" in line]
    assert said == (
        f"interrupted: the restore of {point.id} stopped part-way; run 'publisher-restore "
        "recover' to finish it, or 'publisher-restore recover --rollback' to put the site back "
        "as it was"
    )
    assert "Traceback" not in terminal and "aborted" not in terminal
    assert WorkArea(service.site.restore_dir / ".state").exists()
    assert cli(sample_site, "recover").returncode == 0
    assert (sample_site / "Views/master.cshtml").exists()


def test_ctrl_c_during_a_create_leaves_no_point(sample_site: Path) -> None:
    code, stdout, terminal = on_a_terminal(
        sample_site,
        "create",
        "--no-media",
        env={"PUBLISHER_RESTORE_CRASH_AT": "create-archived:1:INT"},
    )
    assert code == 130 and stdout == ""
    assert "interrupted: no restore is left half-done" in screen_lines(terminal)[-2]
    assert RestoreService.open(sample_site).points() == []


def test_declining_a_confirmation_is_cancelled(sample_site: Path) -> None:
    point = RestoreService.open(sample_site).create()
    code, _, terminal = on_a_terminal(sample_site, "delete", point.id, answer="n")
    assert code == 9
    assert terminal.endswith("error: cancelled; nothing was changed\r\n")
    assert [p.id for p in RestoreService.open(sample_site).points()] == [point.id]


def test_counts_are_singular_for_one(sample_site: Path) -> None:
    RestoreService.open(sample_site).create()
    (sample_site / "wwwroot/css/site.css").write_text("changed")
    check = cli(sample_site, "check", "latest").stdout
    assert "would change 1 item or file: 0 created, 1 updated, 0 deleted (1 file written, " in check
    restored = cli(sample_site, "restore", "latest", "--yes").stdout
    assert re.search(r"Restored \S+: 1 file written, 0 removed\.", restored), restored
    assert cli(sample_site, "prune", "--dry-run").stdout.endswith(
        "Would delete 0 restore points.\n"
    )
    assert (plural(1, "file"), plural(0, "file"), plural(2, "entry", "entries")) == (
        "1 file", "0 files", "2 entries"
    )  # fmt: skip


def test_sizes_are_decimal_in_lines_and_bars_alike() -> None:
    size = 1_891_660_208
    assert human_size(size) == "1.9 GB"
    assert (human_size(999), human_size(1000), human_size(1)) == ("999 bytes", "1.0 kB", "1 byte")
    bar = RichBar(*bar_columns("archive", size))
    bar.add_task("archive", total=size, completed=size, files="")
    [task] = bar.tasks
    [column] = [c for c in bar.columns if isinstance(c, DownloadColumn)]
    assert str(column.render(task)) == "1.9/1.9 GB"


def test_list_has_headers_and_json_times_match_show(sample_site: Path) -> None:
    point = RestoreService.open(sample_site).create(note="first")
    lines = cli(sample_site, "list").stdout.splitlines()
    assert lines[0].split() == [
        "ID",
        "CREATED",
        "(UTC)",
        "REASON",
        "FILES",
        "SIZE",
        "ADDED",
        "FLAGS",
        "NOTE",
    ]
    assert lines[1].startswith(point.id) and lines[1].endswith("first")
    added_end = lines[0].index("ADDED") + len("ADDED")
    assert lines[1][:added_end].endswith(human_size(point.added_bytes)) and point.added_bytes > 0
    # Look for the count after the id: a random id may hold the same digits.
    files_at = lines[1].index(f" {point.file_count} ", len(point.id))
    assert lines[0].index("FILES") < files_at + 3
    listed = json.loads(cli(sample_site, "list", "--json").stdout)[0]["created"]
    shown = json.loads(cli(sample_site, "show", point.id, "--json").stdout)["created"]
    assert listed == shown and shown.endswith("Z") and "+00:00" not in shown


def test_list_says_an_unchanged_second_point_added_nothing(sample_site: Path) -> None:
    RestoreService.open(sample_site).create(note="first")
    RestoreService.open(sample_site).create(note="again")
    lines = cli(sample_site, "list").stdout.splitlines()
    added_end = lines[0].index("ADDED") + len("ADDED")
    assert lines[1].endswith("again") and lines[1][:added_end].endswith(" 0 bytes")
    assert not lines[2][:added_end].endswith(" 0 bytes")


def test_no_media_question_without_a_media_folder(sample_site: Path) -> None:
    shutil.rmtree(sample_site / "wwwroot/media")
    code, stdout, terminal = on_a_terminal(sample_site, "create")
    assert code == 0 and stdout.startswith("Created restore point")
    assert "Include media files?" not in terminal
    assert "Not asking about media: this site has no wwwroot/media folder." in terminal


def wait_until_reading_the_terminal(pid: int) -> None:
    """A person presses Ctrl-C once the prompt waits; a signal sent between the prompt's
    write and the read that follows it would be noted but not interrupt that read."""
    wchan = Path(f"/proc/{pid}/wchan")
    deadline = time.monotonic() + 30
    while wchan.read_text() != "wait_woken" and time.monotonic() < deadline:
        time.sleep(0.01)


def test_ctrl_c_at_a_prompt_ends_the_prompt_line(sample_site: Path) -> None:
    RestoreService.open(sample_site).create()
    (sample_site / "wwwroot/css/site.css").write_text("changed")
    master, slave = pty.openpty()
    ran = subprocess.Popen(
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
    terminal = b""
    while b"over the site?" not in terminal:
        terminal += os.read(master, 65536)
    wait_until_reading_the_terminal(ran.pid)
    ran.send_signal(signal.SIGINT)
    assert ran.wait(timeout=60) == 130
    with contextlib.suppress(OSError):
        while chunk := os.read(master, 65536):
            terminal += chunk
    os.close(master)
    lines = screen_lines(terminal.decode())
    assert "interrupted: no restore is left half-done" in lines[-2]
    assert lines[-3].endswith("[y/N]: ")
    assert (sample_site / "wwwroot/css/site.css").read_text() == "changed"
