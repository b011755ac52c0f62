"""DC201-DC204: data types deleted, their editor, storage type or configuration changed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from publisher_restore.analyser.compat import Compatibility, editor_compatibility
from publisher_restore.analyser.config_narrowing import (
    Narrowing,
    TypeResolver,
    narrowing,
    parsed_config,
)
from publisher_restore.analyser.context import AnalysisContext, Subject
from publisher_restore.analyser.findings import Finding, Impact, Severity
from publisher_restore.analyser.impact import Tally, ValueTest, noun_for
from publisher_restore.analyser.rules.base import Rule
from publisher_restore.analyser.rules.block_narrowing import (
    is_block_narrowing,
    stranded_blocks,
    strands_phrase,
    without_block_parts,
)
from publisher_restore.analyser.rules.type_support import add_users
from publisher_restore.analyser.sides import TYPE_FAMILIES, alias_key
from publisher_restore.analyser.wording import describe, listed, not_counted, plural, verb
from publisher_restore.usync.models import (
    ContentTypeItem,
    DataTypeItem,
    PropertyType,
    PropertyValue,
)

Usage = tuple[ContentTypeItem, PropertyType]

_FAMILY_VALUES = {"MemberType": "member", "MediaType": "media", "ContentType": "page"}


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


@dataclass
class UsageCount:
    """Values of the properties using a data type, and the families that cannot be counted."""

    tally: Tally
    impact: Impact | None
    noun: str
    used: bool
    uncounted: dict[str, str] = field(default_factory=dict)
    """Family ('member', 'media', 'page') -> why its values are not counted."""

    def reasons(self) -> str:
        """Why some values are not counted: 'not counted: members are not in uSync'."""
        return not_counted("; ".join(sorted(set(self.uncounted.values()))))

    def phrase(self, unknown: str = "their values") -> str:
        """'5 values on 3 pages', 'no stored value (...)', or why nothing was counted."""
        if not self.used:
            return "no stored value (no current property uses it)"
        if self.impact is None:
            return f"{unknown} ({self.reasons()})"
        if self.impact.values:
            text = describe(self.impact, self.noun)
        else:
            text = f"no stored value (no current {self.noun} holds one)"
        for family, reason in sorted(self.uncounted.items()):
            text += f", plus {family} values ({not_counted(reason)})"
        return text


def usage_count(
    ctx: AnalysisContext, item: DataTypeItem, test: ValueTest | None = None
) -> UsageCount:
    """Filled values of every property using the data type, on the types that carry them.

    Families whose content is not in the current export (members always) are named, not
    counted; the impact is None when no using family can be counted.
    """
    owners = usages(ctx, item)
    tally = ctx.content.tally()
    uncounted: dict[str, str] = {}
    counted_any = False
    for owner, prop in owners:
        if ctx.content.countable(owner.item_type):
            add_users(ctx, tally, owner, prop, test)
            counted_any = True
        else:
            family = _FAMILY_VALUES.get(owner.item_type, "other")
            uncounted[family] = ctx.content.uncounted_reason(owner.item_type)
    impact = tally.impact() if counted_any or not owners else None
    return UsageCount(tally, impact, noun_for(tally.counted()), bool(owners), uncounted)


def usage_impact(
    ctx: AnalysisContext, item: DataTypeItem, test: ValueTest | None = None
) -> tuple[Impact | None, str]:
    """Impact and noun of the values of every property using the data type."""
    count = usage_count(ctx, item, test)
    return count.impact, count.noun


def mentions(tokens: list[str]) -> ValueTest:
    """A value test: the stored value names one of ``tokens`` (a removed option or type)."""
    folded = [t.casefold() for t in tokens]
    quoted_tokens = [f'"{t}"' for t in folded]

    def test(value: PropertyValue) -> bool:
        text = value.value.strip().casefold()
        return text in folded or any(q in text for q in quoted_tokens)

    return test


def _used_by(ctx: AnalysisContext, item: DataTypeItem) -> list[str]:
    return sorted(f"{owner.alias}.{prop.alias}" for owner, prop in usages(ctx, item))


def _name(item: DataTypeItem) -> str:
    return item.name or item.alias


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
            props = _used_by(ctx, item)
            count = usage_count(ctx, item)
            lead = f"Deleting data type '{_name(item)}' deletes {plural('property', len(props))}"
            message = f"{lead} {listed(props)}{_values_tail(count, len(props))}"
            moved = repointed(ctx, item)
            if moved:
                message += (
                    f"; the incoming types move {listed(moved)} to another data type, but data "
                    "types import first, so the values are deleted before the move"
                )
            detail = {
                "old": {"editor": item.editor_alias},
                "new": None,
                "properties": props,
            }
            yield self.finding(Subject(item, deletion.marker), f"{message}.", detail, count.impact)


def _values_tail(count: UsageCount, properties: int) -> str:
    """', with 21 values on 7 pages' (a comma: the list may end in 'and 3 more')."""
    if count.impact is None:
        its = verb(properties, "its", "their")
        return f", with all {its} values ({count.reasons()})"
    if not count.impact.values:
        return f", which {verb(properties, 'holds', 'hold')} {count.phrase()}"
    return f", with {count.phrase()}"


def repointed(ctx: AnalysisContext, item: DataTypeItem) -> list[str]:
    """'type.property' of the properties using ``item`` that the incoming types re-point."""
    key = (item.key or "").casefold()
    moved: list[str] = []
    for owner, prop in usages(ctx, item):
        after = ctx.after_of(owner)
        if not isinstance(after, ContentTypeItem) or after is owner:
            continue
        match = _property_in(after, prop)
        if match is not None and match.definition and match.definition.casefold() != key:
            moved.append(f"{owner.alias}.{prop.alias}")
    return sorted(moved)


def _property_in(item: ContentTypeItem, prop: PropertyType) -> PropertyType | None:
    by_key = next((p for p in item.properties if prop.key and p.key == prop.key), None)
    if by_key is not None:
        return by_key
    return next((p for p in item.properties if alias_key(p.alias) == alias_key(prop.alias)), None)


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
            count = usage_count(ctx, cur)
            message = (
                f"Changing the editor of data type '{_name(cur)}' from "
                f"{cur.editor_alias} to {inc.editor_alias} hands {count.phrase()} to "
                f"{'a compatible' if compat is Compatibility.COMPATIBLE else 'another'} editor."
            )
            detail = {
                "old": {"editor": cur.editor_alias},
                "new": {"editor": inc.editor_alias},
                "compatibility": compat.value,
            }
            severity = Severity.NOTICE if compat is Compatibility.COMPATIBLE else None
            yield self.finding(Subject(cur, inc), message, detail, count.impact, severity)


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
            count = usage_count(ctx, cur)
            message = (
                f"Changing the storage of data type '{_name(cur)}' from {old} to {new} leaves "
                f"{count.phrase()} in a column the new storage type does not read."
            )
            detail = {"old": {"database_type": old}, "new": {"database_type": new}}
            yield self.finding(Subject(cur, inc), message, detail, count.impact)


class ConfigNarrowedRule(Rule):
    """DC204: the configuration narrows (options removed, limits lowered, types removed).

    For block editors (Block List, Block Grid, Nested Content, rich text with blocks) a removed
    block type or a lower maximum is counted in blocks: those of the removed types held by this
    data type's values, and those past the new maximum.  When none is stranded, nothing is lost
    and there is no finding.
    """

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
            if is_block_narrowing(cur, change):
                finding = self._blocks(ctx, cur, inc, change)
            else:
                finding = self._values(ctx, cur, inc, change)
            if finding is not None:
                yield finding

    def _lead(self, ctx: AnalysisContext, cur: DataTypeItem, change: Narrowing) -> str:
        return f"Narrowing data type '{_name(cur)}' ({'; '.join(_parts(ctx, change))})"

    def _values(
        self, ctx: AnalysisContext, cur: DataTypeItem, inc: DataTypeItem, change: Narrowing
    ) -> Finding:
        tokens = change.tokens()
        count = usage_count(ctx, cur, mentions(tokens) if tokens else None)
        lead = self._lead(ctx, cur, change)
        if count.impact is None:
            message = f"{lead} can invalidate {count.phrase('stored values')}."
        elif not count.used or not count.impact.values:
            why = "no current property uses it" if not count.used else "no current value uses it"
            message = f"{lead} invalidates no stored value ({why})."
        else:
            message = f"{lead} can invalidate {count.phrase()}."
        return self.finding(Subject(cur, inc), message, change.as_detail(), count.impact)

    def _blocks(
        self, ctx: AnalysisContext, cur: DataTypeItem, inc: DataTypeItem, change: Narrowing
    ) -> Finding | None:
        if not usages(ctx, cur):
            return None  # no property uses it: no stored block to strand
        count = usage_count(ctx, cur)
        tally = stranded_blocks(ctx, cur, change, usages(ctx, cur))
        rest = without_block_parts(change)
        if rest:
            tokens = rest.tokens()
            for owner, prop in usages(ctx, cur):
                if ctx.content.countable(owner.item_type):
                    add_users(ctx, tally, owner, prop, mentions(tokens) if tokens else None)
        lead = self._lead(ctx, cur, change)
        if count.impact is None:
            message = f"{lead} can strand stored blocks ({count.reasons()})."
            return self.finding(Subject(cur, inc), message, change.as_detail(), None)
        impact = tally.impact()
        if impact.is_zero and not rest:
            return None  # no stored block is of a removed type or past the new maximum
        noun = noun_for(tally.counted())
        message = f"{lead} {strands_phrase(impact, noun, change)}."
        return self.finding(Subject(cur, inc), message, change.as_detail(), impact)


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


def type_name(ctx: AnalysisContext, token: str) -> str:
    """The alias of the element type a removed block type names (a Key or an alias)."""
    for side in (ctx.current, ctx.incoming):
        found = side.find_entry("ContentType", token, "")
        if found is not None and found.alias:
            return found.alias
    return token


def _parts(ctx: AnalysisContext, change: Narrowing) -> list[str]:
    parts: list[str] = []
    if change.removed_items:
        parts.append(f"items removed: {listed(sorted(change.removed_items))}")
    if change.lowered_limits:
        parts.append(f"limits lowered: {', '.join(sorted(change.lowered_limits))}")
    if change.removed_types:
        names = sorted(type_name(ctx, t) for t in change.removed_types)
        parts.append(f"allowed types removed: {listed(names)}")
    if change.narrowed_filter:
        parts.append(f"picker filter narrowed: {listed(sorted(change.narrowed_filter))}")
    return parts
