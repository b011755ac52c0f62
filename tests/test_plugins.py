"""The plugin system: every hook documented, exercised and fired from one module.

A recording plugin sees the hooks fire; a test plugin answers ``decide_damaging_change``
before the built-in policy; the example plugin in ``docs/hooks.md`` runs here.
"""

from __future__ import annotations

import ast
import inspect
import re
import types
from pathlib import Path

import click
import pluggy
import pytest
from click.testing import CliRunner

from publisher_restore import (
    Choice,
    Decision,
    DecisionContext,
    DecisionRequest,
    Manifest,
    OperationKind,
    OperationVetoed,
    RestoreContext,
    RestoreResult,
    hookimpl,
    hookspecs,
)
from publisher_restore.cli.main import cli
from publisher_restore.errors import OperationCancelled
from publisher_restore.operations.decide import DecisionError
from publisher_restore.plugin_manager import build_plugin_manager
from publisher_restore.runtime import Runtime
from publisher_restore.service import RestoreService
from tests.operations.helpers import set_restore_settings
from tests.restore.helpers import damage, fingerprint

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
HOOKS_DOC = REPO / "docs" / "hooks.md"
LIFECYCLE = REPO / "publisher_restore" / "lifecycle.py"
HOOKS = sorted(
    name for name, value in vars(hookspecs).items() if hasattr(value, "publisher_restore_spec")
)


