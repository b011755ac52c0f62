"""DC102 and DC110: whole content, media and member types deleted or renamed."""

from __future__ import annotations

from collections.abc import Iterable

from publisher_restore.analyser.context import AnalysisContext, Subject
from publisher_restore.analyser.findings import Finding, Impact, Severity
from publisher_restore.analyser.impact import noun_for
from publisher_restore.analyser.rules.base import Rule
from publisher_restore.analyser.rules.type_support import (
    TYPE_FAMILIES,
    add_instances,
    add_loss,
    blocks,
    family_name,
    instances,
)
from publisher_restore.analyser.wording import describe, listed, not_counted, verb
from publisher_restore.usync.models import ContentTypeItem, EmptyItem


def heirs(ctx: AnalysisContext, item: ContentTypeItem) -> list[ContentTypeItem]:
    """The types that compose or inherit ``item`` (transitively) and stay after the import."""
    return [
        user
        for user in ctx.current_graph.users(item)
        if user is not item and isinstance(ctx.after_of(user), ContentTypeItem)
    ]


class TypeDeletedRule(Rule):
    """DC102: a type is deleted (Empty/Delete, or absent from an authoritative set).

    An element type's blocks are orphaned: the block editor can no longer read them and
    Umbraco drops them on the next save.  An element type that no block uses, and that
    takes no value from the types composing it, is deleted harmlessly: no finding.
    """

    code = "DC102"
    severity = Severity.DAMAGING
    title = "Type deleted"
    why = "All content of that type is deleted; descendants of other types go to the recycle bin."

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One finding per deleted type, counting its content and what its users lose."""
        for deletion in ctx.deleted(*TYPE_FAMILIES):
            item = deletion.item
            if isinstance(item, ContentTypeItem):
                finding = self._deleted(ctx, item, deletion.marker)
                if finding is not None:
                    yield finding

    def _deleted(
        self, ctx: AnalysisContext, item: ContentTypeItem, marker: EmptyItem | None
    ) -> Finding | None:
        how = "a Delete marker" if marker is not None else "its absence from the incoming set"
        lead = f"Deleting {family_name(item)} '{item.alias}' ({how})"
        inheriting = heirs(ctx, item)
        detail = {"old": {"alias": item.alias}, "new": None}
        if not ctx.content.countable(item.item_type):
            message = f"{lead} {self._uncounted(ctx, item)}{_heirs_note(inheriting, None, '')}."
            return self.finding(Subject(item, marker), message, detail, None)
        props = ctx.current_graph.effective(item).values()
        own = add_instances(ctx, ctx.content.tally(), [item], whole=True)
        lost = add_loss(ctx, ctx.content.tally(), item, props)
        total = add_instances(ctx, ctx.content.tally(), [item], whole=True)
        impact = add_loss(ctx, total, item, props).impact()
        if item.is_element and impact.is_zero:
            return None  # no block uses it and no composing type loses a value
        own_impact, noun = own.impact(), noun_for(total.counted())
        lost_impact = lost.impact()
        if inheriting and not (own_impact.items or own_impact.blocks):
            what = _heirs_only(inheriting, lost_impact, noun)
        else:
            what = (
                f"{self._own(item, own_impact, noun)}{_heirs_note(inheriting, lost_impact, noun)}"
            )
        message = f"{lead} {what}."
        return self.finding(Subject(item, marker), message, detail, impact)

    @staticmethod
    def _uncounted(ctx: AnalysisContext, item: ContentTypeItem) -> str:
        reason = not_counted(ctx.content.uncounted_reason(item.item_type))
        if item.item_type == "MemberType":
            return f"deletes every member of that type ({reason})"
        if item.is_element:
            return f"orphans every block of that type ({reason})"
        return f"deletes all content of that type ({reason})"

    @staticmethod
    def _own(item: ContentTypeItem, own: Impact, noun: str) -> str:
        if item.is_element:
            if not own.blocks:
                return "orphans no block (no current block is of that type)"
            return f"orphans its blocks: {describe(own, noun)}"
        if not own.items:
            return f"deletes no content (no current {noun} is of that type)"
        return f"deletes {describe(own, noun)}"


def _which(inheriting: list[ContentTypeItem]) -> str:
    """ "'a' and 'b', which inherit or compose it"."""
    n = len(inheriting)
    names = listed(sorted(user.alias for user in inheriting))
    return f"{names}, which {verb(n, 'inherits', 'inherit')} or {verb(n, 'composes', 'compose')} it"


def _heirs_only(inheriting: list[ContentTypeItem], lost: Impact, noun: str) -> str:
    """'takes its properties from 'a', which composes it, and deletes 7 values on 4 pages'."""
    deletes = (
        f"deletes {describe(lost, noun)}"
        if lost.values
        else f"deletes no stored value (no current {noun} holds one)"
    )
    return f"takes its properties from {_which(inheriting)}, and {deletes}"


def _heirs_note(inheriting: list[ContentTypeItem], lost: Impact | None, noun: str) -> str:
    """'; 'a' and 'b', which inherit or compose it, lose its properties and 7 values on 4 pages'."""
    if not inheriting:
        return ""
    loses = f"{verb(len(inheriting), 'loses', 'lose')} its properties"
    if lost is not None:
        loses += f" and {describe(lost, noun)}" if lost.values else " (no value stored)"
    return f"; {_which(inheriting)}, {loses}"


class TypeRenamedRule(Rule):
    """DC110: the type alias changes while its Key stays.

    Nested Content names its element types by alias, and Umbraco does not rewrite stored
    values on a rename: those items no longer load and are dropped on the next save (risky,
    counted).  Block List, Block Grid and rich-text blocks name them by Key and keep working.
    """

    code = "DC110"
    severity = Severity.NOTICE
    title = "Type alias changed"
    why = "Views, generated models and queries by alias break."

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One finding per renamed type."""
        for cur, inc, pair in ctx.pairs(ContentTypeItem):
            if pair.recreated or cur.alias == inc.alias:
                continue
            rename = f"Renaming {family_name(cur)} '{cur.alias}' to '{inc.alias}'"
            detail = {"old": {"alias": cur.alias}, "new": {"alias": inc.alias}}
            breaks = f"views, models and queries that use '{cur.alias}' break"
            if not ctx.content.countable(cur.item_type):
                message = f"{rename} keeps its content, but {breaks}."
                yield self.finding(Subject(cur, inc), message, detail, None)
                continue
            held = blocks(ctx, [cur])
            by_alias = [h for h in held if h.block.element_alias is not None]
            if by_alias:
                tally = ctx.content.tally().add_blocks(by_alias, whole=True)
                impact = tally.impact()
                message = (
                    f"{rename} strands its Nested Content items, which name it by alias: "
                    f"{describe(impact, noun_for(tally.counted()))} no longer load and are "
                    f"dropped on the next save; {breaks}."
                )
                yield self.finding(Subject(cur, inc), message, detail, impact, Severity.RISKY)
                continue
            pages = {id(h.page) for h in held}
            impact = Impact(items=len(instances(ctx, [cur])) + len(pages), blocks=len(held))
            kept = "its blocks (they name it by Key)" if held else "its content"
            message = f"{rename} keeps {kept}, but {breaks}."
            yield self.finding(Subject(cur, inc), message, detail, impact)
