"""DC103 and DC104: compositions and parents removed, resolved transitively."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from publisher_restore.analyser.context import AnalysisContext, Subject
from publisher_restore.analyser.findings import Finding, Severity
from publisher_restore.analyser.rules.base import Rule
from publisher_restore.analyser.rules.type_support import (
    deletes_phrase,
    loss_impact,
    still_reaches,
)
from publisher_restore.analyser.typegraph import OwnedProperty
from publisher_restore.analyser.wording import listed, plural
from publisher_restore.usync.identity import ref_in, same_ref
from publisher_restore.usync.models import ContentTypeItem, ItemRef


def lost_through(
    ctx: AnalysisContext, cur: ContentTypeItem, inc: ContentTypeItem, ref: ItemRef
) -> list[OwnedProperty]:
    """Properties ``cur`` got through ``ref`` that the type no longer gets any other way."""
    kept = ctx.after_graph.effective(inc)
    return [
        owned
        for owned in ctx.current_graph.inherited_from(cur, ref)
        if not still_reaches(ctx, kept, owned)
    ]


def source_deleted(ctx: AnalysisContext, cur: ContentTypeItem, ref: ItemRef) -> bool:
    """The composition or parent ``ref`` names is itself deleted: DC102 reports that loss."""
    source = ctx.current_graph.resolve(ref, cur.item_type)
    return source is not None and ctx.after_of(source) is None


def lost_names(lost: list[OwnedProperty]) -> list[str]:
    """Sorted aliases of lost properties."""
    return sorted(owned.prop.alias for owned in lost)


def lost_phrase(lost: list[OwnedProperty]) -> str:
    """ "property 'a'", "properties 'a', 'b' and 'c'"."""
    return f"{plural('property', len(lost))} {listed(lost_names(lost))}"


def _type_pairs(ctx: AnalysisContext) -> Iterator[tuple[ContentTypeItem, ContentTypeItem]]:
    for cur, inc, _ in ctx.pairs(ContentTypeItem):
        yield cur, inc


class CompositionRemovedRule(Rule):
    """DC103: a composition removed from a type takes its (and its compositions') properties."""

    code = "DC103"
    severity = Severity.DAMAGING
    title = "Composition removed"
    why = (
        "The values of every property that came from that composition are deleted for all "
        "content of the type."
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One finding per removed composition that loses at least one property."""
        for cur, inc in _type_pairs(ctx):
            remaining = (*inc.compositions, *([inc.parent] if inc.parent else []))
            for ref in cur.compositions:
                # uSync lists the parent among the compositions too; DC104 reports it
                if cur.parent is not None and same_ref(ref, cur.parent):
                    continue
                if not ref_in(ref, remaining) and not source_deleted(ctx, cur, ref):
                    yield from self._removed(ctx, cur, inc, ref)

    def _removed(
        self, ctx: AnalysisContext, cur: ContentTypeItem, inc: ContentTypeItem, ref: ItemRef
    ) -> Iterator[Finding]:
        lost = lost_through(ctx, cur, inc, ref)
        if not lost:
            return
        impact, noun = loss_impact(ctx, cur, lost)
        message = (
            f"Removing composition '{ref.alias}' from '{cur.alias}' removes "
            f"{lost_phrase(lost)}, which {deletes_phrase(ctx, cur, impact, noun)}."
        )
        detail = {
            "composition": {"key": ref.key, "alias": ref.alias},
            "lost_properties": lost_names(lost),
        }
        yield self.finding(Subject(cur, inc), message, detail, impact)


class ParentChangedRule(Rule):
    """DC104: the parent (master) type removed or changed; inherited values are deleted."""

    code = "DC104"
    severity = Severity.DAMAGING
    title = "Parent type removed or changed"
    why = "Implemented as a composition change: inherited properties' values are deleted."

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One finding per type whose old parent's properties are lost."""
        for cur, inc in _type_pairs(ctx):
            old = cur.parent
            if old is None or (inc.parent is not None and same_ref(old, inc.parent)):
                continue
            if ref_in(old, inc.compositions) or source_deleted(ctx, cur, old):
                continue
            lost = lost_through(ctx, cur, inc, old)
            if not lost:
                continue
            impact, noun = loss_impact(ctx, cur, lost)
            new = inc.parent.alias if inc.parent else None
            change = f"changing its parent to '{new}'" if new else "removing its parent"
            message = (
                f"{change.capitalize()} ('{old.alias}' before) on '{cur.alias}' removes "
                f"inherited {lost_phrase(lost)}, which {deletes_phrase(ctx, cur, impact, noun)}."
            )
            detail = {
                "old_parent": {"key": old.key, "alias": old.alias},
                "new_parent": {"key": inc.parent.key, "alias": inc.parent.alias}
                if inc.parent
                else None,
                "lost_properties": lost_names(lost),
            }
            yield self.finding(Subject(cur, inc), message, detail, impact)
