"""Editing copies of block sites (fixtures and corpus) as a real change would; reading impacts."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from publisher_restore.analyser import AnalysisResult, Finding, run_rules
from publisher_restore.analyser.findings import Semantics
from publisher_restore.analyser.rules import builtin_rules
from publisher_restore.analyser.sources import load_side
from tests.analyser.corpus_cases import parse, type_file, write
from tests.analyser.helpers import FIXTURES

BLOCK_FIXTURES = FIXTURES / "blocks"


def compare(current: Path, incoming: Path, semantics: Semantics = "complete") -> AnalysisResult:
    """Load both sides as the CLI does and run every built-in rule."""
    cur, _ = load_side(current)
    inc, _ = load_side(incoming)
    return run_rules(cur, inc, semantics, builtin_rules())


def copy_fixture(site: str, target: Path) -> Path:
    """A writable copy of a block fixture site; returns its version folder."""
    dest = target / site
    shutil.copytree(BLOCK_FIXTURES / site, dest)
    return next(p for p in (dest / "uSync").iterdir() if p.is_dir())


def pair(
    site: str, tmp_path: Path, copy: Callable[[str, Path], Path] = copy_fixture
) -> tuple[Path, Path]:
    """Current and incoming copies of the same site."""
    return copy(site, tmp_path / "current"), copy(site, tmp_path / "incoming")


def data_type_file(usync: Path, name: str) -> Path:
    """The data type file whose Info/Name is ``name``."""
    for path in sorted((usync / "DataTypes").glob("*.config")):
        if parse(path).getroot().findtext("Info/Name") == name:
            return path
    raise LookupError(name)


def edit_config(usync: Path, name: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Change a data type's configuration JSON in place."""
    path = data_type_file(usync, name)
    tree = parse(path)
    element = tree.getroot().find("Config")
    assert element is not None
    config = json.loads(element.text or "{}")
    change(config)
    element.text = json.dumps(config, indent=2)
    write(tree, path)


def set_property(usync: Path, type_alias: str, prop: str, field: str, value: str) -> None:
    """Set one field (Alias, Variations, Mandatory, ...) of one property of a type."""
    path = type_file(usync, type_alias)
    tree = parse(path)
    for element in tree.getroot().iterfind("GenericProperties/GenericProperty"):
        if element.findtext("Alias") == prop:
            target = element.find(field)
            assert target is not None, field
            target.text = value
    write(tree, path)


def set_type_field(usync: Path, type_alias: str, xpath: str, value: str) -> None:
    """Set one field of a type (``Info/Variations``, ...), or its root ``Alias``."""
    path = type_file(usync, type_alias)
    tree = parse(path)
    if xpath == "@Alias":
        tree.getroot().set("Alias", value)
    else:
        element = tree.getroot().find(xpath)
        assert element is not None, xpath
        element.text = value
    write(tree, path)


def set_value(usync: Path, node: str, alias: str, text: str, culture: str | None = None) -> None:
    """Replace one stored value of a content item (file name without '.config')."""
    path = usync / "Content" / f"{node}.config"
    tree = parse(path)
    for value in tree.getroot().iterfind(f"Properties/{alias}/Value"):
        if value.get("Culture") == culture:
            value.text = text
    write(tree, path)


def only(result: AnalysisResult, code: str) -> Finding:
    """The one finding, asserting it is the only one and has ``code``."""
    assert [f.code for f in result.findings] == [code], [f.message for f in result.findings]
    return result.findings[0]


def counts(finding: Finding) -> dict[str, Any]:
    """The impact's non-zero fields (cultures included), for exact comparison."""
    assert finding.impact is not None, finding.message
    data = finding.impact.model_dump()
    return {k: v for k, v in data.items() if v}
