"""The CLI's contracts: JSON shapes, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

from publisher_restore.service import RestoreService
from tests.restore.helpers import damage


def cli(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "publisher_restore", "--site", str(site), *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_create_and_list_json(sample_site: Path) -> None:
    created = cli(sample_site, "create", "--no-media", "--note", "first", "--json")
    assert created.returncode == 0, created.stderr
    point = json.loads(created.stdout)
    listed = json.loads(cli(sample_site, "list", "--json").stdout)
    assert [p["id"] for p in listed] == [point["id"]]
    entry = listed[0]
    for field in ("id", "created", "reason", "note", "includes_media", "size_bytes", "file_count"):
        assert field in entry
    assert entry["reason"] == "manual" and entry["note"] == "first"
    assert entry["includes_media"] is False and entry["file_count"] > 20
    objects = (sample_site / "uSync/restore/objects").rglob("*")
    assert entry["size_bytes"] == sum(p.stat().st_size for p in objects if p.is_file())


def test_check_json_shape(sample_site: Path) -> None:
    service = RestoreService.open(sample_site)
    point = service.create()
    done = damage(service)
    text = cli(sample_site, "check", "latest", "--json").stdout
    report = json.loads(text)
    assert set(report) >= {"summary", "changes", "findings"}
    whole = service.check(point.id).report() | {"archive_verified": False}
    assert text == json.dumps(whole, indent=2, default=str, ensure_ascii=False) + "\n"
    assert len(report["changes"]) > 1  # written change by change, the same document
    assert report["summary"]["restore_point"] == point.id
    changes = {c["path"]: c for c in report["changes"]}
    item = changes[done["content_type"]]
    assert item["change"] == "update" and item["item_type"] == "ContentType"
    assert item["key"] and item["alias"]
    assert any(d["path"].endswith("/Mandatory") for d in item["details"])
    assert changes[done["view"]]["change"] == "create"


def test_errors_are_one_line_with_documented_codes(sample_site: Path, tmp_path: Path) -> None:
    missing = cli(sample_site, "show", "20990101T000000000Z-abcdef")
    assert missing.returncode == 8
    assert missing.stderr.count("\n") == 1 and "Traceback" not in missing.stderr
    no_site = cli(tmp_path / "nowhere", "list")
    assert no_site.returncode == 3 and "Traceback" not in no_site.stderr
    assert cli(sample_site, "check", "latest").returncode == 8


def test_restore_off_a_terminal_needs_yes(sample_site: Path) -> None:
    service = RestoreService.open(sample_site)
    service.create()
    damage(service)
    refused = cli(sample_site, "restore", "latest")
    assert refused.returncode == 9 and "--yes" in refused.stderr
    done = cli(sample_site, "restore", "latest", "--yes", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["pre_restore_point"] and result["written"] == 3 and result["deleted"] == 1


def test_demo_runs_end_to_end(tmp_path: Path) -> None:
    ran = subprocess.run(
        [
            sys.executable,
            "-m",
            "publisher_restore",
            "demo",
            "--into",
            str(tmp_path / "d"),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stderr
    report = json.loads(ran.stdout)
    assert report["identical"] is True
    assert report["check"]["summary"]["changes"] == 4
    [finding] = report["analysis"]["findings"]
    assert finding["code"] == "DC101" and finding["property_alias"] == "excerpt"
    assert finding["impact"]["values"] == 5 and finding["impact"]["items"] == 3


def test_a_damaged_manifest_hides_no_other_point(sample_site: Path) -> None:
    service = RestoreService.open(sample_site)
    kept = service.create(note="kept")
    broken = service.create(note="broken")
    manifest = sample_site / "uSync/restore/points" / broken.id / "manifest.v2"
    manifest.chmod(0o644)
    manifest.write_text('{"id": ')

    listed = cli(sample_site, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [p["id"] for p in json.loads(listed.stdout)] == [kept.id]
    assert broken.id in listed.stderr and listed.stderr.count("\n") == 1
    assert service.get("latest").id == kept.id

    verified = cli(sample_site, "verify", "--all", "--json")
    assert verified.returncode == 5
    results = {r["id"]: r["ok"] for r in json.loads(verified.stdout)}
    assert results == {kept.id: True, broken.id: False}

    deleted = cli(sample_site, "delete", broken.id, "--yes", "--json")
    assert deleted.returncode == 0, deleted.stderr
    assert json.loads(deleted.stdout) == {"deleted": broken.id}
    assert not (sample_site / "uSync/restore/points" / broken.id).exists()
    assert cli(sample_site, "verify", "--all").returncode == 0


def on_a_terminal(site: Path, answer: str, *args: str) -> tuple[int, str, str]:
    """Run with stdin and stderr on a terminal (answer typed ahead), stdout captured."""
    master, slave = pty.openpty()
    ran = subprocess.Popen(
        [sys.executable, "-m", "publisher_restore", "--site", str(site), *args],
        stdin=slave,
        stderr=slave,
        stdout=subprocess.PIPE,
    )
    os.close(slave)
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


def test_prompts_go_to_the_terminal_never_to_stdout(sample_site: Path) -> None:
    code, stdout, terminal = on_a_terminal(sample_site, "y", "create")
    assert code == 0 and "Include media files?" in terminal
    assert stdout.startswith("Created restore point") and "(with media)" in stdout
    (sample_site / "wwwroot/css/site.css").write_text("changed")

    code, stdout, terminal = on_a_terminal(sample_site, "y", "restore", "latest", "--json")
    assert code == 0 and "over the site?" in terminal
    assert json.loads(stdout)["written"] == 1


def test_delete_off_a_terminal_needs_yes(sample_site: Path) -> None:
    point = RestoreService.open(sample_site).create()
    refused = cli(sample_site, "delete", point.id)
    assert refused.returncode == 9 and "--yes" in refused.stderr
    assert [p.id for p in RestoreService.open(sample_site).points()] == [point.id]
    assert cli(sample_site, "delete", point.id, "--yes").returncode == 0
    assert RestoreService.open(sample_site).points() == []
