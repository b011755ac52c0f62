"""DC106, DC107, DC113: a type's or a property's Variations narrows or widens."""

from __future__ import annotations

from collections.abc import Iterable

from publisher_restore.analyser.context import AnalysisContext, Subject
from publisher_restore.analyser.findings import Finding, Impact, Severity
from publisher_restore.analyser.impact import ValueTest
from publisher_restore.analyser.rules.base import Rule
from publisher_restore.analyser.rules.type_properties import property_pairs
from publisher_restore.analyser.rules.type_support import (
    add_instances,
    flags,
    result,
    users_impact,
)
from publisher_restore.analyser.sides import alias_key, culture_key
from publisher_restore.analyser.wording import describe, not_counted
from publisher_restore.usync.models import ContentTypeItem, PropertyValue


def stranded_test(lost: set[str], default: str | None) -> ValueTest:
    """Values a narrowing leaves unreachable: non-default cultures, or any segment."""
    default_key = culture_key(default)

    def test(value: PropertyValue) -> bool:
        if "segment" in lost and value.segment:
            return True
        culture = culture_key(value.culture)
        return "culture" in lost and culture is not None and culture != default_key

    return test


def _invariant(value: PropertyValue) -> bool:
    return not value.culture and not value.segment


def _stranded_phrase(
    ctx: AnalysisContext, item: ContentTypeItem, impact: Impact | None, noun: str
) -> str:
    if impact is None:
        reason = not_counted(ctx.content.uncounted_reason(item.item_type))
        return f"leaves its non-default-language values unreachable ({reason})"
    if impact.values == 0:
        return "strands no stored value"
    return f"leaves {describe(impact, noun)} unreachable"


class TypeVariationNarrowedRule(Rule):
    """DC106: the type's Variations narrows (Culture -> Nothing, ...)."""

    code = "DC106"
    severity = Severity.RISKY
    title = "Type variations narrowed"
    why = (
        "Non-default-language values stay in the database but are no longer reachable; "
        "redirects are cleared."
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One finding per narrowed type."""
        for cur, inc, _ in ctx.pairs(ContentTypeItem):
            lost = flags(cur.variations) - flags(inc.variations)
            if not lost:
                continue
            impact, noun = self._impact(ctx, cur, lost)
            message = (
                f"Narrowing '{cur.alias}' from {cur.variations} to {inc.variations} "
                f"{_stranded_phrase(ctx, cur, impact, noun)}."
            )
            detail = {"old": cur.variations, "new": inc.variations}
            yield self.finding(Subject(cur, inc), message, detail, impact)

    @staticmethod
    def _impact(
        ctx: AnalysisContext, cur: ContentTypeItem, lost: set[str]
    ) -> tuple[Impact | None, str]:
        """Stranded values on the type's own content and, for its own properties, its users'."""
        # Umbraco narrows the type's own properties with it (a property cannot vary more than
        # its declaring type), and that reaches every type composing or inheriting them.
        test = stranded_test(lost, ctx.default_culture)
        tally = add_instances(ctx, ctx.content.tally(), [cur], None, test)
        own = {alias_key(p.alias) for p in cur.properties}
        users = [user for user in ctx.current_graph.users(cur) if user is not cur]
        if own and users:
            add_instances(ctx, tally, users, own, test)
        return result(ctx, tally, cur.item_type)


class PropertyVariationNarrowedRule(Rule):
    """DC107: a property's Variations narrows (skipped where the whole type narrows: DC106)."""

    code = "DC107"
    severity = Severity.RISKY
    title = "Property variations narrowed"
    why = "As DC106, for that property."

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One finding per narrowed property."""
        for cur, inc, _ in ctx.pairs(ContentTypeItem):
            type_lost = flags(cur.variations) - flags(inc.variations)
            for prop, match in property_pairs(cur, inc):
                if match is None:
                    continue
                lost = flags(prop.variations) - flags(match.variations) - type_lost
                if not lost:
                    continue
                test = stranded_test(lost, ctx.default_culture)
                impact, noun = users_impact(ctx, cur, prop, test)
                message = (
                    f"Narrowing property '{prop.alias}' on '{cur.alias}' from {prop.variations} "
                    f"to {match.variations} {_stranded_phrase(ctx, cur, impact, noun)}."
                )
                detail = {"old": prop.variations, "new": match.variations}
                yield self.finding(Subject(cur, inc, prop), message, detail, impact)


class VariationWidenedRule(Rule):
    """DC113: Variations widens (Nothing -> Culture) on a type or a property."""

    code = "DC113"
    severity = Severity.NOTICE
    title = "Variations widened"
    why = "Invariant values move to the default language; other languages start empty."

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One finding per widened type and per widened property."""
        for cur, inc, _ in ctx.pairs(ContentTypeItem):
            if flags(inc.variations) - flags(cur.variations):
                tally = add_instances(ctx, ctx.content.tally(), [cur], None, _invariant)
                impact, _ = result(ctx, tally, cur.item_type)
                message = (
                    f"Widening '{cur.alias}' from {cur.variations} to {inc.variations} moves "
                    "invariant values to the default language; other languages start empty."
                )
                detail = {"old": cur.variations, "new": inc.variations}
                yield self.finding(Subject(cur, inc), message, detail, impact)
            for prop, match in property_pairs(cur, inc):
                if match is None or not flags(match.variations) - flags(prop.variations):
                    continue
                impact, _ = users_impact(ctx, cur, prop, _invariant)
                message = (
                    f"Widening property '{prop.alias}' on '{cur.alias}' from {prop.variations} "
                    f"to {match.variations} moves its invariant values to the default language."
                )
                detail = {"old": prop.variations, "new": match.variations}
                yield self.finding(Subject(cur, inc, prop), message, detail, impact)
