"""DC108 and DC112: a property's data type or its validation changes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from publisher_restore.analyser.compat import (
    Compatibility,
    editor_compatibility,
    storage_compatible,
)
from publisher_restore.analyser.config_narrowing import Narrowing, narrowing, parsed_config
from publisher_restore.analyser.context import AnalysisContext, Subject
from publisher_restore.analyser.findings import Finding, Impact, Severity
from publisher_restore.analyser.impact import filled_text, is_filled, noun_for
from publisher_restore.analyser.rules.base import Rule
from publisher_restore.analyser.rules.data_types import mentions, type_resolver
from publisher_restore.analyser.rules.type_properties import property_pairs
from publisher_restore.analyser.rules.type_support import (
    blocks,
    holder_noun,
    instances,
    users_impact,
)
from publisher_restore.analyser.sides import alias_key
from publisher_restore.analyser.wording import counted, describe, not_counted, verb
from publisher_restore.usync.models import (
    ContentTypeItem,
    DataTypeItem,
    PropertyType,
    PropertyValue,
)


def _data_type(found: object) -> DataTypeItem | None:
    return found if isinstance(found, DataTypeItem) else None


class DataTypeChangedRule(Rule):
    """DC108: a property moves to another data type; risky unless the editors are compatible."""

    code = "DC108"
    severity = Severity.RISKY
    title = "Property data type changed"
    why = (
        "Stored values are read by another editor; incompatible formats fail to render or are "
        "lost on the next save. A change between compatible editors is a notice."
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One finding per property whose Definition changes to another data type."""
        for cur, inc, _ in ctx.pairs(ContentTypeItem):
            for prop, match in property_pairs(cur, inc):
                if match is not None and self._changed(prop, match):
                    finding = self._judge(ctx, cur, inc, prop, match)
                    if finding is not None:
                        yield finding

    @staticmethod
    def _changed(old: PropertyType, new: PropertyType) -> bool:
        if old.definition and new.definition:
            return old.definition.casefold() != new.definition.casefold()
        return alias_key(old.editor_alias) != alias_key(new.editor_alias)

    def _judge(
        self,
        ctx: AnalysisContext,
        cur: ContentTypeItem,
        inc: ContentTypeItem,
        old: PropertyType,
        new: PropertyType,
    ) -> Finding | None:
        old_dt = _data_type(ctx.current.find("DataType", old.definition, ""))
        new_dt = _data_type(ctx.after.find("DataType", new.definition, ""))
        if old_dt is not None and new_dt is not None and ctx.after_of(old_dt) is new_dt:
            return None  # the same data type under a new Key (DC114 reports the re-creation)
        move = _Move.between(ctx, old, new, old_dt, new_dt)
        tokens = move.narrowed.tokens() if move.narrowed else None
        impact, noun = users_impact(ctx, cur, old, mentions(tokens) if tokens else None)
        lead = (
            f"Moving property '{old.alias}' on '{cur.alias}' from data type '{move.old_name}' "
            f"({move.old_editor}) to '{move.new_name}' ({move.new_editor})"
        )
        detail = move.detail(old, new)
        if old_dt is not None and ctx.after_of(old_dt) is None:
            # data types import first: deleting the old one deletes the property's values
            detail["old_data_type_deleted"] = True
            message = (
                f"{lead} comes too late for {_held(ctx, cur, impact, noun)}: data type "
                f"'{move.old_name}' is deleted first (DC201), which deletes them; the property "
                "starts empty."
            )
            return self.finding(Subject(cur, inc, old), message, detail, impact, Severity.NOTICE)
        message = f"{lead} hands {_held(ctx, cur, impact, noun)} to {move.verdict()}."
        severity = Severity.NOTICE if move.safe and not move.narrowed else Severity.RISKY
        return self.finding(Subject(cur, inc, old), message, detail, impact, severity)


@dataclass(frozen=True)
class _Move:
    """A property's move from one data type to another, judged by editor and storage."""

    old_name: str | None
    new_name: str | None
    old_editor: str
    new_editor: str
    compat: Compatibility
    same_storage: bool
    narrowed: Narrowing | None

    @classmethod
    def between(
        cls,
        ctx: AnalysisContext,
        old: PropertyType,
        new: PropertyType,
        old_dt: DataTypeItem | None,
        new_dt: DataTypeItem | None,
    ) -> _Move:
        old_editor = old_dt.editor_alias if old_dt else old.editor_alias
        new_editor = new_dt.editor_alias if new_dt else new.editor_alias
        compat = editor_compatibility(old_editor, new_editor)
        return cls(
            old_name=old_dt.name or old_dt.alias if old_dt else old.definition,
            new_name=new_dt.name or new_dt.alias if new_dt else new.definition,
            old_editor=old_editor,
            new_editor=new_editor,
            compat=compat,
            same_storage=storage_compatible(
                old_dt.database_type if old_dt else None, new_dt.database_type if new_dt else None
            ),
            narrowed=_narrower(ctx, old_dt, new_dt) if compat is Compatibility.SAME else None,
        )

    @property
    def safe(self) -> bool:
        return self.compat is not Compatibility.INCOMPATIBLE and self.same_storage

    def verdict(self) -> str:
        if not self.safe:
            return "an editor that may not read them"
        if self.narrowed:
            return "the same editor with a narrower configuration"
        return "a compatible editor; the values are kept"

    def detail(self, old: PropertyType, new: PropertyType) -> dict[str, object]:
        detail: dict[str, object] = {
            "old": {"definition": old.definition, "editor": self.old_editor},
            "new": {"definition": new.definition, "editor": self.new_editor},
            "compatibility": self.compat.value,
            "storage_changed": not self.same_storage,
        }
        if self.narrowed:
            detail["narrowed"] = self.narrowed.as_detail()
        return detail


