"""DC701-DC703: content and media deleted, cleaned away, or values emptied."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from publisher_restore.analyser.context import AnalysisContext, Subject
from publisher_restore.analyser.findings import INVARIANT, Finding, Severity
from publisher_restore.analyser.impact import (
    count_items,
    filled_text,
    is_filled,
    noun_for,
)
from publisher_restore.analyser.rules.base import Rule
from publisher_restore.analyser.rules.type_structure import ZERO_KEY, at_root
from publisher_restore.analyser.wording import counted, describe, listed, plural, verb
from publisher_restore.usync.identity import alias_key, culture_key
from publisher_restore.usync.models import (
    AnyItem,
    ContentItem,
    EmptyAction,
    EmptyItem,
    PropertyValue,
)

TREE = ("Content", "Media")


@dataclass
class ContentPlan:
    """Top-most deleted content items, by cause; descendants travel with their ancestor."""

    deleted: list[tuple[ContentItem, EmptyItem | None]] = field(default_factory=list)
    cleaned: list[tuple[EmptyItem, list[ContentItem]]] = field(default_factory=list)


def content_plan(ctx: AnalysisContext) -> ContentPlan:
    """Delete markers first, then Clean markers, then (complete) absence."""
    return ctx.memo("content-plan", lambda: _plan(ctx))


def _plan(ctx: AnalysisContext) -> ContentPlan:
    explicit = [(d.item, d.marker) for d in ctx.deleted(*TREE) if d.marker is not None]
    taken = {id(item) for item, _ in explicit}
    cleaned: list[tuple[EmptyItem, list[ContentItem]]] = []
    for marker in ctx.incoming.markers(EmptyAction.CLEAN):
        if marker.item_type not in TREE:
            continue
        gone = [c for c in _children(ctx, marker) if id(c) not in taken]
        taken.update(id(c) for c in gone)
        cleaned.append((marker, gone))
    missing = [(d.item, None) for d in ctx.deleted(*TREE) if id(d.item) not in taken]
    everything = {id(i) for i, _ in [*explicit, *missing]} | taken
    plan = ContentPlan()
    plan.deleted = [
        (item, marker)
        for item, marker in [*explicit, *missing]
        if isinstance(item, ContentItem) and not _ancestor_in(ctx, item, everything)
    ]
    plan.cleaned = [
        (m, [c for c in gone if not _ancestor_in(ctx, c, everything)]) for m, gone in cleaned
    ]
    return plan


def _children(ctx: AnalysisContext, marker: EmptyItem) -> list[ContentItem]:
    if not marker.key or marker.key == ZERO_KEY:
        candidates = [i for i in ctx.content.iter_all() if at_root(i)]
    else:
        candidates = ctx.content.children_of(marker.key)
    return [
        c for c in candidates if c.item_type == marker.item_type and not ctx.held_by_incoming(c)
    ]


def _ancestor_in(ctx: AnalysisContext, item: ContentItem, ids: set[int]) -> bool:
    seen: set[str] = set()
    parent = ctx.content.get(item.parent_key)
    while parent is not None and parent.key not in seen:
        if id(parent) in ids:
            return True
        seen.add(parent.key or "")
        parent = ctx.content.get(parent.parent_key)
    return False


def _doomed(ctx: AnalysisContext, root: ContentItem) -> list[ContentItem]:
    """The item and its descendants, except those the incoming set moves elsewhere.

    Deleting a node deletes its subtree, even when the incoming set still holds a descendant
    under it; only a descendant that the import moves out (another parent) survives.
    """
    found = [root]
    stack = [root]
    while stack:
        for child in ctx.content.children_of(stack.pop().key):
            if not _moved_out(ctx, child) and child not in found:
                found.append(child)
                stack.append(child)
    return found


def _moved_out(ctx: AnalysisContext, item: ContentItem) -> bool:
    after = ctx.after_of(item)
    return isinstance(after, ContentItem) and after.parent_key != item.parent_key


def deleted_content(ctx: AnalysisContext) -> dict[int, ContentItem]:
    """Every current content and media item the import deletes, descendants included, by id.

    By Delete marker, by Clean marker, or by absence (complete semantics); deleting a node
    deletes its subtree except what the import moves elsewhere.  The items are kept with
    their ids: an unchanged page's model lives only while held (``analyser.shared``).
    """
    return ctx.memo("deleted-content", lambda: _deleted_content(ctx))


def _deleted_content(ctx: AnalysisContext) -> dict[int, ContentItem]:
    plan = content_plan(ctx)
    roots = [item for item, _ in plan.deleted] + [c for _, gone in plan.cleaned for c in gone]
    return {id(doomed): doomed for root in roots for doomed in _doomed(ctx, root)}


class ContentDeletedRule(Rule):
    """DC701: a content or media item (and its descendants) is deleted."""

    code = "DC701"
    severity = Severity.DAMAGING
    title = "Content or media deleted"
    why = "The item and its values are gone on the target."

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One finding per top-most deleted item."""
        for item, marker in content_plan(ctx).deleted:
            doomed = _doomed(ctx, item)
            impact = count_items(doomed, ctx.content)
            how = "a Delete marker" if marker is not None else "its absence from the incoming set"
            below = f" with {counted(len(doomed) - 1, 'descendant')}" if len(doomed) > 1 else ""
            message = (
                f"Deleting {item.item_type.lower()} '{item.node_name or item.alias}' ({how})"
                f"{below} deletes {describe(impact, noun_for(doomed))}."
            )
            detail = {"old": {"path": item.tree_path or item.alias}, "new": None}
            yield self.finding(Subject(item, marker), message, detail, impact)