class Recorder:
    """Records every lifecycle hook call, in order."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, str | None]]] = []

    @hookimpl
    def restore_point_created(self, restore_point: Manifest, reason: str) -> None:
        self.calls.append(("restore_point_created", {"id": restore_point.id, "reason": reason}))

    @hookimpl
    def before_restore(self, context: RestoreContext) -> None:
        self.calls.append(("before_restore", {"point": context.point.id}))

    @hookimpl
    def after_restore(self, context: RestoreContext, result: RestoreResult) -> None:
        self.calls.append(("after_restore", {"point": context.point.id, "error": result.error}))

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]


def manager_with(*plugins: object) -> pluggy.PluginManager:
    pm = build_plugin_manager(load_entry_points=False)
    for plugin in plugins:
        pm.register(plugin)
    return pm


def test_every_hook_is_documented_in_the_readme_and_has_param_docs() -> None:
    readme = README.read_text(encoding="utf-8")
    assert HOOKS, "no hook specs found"
    for name in HOOKS:
        assert re.search(rf"`{name}\(", readme), f"{name} is missing from the README's hook table"
        spec = getattr(hookspecs, name)
        for parameter in inspect.signature(spec).parameters:
            assert f":param {parameter}:" in (spec.__doc__ or ""), (
                f"{name}({parameter}) undocumented"
            )


def signature_of(name: str) -> str:
    """``name(param: Type, ...) -> Result`` as the spec declares it."""
    spec = inspect.signature(getattr(hookspecs, name))
    params = ", ".join(f"{p.name}: {p.annotation}" for p in spec.parameters.values())
    return f"{name}({params}) -> {spec.return_annotation}"


def test_every_hook_signature_is_in_docs_hooks_md() -> None:
    doc = HOOKS_DOC.read_text(encoding="utf-8")
    for name in HOOKS:
        assert f"### `{signature_of(name)}`" in doc, f"{name}: signature missing or stale"


def test_every_hook_is_exercised_by_a_test_named_after_it() -> None:
    tests = [name for name in globals() if name.startswith("test_")]
    for name in HOOKS:
        assert any(name in test for test in tests), f"no test_...{name}... in this module"


def test_every_hook_is_fired_from_the_lifecycle_module() -> None:
    tree = ast.parse(LIFECYCLE.read_text(encoding="utf-8"))
    fired = {
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and ast.unparse(node.func.value) == "self.pm.hook"
    }
    assert fired == set(HOOKS)


class BeforeRestoreTypo:
    @hookimpl
    def before_restor(self, context: RestoreContext) -> None: ...


class DecideTypo:
    @hookimpl
    def decide_damaging_chnage(self, context: DecisionContext, request: DecisionRequest) -> None:
        return None


@pytest.mark.parametrize(
    ("plugin", "hook"),
    [(BeforeRestoreTypo(), "before_restor"), (DecideTypo(), "decide_damaging_chnage")],
)
def test_a_misspelled_hook_implementation_is_refused(plugin: object, hook: str) -> None:
    pm = build_plugin_manager(load_entry_points=False)
    pm.register(plugin)
    with pytest.raises(pluggy.PluginValidationError, match=f"unknown hook '{hook}'"):
        pm.check_pending()


def test_register_storage_providers_and_register_analyser_rules_reach_the_builtins() -> None:
    from publisher_restore.analyser.registry import collect_rules
    from publisher_restore.storage.registry import StorageRegistry

    pm = build_plugin_manager(load_entry_points=False)
    assert "local" in {n.lower() for n in StorageRegistry.from_plugins(pm).names()}
    codes = {rule.code for rule in collect_rules(pm)}
    assert {"DC101", "DC201", "DC703"} <= codes


def test_restore_point_created_before_restore_and_after_restore(sample_site: Path) -> None:
    recorder = Recorder()
    service = RestoreService.open(sample_site, pm=manager_with(recorder))
    point = service.create()
    damage(service)
    result = service.restore(point.id)
    assert recorder.names() == [
        "restore_point_created",
        "before_restore",
        "restore_point_created",
        "after_restore",
    ]
    assert recorder.calls[0][1] == {"id": point.id, "reason": "manual"}
    assert recorder.calls[2][1] == {"id": result.pre_restore_point, "reason": "pre-restore"}
    assert recorder.calls[3][1] == {"point": point.id, "error": None}


def test_a_before_restore_veto_changes_nothing_and_after_restore_still_fires(
    sample_site: Path,
) -> None:
    recorder = Recorder()

    class Veto:
        @hookimpl
        def before_restore(self, context: RestoreContext) -> None:
            raise OperationVetoed("change freeze until Monday")

    service = RestoreService.open(sample_site, pm=manager_with(recorder, Veto()))
    point = service.create()
    damage(service)
    damaged = fingerprint(sample_site)
    with pytest.raises(OperationVetoed, match="change freeze"):
        service.restore(point.id)
    assert fingerprint(sample_site) == damaged
    assert recorder.names()[-1] == "after_restore"
    assert "change freeze" in (recorder.calls[-1][1]["error"] or "")
    assert [p.id for p in service.points()] == [point.id], "no pre-restore point after a veto"


def test_register_commands_adds_a_plugin_command() -> None:
    @click.command("hello")
    def hello() -> None:
        click.echo("hello from a plugin")

    class Commands:
        @hookimpl
        def register_commands(self, cli: click.Group) -> None:
            cli.add_command(hello)

    from publisher_restore.lifecycle import Lifecycle

    group = click.Group(commands=dict(cli.commands))
    Lifecycle(manager_with(Commands())).add_commands(group)
    result = CliRunner().invoke(group, ["hello"])
    assert result.exit_code == 0 and "hello from a plugin" in result.output


def test_hooks_are_called_only_from_the_lifecycle_module() -> None:
    package = Path(__file__).resolve().parents[1] / "publisher_restore"
    callers = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if ".hook." in path.read_text(encoding="utf-8")
    )
    assert callers == ["lifecycle.py"]


class AnswerEverything:
    """A test plugin answering every decision the same way."""

    def __init__(self, answer: object) -> None:
        self.answer = answer
        self.asked: list[tuple[OperationKind, str]] = []

    @hookimpl
    def decide_damaging_change(self, context: DecisionContext, request: DecisionRequest) -> object:
        self.asked.append((context.operation, request.question))
        return self.answer


def ask(site: Path, *plugins: object) -> Decision | None:
    runtime = Runtime.open(site, manager_with(*plugins))
    request = DecisionRequest.build(OperationKind.PUSH, "Take a restore point?", [], changes=2)
    context = DecisionContext(runtime.site, OperationKind.PUSH, "a test source", "sha256:x")
    return runtime.decide(context, request)


def test_decide_damaging_change_a_plugin_answer_wins_over_the_built_in_policy(
    sample_site: Path,
) -> None:
    set_restore_settings(sample_site, Publisher={"Push": "Always"})
    assert ask(sample_site) == ask(sample_site, AnswerEverything(None))
    policy = ask(sample_site)
    assert policy is not None and policy.choice is Choice.RESTORE_POINT
    assert policy.decided_by == "policy"

    freeze = Decision(choice=Choice.ABORT, decided_by="freeze", reason="release week")
    plugin = AnswerEverything(freeze)
    assert ask(sample_site, plugin) == freeze
    assert plugin.asked == [(OperationKind.PUSH, "Take a restore point?")]
    with pytest.raises(DecisionError, match="answered 'yes please' for the push"):
        ask(sample_site, AnswerEverything("yes please"))


def test_decide_damaging_change_abort_stops_a_restore_and_continue_skips_its_restore_point(
    sample_site: Path,
) -> None:
    point = RestoreService.open(sample_site).create()
    damaged = damage(RestoreService.open(sample_site))
    before = fingerprint(sample_site)
    abort = AnswerEverything(Decision(choice=Choice.ABORT, decided_by="freeze", reason="no"))
    args = ["--site", str(sample_site), "restore", point.id, "--yes", "--json"]

    refused = CliRunner().invoke(cli, args, obj=manager_with(abort))
    assert isinstance(refused.exception, OperationCancelled)
    assert "aborted by freeze: no; nothing was changed" in str(refused.exception)
    assert fingerprint(sample_site) == before and abort.asked[0][0] is OperationKind.RESTORE

    without = AnswerEverything(Decision(choice=Choice.CONTINUE, decided_by="ci"))
    done = CliRunner().invoke(cli, args, obj=manager_with(without))
    assert done.exit_code == 0, done.output
    assert '"pre_restore_point": null' in done.output
    assert fingerprint(sample_site) != before and damaged["added"] not in fingerprint(sample_site)


def load_the_docs_example() -> object:
    """The ``python`` block of docs/hooks.md that defines a plugin, as a module."""
    blocks = re.findall(r"```python\n(.*?)```", HOOKS_DOC.read_text(encoding="utf-8"), re.S)
    [source] = [block for block in blocks if "@hookimpl" in block]
    module = types.ModuleType("change_freeze")
    exec(compile(source, str(HOOKS_DOC), "exec"), module.__dict__)
    return module


def test_the_example_plugin_in_docs_hooks_md_works(sample_site: Path) -> None:
    example = load_the_docs_example()
    assert ask(sample_site, example) is not None, "without a freeze the policy answers"
    (sample_site / "CHANGE_FREEZE").write_text("until Monday", encoding="utf-8")
    frozen = ask(sample_site, example)
    assert frozen is not None and frozen.choice is Choice.ABORT
    assert frozen.decided_by == "change-freeze"

    service = RestoreService.open(sample_site, pm=manager_with(example))
    point = service.create()
    damage(service)
    with pytest.raises(OperationVetoed, match="change freeze"):
        service.restore(point.id)
