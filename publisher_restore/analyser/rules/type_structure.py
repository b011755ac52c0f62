"""DC111: allowed children removed, AllowAtRoot turned off, or IsElement toggled."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from publisher_restore.analyser.context import AnalysisContext, Subject
from publisher_restore.analyser.findings import Finding, Impact, Severity
from publisher_restore.analyser.identity import ref_in
from publisher_restore.analyser.rules.base import Rule
from publisher_restore.analyser.rules.type_support import instances
from publisher_restore.analyser.sides import alias_key
from publisher_restore.usync.models import ContentItem, ContentTypeItem, ItemRef

ZERO_KEY = "00000000-0000-0000-0000-000000000000"


def at_root(item: ContentItem) -> bool:
    """A content item directly under the root of its tree."""
    return not item.parent_key or item.parent_key == ZERO_KEY


class StructureNarrowedRule(Rule):
    """DC111: content becomes invalid where it stands, or editors can no longer edit it."""

    code = "DC111"
    severity = Severity.NOTICE
    title = "Allowed structure narrowed"
    why = "Existing content becomes invalid where it stands; editors cannot create or edit it."

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One finding per narrowing aspect of each type."""
        for cur, inc, _ in ctx.pairs(ContentTypeItem):
            removed = [ref for ref in cur.structure if not ref_in(ref, inc.structure)]
            if removed:
                yield self._children(ctx, cur, inc, removed)
            if cur.allow_at_root and inc.allow_at_root is False:
                yield from self._root(ctx, cur, inc)
            if None not in (cur.is_element, inc.is_element) and cur.is_element != inc.is_element:
                yield self._element(ctx, cur, inc)

    def _children(
        self,
        ctx: AnalysisContext,
        cur: ContentTypeItem,
        inc: ContentTypeItem,
        removed: list[ItemRef],
    ) -> Finding:
        impact = None
        if ctx.content.countable(cur.item_type):
            gone = {alias_key(ref.alias) for ref in removed}
            hits = [
                child
                for parent in instances(ctx, [cur])
                for child in ctx.content.children_of(parent.key)
                if alias_key(child.content_type) in gone
            ]
            impact = Impact(items=len(hits))
        aliases = sorted(ref.alias for ref in removed)
        where = f"; {impact.items} existing children become invalid" if impact else ""
        message = (
            f"'{cur.alias}' no longer allows children of type "
            f"{', '.join(repr(a) for a in aliases)}{where}."
        )
        detail = {"removed_children": aliases}
        return self.finding(Subject(cur, inc), message, detail, impact)

    def _root(
        self, ctx: AnalysisContext, cur: ContentTypeItem, inc: ContentTypeItem
    ) -> Iterator[Finding]:
        impact = None
        if ctx.content.countable(cur.item_type):
            impact = Impact(items=sum(1 for i in instances(ctx, [cur]) if at_root(i)))
        where = f"; {impact.items} items stand at the root" if impact else ""
        message = f"'{cur.alias}' is no longer allowed at the root{where}."
        detail = {"old": {"allow_at_root": True}, "new": {"allow_at_root": False}}
        yield self.finding(Subject(cur, inc), message, detail, impact)

    def _element(self, ctx: AnalysisContext, cur: ContentTypeItem, inc: ContentTypeItem) -> Finding:
        impact = None
        if ctx.content.countable(cur.item_type):
            impact = Impact(items=len(instances(ctx, [cur])))
        became = "an element type" if inc.is_element else "a page type"
        message = f"'{cur.alias}' becomes {became}; existing content of it cannot be edited."
        detail = {"old": {"is_element": cur.is_element}, "new": {"is_element": inc.is_element}}
        return self.finding(Subject(cur, inc), message, detail, impact)
