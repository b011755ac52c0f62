"""DC111: allowed children removed, AllowAtRoot turned off, or IsElement toggled."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from publisher_restore.analyser.context import AnalysisContext, Subject
from publisher_restore.analyser.findings import Finding, Impact, Severity
from publisher_restore.analyser.rules.base import Rule
from publisher_restore.analyser.rules.type_support import blocks, instances
from publisher_restore.analyser.sides import alias_key
from publisher_restore.analyser.wording import counted, listed, not_counted, plural, verb
from publisher_restore.usync.identity import ref_in
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
        if impact is None:
            where = f" ({not_counted(ctx.content.uncounted_reason(cur.item_type))})"
        elif not impact.items:
            where = "; no existing child is of those types"
        else:
            n = impact.items
            where = f"; {counted(n, 'existing child', 'no')} {verb(n, 'becomes', 'become')} invalid"
        message = (
            f"'{cur.alias}' no longer allows children of {plural('type', len(aliases))} "
            f"{listed(aliases)}{where}."
        )
        detail = {"removed_children": aliases}
        return self.finding(Subject(cur, inc), message, detail, impact)

    def _root(
        self, ctx: AnalysisContext, cur: ContentTypeItem, inc: ContentTypeItem
    ) -> Iterator[Finding]:
        impact = None
        if ctx.content.countable(cur.item_type):
            impact = Impact(items=sum(1 for i in instances(ctx, [cur]) if at_root(i)))
        if impact is None:
            where = f" ({not_counted(ctx.content.uncounted_reason(cur.item_type))})"
        elif not impact.items:
            where = "; no current item of it stands at the root"
        else:
            n = impact.items
            where = f"; {counted(n, 'item')} of it {verb(n, 'stands', 'stand')} at the root"
        message = f"'{cur.alias}' is no longer allowed at the root{where}."
        detail = {"old": {"allow_at_root": True}, "new": {"allow_at_root": False}}
        yield self.finding(Subject(cur, inc), message, detail, impact)

    def _element(self, ctx: AnalysisContext, cur: ContentTypeItem, inc: ContentTypeItem) -> Finding:
        impact = None
        became = "an element type" if inc.is_element else "a page type"
        if not ctx.content.countable(cur.item_type):
            reason = not_counted(ctx.content.uncounted_reason(cur.item_type))
            what = f"existing content of it cannot be edited ({reason})"
        elif cur.is_element:
            held = blocks(ctx, [cur])
            pages = len({id(h.page) for h in held})
            impact = Impact(items=pages, blocks=len(held), block_items=pages)
            what = (
                f"its {counted(len(held), 'block')} on {counted(pages, 'page')} can no longer "
                "be edited"
                if held
                else "no current block uses it"
            )
        else:
            pages = len(instances(ctx, [cur]))
            impact = Impact(items=pages)
            what = (
                f"its {counted(pages, 'existing page')} can no longer be edited"
                if pages
                else "no current page is of that type"
            )
        message = f"'{cur.alias}' becomes {became}; {what}."
        detail = {"old": {"is_element": cur.is_element}, "new": {"is_element": inc.is_element}}
        return self.finding(Subject(cur, inc), message, detail, impact)
