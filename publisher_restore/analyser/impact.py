"""Impact counting: which current content and media items a change hits, and their values.

Values are counted on the pages themselves and inside the blocks the pages hold (Block List,
Block Grid, Nested Content, rich-text blocks; ``usync.blocks``).  Blocks are read lazily: a
page's block values are parsed at most once per analysis, and only when a rule asks for the
blocks of an element type (pages are first picked by a plain text search for the type's Key,
or for Nested Content's marker) or counts a value that holds blocks.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from publisher_restore.analyser.findings import INVARIANT, Impact
from publisher_restore.analyser.shared import SharedItem
from publisher_restore.usync.blocks import (
    MARKERS,
    Block,
    BlockValue,
    holds_nothing,
    may_hold_blocks,
    read_blocks,
)
from publisher_restore.usync.identity import alias_key, culture_key, key_fold
from publisher_restore.usync.models import ContentItem, ContentTypeItem, PropertyValue

CONTENT_OF_TYPE = {"ContentType": "Content", "MediaType": "Media"}
"""Which item type holds the instances of a type family (member types have none in uSync)."""

_EMPTY_VALUES = frozenset({"", "[]", "{}", "null", "[ ]"})
_MARKERS = tuple(marker.encode() for marker in MARKERS)
_NESTED_CONTENT = b"ncContentTypeAlias"
_TYPE_KEY = b"contentTypeKey"
_GUID = re.compile(rb"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")

ValueTest = Callable[[PropertyValue], bool]


def is_filled(value: PropertyValue) -> bool:
    """A stored value worth counting: not blank and not an empty JSON list, object or null."""
    return filled_text(value.value)


def filled_text(text: str) -> bool:
    """Text that holds a value (see ``is_filled``); a block value with no block is empty."""
    stripped = text.strip()
    return stripped not in _EMPTY_VALUES and not holds_nothing(stripped)


def culture_label(value: PropertyValue) -> str:
    """The per-culture counting key: the culture, or ``invariant``."""
    return value.culture or INVARIANT


class ContentRecord:
    """One current content or media item: its place in the tree now, its model on demand."""

    __slots__ = ("content_type", "item_type", "key", "live", "parent_key", "shared")

    def __init__(self, live: ContentItem | None, shared: SharedItem | None = None) -> None:
        self.live = live
        self.shared = shared
        source: ContentItem | SharedItem | None = live if live is not None else shared
        if source is None:
            raise ValueError("a content record needs a live or a shared item")
        self.item_type, self.key, self.parent_key = source.item_type, source.key, source.parent_key
        self.content_type = source.content_type or ""

    def item(self) -> ContentItem | None:
        """The content item (parsed now when it is shared)."""
        if self.live is not None:
            return self.live
        return self.shared.content() if self.shared is not None else None

    @property
    def is_blueprint(self) -> bool:
        """Whether it is a blueprint (never, for the index's records; ``noun_for`` asks)."""
        return self.live is not None and self.live.is_blueprint

    def fits(self) -> bool:
        """Whether it has a model (a shared file may, unexpectedly, not fit it)."""
        return self.shared is None or self.shared.fits()

    @property
    def ident(self) -> int:
        """What a tally counts it as: its live item's id, or its own (a shared page's model
        is parsed again when asked for, so its id does not last)."""
        return id(self.live) if self.live is not None else id(self)

    def text(self) -> bytes:
        """The stored text to search before parsing: the file, or a live item's values."""
        if self.live is not None:
            return "\n".join(value.value for value in self.live.values).encode()
        return self.shared.data if self.shared is not None else b""


@dataclass(frozen=True, slots=True, eq=False)
class HeldBlock:
    """A block and the page (content or media item) whose value holds it, at any depth."""

    page: ContentItem
    block: Block
    page_value: PropertyValue


class PageBlocks:
    """The blocks in one page's values, each value read once and only when asked for."""

    def __init__(self, page: ContentItem) -> None:
        self.page = page
        self.truncated = False
        self._read_ids: set[int] = set()
        self._inside: dict[int, list[HeldBlock]] = {}

    @property
    def held(self) -> list[HeldBlock]:
        """Every block on the page (reads every value that may hold blocks)."""
        return [h for value in self.page.values for h in self.in_value(value)]

    def in_value(self, value: PropertyValue) -> list[HeldBlock]:
        """The blocks one page value holds, at any depth."""
        if id(value) not in self._read_ids:
            self._read_ids.add(id(value))
            if may_hold_blocks(value.value):
                self._read(value)
        return self._inside.get(id(value), [])

    def mentioning(self, tokens: Sequence[str]) -> list[HeldBlock]:
        """The blocks of the values whose text holds one of ``tokens`` (a type Key, a marker)."""
        return [
            h
            for value in self.page.values
            if any(t in value.value for t in tokens)
            for h in self.in_value(value)
        ]

    def _read(self, value: PropertyValue) -> None:
        read = read_blocks(value.value, value.culture, value.segment)
        self.truncated = self.truncated or read.truncated
        for block in read.blocks:
            held = HeldBlock(self.page, block, value)
            self._inside.setdefault(id(value), []).append(held)
            node = block
            while node.parent is not None:  # bounded: depth <= usync.blocks.MAX_DEPTH
                self._inside.setdefault(id(node.holder), []).append(held)
                self._inside.setdefault(id(node.parent), []).append(held)
                node = node.parent

    def inside(self, holder: PropertyValue | BlockValue | Block) -> list[HeldBlock]:
        """The blocks held (at any depth) by a page value, a block's value, or a block.

        A block or a block's value is known only once the page value holding it was read.
        """
        if isinstance(holder, PropertyValue):
            return self.in_value(holder)
        return self._inside.get(id(holder), [])


def element_matches(block: Block, item: ContentTypeItem) -> bool:
    """Whether a block is of this element type (Key for blocks, Alias for Nested Content)."""
    return block_named(block, (item.key or "").casefold(), alias_key(item.alias))


def block_named(block: Block, key: str, alias: str) -> bool:
    """Whether a block names this element type Key (folded) or, for Nested Content, Alias."""
    if block.element_key is not None:
        return bool(key) and block.element_key == key
    return (
        bool(alias) and block.element_alias is not None and alias_key(block.element_alias) == alias
    )


class ContentIndex:
    """The current site's content and media, by type alias, Key and parent; parsed on demand."""

    def __init__(self, live: list[ContentItem], shared: Sequence[SharedItem] = ()) -> None:
        records = [ContentRecord(item) for item in live]
        records += [ContentRecord(None, item) for item in shared]
        self.records = _one_per_key(records)
        self.has_content = bool(self.records)
        self.by_type: dict[tuple[str, str], list[ContentRecord]] = {}
        self.by_key: dict[str, ContentRecord] = {}
        self.children: dict[str, list[ContentRecord]] = {}
        self._shared: dict[tuple[str, str | None], ContentRecord] = {}
        self._holders = {record.item_type for record in self.records}
        self._pages: dict[int, PageBlocks] = {}
        self._type_blocks: dict[tuple[str, str], list[HeldBlock]] = {}
        self._all_blocks: list[HeldBlock] | None = None
        self._candidates: _Candidates | None = None
        for record in self.records:
            type_key = (record.item_type, alias_key(record.content_type))
            self.by_type.setdefault(type_key, []).append(record)
            if record.key:
                self.by_key.setdefault(record.key, record)
            if record.parent_key:
                self.children.setdefault(record.parent_key, []).append(record)
            if record.shared is not None:
                self._shared[(record.item_type, key_fold(record.key))] = record

    def _items(self, records: Iterable[ContentRecord]) -> list[ContentItem]:
        return list(self.iter_items(records))

    def iter_items(self, records: Iterable[ContentRecord]) -> Iterator[ContentItem]:
        """The models of ``records`` one at a time (a shared page's may go once dropped)."""
        for record in records:
            item = record.item()
            if item is not None:
                yield item

    def all_items(self) -> list[ContentItem]:
        """Every content and media item (parses every shared one)."""
        return self._items(self.records)

    def iter_all(self) -> Iterator[ContentItem]:
        """Every content and media item, one at a time (see ``iter_items``)."""
        return self.iter_items(self.records)

    def of_types(self, types: Iterable[ContentTypeItem]) -> list[ContentItem]:
        """Instances of the given content or media types."""
        return self._items(self.records_of_types(types))

    def records_of_types(self, types: Iterable[ContentTypeItem]) -> list[ContentRecord]:
        """The records of the instances of the given types (nothing parsed)."""
        records: list[ContentRecord] = []
        for ct in types:
            holder = CONTENT_OF_TYPE.get(ct.item_type)
            if holder is not None:
                records.extend(self.by_type.get((holder, alias_key(ct.alias)), []))
        return records

    def get(self, key: str | None) -> ContentItem | None:
        """The item with this Key."""
        record = self.by_key.get(key or "")
        return None if record is None else record.item()

    def children_of(self, key: str | None) -> list[ContentItem]:
        """The direct children of the item with this Key."""
        return self._items(self.children.get(key or "", []))

    def unchanged(self, item: ContentItem) -> bool:
        """Whether ``item`` is shared by both sides (present and identical in the incoming set)."""
        return self.shared_record(item) is not None

    def shared_record(self, item: ContentItem) -> ContentRecord | None:
        """The record of a shared page whose (alive) model ``item`` is."""
        record = self._shared.get((item.item_type, key_fold(item.key)))
        if record is not None and record.shared is not None and record.shared.holds(item):
            return record
        return None

    def ident(self, item: ContentItem) -> int:
        """What a tally counts ``item`` as (see ``ContentRecord.ident``)."""
        record = self.shared_record(item)
        return id(item) if record is None else record.ident

    def countable(self, item_type: str) -> bool:
        """Whether an impact can be counted for a change to a type of this family.

        Content types count from the current Content items, media types from Media items;
        member types never (members are not in uSync).
        """
        holder = CONTENT_OF_TYPE.get(item_type)
        return holder is not None and holder in self._holders

    def uncounted_reason(self, item_type: str) -> str:
        """Why a type family's values are not counted (see ``countable``)."""
        if item_type == "MemberType":
            return "members are not in uSync"
        if item_type == "MediaType":
            return "the current export has no media items"
        if item_type == "ContentType":
            return "the current export has no content items"
        return "no current content to count"

    def page_blocks(self, page: ContentItem) -> PageBlocks:
        """The blocks of one page, read the first time they are asked for."""
        found = self._pages.get(id(page))
        if found is None:
            found = self._pages[id(page)] = PageBlocks(page)
        return found

    def blocks_of(self, types: Iterable[ContentTypeItem]) -> list[HeldBlock]:
        """Blocks (content and settings) of these element types on every current page."""
        found: list[HeldBlock] = []
        seen: set[tuple[str, str]] = set()
        for item in types:
            if item.item_type != "ContentType" or item.is_element is False:
                continue  # only element types are used in blocks
            ident = ((item.key or "").casefold(), alias_key(item.alias))
            if ident not in seen:
                seen.add(ident)
                found.extend(self.blocks_named(*ident))
        return found

    def blocks_named(self, key: str, alias: str = "") -> list[HeldBlock]:
        """Blocks naming this element type Key (folded) or, for Nested Content, Alias."""
        ident = (key.casefold(), alias_key(alias))
        found = self._type_blocks.get(ident)
        if found is None:
            found = self._type_blocks[ident] = self._find_blocks(*ident)
        return found

    def _find_blocks(self, key: str, alias: str) -> list[HeldBlock]:
        candidates = self._block_candidates()
        records = dict.fromkeys(candidates.by_guid.get(key, []) if key else [])
        if alias:
            records.update(dict.fromkeys(candidates.nested_content))
        tokens = [t for t in (key, key.upper()) if t] + (["ncContentTypeAlias"] if alias else [])
        found: list[HeldBlock] = []
        for page in self._items(records):
            held = self.page_blocks(page).mentioning(tokens)
            found += [h for h in held if block_named(h.block, key, alias)]
        return found

    def _block_candidates(self) -> _Candidates:
        """Pages that may hold blocks, by every GUID their text holds: built once, on demand."""
        if self._candidates is None:
            self._candidates = _Candidates(self.records)
        return self._candidates

    def all_blocks(self) -> list[HeldBlock]:
        """Every block on every current page (reads every page that holds any)."""
        if self._all_blocks is None:
            pages = self._items(self._block_candidates().records)
            self._all_blocks = [h for page in pages for h in self.page_blocks(page).held]
        return self._all_blocks

    def tally(self) -> Tally:
        """A new tally that also counts what block values hold."""
        return Tally(self)


class _Candidates:
    """The records whose text holds a block marker, indexed by each GUID in that text.

    A block names its element type by Key (a GUID in the text, however deeply its JSON is
    nested as a string) or, for Nested Content, by alias; a page holding no marker holds no
    block.  One pass over the text replaces a search per element type.
    """

    def __init__(self, records: Iterable[ContentRecord]) -> None:
        self.records: list[ContentRecord] = []
        self.nested_content: list[ContentRecord] = []
        self.by_guid: dict[str, list[ContentRecord]] = {}
        for record in records:
            text = record.text()
            if not any(marker in text for marker in _MARKERS):
                continue
            self.records.append(record)
            if _NESTED_CONTENT in text:
                self.nested_content.append(record)
            for guid in _type_keys(text):
                self.by_guid.setdefault(guid, []).append(record)


def _type_keys(text: bytes) -> set[str]:
    """The GUIDs that follow a ``contentTypeKey`` in the text (escaped quotes allowed)."""
    found: set[str] = set()
    start = text.find(_TYPE_KEY)
    while start >= 0:
        match = _GUID.search(text, start + len(_TYPE_KEY), start + len(_TYPE_KEY) + 64)
        if match is not None:
            found.add(match.group(0).decode().lower())
        start = text.find(_TYPE_KEY, start + len(_TYPE_KEY))
    return found


Spec = tuple[set[str] | None, ValueTest | None]


def _one_per_key(records: list[ContentRecord]) -> list[ContentRecord]:
    """Two files holding one Key are one node on the site: count it once (the first file)."""
    seen: set[tuple[str, str]] = set()
    kept: list[ContentRecord] = []
    for record in records:
        key = key_fold(record.key)
        if key is not None:
            if (record.item_type, key) in seen:
                continue
            seen.add((record.item_type, key))
        kept.append(record)
    return kept


class Tally:
    """Counts an impact over several (items or blocks, properties) groups without counting twice.

    An item or block counts once however many groups name it; a value counts once however
    many groups match it.  ``whole`` groups count their items or blocks even when no value is
    filled (they are deleted or orphaned themselves).  With an index, what a counted value holds
    (blocks inside it) is counted too, as ``held_blocks`` and ``held_values``.
    """

    def __init__(self, index: ContentIndex | None = None) -> None:
        self._index = index
        self._items: dict[int, ContentItem | ContentRecord] = {}
        self._specs: dict[int, list[Spec]] = {}
        self._whole: set[int] = set()
        self._blocks: dict[int, HeldBlock] = {}
        self._block_specs: dict[int, list[Spec]] = {}
        self._whole_blocks: set[int] = set()

    def add(
        self,
        items: Iterable[ContentItem | ContentRecord],
        aliases: set[str] | None = None,
        test: ValueTest | None = None,
        *,
        whole: bool = False,
    ) -> Tally:
        """Count filled values of ``aliases`` (case-folded; None: all) passing ``test``.

        A shared page is kept as its index record, so its model can go until it is counted.
        """
        for item in items:
            ident, kept = self._kept(item)
            self._items[ident] = kept
            self._specs.setdefault(ident, []).append((aliases, test))
            if whole:
                self._whole.add(ident)
        return self

    def _kept(self, item: ContentItem | ContentRecord) -> tuple[int, ContentItem | ContentRecord]:
        if isinstance(item, ContentRecord):
            return item.ident, item if item.live is None else item.live
        record = None if self._index is None else self._index.shared_record(item)
        return (id(item), item) if record is None else (record.ident, record)

    def add_blocks(
        self,
        blocks: Iterable[HeldBlock],
        aliases: set[str] | None = None,
        test: ValueTest | None = None,
        *,
        whole: bool = False,
    ) -> Tally:
        """As ``add``, for the values of blocks."""
        for held in blocks:
            ident = id(held.block)
            self._blocks[ident] = held
            self._block_specs.setdefault(ident, []).append((aliases, test))
            if whole:
                self._whole_blocks.add(ident)
        return self

    def counted(self) -> list[ContentItem | ContentRecord]:
        """Every item added, and every page holding a block added, once."""
        pages = {
            ident: kept
            for ident, kept in self._items.items()
            if not isinstance(kept, ContentRecord) or kept.fits()
        }
        for held in self._blocks.values():
            pages.setdefault(_ident(self._index, held.page), held.page)
        return list(pages.values())

    def impact(self) -> Impact:
        """Items hit (holding a matching value, or whole), values, blocks, values per culture."""
        count = _Count(self._index)
        for ident, kept in self._items.items():
            item = kept.item() if isinstance(kept, ContentRecord) else kept
            if item is not None:
                count.page(item, ident, self._specs[ident], ident in self._whole)
        for ident, held in self._blocks.items():
            count.block(held, self._block_specs[ident], ident in self._whole_blocks)
        return count.impact()


class _Count:
    """One impact being summed: pages, blocks, values per culture, and what they hold."""

    def __init__(self, index: ContentIndex | None) -> None:
        self.index = index
        self.cultures: Counter[str] = Counter()
        self.items: set[int] = set()
        self.blocks: set[int] = set()
        self.block_items: set[int] = set()
        self.block_values = 0
        self.held: dict[int, HeldBlock] = {}

    def page(self, item: ContentItem, ident: int, specs: list[Spec], whole: bool) -> None:
        hits = 0
        for value in item.values:
            if is_filled(value) and any(_matches(value, a, t) for a, t in specs):
                self.cultures[culture_label(value)] += 1
                hits += 1
                if may_hold_blocks(value.value):
                    self._hold(item, value)
        if hits or whole:
            self.items.add(ident)

    def block(self, held: HeldBlock, specs: list[Spec], whole: bool) -> None:
        block, hits = held.block, 0
        for value in block.values:
            if filled_text(value.text) and any(_block_matches(value, a, t) for a, t in specs):
                self.cultures[block.label_culture(value) or INVARIANT] += 1
                hits += 1
                self._hold(held.page, value)
        if hits or whole:
            page = _ident(self.index, held.page)
            self.blocks.add(id(block))
            self.block_values += hits
            self.items.add(page)
            self.block_items.add(page)
        if whole:
            self._hold(held.page, block)

    def _hold(self, page: ContentItem, holder: PropertyValue | BlockValue | Block) -> None:
        if self.index is None:
            return
        for inner in self.index.page_blocks(page).inside(holder):
            self.held.setdefault(id(inner.block), inner)

    def impact(self) -> Impact:
        held = [h for ident, h in self.held.items() if ident not in self.blocks]
        held_values = sum(1 for h in held for v in h.block.values if filled_text(v.text))
        return Impact(
            items=len(self.items),
            values=sum(self.cultures.values()),
            cultures=_ordered(self.cultures),
            blocks=len(self.blocks),
            block_values=self.block_values,
            block_items=len(self.block_items),
            held_blocks=len(held),
            held_values=held_values,
        )


def _ident(index: ContentIndex | None, page: ContentItem) -> int:
    return id(page) if index is None else index.ident(page)


def _matches(value: PropertyValue, aliases: set[str] | None, test: ValueTest | None) -> bool:
    if aliases is not None and alias_key(value.alias) not in aliases:
        return False
    return test is None or test(value)


def _block_matches(value: BlockValue, aliases: set[str] | None, test: ValueTest | None) -> bool:
    if aliases is not None and alias_key(value.alias) not in aliases:
        return False
    return test is None or test(as_property_value(value))


def as_property_value(value: BlockValue) -> PropertyValue:
    """A block's value in the page-value model, for value tests (its own culture and segment)."""
    return PropertyValue.model_construct(
        alias=value.alias, culture=value.culture, segment=value.segment, value=value.text
    )


def count_values(
    items: Iterable[ContentItem],
    aliases: set[str] | None = None,
    test: ValueTest | None = None,
    index: ContentIndex | None = None,
) -> Impact:
    """Items holding at least one matching filled value, and those values per culture.

    ``aliases`` (case-folded) limits the properties counted; ``test`` adds a value filter.
    """
    return Tally(index).add(items, aliases, test).impact()


def count_items(items: list[ContentItem], index: ContentIndex | None = None) -> Impact:
    """Every item counts (it is deleted or affected as a whole), with all its filled values."""
    return Tally(index).add(items, whole=True).impact()


def merge_cultures(cultures: Counter[str]) -> Counter[str]:
    """Per-culture counts with 'en-US' and 'en-us' as one, under the first spelling seen."""
    merged: Counter[str] = Counter()
    spelling: dict[str | None, str] = {}
    for label, count in cultures.items():
        merged[spelling.setdefault(culture_key(label), label)] += count
    return merged


def _ordered(cultures: Counter[str]) -> dict[str, int]:
    merged = merge_cultures(cultures)
    return dict(sorted(merged.items(), key=lambda kv: (-kv[1], kv[0])))


class Countable(Protocol):
    """What ``noun_for`` reads of a counted item (a content item or an index record)."""

    @property
    def item_type(self) -> str: ...

    @property
    def is_blueprint(self) -> bool: ...


def noun_for(items: Iterable[Countable]) -> str:
    """'page', 'blueprint', 'media item' or 'item' (singular), by what was counted."""
    counted = list(items)
    kinds = {item.item_type for item in counted}
    if kinds == {"Media"}:
        return "media item"
    if counted and kinds == {"Content"} and all(item.is_blueprint for item in counted):
        return "blueprint"
    return "page" if kinds <= {"Content"} else "item"
