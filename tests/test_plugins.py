"""The plugin system: every hook documented and exercised; a recording plugin sees them fire."""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Any

import click
import pluggy
import pytest
from click.testing import CliRunner

from publisher_restore import hookspecs
from publisher_restore.cli.main import cli
from publisher_restore.errors import OperationVetoed
from publisher_restore.hookspecs import hookimpl
from publisher_restore.plugin_manager import build_plugin_manager
from publisher_restore.service import RestoreService
from tests.restore.helpers import damage, fingerprint

README = Path(__file__).resolve().parents[1] / "README.md"
HOOKS = sorted(
    name for name, value in vars(hookspecs).items() if hasattr(value, "publisher_restore_spec")
)


class Recorder:
    """Records every lifecycle hook call, in order."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    @hookimpl
    def restore_point_created(self, restore_point: Any, reason: str) -> None:
        self.calls.append(("restore_point_created", {"id": restore_point.id, "reason": reason}))

    @hookimpl
    def before_restore(self, context: Any) -> None:
        self.calls.append(("before_restore", {"point": context.point.id}))

    @hookimpl
    def after_restore(self, context: Any, result: Any) -> None:
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


def test_a_misspelled_hook_implementation_is_refused() -> None:
    class Typo:
        @hookimpl
        def before_restor(self, context: Any) -> None: ...

    pm = build_plugin_manager(load_entry_points=False)
    pm.register(Typo())
    with pytest.raises(pluggy.PluginValidationError, match="unknown hook 'before_restor'"):
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
        def before_restore(self, context: Any) -> None:
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
