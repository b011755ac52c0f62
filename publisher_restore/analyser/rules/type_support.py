"""Shared helpers of the content-type rules: lost-value impact, variations, wording."""

from __future__ import annotations

from collections.abc import Iterable

from publisher_restore.analyser.context import AnalysisContext
from publisher_restore.analyser.findings import Impact
from publisher_restore.analyser.impact import HeldBlock, Tally, ValueTest, noun_for
from publisher_restore.analyser.sides import alias_key
from publisher_restore.analyser.typegraph import OwnedProperty, PropertySet
from publisher_restore.analyser.wording import describe, not_counted
from publisher_restore.usync.models import ContentItem, ContentTypeItem, PropertyType

TYPE_FAMILIES = ("ContentType", "MediaType", "MemberType")

FAMILY_NAMES = {
    "ContentType": "content type",
    "MediaType": "media type",
    "MemberType": "member type",
}


def family_name(item: ContentTypeItem) -> str:
    """'element type', 'content type', 'media type' or 'member type'."""
    if item.item_type == "ContentType" and item.is_element:
        return "element type"
    return FAMILY_NAMES.get(item.item_type, "type")


def instances(ctx: AnalysisContext, types: Iterable[ContentTypeItem]) -> list[ContentItem]:
    """Current content and media of the given types."""
    return ctx.content.of_types(types)


def blocks(ctx: AnalysisContext, types: Iterable[ContentTypeItem]) -> list[HeldBlock]:
    """Current blocks of the given element types (read only when asked)."""
    return ctx.content.blocks_of(types)


def add_instances(
    ctx: AnalysisContext,
    tally: Tally,
    types: list[ContentTypeItem],
    aliases: set[str] | None = None,
    test: ValueTest | None = None,
    *,
    whole: bool = False,
) -> Tally:
    """Add the pages of ``types`` and the blocks of those that are element types."""
    tally.add(ctx.content.records_of_types(types), aliases, test, whole=whole)
    return tally.add_blocks(blocks(ctx, types), aliases, test, whole=whole)


def still_reaches(ctx: AnalysisContext, kept: PropertySet, owned: OwnedProperty) -> bool:
    """Whether ``kept`` (a type's properties after the import) still holds this very property.

    Umbraco keys stored values by property type: a property of the same alias declared by
    another type (moved into or out of a composition) is a new one, and the values are lost.
    """
    found = kept.find(owned.prop)
    return found is not None and ctx.after_of(owned.owner) is found.owner


def add_loss(
    ctx: AnalysisContext,
    tally: Tally,
    owner: ContentTypeItem,
    props: list[OwnedProperty],
    *,
    unless_kept: bool = True,
) -> Tally:
    """Add the values of ``props`` on content of ``owner`` and every type that inherits it.

    With ``unless_kept``, a user type that still gets the same property after the import
    (another composition) loses nothing; a user type that is itself deleted is counted by DC102.
    Values in blocks of element types count the same way.
    """
    for user in ctx.current_graph.users(owner):
        after = ctx.after_of(user)
        if not isinstance(after, ContentTypeItem):
            continue
        kept = ctx.after_graph.effective(after)
        lost = {
            alias_key(o.prop.alias)
            for o in props
            if not unless_kept or not still_reaches(ctx, kept, o)
        }
        if lost:
            add_instances(ctx, tally, [user], lost)
    return tally


def add_users(
    ctx: AnalysisContext,
    tally: Tally,
    owner: ContentTypeItem,
    prop: PropertyType,
    test: ValueTest | None = None,
) -> Tally:
    """Add the values of one property on content (and blocks) of ``owner`` and its users."""
    return add_instances(ctx, tally, ctx.current_graph.users(owner), {alias_key(prop.alias)}, test)


def result(ctx: AnalysisContext, tally: Tally, item_type: str) -> tuple[Impact | None, str]:
    """The tally's impact and noun, or None when this family cannot be counted."""
    if not ctx.content.countable(item_type):
        return None, "page"
    return tally.impact(), noun_for(tally.counted())


def loss_impact(
    ctx: AnalysisContext,
    owner: ContentTypeItem,
    props: list[OwnedProperty],
    *,
    unless_kept: bool = True,
) -> tuple[Impact | None, str]:
    """Impact and noun of losing ``props`` from ``owner`` (see ``add_loss``)."""
    tally = add_loss(ctx, ctx.content.tally(), owner, props, unless_kept=unless_kept)
    return result(ctx, tally, owner.item_type)


def users_impact(
    ctx: AnalysisContext, owner: ContentTypeItem, prop: PropertyType, test: ValueTest | None
) -> tuple[Impact | None, str]:
    """Impact and noun of the filled values of one property on ``owner`` and its users."""
    return result(ctx, add_users(ctx, ctx.content.tally(), owner, prop, test), owner.item_type)


def deletes_phrase(
    ctx: AnalysisContext, owner: ContentTypeItem, impact: Impact | None, noun: str
) -> str:
    """'deletes 38 values on 38 pages (en-US 20, da 18)', or why there is no count."""
    if impact is None:
        reason = ctx.content.uncounted_reason(owner.item_type)
        return f"deletes every stored value of it ({not_counted(reason)})"
    if impact.values == 0:
        return f"deletes no stored value (no current {holder_noun(owner, noun)} holds one)"
    return f"deletes {describe(impact, noun)}"


def holder_noun(owner: ContentTypeItem, noun: str) -> str:
    """What holds an element type's values ('block'), else the counted noun ('page')."""
    return "block" if owner.item_type == "ContentType" and owner.is_element else noun


def flags(variations: str) -> set[str]:
    """The variation flags in a Variations value: {'culture'}, {'culture','segment'}, ..."""
    folded = variations.casefold()
    return {flag for flag in ("culture", "segment") if flag in folded}


def names(props: Iterable[PropertyType]) -> list[str]:
    """Sorted property aliases, for details and messages."""
    return sorted(p.alias for p in props)
