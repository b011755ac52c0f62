"""What the CLI says about the site: skipped links, the restore folder in git and on the web."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.cli.test_cli import cli


def test_create_names_each_skipped_link_and_keeps_it_in_the_manifest(
    sample_site: Path, tmp_path: Path
) -> None:
    (tmp_path / "outside.cshtml").write_text("outside the site")
    os.symlink(tmp_path / "outside.cshtml", sample_site / "Views" / "linked.cshtml")
    created = cli(sample_site, "create", "--no-media")
    assert created.returncode == 0, created.stderr
    assert created.stderr == (
        "  skipped: Views/linked.cshtml: a symbolic link: links are never followed (a restore "
        "would write through them), so it is not in the restore point\n"
    )
    shown = json.loads(cli(sample_site, "show", "latest", "--json").stdout)
    assert [entry["path"] for entry in shown["skipped"]] == ["Views/linked.cshtml"]
    assert "Views/linked.cshtml" not in {record["path"] for record in shown["files"]}
    assert "skipped: Views/linked.cshtml" in cli(sample_site, "show", "latest").stdout


def test_git_leaves_the_restore_folder_out(sample_site: Path) -> None:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(sample_site), *args], check=True, capture_output=True, text=True
        ).stdout

    git("init", "-q")
    assert cli(sample_site, "create", "--no-media").returncode == 0
    untracked = git("status", "--porcelain", "--untracked-files=all").splitlines()
    assert any("uSync/v9/" in line for line in untracked)
    assert not [line for line in untracked if "uSync/restore" in line]


def test_a_web_served_restore_folder_is_warned_about_by_every_command(sample_site: Path) -> None:
    settings = {"uSync": {"Restore": {"Folder": "wwwroot/restore"}}}
    (sample_site / "appsettings.json").write_text(json.dumps(settings))
    for args in (("create", "--no-media", "--json"), ("list",)):
        done = cli(sample_site, *args)
        assert done.returncode == 0, done.stderr
        assert done.stderr.startswith(
            f"warning: the restore folder {sample_site.resolve()}/wwwroot/restore is inside "
            "wwwroot, which the web server serves"
        )
