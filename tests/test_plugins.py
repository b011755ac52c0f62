"""The plugin system: every hook documented, exercised and fired from one module.

A recording plugin sees the hooks fire; a test plugin answers ``decide_damaging_change``
before the built-in policy; the example plugin in ``docs/hooks.md`` runs here.
"""

from __future__ import annotations

import ast
import http.server
import inspect
import json
import re
import threading
import types
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
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
    OperationRecord,
    OperationVetoed,
    PublishContext,
    PublishResult,
    RestoreContext,
    RestoreResult,
    UndoContext,
    UndoResult,
    hookimpl,
    hookspecs,
)
from publisher_restore.analyser.findings import Severity
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

    @hookimpl
    def before_push(self, context: PublishContext) -> None:
        self.calls.append(("before_push", {"source": context.source}))

    @hookimpl
    def after_push(self, context: PublishContext, result: PublishResult) -> None:
        self.calls.append(("after_push", {"outcome": result.outcome.value, "error": result.error}))

    @hookimpl
    def before_pull(self, context: PublishContext) -> None:
        self.calls.append(("before_pull", {"source": context.source}))

    @hookimpl
    def after_pull(self, context: PublishContext, result: PublishResult) -> None:
        self.calls.append(("after_pull", {"outcome": result.outcome.value}))

    @hookimpl
    def before_import(self, context: PublishContext) -> None:
        self.calls.append(("before_import", {"operation": context.operation.value}))

    @hookimpl
    def after_import(self, context: PublishContext, result: PublishResult) -> None:
        point = result.restore_point
        self.calls.append(("after_import", {"outcome": result.outcome.value, "point": point}))

    @hookimpl
    def before_undo(self, context: UndoContext) -> None:
        self.calls.append(("before_undo", {"undoes": context.record.id}))

    @hookimpl
    def after_undo(self, context: UndoContext, result: UndoResult) -> None:
        self.calls.append(("after_undo", {"undoes": result.undone, "error": result.error}))

    @hookimpl
    def operation_recorded(self, record: OperationRecord) -> None:
        self.calls.append(("operation_recorded", {"id": record.id, "kind": record.kind.value}))

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
    assert recorder.calls[0][1] == {"id": point.id, "reason": "manual"}  # not "push"
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


# -- push, pull, import and undo -----------------------------------------------------------


def pushed_pair(tmp_path: Path) -> tuple[Path, Path]:
    """Two copies of the sample site; the source has lost a property real content uses."""
    from tests.conftest import SAMPLE_SITE, copy_site
    from tests.publisher.sites import remove_property

    source = copy_site(SAMPLE_SITE, tmp_path / "source")
    target = copy_site(SAMPLE_SITE, tmp_path / "target")
    remove_property(source, "uSync/v9/ContentTypes/blogpost.config", "excerpt")
    return source, target


def push_with(
    source: Path, target: Path, pm: pluggy.PluginManager, *, yes: bool = True
) -> PublishResult:
    from publisher_restore.operations.answers import Answering
    from publisher_restore.operations.pack_sources import PublishRequest
    from publisher_restore.operations.pipeline import PublishRun
    from publisher_restore.operations.push import push_to_site
    from publisher_restore.site import Site

    env = Runtime.open(target, pm).env
    return push_to_site(
        Site.open(source), env, PublishRequest(), PublishRun(Answering(yes=yes), "tester@test")
    )


def test_before_push_before_import_operation_recorded_after_push_after_import_in_order(
    tmp_path: Path,
) -> None:
    source, target = pushed_pair(tmp_path)
    recorder = Recorder()
    result = push_with(source, target, manager_with(recorder))
    assert recorder.names() == [
        "before_push",
        "before_import",
        "restore_point_created",
        "operation_recorded",
        "after_push",
        "after_import",
    ]
    calls = dict(recorder.calls)
    assert calls["before_push"]["source"] == f"site source ({source})"
    assert calls["before_import"] == {"operation": "push"}
    assert calls["restore_point_created"]["reason"] == "push"
    assert calls["operation_recorded"] == {"id": result.operation_id, "kind": "push"}
    assert calls["after_import"] == {"outcome": "succeeded", "point": result.restore_point}


