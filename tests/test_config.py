"""Settings from appsettings*.json and environment variables, layered as .NET layers them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from publisher_restore.config import (
    RestoreSettings,
    StorageSettings,
    environment_name,
    load_settings,
    redact,
)
from publisher_restore.config.patterns import PathMatcher
from publisher_restore.config.redact import redact_text, shown_key
from publisher_restore.config.values import Where
from publisher_restore.errors import ConfigError

SECRET = "c2VjcmV0LWtleS1kby1ub3QtcHJpbnQ="
CONNECTION = f"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={SECRET};"


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.write_text(text, encoding="utf-8")
    return path


def write_restore(root: Path, section: object, name: str = "appsettings.json") -> Path:
    """Write a settings file whose uSync:Restore section is ``section``."""
    return write(root, name, json.dumps({"uSync": {"Restore": section}}))


def test_defaults_when_no_settings_file(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, environ={})
    assert settings == RestoreSettings()
    assert settings.folder == "uSync/restore"
    assert settings.include_media is False
    assert settings.storage.provider == "Local"
    assert settings.sources == []


def test_comments_trailing_commas_and_bom(tmp_path: Path) -> None:
    text = """{
      // the restore section
      "uSync": { /* inline */ "Restore": { "Folder": "App_Data/points", "Include": ["a/**",], }, },
    }"""
    (tmp_path / "appsettings.json").write_bytes(b"\xef\xbb\xbf" + text.encode())
    settings = load_settings(tmp_path, environ={})
    assert settings.folder == "App_Data/points"
    assert settings.include == ["a/**"]
    assert settings.sources == [str(tmp_path / "appsettings.json")]


def test_layers_base_then_environment_file_then_variables(tmp_path: Path) -> None:
    base = {"Folder": "base/folder", "IncludeMedia": False, "Include": ["one", "two"],
            "Retention": {"KeepLast": 3, "KeepDays": 7}}  # fmt: skip
    write_restore(tmp_path, base)
    staging = {"IncludeMedia": True, "Include": ["uno"], "Retention": {"KeepLast": 9}}
    write_restore(tmp_path, staging, "appsettings.Staging.json")
    environ = {"DOTNET_ENVIRONMENT": "Staging", "uSync__Restore__Folder": "from/env"}
    settings = load_settings(tmp_path, environ=environ)
    assert settings.folder == "from/env"
    assert settings.include_media is True
    # .NET merges arrays index by index: the environment file replaces only item 0.
    assert settings.include == ["uno", "two"]
    assert (settings.retention.keep_last, settings.retention.keep_days) == (9, 7)
    assert settings.sources == [
        str(tmp_path / "appsettings.json"),
        str(tmp_path / "appsettings.Staging.json"),
        "environment variable uSync__Restore__Folder",
    ]


def test_environment_name_precedence() -> None:
    assert environment_name({}) == "Production"
    assert environment_name({"DOTNET_ENVIRONMENT": "Staging"}) == "Staging"
    both = {"DOTNET_ENVIRONMENT": "Staging", "ASPNETCORE_ENVIRONMENT": "Development"}
    assert environment_name(both) == "Development"
    assert environment_name({"ASPNETCORE_ENVIRONMENT": " ", "DOTNET_ENVIRONMENT": "Qa"}) == "Qa"
    with pytest.raises(ConfigError, match="ASPNETCORE_ENVIRONMENT"):
        environment_name({"ASPNETCORE_ENVIRONMENT": "../../etc/x"})


def test_production_file_read_when_no_environment_set(tmp_path: Path) -> None:
    write(tmp_path, "appsettings.Production.json", '{"uSync": {"Restore": {"Folder": "prod"}}}')
    write(tmp_path, "appsettings.Development.json", '{"uSync": {"Restore": {"Folder": "dev"}}}')
    assert load_settings(tmp_path, environ={}).folder == "prod"
    assert load_settings(tmp_path, {"ASPNETCORE_ENVIRONMENT": "Development"}).folder == "dev"


def test_keys_are_case_insensitive_across_layers(tmp_path: Path) -> None:
    section = {"includemedia": "True", "usyncFOLDER": "uSync/v16/",
               "STORAGE": {"Azure": {"ContainerName": "c"}}}  # fmt: skip
    write(tmp_path, "appsettings.json", json.dumps({"USYNC": {"restore": section}}))
    environ = {"usync__RESTORE__storage__AZURE__containername": "override"}
    settings = load_settings(tmp_path, environ=environ)
    assert settings.include_media is True
    assert settings.usync_folder == "uSync/v16"
    # The first writer's spelling of a key is kept; the last writer's value wins.
    assert settings.storage.options == {"ContainerName": "override"}


def test_json_key_with_colon_is_a_path(tmp_path: Path) -> None:
    write(tmp_path, "appsettings.json", '{"uSync:Restore": {"Folder": "colon"}}')
    assert load_settings(tmp_path, environ={}).folder == "colon"


def test_host_prefixed_variables_are_below_the_files(tmp_path: Path) -> None:
    write(tmp_path, "appsettings.json", '{"uSync": {"Restore": {"Folder": "file"}}}')
    environ = {"DOTNET_uSync__Restore__Folder": "host", "ASPNETCORE_uSync__Restore__KeepX": "1"}
    settings = load_settings(tmp_path, environ=environ)
    assert settings.folder == "file"
    assert settings.extra == {"KeepX": "1"}
    assert load_settings(tmp_path / "none", environ=environ).folder == "host"


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("True", True), (" FALSE ", False), (True, True)]
)
def test_dotnet_bool_strings(tmp_path: Path, raw: object, expected: bool) -> None:
    write_restore(tmp_path, {"IncludeMedia": raw})
    assert load_settings(tmp_path, environ={}).include_media is expected


def test_bad_value_names_key_and_file(tmp_path: Path) -> None:
    path = write(tmp_path, "appsettings.json", '{"uSync": {"Restore": {"IncludeMedia": "yes"}}}')
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, environ={})
    message = str(caught.value)
    assert "uSync:Restore:IncludeMedia" in message
    assert str(path) in message
    assert "expected true or false" in message
    assert "'yes'" in message


def test_bad_value_from_environment_names_the_variable(tmp_path: Path) -> None:
    environ = {"uSync__Restore__Retention__KeepLast": "-2"}
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, environ=environ)
    message = str(caught.value)
    assert "uSync:Restore:Retention:KeepLast" in message
    assert "environment variable uSync__Restore__Retention__KeepLast" in message
    assert "negative" in message


@pytest.mark.parametrize("value", [2.5, "ten", True, [1]])
def test_retention_rejects_non_counts(tmp_path: Path, value: object) -> None:
    write_restore(tmp_path, {"Retention": {"KeepDays": value}})
    with pytest.raises(ConfigError, match="uSync:Restore:Retention:KeepDays"):
        load_settings(tmp_path, environ={})


def test_retention_accepts_numeric_strings_and_null(tmp_path: Path) -> None:
    write_restore(tmp_path, {"Retention": {"KeepLast": "5", "KeepDays": None}})
    retention = load_settings(tmp_path, environ={}).retention
    assert (retention.keep_last, retention.keep_days) == (5, None)


def test_json_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    text = '{\n  "uSync": {\n    "Restore": { "Folder": x }\n  }\n}'
    path = write(tmp_path, "appsettings.json", text)
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, environ={})
    assert str(caught.value).startswith(f"{path}:3")
    assert "invalid JSON" in str(caught.value)


def test_duplicate_keys_differing_in_case_are_rejected(tmp_path: Path) -> None:
    write(tmp_path, "appsettings.json", '{"uSync": {"Restore": {"Folder": "a", "folder": "b"}}}')
    with pytest.raises(ConfigError, match="duplicate key 'folder'"):
        load_settings(tmp_path, environ={})


@pytest.mark.parametrize("text", ["[1, 2]", '"text"'])
def test_top_level_must_be_an_object(tmp_path: Path, text: str) -> None:
    write(tmp_path, "appsettings.json", text)
    with pytest.raises(ConfigError, match="top level must be a JSON object"):
        load_settings(tmp_path, environ={})


def test_section_that_is_not_an_object(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="uSync:Restore in environment variable uSync__Restore"):
        load_settings(tmp_path, environ={"uSync__Restore": "on"})


def test_paths_are_normalised_and_patterns_checked(tmp_path: Path) -> None:
    write_restore(tmp_path, {"Folder": "~/App_Data\\restore\\", "Exclude": "Views\\old/**"})
    settings = load_settings(tmp_path, environ={})
    assert settings.folder == "App_Data/restore"
    assert settings.exclude == ["Views/old/**"]
    write(tmp_path, "appsettings.json", '{"uSync": {"Restore": {"Include": ["ok", "../outside"]}}}')
    with pytest.raises(ConfigError, match=r"uSync:Restore:Include:1 .*relative to the site root"):
        load_settings(tmp_path, environ={})


def test_empty_folder_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"uSync:Restore:Folder .*must not be empty"):
        load_settings(tmp_path, environ={"uSync__Restore__Folder": "~/"})


def test_unknown_keys_are_kept_and_analyser_merges(tmp_path: Path) -> None:
    base = {"Future": {"X": 1}, "Analyser": {"FailOn": "high", "Rules": {"DC001": "off"}}}
    write_restore(tmp_path, base)
    production = {"Analyser": {"Rules": {"DC002": "warn"}}}
    write_restore(tmp_path, production, "appsettings.Production.json")
    settings = load_settings(tmp_path, environ={})
    assert settings.extra == {"Future": {"X": 1}}
    assert settings.analyser == {"FailOn": "high", "Rules": {"DC001": "off", "DC002": "warn"}}


@pytest.mark.parametrize("storage", [None, {}, {"Azure": None}, {"Azure": {}}, "Local"])
def test_storage_defaults_to_local(tmp_path: Path, storage: object) -> None:
    write_restore(tmp_path, {"Storage": storage})
    assert load_settings(tmp_path, environ={}).storage.provider == "Local"


def test_storage_provider_options_and_source(tmp_path: Path) -> None:
    options = {"ConnectionString": CONNECTION, "ContainerName": "points", "Prefix": "site-a/"}
    path = write_restore(tmp_path, {"Storage": {"Azure": options}})
    storage = load_settings(tmp_path, environ={}).storage
    assert storage.provider == "Azure"
    assert storage.options == options
    assert storage.source == str(path)
    env = {"uSync__Restore__Storage__Azure__ConnectionString": CONNECTION}
    from_env = load_settings(tmp_path, environ=env).storage
    assert from_env.source == f"{path}, environment variable {next(iter(env))}"


def test_more_than_one_provider_is_rejected(tmp_path: Path) -> None:
    path = write_restore(tmp_path, {"Storage": {"Azure": {"ConnectionString": CONNECTION}}})
    environ = {"uSync__Restore__Storage__Local__Path": "/srv/points"}
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, environ=environ)
    message = str(caught.value)
    assert "uSync:Restore:Storage" in message and "more than one provider" in message
    assert f"Azure (from {path})" in message
    assert "Local (from environment variable uSync__Restore__Storage__Local__Path)" in message
    assert SECRET not in message


def test_error_about_a_secret_value_does_not_show_it(tmp_path: Path) -> None:
    write_restore(tmp_path, {"Storage": {"Azure": CONNECTION}})
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, environ={})
    assert "uSync:Restore:Storage:Azure" in str(caught.value)
    assert SECRET not in str(caught.value)


def test_secret_in_a_bad_file_is_not_echoed(tmp_path: Path) -> None:
    write(tmp_path, "appsettings.json", f'{{"ConnectionString": "AccountKey={SECRET}" oops}}')
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, environ={})
    assert SECRET not in str(caught.value)


def test_secrets_masked_in_safe_output(tmp_path: Path) -> None:
    azure = {"ConnectionString": CONNECTION, "ContainerName": "points",
             "Endpoint": f"https://a.blob.core.windows.net/c?sv=1&sig={SECRET}"}  # fmt: skip
    write_restore(tmp_path, {"Storage": {"Azure": azure}, "Analyser": {"Hook": {"Token": SECRET}}})
    settings = load_settings(tmp_path, environ={})
    safe = settings.safe_dict()
    for shown in (str(safe), repr(settings), str(settings), repr(settings.storage)):
        assert SECRET not in shown
    assert safe["storage"]["options"]["ContainerName"] == "points"
    assert safe["storage"]["options"]["ConnectionString"] == "***"
    assert safe["storage"]["options"]["Endpoint"].endswith("sig=***")
    assert settings.storage.options["ConnectionString"] == CONNECTION


def test_redact_rules() -> None:
    value = {
        "Password": "p", "sasToken": "s", "apiKey": "k", "client_secret": "c", "Name": "n",
        "Nested": [{"connection-string": "Server=x;Password=hunter2;"}, "AccountKey=abc;x=y"],
        "Empty": {"Secret": ""},
    }  # fmt: skip
    assert redact(value) == {
        "Password": "***", "sasToken": "***", "apiKey": "***", "client_secret": "***",
        "Name": "n", "Nested": [{"connection-string": "***"}, "AccountKey=***;x=y"],
        "Empty": {"Secret": ""},
    }  # fmt: skip
    assert redact("Endpoint=x;SharedAccessSignature=sv=1&sig=abc") == (
        "Endpoint=x;SharedAccessSignature=***&sig=***"
    )


def test_settings_models_validate_direct_construction() -> None:
    assert StorageSettings().provider == "Local"
    with pytest.raises(ValueError, match="greater than or equal to 0"):
        RestoreSettings.model_validate({"retention": {"keep_last": -1}})


def test_path_matcher_globs() -> None:
    matcher = PathMatcher(["wwwroot/fonts", "**/*.txt", "a/**/b.css", "x/[ab]?.js"])
    assert matcher.matches("wwwroot/fonts/a.woff2")
    assert not matcher.matches("wwwroot/fontsx/a.woff2")
    assert matcher.matches("robots.txt") and matcher.matches("deep/er/notes.txt")
    assert matcher.matches("a/b.css") and matcher.matches("a/x/y/b.css")
    assert matcher.matches("x/a1.js") and not matcher.matches("x/c1.js")
    assert not matcher.matches("Wwwroot/fonts/a.woff2")
    assert matcher.walk_starts() == ["wwwroot/fonts", "", "a", "x"]


def test_errors_about_secret_named_keys_hide_the_value() -> None:
    from publisher_restore.config.values import Where, as_bool

    with pytest.raises(ConfigError) as caught:
        as_bool(SECRET, Where("uSync:Restore:Storage:Azure:AccountKey", "appsettings.json"))
    assert "uSync:Restore:Storage:Azure:AccountKey in appsettings.json" in str(caught.value)
    assert SECRET not in str(caught.value) and "value hidden" in str(caught.value)


@pytest.mark.parametrize(
    "storage",
    [
        CONNECTION,
        {CONNECTION: {"ContainerName": "c"}},
    ],
)
def test_connection_string_in_place_of_a_provider_name_is_not_echoed(
    tmp_path: Path, storage: object
) -> None:
    write(tmp_path, "appsettings.json", json.dumps({"uSync": {"Restore": {"Storage": storage}}}))
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, {})
    assert SECRET not in str(caught.value)
    assert "uSync:Restore:Storage in" in str(caught.value)
    assert "provider name" in str(caught.value)


@pytest.mark.parametrize(
    "storage",
    [
        CONNECTION,
        {CONNECTION: {"ContainerName": "c"}},
        {"Azure": CONNECTION},
        {"Azure": {"ConnectionString": CONNECTION, "ContainerName": "c"}, "Local": {"x": 1}},
    ],
)
def test_cli_list_never_prints_the_account_key(tmp_path: Path, storage: object) -> None:
    (tmp_path / "uSync" / "v9").mkdir(parents=True)
    (tmp_path / "uSync" / "v9" / "usync.config").write_text('<uSync version="9.0.0.0" />')
    write(tmp_path, "appsettings.json", json.dumps({"uSync": {"Restore": {"Storage": storage}}}))
    command = [sys.executable, "-m", "publisher_restore", "--site", str(tmp_path), "list"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 3, done.stderr
    assert done.stderr.startswith("error: uSync:Restore:Storage")
    for shown in (done.stdout, done.stderr):
        assert SECRET not in shown and SECRET[:12] not in shown


@pytest.mark.parametrize("text", ["", "  \n\t", "// no settings yet\n", "/* x */ \ufeff"])
def test_an_empty_settings_file_says_it_is_empty(tmp_path: Path, text: str) -> None:
    # .NET's JSON provider throws on an empty file too (JsonDocument needs a value), so the
    # site would not start: refused with what is wrong and what to do, not parser jargon.
    write(tmp_path, "appsettings.Production.json", text)
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, environ={})
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'appsettings.Production.json'}: the file is empty")
    assert "write {} in it or delete it" in message
    assert "JSON5" not in message and "Unexpected end" not in message


def test_a_cut_settings_file_is_still_a_syntax_error(tmp_path: Path) -> None:
    write(tmp_path, "appsettings.json", '{"uSync": {')
    with pytest.raises(ConfigError, match=r"appsettings\.json:1:\d+: invalid JSON"):
        load_settings(tmp_path, environ={})


def test_url_user_info_and_odd_key_names_are_masked() -> None:
    assert redact_text("http://admin:pw@acct.blob.core.windows.net/c") == (
        "http://***@acct.blob.core.windows.net/c"
    )
    assert redact_text("BlobEndpoint=https://u:p@ss@h:1/a;AccountKey=k==;x=1") == (
        "BlobEndpoint=https://***@h:1/a;AccountKey=***;x=1"
    )
    assert redact_text("see https://example.org/a@b and mailto:me@example.org") == (
        "see https://example.org/a@b and mailto:me@example.org"
    )
    assert shown_key("ContainerName") == "ContainerName"
    assert "not shown" in shown_key(CONNECTION)
    assert redact({CONNECTION: {"x": 1}}) == {shown_key(CONNECTION): {"x": "***"}}


def test_a_key_path_stops_at_a_key_that_may_be_a_secret() -> None:
    where = Where(f"uSync:Restore:Storage:Azure:{CONNECTION}", "appsettings.json")
    message = str(where.error("unknown option", show_value=False))
    assert SECRET not in message
    assert message.startswith("uSync:Restore:Storage:Azure:(a key that is not a plain name")