class CleanDeletesRule(Rule):
    """DC702: a Clean marker deletes every child of its parent that the set does not contain."""

    code = "DC702"
    severity = Severity.DAMAGING
    title = "Clean marker deletes children"
    why = "Every child of that parent not in the set is deleted."

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One finding per Clean marker that deletes anything."""
        for marker, gone in content_plan(ctx).cleaned:
            if not gone:
                continue
            doomed = [d for root in gone for d in _doomed(ctx, root)]
            impact = count_items(doomed, ctx.content)
            parent = ctx.content.get(marker.key)
            name = f"'{parent.node_name or parent.alias}'" if parent else "the root"
            message = (
                f"A Clean marker for {name} deletes {counted(len(gone), 'child')} missing from "
                f"the incoming set: {describe(impact, noun_for(doomed))}."
            )
            detail = {"children": sorted(c.node_name or c.alias for c in gone)}
            subject_item: AnyItem = parent if parent else marker
            yield self.finding(Subject(subject_item, marker), message, detail, impact)


Slot = tuple[str, str | None, str | None]


def _slot(value: PropertyValue) -> Slot:
    return alias_key(value.alias), culture_key(value.culture), value.segment


def _slots(item: ContentItem) -> dict[Slot, str]:
    return {_slot(v): v.value for v in item.values}


class ValueEmptiedRule(Rule):
    """DC703: a content item's value is replaced by an empty value."""

    code = "DC703"
    severity = Severity.RISKY
    title = "Content value emptied"
    why = "The current value is lost on import."

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        """One finding per item and property whose filled value the incoming file empties."""
        for cur, inc, _ in ctx.pairs(ContentItem):
            incoming = _slots(inc)
            emptied: dict[str, list[PropertyValue]] = {}
            for value in cur.values:
                new = incoming.get(_slot(value))
                if new is not None and not filled_text(new) and is_filled(value):
                    emptied.setdefault(value.alias, []).append(value)
            for alias in sorted(emptied):
                yield self._emptied(ctx, cur, inc, alias, emptied[alias])

    def _emptied(
        self,
        ctx: AnalysisContext,
        cur: ContentItem,
        inc: ContentItem,
        alias: str,
        lost: list[PropertyValue],
    ) -> Finding:
        lost_ids = {id(v) for v in lost}
        counted_lost = ctx.content.tally().add([cur], None, lambda v: id(v) in lost_ids).impact()
        impact = counted_lost.model_copy(
            update={"cultures": dict(sorted(counted_lost.cultures.items()))}
        )
        named = sorted(c for c in impact.cultures if c != INVARIANT)
        message = (
            f"Importing '{cur.node_name or cur.alias}' empties its '{alias}' "
            f"{plural('value', len(lost))}"
        )
        if named:
            message += f" in {listed(named)}"
        if impact.held_blocks:
            inner = counted(impact.held_values, "value", zero="no")
            holds = verb(len(lost), "holds", "hold")
            message += f", which {holds} {counted(impact.held_blocks, 'block')} with {inner}"
        detail = {"old": {"cultures": sorted(impact.cultures)}, "new": ""}
        finding = self.finding(Subject(cur, inc), f"{message}.", detail, impact)
        return finding.model_copy(update={"property_alias": alias})