def _held(ctx: AnalysisContext, owner: ContentTypeItem, impact: Impact | None, noun: str) -> str:
    """'5 values on 3 pages', 'no stored value (...)', or why they are not counted."""
    if impact is None:
        return f"its values ({not_counted(ctx.content.uncounted_reason(owner.item_type))})"
    if not impact.values:
        return f"no stored value (no current {holder_noun(owner, noun)} holds one)"
    return describe(impact, noun)


def _narrower(
    ctx: AnalysisContext, old: DataTypeItem | None, new: DataTypeItem | None
) -> Narrowing | None:
    """What the new data type's configuration takes away from the old one's (same editor)."""
    if old is None or new is None:
        return None
    change = narrowing(parsed_config(old), parsed_config(new), type_resolver(ctx))
    return change or None


def _regex_test(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:
        return None


class ValidationTightenedRule(Rule):
    """DC112: a property becomes mandatory, or gets a new validation pattern."""

    code = "DC112"
    severity = Severity.NOTICE
    title = "Property validation tightened"
    why = "Existing content fails validation on its next save."

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One finding per property made mandatory, one per new or changed pattern."""
        for cur, inc, _ in ctx.pairs(ContentTypeItem):
            for prop, match in property_pairs(cur, inc):
                if match is None:
                    continue
                if match.mandatory and not prop.mandatory:
                    yield self._mandatory(ctx, cur, inc, prop)
                new, old = match.validation.strip(), prop.validation.strip()
                if new and new != old:
                    yield self._pattern(ctx, cur, inc, prop, old, new)

    def _mandatory(
        self, ctx: AnalysisContext, cur: ContentTypeItem, inc: ContentTypeItem, p: PropertyType
    ) -> Finding:
        lead = f"Property '{p.alias}' on '{cur.alias}' becomes mandatory"
        detail = {"old": {"mandatory": False}, "new": {"mandatory": True}}
        if not ctx.content.countable(cur.item_type):
            reason = not_counted(ctx.content.uncounted_reason(cur.item_type))
            message = (
                f"{lead} ({reason}): items without a value fail validation on their next save."
            )
            return self.finding(Subject(cur, inc, p), message, detail, None)
        lacking = _lacking(ctx, cur, p)
        message = f"{lead}; {lacking.phrase()}."
        return self.finding(Subject(cur, inc, p), message, detail, lacking.impact)

    def _pattern(
        self,
        ctx: AnalysisContext,
        cur: ContentTypeItem,
        inc: ContentTypeItem,
        p: PropertyType,
        old: str,
        new: str,
    ) -> Finding:
        compiled = _regex_test(new)

        def fails(value: PropertyValue) -> bool:
            return compiled is not None and compiled.search(value.value) is None

        impact, noun = users_impact(ctx, cur, p, fails)
        if impact is None:
            failing = f" ({not_counted(ctx.content.uncounted_reason(cur.item_type))})"
        elif not impact.values:
            failing = "; no current value fails it"
        else:
            failing = f"; {describe(impact, noun)} {verb(impact.values, 'does', 'do')} not match it"
        message = f"Property '{p.alias}' on '{cur.alias}' gets validation pattern '{new}'{failing}."
        detail = {"old": {"validation": old}, "new": {"validation": new}}
        return self.finding(Subject(cur, inc, p), message, detail, impact)


def _lacking(ctx: AnalysisContext, owner: ContentTypeItem, prop: PropertyType) -> _Lacking:
    """Pages, and blocks (of element types), of ``owner`` and its users without a value."""
    key = alias_key(prop.alias)
    users = ctx.current_graph.users(owner)
    pages = [
        item
        for item in instances(ctx, users)
        if not any(alias_key(v.alias) == key and is_filled(v) for v in item.values)
    ]
    held = [
        h
        for h in blocks(ctx, users)
        if not any(alias_key(v.alias) == key and filled_text(v.text) for v in h.block.values)
    ]
    holders = {id(h.page) for h in held}
    impact = Impact(
        items=len({id(i) for i in pages} | holders), blocks=len(held), block_items=len(holders)
    )
    return _Lacking(impact, len(pages), noun_for([*pages, *(h.page for h in held)]))


@dataclass(frozen=True)
class _Lacking:
    impact: Impact
    pages: int
    noun: str

    def phrase(self) -> str:
        """'3 current pages have no value: they fail validation on their next save'."""
        impact = self.impact
        if not impact.items:
            return "no current page or block lacks a value"
        parts = []
        if self.pages:
            have = verb(self.pages, "has", "have")
            parts.append(f"{counted(self.pages, 'current ' + self.noun)} {have} no value")
        if impact.blocks:
            have = verb(impact.blocks, "has", "have")
            where = counted(impact.block_items, self.noun)
            parts.append(f"{counted(impact.blocks, 'block')} on {where} {have} no value")
        fail = (
            f"that {self.noun} fails"
            if impact.items == 1
            else f"those {counted(impact.items, self.noun)} fail"
        )
        return f"{' and '.join(parts)}: {fail} validation on the next save"
