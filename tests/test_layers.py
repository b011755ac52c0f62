"""The package's layers import only downward, and no module imports itself round a circle.

The graph is read from the source with ``ast``: every ``import`` and ``from ... import``
of the package, also those inside functions.  Imports under ``if TYPE_CHECKING:`` count
like any other, except in the plugin host (``hookspecs``, ``lifecycle``): the analyser
and storage collect their plugins through it, so it sits low, while its hook
signatures name the types of the layers that fire the hooks, for type checkers only.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = "publisher_restore"
ROOT = Path(__file__).resolve().parents[1] / PACKAGE

LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "foundation",
        ("errors", "version", "hashing", "progress", "faults", "scopes", "sample", "regular_files"),
    ),
    ("configuration", ("config",)),
    ("plugin host", ("hookspecs", "lifecycle")),
    ("uSync items", ("usync",)),
    ("site and storage", ("site", "site_walk", "storage")),
    ("analyser", ("analyser",)),
    ("restore points", ("restore",)),
    ("publisher", ("publisher",)),
    ("operations", ("operations", "default_plugins")),
    ("runtime", ("runtime", "plugin_manager", "service")),
    ("interfaces", ("cli", "web", "__main__")),
    ("test support for plugins", ("testing",)),
    ("package API", ("",)),
]
"""Lowest first; a module's layer is found by the first part of its name under the package."""

TYPE_ONLY_UPWARD = {f"{PACKAGE}.hookspecs", f"{PACKAGE}.lifecycle"}


def module_name(path: Path) -> str:
    parts = [PACKAGE, *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for path in sorted(ROOT.rglob("*.py"))
        if "sample_site" not in path.relative_to(ROOT).parts
    }


def layer_of(module: str) -> int:
    top = module.split(".")[1] if "." in module else ""
    for index, (_name, members) in enumerate(LAYERS):
        if top in members:
            return index
    raise AssertionError(f"{module} belongs to no layer: add '{top}' to LAYERS")


def type_checking_nodes(tree: ast.Module) -> set[int]:
    """ids of the import nodes inside ``if TYPE_CHECKING:`` blocks."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            inside |= {id(n) for block in node.body for n in ast.walk(block)}
    return inside


def imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> Iterator[str]:
    """The package modules an import statement names (``from pkg import sub`` names ``sub``)."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:
        parent = module.split(".")[: len(module.split(".")) - node.level + int(is_package)]
        base = ".".join([*parent, *([node.module] if node.module else [])])
    yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph() -> dict[str, set[str]]:
    modules = package_modules()
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        type_only = type_checking_nodes(tree) if module in TYPE_ONLY_UPWARD else set()
        targets: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in type_only:
                names = imported(node, module, path.name == "__init__.py")
                targets |= {_resolve(name, modules) for name in names}
        graph[module] = targets - {"", module}
    return graph


def _resolve(name: str, modules: dict[str, Path]) -> str:
    """The module a dotted name means: ``pkg.mod.attr`` means ``pkg.mod``."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name


def test_every_import_points_down_or_sideways() -> None:
    upward = [
        f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
        for module, targets in import_graph().items()
        for target in sorted(targets)
        if layer_of(target) > layer_of(module)
    ]
    assert upward == []


def test_no_import_circle() -> None:
    graph = import_graph()
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            circle = [*path[path.index(module) :], module]
            raise AssertionError("import circle: " + " -> ".join(circle))
        if module in done:
            return
        for target in sorted(graph.get(module, ())):
            visit(target, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])


def test_the_graph_sees_imports_inside_functions_and_of_submodules() -> None:
    """Guards the guard: a lazy import and ``from package import module`` are edges."""
    graph = import_graph()
    assert f"{PACKAGE}.storage.local" in graph[f"{PACKAGE}.default_plugins.storage"]
    assert f"{PACKAGE}.hookspecs" in graph[f"{PACKAGE}.plugin_manager"]
    assert f"{PACKAGE}.operations.contexts" not in graph[f"{PACKAGE}.hookspecs"]