def test_before_pull_and_after_pull_fire_on_the_pulling_site(tmp_path: Path) -> None:
    from publisher_restore.operations.answers import Answering
    from publisher_restore.operations.pack_sources import PublishRequest
    from publisher_restore.operations.pipeline import PublishRun
    from publisher_restore.operations.pull import pull_from_site
    from publisher_restore.site import Site

    source, target = pushed_pair(tmp_path)
    recorder = Recorder()
    env = Runtime.open(target, manager_with(recorder)).env
    result = pull_from_site(
        Site.open(source), env, PublishRequest(), PublishRun(Answering(yes=True), "tester@test")
    )
    assert result.operation is OperationKind.PULL and result.written == 1
    assert recorder.names()[:2] == ["before_pull", "before_import"]
    assert recorder.names()[-2:] == ["after_pull", "after_import"]
    assert "before_push" not in recorder.names()


class FridayFreeze:
    """No pushes on Fridays (the clock is injected, so the test knows what day it is)."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self.clock = clock

    @hookimpl
    def before_push(self, context: PublishContext) -> None:
        if self.clock().weekday() == 4:
            raise OperationVetoed("no pushes on Fridays")


def test_a_before_push_veto_on_fridays_changes_nothing_and_after_push_still_fires(
    tmp_path: Path,
) -> None:
    from tests.publisher.sites import set_publisher

    source, target = pushed_pair(tmp_path)
    set_publisher(target, Push="Always")
    before = fingerprint(target)
    recorder = Recorder()
    friday = datetime(2026, 5, 1, 16, 0, tzinfo=UTC)
    pm = manager_with(recorder, FridayFreeze(lambda: friday))

    with pytest.raises(OperationVetoed, match="no pushes on Fridays"):
        push_with(source, target, pm)

    assert fingerprint(target) == before
    assert not (target / "uSync/restore/points").exists(), "no restore point after a veto"
    assert "restore_point_created" not in recorder.names()
    assert "operation_recorded" not in recorder.names()
    assert recorder.calls[-2] == (
        "after_push",
        {"outcome": "vetoed", "error": "no pushes on Fridays"},
    )
    assert recorder.names()[-1] == "after_import"

    thursday = FridayFreeze(lambda: friday - timedelta(days=1))
    result = push_with(source, target, manager_with(thursday))
    assert result.written == 1 and result.restore_point is not None


class RulesFile:
    """Answers every decision from a JSON rules file: the first rule that fits wins.

    A rule: ``{"operation": "push" | "*", "at_least": "damaging" | ... | null,
    "choice": "restore-point" | "continue" | "abort"}``; ``at_least`` null fits always.
    """

    def __init__(self, path: Path) -> None:
        self.rules = json.loads(path.read_text(encoding="utf-8"))

    @hookimpl
    def decide_damaging_change(
        self, context: DecisionContext, request: DecisionRequest
    ) -> Decision | None:
        for rule in self.rules:
            if rule["operation"] not in ("*", context.operation.value):
                continue
            level = rule.get("at_least")
            if level is None or request.reaches(Severity(level)):
                why = f"rule {rule}"
                return Decision(choice=Choice(rule["choice"]), decided_by="rules-file", reason=why)
        return None


def test_decide_damaging_change_answered_from_a_rules_file(tmp_path: Path) -> None:
    from tests.publisher.sites import edit_description

    rules = tmp_path / "rules.json"
    rules.write_text(
        json.dumps(
            [
                {"operation": "push", "at_least": "damaging", "choice": "abort"},
                {"operation": "*", "at_least": None, "choice": "continue"},
            ]
        ),
        encoding="utf-8",
    )
    source, target = pushed_pair(tmp_path)
    before = fingerprint(target)
    with pytest.raises(OperationCancelled, match="aborted by rules-file"):
        push_with(source, target, manager_with(RulesFile(rules)), yes=False)
    assert fingerprint(target) == before

    harmless = tmp_path / "harmless"
    from tests.conftest import SAMPLE_SITE, copy_site

    copy_site(SAMPLE_SITE, harmless)
    edit_description(harmless, "uSync/v9/ContentTypes/homepage.config", "Edited by hand")
    result = push_with(harmless, target, manager_with(RulesFile(rules)), yes=False)
    assert result.decision is not None and result.decision.decided_by == "rules-file"
    assert result.decision.choice is Choice.CONTINUE and result.restore_point is None


class SnapshotInstead:
    """An organisation's replacement for the built-in restore-point plugin."""

    def __init__(self) -> None:
        self.decisions: list[Choice] = []

    @hookimpl
    def before_import(self, context: PublishContext) -> None:
        self.decisions.append(context.decision.choice)  # e.g. snapshot the database here


