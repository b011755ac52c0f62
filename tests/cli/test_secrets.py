"""No secret planted in a site's configuration reaches any command's output.

Each case sets every secret below in the site's settings (and the environment) and makes a
different key the first bad one, so each configuration error path is taken once; every
command then runs through the real entry point in a fresh process, and its stdout and stderr
are searched for every secret.  The Azure options' paths are in
plugins/azure-blob/tests_azure/test_azure_secrets.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from publisher_restore.testing.cli_secrets import leaks, run_every_command, run_in_one_process

SECRETS = {
    "media": "planted-media-Pa55word-0001",
    "retention": "planted-retention-Pa55word-0002",
    "include": "planted-include-AccountKey-0003",
    "provider_key": "planted-provider-key-Pa55word-0004",
    "storage": "planted-storage-AccountKey-0005",
    "json": "planted-json-AccountKey-0006",
    "environment": "planted-env-Pa55word-0007",
}


def restore_section(first_bad: str) -> dict[str, Any]:
    """Every secret planted; only ``first_bad`` breaks, the others sit in valid places."""
    section: dict[str, Any] = {
        "IncludeMedia": "false",
        "Retention": {"KeepLast": 5},
        "Include": ["wwwroot/fonts/**"],
        "Storage": {"Local": {"Password": f"Password={SECRETS['storage']}"}},
        "Analyser": {"Token": SECRETS["json"]},
        "Extra": {"ConnectionString": f"Server=x;Password={SECRETS['provider_key']}"},
    }
    if first_bad == "media":
        section["IncludeMedia"] = f"Server=db;Password={SECRETS['media']}"
    elif first_bad == "include":
        section["Include"] = [f"/srv/AccountKey={SECRETS['include']}"]
    elif first_bad == "provider_key":
        # A connection string pasted as a second key beside the provider.
        section["Storage"] = {
            "Local": {"x": 1},
            f"Server=db;User Id=sa;Password={SECRETS['provider_key']};": {"x": 1},
        }
    elif first_bad == "retention":
        section["Retention"] = {"KeepLast": f"https://admin:{SECRETS['retention']}@example.org"}
    return section


@pytest.mark.parametrize("first_bad", ["media", "include", "provider_key", "retention", "json"])
def test_no_command_prints_a_planted_secret(
    sample_site: Path, tmp_path: Path, first_bad: str
) -> None:
    settings = {"uSync": {"Restore": restore_section(first_bad)}}
    text = json.dumps(settings, indent=2)
    if first_bad == "json":
        # A syntax error right after a secret: the parser's message must not quote it.
        text = text.replace(f'"{SECRETS["json"]}"', f'"AccountKey={SECRETS["json"]}" oops')
    (sample_site / "appsettings.json").write_text(text, encoding="utf-8")
    # The environment layer is read last, so its bad value never comes first: it is only
    # planted, and must stay hidden too.
    env = {"uSync__Restore__Retention__KeepDays": f"Pwd={SECRETS['environment']}"}

    printed = run_in_one_process(sample_site, tmp_path, env=env)

    assert not leaks(printed, SECRETS.values())
    for run in printed:
        assert run.exit_code == 3, f"{run.args}: {run.exit_code} {run.stderr}"
        assert run.stderr.startswith("error: ") and run.stderr.count("\n") == 1, run.stderr
    assert "appsettings.json" in printed[0].stderr


def test_a_secret_in_an_environment_variable_is_not_printed(
    sample_site: Path, tmp_path: Path
) -> None:
    secret = SECRETS["environment"]
    env = {"uSync__Restore__Retention__KeepDays": f"https://u:{secret}@example.org"}
    printed = run_in_one_process(sample_site, tmp_path, env=env)
    assert not leaks(printed, [secret])
    assert all(run.exit_code == 3 for run in printed)
    assert "environment variable uSync__Restore__Retention__KeepDays" in printed[0].stderr
    assert "https://***@example.org" in printed[0].stderr


def test_one_process_prints_what_one_process_per_command_prints(
    sample_site: Path, tmp_path: Path
) -> None:
    """The runner above is faithful: each command's output and exit code are the same as
    when it runs as its own process."""
    settings = {"uSync": {"Restore": restore_section("media")}}
    (sample_site / "appsettings.json").write_text(json.dumps(settings), encoding="utf-8")
    together = run_in_one_process(sample_site, tmp_path)
    shutil.rmtree(tmp_path / "demo-copy")
    apart = run_every_command(sample_site, tmp_path)
    assert [(r.args, r.exit_code, r.stdout, r.stderr) for r in together] == [
        (r.args, r.exit_code, r.stdout, r.stderr) for r in apart
    ]
