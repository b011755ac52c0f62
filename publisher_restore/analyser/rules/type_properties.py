"""DC101, DC105, DC109: properties of a type removed, orphaned by a tab removal, or renamed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from publisher_restore.analyser.context import AnalysisContext, Subject
from publisher_restore.analyser.findings import Finding, Severity
from publisher_restore.analyser.rules.base import Rule
from publisher_restore.analyser.rules.type_support import (
    blocks,
    deletes_phrase,
    loss_impact,
    names,
    result,
)
from publisher_restore.analyser.sides import alias_key
from publisher_restore.analyser.typegraph import OwnedProperty, PropertySet
from publisher_restore.analyser.wording import describe, listed, plural
from publisher_restore.usync.models import ContentTypeItem, PropertyType, Tab


def own_set(item: ContentTypeItem) -> PropertySet:
    """The type's own properties, looked up by Key then Alias."""
    found = PropertySet()
    for prop in item.properties:
        found.add(OwnedProperty(prop, item))
    return found


def property_pairs(
    cur: ContentTypeItem, inc: ContentTypeItem
) -> Iterator[tuple[PropertyType, PropertyType | None]]:
    """Each current own property with its incoming match (Key, then Alias), or None."""
    incoming = own_set(inc)
    for prop in cur.properties:
        match = incoming.find(prop)
        yield prop, match.prop if match else None


class PropertyRemovedRule(Rule):
    """DC101: a property is gone from the incoming type (neither its Key nor its Alias)."""

    code = "DC101"
    severity = Severity.DAMAGING
    title = "Property removed"
    why = (
        "Umbraco deletes the property type and every stored value of it, in all versions "
        "and cultures."
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One finding per removed property, with the values it takes."""
        for cur, inc, _ in ctx.pairs(ContentTypeItem):
            for prop, match in property_pairs(cur, inc):
                if match is None:
                    yield self._removed(ctx, cur, inc, prop)

    def _removed(
        self, ctx: AnalysisContext, cur: ContentTypeItem, inc: ContentTypeItem, prop: PropertyType
    ) -> Finding:
        impact, noun = loss_impact(ctx, cur, [OwnedProperty(prop, cur)])
        deletes = deletes_phrase(ctx, cur, impact, noun)
        message = f"Removing property '{prop.alias}' from '{cur.alias}' {deletes}."
        detail = {
            "old": {
                "alias": prop.alias,
                "definition": prop.definition,
                "editor": prop.editor_alias,
            },
            "new": None,
        }
        return self.finding(Subject(cur, inc, prop), message, detail, impact)


def _tab_matches(tab: Tab, ref_alias: str | None, ref_name: str | None) -> bool:
    if ref_alias and tab.alias and alias_key(tab.alias) == alias_key(ref_alias):
        return True
    return bool(ref_name) and alias_key(tab.caption) == alias_key(ref_name or "")


def _tab_of(prop: PropertyType, tabs: tuple[Tab, ...]) -> Tab | None:
    return next((t for t in tabs if _tab_matches(t, prop.tab_alias, prop.tab_name)), None)


def _same_tab(a: Tab, b: Tab) -> bool:
    if a.key and b.key and a.key == b.key:
        return True
    return _tab_matches(b, a.alias, a.caption)


class TabRemovedRule(Rule):
    """DC105: a tab or group that still holds properties is removed, leaving them orphaned."""

    code = "DC105"
    severity = Severity.DAMAGING
    title = "Tab or group removed with its properties"
    why = "The orphaned properties are deleted with their values."

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One finding per removed tab whose properties are still listed under it."""
        for cur, inc, _ in ctx.pairs(ContentTypeItem):
            for tab in cur.tabs:
                if any(_same_tab(tab, other) for other in inc.tabs):
                    continue
                orphans = self._orphans(cur, inc, tab)
                if orphans:
                    yield self._finding(ctx, cur, inc, tab, orphans)

    def _orphans(self, cur: ContentTypeItem, inc: ContentTypeItem, tab: Tab) -> list[PropertyType]:
        held = PropertySet()
        for prop in cur.properties:
            if _tab_of(prop, (tab,)) is not None:
                held.add(OwnedProperty(prop, cur))
        return [
            prop
            for prop in inc.properties
            if held.find(prop) is not None
            and _tab_of(prop, (tab,)) is not None
            and _tab_of(prop, inc.tabs) is None
        ]

    def _finding(
        self,
        ctx: AnalysisContext,
        cur: ContentTypeItem,
        inc: ContentTypeItem,
        tab: Tab,
        orphans: list[PropertyType],
    ) -> Finding:
        # the orphans are still listed, so they look kept: count them as lost regardless
        lost = [OwnedProperty(prop, cur) for prop in orphans]
        impact, noun = loss_impact(ctx, cur, lost, unless_kept=False)
        label = tab.alias or tab.caption
        message = (
            f"Removing tab '{label}' from '{cur.alias}' orphans "
            f"{plural('property', len(orphans))} {listed(names(orphans))}, which "
            f"{deletes_phrase(ctx, cur, impact, noun)}."
        )
        detail = {
            "tab": {"key": tab.key, "alias": tab.alias, "caption": tab.caption},
            "orphaned_properties": names(orphans),
        }
        return self.finding(Subject(cur, inc), message, detail, impact)


class PropertyRenamedRule(Rule):
    """DC109: a property's alias changes while its Key stays: values kept, templates break.

    Values in blocks are the exception: block JSON keys each value by property *alias*, and
    Umbraco does not rewrite stored blocks on a rename (Umbraco-CMS issue #23864), so an
    element type's renamed property starts empty and the old values are dropped on the next
    save: risky, counting those values.
    """

    code = "DC109"
    severity = Severity.NOTICE
    title = "Property alias changed"
    why = "Values are kept, but templates and generated models that use the old alias break."

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One finding per renamed property."""
        for cur, inc, _ in ctx.pairs(ContentTypeItem):
            for prop, match in property_pairs(cur, inc):
                if match is not None and match.alias != prop.alias:
                    yield self._renamed(ctx, cur, inc, prop, match)

    def _renamed(
        self,
        ctx: AnalysisContext,
        cur: ContentTypeItem,
        inc: ContentTypeItem,
        prop: PropertyType,
        match: PropertyType,
    ) -> Finding:
        users = ctx.current_graph.users(cur)
        aliases = {alias_key(prop.alias)}
        detail = {"old": {"alias": prop.alias}, "new": {"alias": match.alias}}
        subject = Subject(cur, inc, prop)
        rename = f"Renaming property '{prop.alias}' to '{match.alias}' on '{cur.alias}'"
        stranded, noun = result(
            ctx, ctx.content.tally().add_blocks(blocks(ctx, users), aliases), cur.item_type
        )
        if stranded is not None and stranded.values:
            message = (
                f"{rename} strands {describe(stranded, noun)}: blocks store values by alias, "
                f"so the property starts empty and the old values are dropped on the next save."
            )
            return self.finding(subject, message, detail, stranded, Severity.RISKY)
        pages = ctx.content.records_of_types(users)
        impact, _ = result(ctx, ctx.content.tally().add(pages, aliases), cur.item_type)
        message = (
            f"{rename} keeps its values, but templates and models that use '{prop.alias}' break."
        )
        return self.finding(subject, message, detail, impact)
