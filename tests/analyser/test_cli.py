"""``publisher-restore analyse``: formats, semantics, exit codes, acknowledgements."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from publisher_restore.cli.main import main
from tests.analyser.corpus_cases import copy_usync, mark_deleted, type_file
from tests.conftest import CORPUS


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the console entry point; (exit code, stdout, stderr)."""
    code = 0
    try:
        main(["analyse", *args])
    except SystemExit as done:
        code = int(done.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def sides(tmp_path: Path) -> tuple[Path, Path]:
    """Two site roots copied from zmenu; the incoming one deletes language 'ru'."""
    copy_usync("zmenu", "v9", tmp_path / "current")
    incoming = copy_usync("zmenu", "v9", tmp_path / "incoming")
    mark_deleted(incoming / "Languages" / "ru.config")
    return tmp_path / "current" / "zmenu", tmp_path / "incoming" / "zmenu"


def test_text_report_and_fail_on(
    capsys: pytest.CaptureFixture[str], sides: tuple[Path, Path]
) -> None:
    current, incoming = sides
    code, out, _ = run(capsys, "--current", str(current), "--incoming", str(incoming))
    assert code == 0
    assert out.startswith("DAMAGING (1)")
    assert "DC301 ru" in out
    code, _, err = run(
        capsys, "--current", str(current), "--incoming", str(incoming), "--fail-on", "damaging"
    )
    assert code == 10
    assert "1 unacknowledged finding at or above damaging" in err


def test_json_and_sarif_formats(
    capsys: pytest.CaptureFixture[str], sides: tuple[Path, Path]
) -> None:
    current, incoming = sides
    _, out, _ = run(
        capsys, "--current", str(current), "--incoming", str(incoming), "--format", "json"
    )
    data = json.loads(out)
    assert [f["code"] for f in data["findings"]] == ["DC301"]
    assert data["findings"][0]["path"] == "uSync/v9/Languages/ru.config"
    _, out, _ = run(
        capsys, "--current", str(current), "--incoming", str(incoming), "--format", "sarif"
    )
    assert json.loads(out)["runs"][0]["results"][0]["ruleId"] == "DC301"


def test_suggested_acks_pasted_into_appsettings_stop_the_failure(
    capsys: pytest.CaptureFixture[str], sides: tuple[Path, Path]
) -> None:
    current, incoming = sides
    code, out, _ = run(
        capsys, "--current", str(current), "--incoming", str(incoming), "--suggest-acks"
    )
    block = json.loads(out)
    entry = block["uSync"]["Restore"]["Analyser"]["Acknowledge"][0]
    entry["Reason"] = "Russian site retired"
    (current / "appsettings.json").write_text(json.dumps(block), encoding="utf-8")
    code, out, _ = run(
        capsys, "--current", str(current), "--incoming", str(incoming), "--fail-on", "notice"
    )
    assert code == 0
    assert "acknowledged: Russian site retired" in out
    config = current.parent / "other.json"
    config.write_text(json.dumps({"uSync": {"Restore": {"Analyser": {"Disable": ["DC301"]}}}}))
    code, out, _ = run(
        capsys,
        "--current",
        str(current),
        "--incoming",
        str(incoming),
        "--config",
        str(config),
        "--fail-on",
        "notice",
    )
    assert (code, out.splitlines()[0]) == (
        0,
        "0 findings (0 damaging, 0 risky, 0 notice); "
        "0 acknowledged; 0 unreadable files; complete "
        "semantics.",
    )


def test_partial_switches_to_import_semantics(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    current = copy_usync("nearbeach", "v9", tmp_path / "a")
    incoming = copy_usync("nearbeach", "v9", tmp_path / "b")
    type_file(incoming, "home").unlink()
    _, out, _ = run(
        capsys, "--current", str(current), "--incoming", str(incoming), "--format", "json"
    )
    assert [f["code"] for f in json.loads(out)["findings"]] == ["DC102"]
    _, out, _ = run(
        capsys,
        "--current",
        str(current),
        "--incoming",
        str(incoming),
        "--format",
        "json",
        "--partial",
    )
    assert json.loads(out)["findings"] == []


def test_folders_of_every_kind_and_bad_xml(capsys: pytest.CaptureFixture[str]) -> None:
    site = CORPUS / "navsjon-sportfiske"
    for current, incoming in ((site, site / "uSync"), (site / "uSync" / "v9", site)):
        code, out, _ = run(
            capsys,
            "--current",
            str(current),
            "--incoming",
            str(incoming),
            "--format",
            "markdown",
            "--fail-on",
            "notice",
        )
        assert code == 0
        assert "### Unreadable files (2)" in out
        assert "`uSync/v9/Content/boka.config`" in out


def test_a_folder_without_usync_is_a_site_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--current", str(tmp_path), "--incoming", str(tmp_path))
    assert code == 3
    assert "no uSync folder" in err


def test_a_repository_root_finds_its_nested_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy_usync("j-indies", "v9", tmp_path / "repo" / "src")
    code, out, _ = run(
        capsys,
        "--current",
        str(tmp_path / "repo"),
        "--incoming",
        str(CORPUS / "j-indies"),
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(out)["findings"] == []
    copy_usync("j-indies", "v9", tmp_path / "repo" / "other")
    code, _, err = run(
        capsys, "--current", str(tmp_path / "repo"), "--incoming", str(CORPUS / "j-indies")
    )
    assert code == 3
    assert "several uSync folders" in err


def test_json_flag_is_the_json_format() -> None:
    from click.testing import CliRunner

    from publisher_restore.cli.main import cli
    from tests.conftest import SAMPLE_SITE

    site = str(SAMPLE_SITE)
    flag = CliRunner().invoke(cli, ["analyse", "--current", site, "--incoming", site, "--json"])
    fmt = CliRunner().invoke(
        cli, ["analyse", "--current", site, "--incoming", site, "--format", "json"]
    )
    assert flag.exit_code == 0, flag.output
    assert json.loads(flag.output) == json.loads(fmt.output)
