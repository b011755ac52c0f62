"""DC204 for block editors: which stored blocks a narrower configuration strands.

A Block List, Block Grid, rich-text or Nested Content data type lists the element types it
allows (``contentElementTypeKey``/``settingsElementTypeKey``, ``ncAlias``) and may cap the
number of blocks (``validationLimit.max``, ``maxItems``).  Umbraco keeps stored blocks when
the configuration narrows, but the editor can no longer edit a block of a type it does not
allow, and a value with more blocks than the maximum fails validation on its next save.  So
the blocks counted are:

- blocks of a removed type held by a value of a property that uses this data type (on a page,
  or in a block whose property uses it);
- the blocks past the new maximum (in layout order) in each such value; Block Grid blocks
  placed inside another block's area do not count against the root maximum.

A removed type that the import deletes is not counted here: DC102 reports its blocks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from publisher_restore.analyser.compat import canonical_editor
from publisher_restore.analyser.config_narrowing import Narrowing
from publisher_restore.analyser.context import AnalysisContext
from publisher_restore.analyser.findings import Impact
from publisher_restore.analyser.impact import CONTENT_OF_TYPE, HeldBlock, Tally, element_matches
from publisher_restore.analyser.sides import alias_key
from publisher_restore.analyser.wording import counted, describe
from publisher_restore.usync.blocks import BlockValue
from publisher_restore.usync.models import (
    ContentItem,
    ContentTypeItem,
    DataTypeItem,
    PropertyType,
    PropertyValue,
)

BLOCK_EDITORS = frozenset(
    {"umbraco.blocklist", "umbraco.blockgrid", "umbraco.nestedcontent", "umbraco.richtext"}
)
BLOCK_LIMITS = frozenset({"/validationlimit/max", "/maxitems"})
"""The configuration paths (see ``config_narrowing``) of a block editor's maximum."""

Holder = tuple[ContentTypeItem, str]
"""A type whose property (folded alias) uses the data type."""


def is_block_narrowing(item: DataTypeItem, change: Narrowing) -> bool:
    """A block editor whose allowed types or block maximum narrowed."""
    if canonical_editor(item.editor_alias) not in BLOCK_EDITORS:
        return False
    return bool(change.removed_types) or block_limit(change) is not None


def block_limit(change: Narrowing) -> int | None:
    """The new maximum number of blocks, when it was lowered (or introduced)."""
    found = [
        int(after)
        for path, (_, after) in change.lowered_limits.items()
        if path in BLOCK_LIMITS and isinstance(after, int | float | str) and _whole(after)
    ]
    return min(found) if found else None


def _whole(value: int | float | str) -> bool:
    try:
        return float(value) == int(float(value)) and int(float(value)) > 0
    except ValueError:
        return False


def without_block_parts(change: Narrowing) -> Narrowing:
    """What else narrowed besides allowed block types and the block maximum."""
    limits = {k: v for k, v in change.lowered_limits.items() if k not in BLOCK_LIMITS}
    return replace(change, removed_types=[], lowered_limits=limits)


def holders(
    ctx: AnalysisContext, uses: Iterable[tuple[ContentTypeItem, PropertyType]]
) -> list[Holder]:
    """Every type (users of the declaring type included) whose property uses the data type."""
    found: list[Holder] = []
    for owner, prop in uses:
        for user in ctx.current_graph.users(owner):
            found.append((user, alias_key(prop.alias)))
    return found


def held_by(held: HeldBlock, places: list[Holder]) -> bool:
    """Whether the value directly holding this block belongs to one of ``places``."""
    block = held.block
    if block.parent is None or block.holder is None:
        page_type = alias_key(held.page.content_type)
        alias = alias_key(held.page_value.alias)
        return any(
            CONTENT_OF_TYPE.get(t.item_type) == held.page.item_type
            and alias_key(t.alias) == page_type
            and a == alias
            for t, a in places
        )
    alias = alias_key(block.holder.alias)
    return any(a == alias and element_matches(block.parent, t) for t, a in places)


def stranded_blocks(
    ctx: AnalysisContext,
    item: DataTypeItem,
    change: Narrowing,
    uses: list[tuple[ContentTypeItem, PropertyType]],
) -> Tally:
    """A tally of the blocks the narrowing strands (whole: with their values)."""
    places = holders(ctx, uses)
    tally = ctx.content.tally()
    for token in change.removed_types:
        if _deleted_type(ctx, token):
            continue
        found = ctx.content.blocks_named(token, token)
        tally.add_blocks((h for h in found if held_by(h, places)), whole=True)
    limit = block_limit(change)
    if limit is not None:
        tally.add_blocks(_past(ctx, places, limit), whole=True)
    return tally


def _deleted_type(ctx: AnalysisContext, token: str) -> bool:
    found = ctx.current.find("ContentType", token, token)
    return found is not None and ctx.after_of(found) is None


def _past(ctx: AnalysisContext, places: list[Holder], limit: int) -> Iterator[HeldBlock]:
    """Blocks past ``limit`` in each value that the data type's properties hold."""
    for holder, alias in places:
        for page in ctx.content.of_types([holder]):
            for value in page.values:
                if alias_key(value.alias) == alias:
                    yield from _counted(ctx, page, value, limit)
        for outer in ctx.content.blocks_of([holder]):
            for inner in outer.block.values:
                if alias_key(inner.alias) == alias:
                    yield from _counted(ctx, outer.page, inner, limit)


def _counted(
    ctx: AnalysisContext, page: ContentItem, value: PropertyValue | BlockValue, limit: int
) -> list[HeldBlock]:
    direct = [
        h
        for h in ctx.content.page_blocks(page).inside(value)
        if _directly_in(h, value) and not h.block.settings and not h.block.in_area
    ]
    direct.sort(key=_layout_order)  # the page's order: the layout's, else the stored one
    return direct[limit:]


def _layout_order(held: HeldBlock) -> float:
    position = held.block.position
    return float("inf") if position is None else position


def _directly_in(held: HeldBlock, value: PropertyValue | BlockValue) -> bool:
    if isinstance(value, BlockValue):
        return held.block.holder is value
    return held.block.parent is None


def strands_phrase(impact: Impact, noun: str, change: Narrowing) -> str:
    """'strands 26 values in 11 blocks on 9 pages: the editor no longer edits ...'."""
    if impact.is_zero:
        return "strands no stored block"
    why = []
    if change.removed_types:
        why.append("the block editor no longer edits blocks of a removed type")
    limit = block_limit(change)
    if limit is not None:
        why.append(f"a value with more than {counted(limit, 'block')} fails validation on save")
    return f"strands {describe(impact, noun)}: {'; '.join(why)}"
