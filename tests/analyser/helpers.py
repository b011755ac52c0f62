"""Building comparison cases from the hand-made base site: change items, run the rules."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from publisher_restore.analyser import AnalyserSettings, AnalysisResult, Finding, run_rules
from publisher_restore.analyser.findings import Semantics
from publisher_restore.analyser.rules import builtin_rules
from publisher_restore.analyser.sides import SimpleItemSource
from publisher_restore.usync.loader import load_items
from publisher_restore.usync.models import (
    AnyItem,
    ContentItem,
    ContentTypeItem,
    EmptyAction,
    EmptyItem,
)

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures" / "analyser"
BASE = FIXTURES / "base"
TODAY = date(2025, 6, 1)


@cache
def base_items() -> tuple[AnyItem, ...]:
    """The parsed base site (a hand-made uSync v9 export)."""
    loaded = load_items(BASE, BASE / "uSync" / "v9")
    assert not loaded.problems
    return loaded.items


def find(
    items: list[AnyItem] | tuple[AnyItem, ...], name: str, item_type: str | None = None
) -> AnyItem:
    """The item with this alias (and type)."""
    return next(
        i for i in items if i.alias == name and (item_type is None or i.item_type == item_type)
    )


def changed(name: str, item_type: str | None = None, /, **update: Any) -> list[AnyItem]:
    """The base items with one item's fields replaced (``name`` is its alias)."""
    items = list(base_items())
    target = find(items, name, item_type)
    return [i.model_copy(update=update) if i is target else i for i in items]


def replaced(
    items: list[AnyItem], alias: str, new: AnyItem, item_type: str | None = None
) -> list[AnyItem]:
    """``items`` with one item swapped for ``new``."""
    target = find(items, alias, item_type)
    return [new if i is target else i for i in items]


def without(alias: str, item_type: str | None = None) -> list[AnyItem]:
    """The base items minus one."""
    items = list(base_items())
    target = find(items, alias, item_type)
    return [i for i in items if i is not target]


def marker(item: AnyItem, action: EmptyAction = EmptyAction.DELETE) -> EmptyItem:
    """An Empty marker naming ``item`` (as uSync writes on delete or rename)."""
    return EmptyItem(
        item_type=item.item_type, key=item.key, alias=item.alias, path=item.path, action=action
    )


def with_property(ct_alias: str, prop_alias: str, **update: Any) -> list[AnyItem]:
    """The base items with one property of one content type changed."""
    ct = find(base_items(), ct_alias)
    assert isinstance(ct, ContentTypeItem)
    props = tuple(
        p.model_copy(update=update) if p.alias == prop_alias else p for p in ct.properties
    )
    return changed(ct_alias, properties=props)


def without_property(ct_alias: str, prop_alias: str) -> list[AnyItem]:
    """The base items with one property removed from one content type."""
    ct = find(base_items(), ct_alias)
    assert isinstance(ct, ContentTypeItem)
    return changed(ct_alias, properties=tuple(p for p in ct.properties if p.alias != prop_alias))


def with_value(items: list[AnyItem], node: str, alias: str, text: str) -> list[AnyItem]:
    """``items`` with every stored value of one property of one content item replaced."""
    item = find(items, node, "Content")
    assert isinstance(item, ContentItem)
    values = tuple(
        v.model_copy(update={"value": text}) if v.alias == alias else v for v in item.values
    )
    return replaced(items, node, item.model_copy(update={"values": values}), "Content")


QUOTE_ONLY_BLOCKS = (
    '{"layout":{"Umbraco.BlockList":[{"contentUdi":"umb://element/0b000000000000000000000000000001"}]},'
    '"contentData":[{"contentTypeKey":"c1000000-0000-0000-0000-000000000007",'
    '"udi":"umb://element/0b000000000000000000000000000001","quote":"Less is more","cite":""}],'
    '"settingsData":[]}'
)
"""hello-world's block value with an empty ``cite``: no stored value of quoteBlock.cite."""


def analyse(
    incoming: list[AnyItem] | tuple[AnyItem, ...],
    current: list[AnyItem] | tuple[AnyItem, ...] | None = None,
    semantics: Semantics = "complete",
    settings: AnalyserSettings | None = None,
) -> AnalysisResult:
    """Run every built-in rule: current (default: the base site) against ``incoming``."""
    return run_rules(
        SimpleItemSource(tuple(base_items() if current is None else current)),
        SimpleItemSource(tuple(incoming)),
        semantics,
        builtin_rules(),
        settings,
        TODAY,
    )


def summary(findings: list[Finding]) -> list[tuple[str, str, str | None]]:
    """(code, severity, property alias) per finding, in report order."""
    return [(f.code, f.severity.value, f.property_alias) for f in findings]


def impact_of(finding: Finding) -> tuple[int, int, dict[str, int]] | None:
    """(items, values, cultures) of a finding's impact."""
    if finding.impact is None:
        return None
    return finding.impact.items, finding.impact.values, finding.impact.cultures