def test_the_built_in_restore_point_plugin_on_before_import_can_be_replaced(
    tmp_path: Path,
) -> None:
    source, target = pushed_pair(tmp_path)
    pm = manager_with()
    pm.unregister(name="publisher_restore.default_plugins.restore_point")
    replacement = SnapshotInstead()
    pm.register(replacement)

    result = push_with(source, target, pm)

    assert replacement.decisions == [Choice.RESTORE_POINT]
    assert result.restore_point is None and result.written == 1
    assert not (target / "uSync/restore/points").exists()
    [step] = [s for s in result.steps if s.step.value == "restore-point"]
    assert "no plugin took one" in step.detail


def test_before_undo_and_after_undo_wrap_the_restore_of_an_operation(tmp_path: Path) -> None:
    from publisher_restore.operations.undo import UndoOperation

    source, target = pushed_pair(tmp_path)
    pushed = push_with(source, target, manager_with())
    assert pushed.operation_id is not None
    recorder = Recorder()
    env = Runtime.open(target, manager_with(recorder)).env
    undo = UndoOperation(env, "tester@test")
    prepared = undo.prepare(pushed.operation_id)
    undo.execute(prepared, undo.decide(prepared))
    assert recorder.names() == [
        "before_undo",
        "before_restore",
        "restore_point_created",
        "after_restore",
        "operation_recorded",
        "after_undo",
    ]
    assert recorder.calls[-1] == ("after_undo", {"undoes": pushed.operation_id, "error": None})

    class NoUndo:
        @hookimpl
        def before_undo(self, context: UndoContext) -> None:
            raise OperationVetoed("undo needs a second pair of eyes")

    again = push_with(source, target, manager_with())
    assert again.operation_id is not None
    vetoing = Recorder()
    env = Runtime.open(target, manager_with(vetoing, NoUndo())).env
    undo = UndoOperation(env, "tester@test")
    prepared = undo.prepare(again.operation_id)
    before = fingerprint(target)
    with pytest.raises(OperationVetoed, match="second pair of eyes"):
        undo.execute(prepared, undo.decide(prepared))
    assert fingerprint(target) == before
    assert vetoing.calls[-1][0] == "after_undo" and "second pair" in str(vetoing.calls[-1][1])


def test_after_import_of_the_docs_example_tells_umbraco_to_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    received: list[tuple[str, bytes]] = []

    class Umbraco(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            received.append((self.path, self.rfile.read(length)))
            self.send_response(202)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            return None

    server = http.server.HTTPServer(("127.0.0.1", 0), Umbraco)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/umbraco/usync/import"
        monkeypatch.setenv("UMBRACO_IMPORT_URL", url)
        source, target = pushed_pair(tmp_path)
        result = push_with(source, target, manager_with(load_the_docs_example()))
    finally:
        server.shutdown()
    assert result.written == 1
    assert received == [("/umbraco/usync/import", b"target")]
