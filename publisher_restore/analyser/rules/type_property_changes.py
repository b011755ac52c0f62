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
from publisher_restore.analyser.impact import describe, describe_held, is_filled
from publisher_restore.analyser.rules.base import Rule
from publisher_restore.analyser.rules.data_types import mentions, type_resolver
from publisher_restore.analyser.rules.type_properties import property_pairs
from publisher_restore.analyser.rules.type_support import instances, users_impact
from publisher_restore.analyser.sides import alias_key
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
        held = describe_held(impact, noun)
        message = (
            f"Moving property '{old.alias}' on '{cur.alias}' from data type '{move.old_name}' "
            f"({move.old_editor}) to '{move.new_name}' ({move.new_editor}) hands {held} to "
            f"{move.verdict()}."
        )
        severity = Severity.NOTICE if move.safe and not move.narrowed else Severity.RISKY
        return self.finding(
            Subject(cur, inc, old), message, move.detail(old, new), impact, severity
        )


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
        impact: Impact | None = None
        if ctx.content.countable(cur.item_type):
            key = alias_key(p.alias)
            items = instances(ctx, ctx.current_graph.users(cur))
            empty = [
                i
                for i in items
                if not any(alias_key(v.alias) == key and is_filled(v) for v in i.values)
            ]
            impact = Impact(items=len(empty))
        count = f"; {impact.items} current items have no value" if impact else ""
        message = (
            f"Property '{p.alias}' on '{cur.alias}' becomes mandatory{count}: they fail "
            "validation on their next save."
        )
        detail = {"old": {"mandatory": False}, "new": {"mandatory": True}}
        return self.finding(Subject(cur, inc, p), message, detail, impact)

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
        failing = f"; {describe(impact, noun)} do not match it" if impact else ""
        message = f"Property '{p.alias}' on '{cur.alias}' gets validation pattern '{new}'{failing}."
        detail = {"old": {"validation": old}, "new": {"validation": new}}
        return self.finding(Subject(cur, inc, p), message, detail, impact)
