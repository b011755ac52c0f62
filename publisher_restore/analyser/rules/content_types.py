"""DC102 and DC110: whole content, media and member types deleted or renamed."""

from __future__ import annotations

from collections.abc import Iterable

from publisher_restore.analyser.context import AnalysisContext, Subject
from publisher_restore.analyser.findings import Finding, Impact, Severity
from publisher_restore.analyser.impact import Tally, describe, noun_for
from publisher_restore.analyser.rules.base import Rule
from publisher_restore.analyser.rules.type_support import (
    TYPE_FAMILIES,
    add_loss,
    instances,
)
from publisher_restore.usync.models import ContentTypeItem, EmptyItem

_FAMILY_NAMES = {
    "ContentType": "content type",
    "MediaType": "media type",
    "MemberType": "member type",
}


class TypeDeletedRule(Rule):
    """DC102: a type is deleted (Empty/Delete, or absent from an authoritative set)."""

    code = "DC102"
    severity = Severity.DAMAGING
    title = "Type deleted"
    why = "All content of that type is deleted; descendants of other types go to the recycle bin."

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One finding per deleted type, counting its content and what its users lose."""
        for deletion in ctx.deleted(*TYPE_FAMILIES):
            item = deletion.item
            if isinstance(item, ContentTypeItem):
                yield self._deleted(ctx, item, deletion.marker)

    def _deleted(
        self, ctx: AnalysisContext, item: ContentTypeItem, marker: EmptyItem | None
    ) -> Finding:
        family = _FAMILY_NAMES.get(item.item_type, "type")
        impact: Impact | None = None
        if ctx.content.countable(item.item_type):
            own = instances(ctx, [item])
            props = ctx.current_graph.effective(item).values()
            tally = add_loss(ctx, Tally().add(own, whole=True), item, props)
            impact = tally.impact()
            what = f"deletes {describe(impact, noun_for(tally.counted()))}"
            if not impact.items:
                what = "deletes no content (no current item is of that type or inherits it)"
        elif item.item_type == "MemberType":
            what = "deletes every member of that type (members are not in uSync to count)"
        else:
            what = "deletes all content of that type (no current content to count)"
        how = "a Delete marker" if marker is not None else "its absence from the incoming set"
        message = f"Deleting {family} '{item.alias}' ({how}) {what}."
        detail = {"old": {"alias": item.alias}, "new": None}
        return self.finding(Subject(item, marker), message, detail, impact)


class TypeRenamedRule(Rule):
    """DC110: the type alias changes while its Key stays."""

    code = "DC110"
    severity = Severity.NOTICE
    title = "Type alias changed"
    why = "Views, generated models and queries by alias break."

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One finding per renamed type."""
        for cur, inc, pair in ctx.pairs(ContentTypeItem):
            if pair.recreated or cur.alias == inc.alias:
                continue
            impact = None
            if ctx.content.countable(cur.item_type):
                impact = Impact(items=len(instances(ctx, [cur])))
            message = (
                f"Renaming {_FAMILY_NAMES.get(cur.item_type, 'type')} '{cur.alias}' to "
                f"'{inc.alias}' keeps its content, but views, models and queries that use "
                f"'{cur.alias}' break."
            )
            detail = {"old": {"alias": cur.alias}, "new": {"alias": inc.alias}}
            yield self.finding(Subject(cur, inc), message, detail, impact)
