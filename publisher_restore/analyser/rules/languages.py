"""DC301 and DC302: languages deleted, the default language or an ISO code changed."""

from __future__ import annotations

from collections.abc import Iterable

from publisher_restore.analyser.context import AnalysisContext, Subject
from publisher_restore.analyser.findings import Finding, Impact, Severity
from publisher_restore.analyser.impact import noun_for
from publisher_restore.analyser.rules.base import Rule
from publisher_restore.analyser.sides import culture_key
from publisher_restore.analyser.wording import counted, describe
from publisher_restore.usync.models import LanguageItem, PropertyValue


def iso_of(item: LanguageItem) -> str:
    """The language's ISO code (the alias when the file has none)."""
    return item.iso_code or item.alias


def culture_impact(ctx: AnalysisContext, iso: str) -> tuple[Impact | None, str]:
    """Filled values in one culture (on pages, and blocks' own), and the items holding them
    or a name in it."""
    if not ctx.content.has_content:
        return None, "page"
    folded = culture_key(iso)

    def in_culture(value: PropertyValue) -> bool:
        return folded is not None and culture_key(value.culture) == folded

    in_blocks = [
        h
        for h in ctx.content.all_blocks()
        if any(culture_key(v.culture) == folded for v in h.block.values)
    ]
    tally = ctx.content.tally().add(ctx.content.records, None, in_culture)
    values = tally.add_blocks(in_blocks, None, in_culture).impact()
    named = {
        id(item): item
        for item in ctx.content.iter_all()
        if any(culture_key(c) == folded for c in item.culture_names)
        or any(in_culture(v) for v in item.values)
    }
    named.update((id(h.page), h.page) for h in in_blocks)
    impact = values.model_copy(update={"items": len(named)})
    return impact, noun_for(named.values())


def held_in_culture(impact: Impact | None, noun: str, unknown: str) -> str:
    """'12 values on 5 pages', 'the names of 3 pages', or ``unknown`` when not counted."""
    if impact is None:
        return f"{unknown} (not counted: the current export has no content or media items)"
    if impact.values:
        return describe(impact, noun)
    if impact.items:
        return f"the names of {counted(impact.items, noun)} (no stored value)"
    return "no stored value (no current page has content in it)"


class LanguageDeletedRule(Rule):
    """DC301: a language is deleted with every value, name and translation in it."""

    code = "DC301"
    severity = Severity.DAMAGING
    title = "Language deleted"
    why = "All property values, names and dictionary translations in that language are deleted."

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One finding per deleted language."""
        for deletion in ctx.deleted("Language"):
            item = deletion.item
            if not isinstance(item, LanguageItem):
                continue
            impact, noun = culture_impact(ctx, iso_of(item))
            held = held_in_culture(impact, noun, "every value in it")
            message = (
                f"Deleting language '{iso_of(item)}' deletes {held}, and its dictionary "
                "translations."
            )
            detail = {"old": {"iso_code": iso_of(item)}, "new": None}
            yield self.finding(Subject(item, deletion.marker), message, detail, impact)


class LanguageChangedRule(Rule):
    """DC302: the default language changes, or a language's ISO code changes."""

    code = "DC302"
    severity = Severity.RISKY
    title = "Default language or ISO code changed"
    why = "Culture-keyed values, domains and URLs no longer line up."

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One finding per ISO change, one for a new default language."""
        for cur, inc, _ in ctx.pairs(LanguageItem):
            if culture_key(iso_of(cur)) != culture_key(iso_of(inc)):
                impact, noun = culture_impact(ctx, iso_of(cur))
                change = f"Changing language ISO code '{iso_of(cur)}' to '{iso_of(inc)}'"
                if impact is not None and impact.is_zero:
                    message = (
                        f"{change} strands no stored value (no current page has content in it)."
                    )
                else:
                    held = held_in_culture(impact, noun, "its values")
                    message = f"{change} leaves {held} keyed to a culture that no longer exists."
                detail = {"old": {"iso_code": iso_of(cur)}, "new": {"iso_code": iso_of(inc)}}
                yield self.finding(Subject(cur, inc), message, detail, impact)
        yield from self._default_changed(ctx)

    def _default_changed(self, ctx: AnalysisContext) -> Iterable[Finding]:
        old = _default(ctx.current.of_type("Language"))
        new = _default(ctx.after.of_type("Language"))
        if old is None or new is None or culture_key(iso_of(old)) == culture_key(iso_of(new)):
            return
        impact, _ = culture_impact(ctx, iso_of(old))
        message = (
            f"The default language changes from '{iso_of(old)}' to '{iso_of(new)}'; invariant "
            "content, domains and URLs follow the new default."
        )
        detail = {"old": {"default": iso_of(old)}, "new": {"default": iso_of(new)}}
        yield self.finding(Subject(old, new), message, detail, impact)


def _default(items: Iterable[object]) -> LanguageItem | None:
    return next((i for i in items if isinstance(i, LanguageItem) and i.is_default), None)
