"""DC201-DC204: data types deleted, their editor, storage type or configuration changed."""

from __future__ import annotations

from collections.abc import Iterable

from publisher_restore.analyser.compat import Compatibility, editor_compatibility
from publisher_restore.analyser.config_narrowing import (
    Narrowing,
    TypeResolver,
    narrowing,
    parsed_config,
)
from publisher_restore.analyser.context import AnalysisContext, Subject
from publisher_restore.analyser.findings import Finding, Impact, Severity
from publisher_restore.analyser.impact import Tally, ValueTest, describe_held, noun_for
from publisher_restore.analyser.rules.base import Rule
from publisher_restore.analyser.rules.type_support import add_users, quoted
from publisher_restore.analyser.sides import TYPE_FAMILIES, alias_key
from publisher_restore.usync.models import (
    ContentTypeItem,
    DataTypeItem,
    PropertyType,
    PropertyValue,
)

Usage = tuple[ContentTypeItem, PropertyType]


def usages(ctx: AnalysisContext, item: DataTypeItem) -> list[Usage]:
    """Properties of current types that use this data type (by Definition key)."""
    index = ctx.memo("data-type-usages", lambda: _usage_index(ctx))
    return index.get((item.key or "").casefold(), [])


def _usage_index(ctx: AnalysisContext) -> dict[str, list[Usage]]:
    index: dict[str, list[Usage]] = {}
    shared = (s.model() for s in ctx.current.shared if s.item_type in TYPE_FAMILIES)
    for item in [*ctx.current.items, *shared]:
        if isinstance(item, ContentTypeItem):
            for prop in item.properties:
                if prop.definition:
                    index.setdefault(prop.definition.casefold(), []).append((item, prop))
    return index


def usage_impact(
    ctx: AnalysisContext, item: DataTypeItem, test: ValueTest | None = None
) -> tuple[Impact | None, str]:
    """Filled values of every property using the data type, on the types that carry them."""
    if not ctx.content.has_content:
        return None, "pages"
    tally = Tally()
    for owner, prop in usages(ctx, item):
        add_users(ctx, tally, owner, prop, test)
    return tally.impact(), noun_for(tally.counted())


def mentions(tokens: list[str]) -> ValueTest:
    """A value test: the stored value names one of ``tokens`` (a removed option or type)."""
    folded = [t.casefold() for t in tokens]
    quoted_tokens = [f'"{t}"' for t in folded]

    def test(value: PropertyValue) -> bool:
        text = value.value.strip().casefold()
        return text in folded or any(q in text for q in quoted_tokens)

    return test


def _used_by(ctx: AnalysisContext, item: DataTypeItem) -> str:
    return quoted(sorted(f"{owner.alias}.{prop.alias}" for owner, prop in usages(ctx, item)))


