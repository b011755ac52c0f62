"""The built-in restore-point policy (``uSync:Restore:Publisher``) answers from configuration."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from publisher_restore.analyser.findings import Finding
from publisher_restore.errors import ConfigError
from publisher_restore.operations.contexts import DecisionContext
from publisher_restore.operations.decisions import Choice, DecisionRequest, OperationKind
from publisher_restore.plugin_manager import build_plugin_manager
from publisher_restore.runtime import Runtime
from tests.conftest import SAMPLE_SITE, copy_site
from tests.operations.helpers import set_restore_settings
from tests.restore.helpers import make_property_mandatory

PUSH, PULL, IMPORT = OperationKind.PUSH, OperationKind.PULL, OperationKind.IMPORT


def _remove_property(site: Path, alias: str) -> None:
    path = site / "uSync/v9/ContentTypes/blogpost.config"
    text = path.read_text(encoding="utf-8-sig")
    blocks = re.findall(r"\s*<GenericProperty>.*?</GenericProperty>", text, re.S)
    [block] = [b for b in blocks if f"<Alias>{alias}</Alias>" in b]
    path.write_text("\ufeff" + text.replace(block, ""), encoding="utf-8")


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Finding]]:
    """Real findings of a push of changed copies of the sample site: damaging, notice, none."""
    folder = tmp_path_factory.mktemp("policy")
    target = copy_site(SAMPLE_SITE, folder / "target")
    analysis = Runtime.open(target, build_plugin_manager(load_entry_points=False)).analysis()
    removed = copy_site(SAMPLE_SITE, folder / "removed")
    _remove_property(removed, "excerpt")
    mandatory = copy_site(SAMPLE_SITE, folder / "mandatory")
    make_property_mandatory(Runtime.open(mandatory).restore_points())
    found = {
        name: analysis.compare_folders(target, source, semantics="import").findings
        for name, source in (("damaging", removed), ("notice", mandatory), ("none", target))
    }
    assert [f.severity.value for f in found["damaging"]] == ["damaging"]
    assert [f.severity.value for f in found["notice"]] == ["notice"]
    assert found["none"] == []
    return found


def decide(site: Path, operation: OperationKind, findings: list[Finding]) -> object:
    runtime = Runtime.open(site, build_plugin_manager(load_entry_points=False))
    request = DecisionRequest.build(operation, "Take a restore point?", findings, changes=1)
    context = DecisionContext(runtime.site, operation, "a test source", "sha256:test")
    return runtime.decide(context, request)


@pytest.mark.parametrize(
    ("operation", "publisher", "found", "expected"),
    [
        (PUSH, {}, "damaging", Choice.PROMPT),
        (PULL, {}, "none", Choice.PROMPT),
        (IMPORT, {"Import": "Prompt"}, "notice", Choice.PROMPT),
        (PUSH, {"Push": "Always"}, "none", Choice.RESTORE_POINT),
        (PULL, {"Pull": "never"}, "damaging", Choice.CONTINUE),
        (IMPORT, {"Import": "Auto"}, "damaging", Choice.RESTORE_POINT),
        (IMPORT, {"Import": "Auto"}, "notice", Choice.CONTINUE),
        (IMPORT, {"Import": "Auto", "Threshold": "notice"}, "notice", Choice.RESTORE_POINT),
        (PUSH, {"Push": "Auto", "Threshold": "damaging"}, "notice", Choice.CONTINUE),
        (PUSH, {"Push": "Auto"}, "none", Choice.CONTINUE),
        (PULL, {"Push": "Never"}, "damaging", Choice.PROMPT),
    ],
)
def test_the_policy_answers_each_mode_from_configuration(
    sample_site: Path,
    findings: dict[str, list[Finding]],
    operation: OperationKind,
    publisher: dict[str, str],
    found: str,
    expected: Choice,
) -> None:
    set_restore_settings(sample_site, Publisher=publisher)
    decision = decide(sample_site, operation, findings[found])
    assert getattr(decision, "choice", None) is expected
    assert getattr(decision, "decided_by", None) == "policy"


def test_include_media_goes_with_the_decision_and_restore_is_left_to_the_caller(
    sample_site: Path, findings: dict[str, list[Finding]]
) -> None:
    set_restore_settings(sample_site, Publisher={"Pull": "Always", "IncludeMedia": "true"})
    pulled = decide(sample_site, PULL, findings["none"])
    assert getattr(pulled, "include_media", None) is True
    assert decide(sample_site, OperationKind.RESTORE, findings["damaging"]) is None


@pytest.mark.parametrize(
    ("publisher", "key"),
    [({"Push": "Sometimes"}, "Push"), ({"Threshold": "severe"}, "Threshold"), ("Auto", "")],
)
def test_a_bad_policy_value_names_the_key_and_the_file(
    sample_site: Path, findings: dict[str, list[Finding]], publisher: object, key: str
) -> None:
    set_restore_settings(sample_site, Publisher=publisher)
    where = "uSync:Restore:Publisher" + (f":{key}" if key else "")
    with pytest.raises(ConfigError, match=f"{where} in .*appsettings.json"):
        decide(sample_site, PUSH, findings["damaging"])
    assert decide(sample_site, OperationKind.RESTORE, findings["damaging"]) is None