class DataTypeDeletedRule(Rule):
    """DC201: a data type in use is deleted, and every property using it with it."""

    code = "DC201"
    severity = Severity.DAMAGING
    title = "Data type deleted"
    why = "Every property that uses it is deleted, with all its values."

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One finding per deleted data type that a current property uses."""
        for deletion in ctx.deleted("DataType"):
            item = deletion.item
            if not isinstance(item, DataTypeItem) or not usages(ctx, item):
                continue
            impact, noun = usage_impact(ctx, item)
            values = describe_held(impact, noun, "all their values")
            message = (
                f"Deleting data type '{item.name or item.alias}' deletes properties "
                f"{_used_by(ctx, item)} and {values}."
            )
            detail = {
                "old": {"editor": item.editor_alias},
                "new": None,
                "properties": sorted(f"{o.alias}.{p.alias}" for o, p in usages(ctx, item)),
            }
            yield self.finding(Subject(item, deletion.marker), message, detail, impact)


def _data_type_pairs(ctx: AnalysisContext) -> Iterable[tuple[DataTypeItem, DataTypeItem]]:
    for cur, inc, _ in ctx.pairs(DataTypeItem):
        yield cur, inc


class EditorChangedRule(Rule):
    """DC202: the data type's editor changes (a compatible editor is a notice)."""

    code = "DC202"
    severity = Severity.RISKY
    title = "Data type editor changed"
    why = "Existing values in the old editor's format may not parse."

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One finding per data type whose EditorAlias really changes."""
        for cur, inc in _data_type_pairs(ctx):
            compat = editor_compatibility(cur.editor_alias, inc.editor_alias)
            if compat is Compatibility.SAME:
                continue
            impact, noun = usage_impact(ctx, cur)
            held = describe_held(impact, noun)
            message = (
                f"Changing the editor of data type '{cur.name or cur.alias}' from "
                f"{cur.editor_alias} to {inc.editor_alias} hands {held} to "
                f"{'a compatible' if compat is Compatibility.COMPATIBLE else 'another'} editor."
            )
            detail = {
                "old": {"editor": cur.editor_alias},
                "new": {"editor": inc.editor_alias},
                "compatibility": compat.value,
            }
            severity = Severity.NOTICE if compat is Compatibility.COMPATIBLE else None
            yield self.finding(Subject(cur, inc), message, detail, impact, severity)


class StorageTypeChangedRule(Rule):
    """DC203: the storage type (DatabaseType, v8-v13) changes."""

    code = "DC203"
    severity = Severity.RISKY
    title = "Data type storage changed"
    why = "Values sit in a column the new storage type does not read."

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One finding per data type whose DatabaseType changes (both sides must state one)."""
        for cur, inc in _data_type_pairs(ctx):
            old, new = cur.database_type, inc.database_type
            if not old or not new or old.casefold() == new.casefold():
                continue
            impact, noun = usage_impact(ctx, cur)
            held = describe_held(impact, noun)
            message = (
                f"Changing the storage of data type '{cur.name or cur.alias}' from {old} to "
                f"{new} leaves {held} in a column the new storage type does not read."
            )
            detail = {"old": {"database_type": old}, "new": {"database_type": new}}
            yield self.finding(Subject(cur, inc), message, detail, impact)


class ConfigNarrowedRule(Rule):
    """DC204: the configuration narrows (options removed, limits lowered, types removed)."""

    code = "DC204"
    severity = Severity.RISKY
    title = "Data type configuration narrowed"
    why = "Stored values that use the removed options become invalid."

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One finding per narrowed data type; impact counts values naming a removed option."""
        for cur, inc in _data_type_pairs(ctx):
            if editor_compatibility(cur.editor_alias, inc.editor_alias) is not Compatibility.SAME:
                continue  # DC202 judges an editor change; old and new configs do not compare
            change = narrowing(parsed_config(cur), parsed_config(inc), type_resolver(ctx))
            if not change:
                continue
            tokens = change.tokens()
            test = mentions(tokens) if tokens else None
            impact, noun = usage_impact(ctx, cur, test)
            held = describe_held(impact, noun, "stored values")
            what = "; ".join(_parts(change))
            message = (
                f"Narrowing data type '{cur.name or cur.alias}' ({what}) can invalidate {held}."
            )
            yield self.finding(Subject(cur, inc), message, change.as_detail(), impact)


def type_resolver(ctx: AnalysisContext) -> TypeResolver:
    """A filter entry as the alias of the type it names: a Key (Umbraco 14+) or an Alias.

    Looked up on both sides, so a filter that moved from aliases to keys compares equal.
    """

    def resolve(token: str) -> str:
        folded = token.strip().casefold()
        for side in (ctx.current, ctx.incoming):
            for family in TYPE_FAMILIES:
                found = side.find_entry(family, folded, "")
                if found is not None and found.alias:
                    return alias_key(found.alias)
        return folded

    return resolve


def _parts(change: Narrowing) -> list[str]:
    parts: list[str] = []
    if change.removed_items:
        parts.append(f"items removed: {quoted(sorted(change.removed_items))}")
    if change.lowered_limits:
        parts.append(f"limits lowered: {', '.join(sorted(change.lowered_limits))}")
    if change.removed_types:
        parts.append(f"allowed types removed: {quoted(sorted(change.removed_types))}")
    if change.narrowed_filter:
        parts.append(f"picker filter narrowed: {quoted(sorted(change.narrowed_filter))}")
    return parts
