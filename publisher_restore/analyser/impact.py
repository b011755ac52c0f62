"""Impact counting: which current content and media items a change hits, and their values."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from publisher_restore.analyser.findings import INVARIANT, Impact
from publisher_restore.analyser.shared import SharedItem
from publisher_restore.usync.identity import alias_key, culture_key, key_fold
from publisher_restore.usync.models import ContentItem, ContentTypeItem, PropertyValue

CONTENT_OF_TYPE = {"ContentType": "Content", "MediaType": "Media"}
"""Which item type holds the instances of a type family (member types have none in uSync)."""

_EMPTY_VALUES = frozenset({"", "[]", "{}", "null", "[ ]"})

ValueTest = Callable[[PropertyValue], bool]


def is_filled(value: PropertyValue) -> bool:
    """A stored value worth counting: not blank and not an empty JSON list, object or null."""
    return filled_text(value.value)


def filled_text(text: str) -> bool:
    """Text that holds a value (see ``is_filled``)."""
    return text.strip() not in _EMPTY_VALUES


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
        self._shared_ids: set[int] = set()
        for record in self.records:
            type_key = (record.item_type, alias_key(record.content_type))
            self.by_type.setdefault(type_key, []).append(record)
            if record.key:
                self.by_key.setdefault(record.key, record)
            if record.parent_key:
                self.children.setdefault(record.parent_key, []).append(record)

    def _items(self, records: Iterable[ContentRecord]) -> list[ContentItem]:
        found: list[ContentItem] = []
        for record in records:
            item = record.item()
            if item is not None:
                found.append(item)
                if record.shared is not None:
                    self._shared_ids.add(id(item))
        return found

    def all_items(self) -> list[ContentItem]:
        """Every content and media item (parses every shared one)."""
        return self._items(self.records)

    def of_types(self, types: Iterable[ContentTypeItem]) -> list[ContentItem]:
        """Instances of the given content or media types."""
        records: list[ContentRecord] = []
        for ct in types:
            holder = CONTENT_OF_TYPE.get(ct.item_type)
            if holder is not None:
                records.extend(self.by_type.get((holder, alias_key(ct.alias)), []))
        return self._items(records)

    def get(self, key: str | None) -> ContentItem | None:
        """The item with this Key."""
        record = self.by_key.get(key or "")
        return None if record is None else record.item()

    def children_of(self, key: str | None) -> list[ContentItem]:
        """The direct children of the item with this Key."""
        return self._items(self.children.get(key or "", []))

    def unchanged(self, item: ContentItem) -> bool:
        """Whether ``item`` is shared by both sides (present and identical in the incoming set)."""
        return id(item) in self._shared_ids

    def countable(self, item_type: str) -> bool:
        """Whether an impact can be counted for a change to a type of this family."""
        return self.has_content and item_type in CONTENT_OF_TYPE


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
    """Counts an impact over several (items, properties) groups without counting twice.

    An item counts once however many groups name it; a value counts once however many
    groups match it.  ``whole`` groups count their items even when no value is filled
    (the items themselves are deleted).
    """

    def __init__(self) -> None:
        self._items: dict[int, ContentItem] = {}
        self._specs: dict[int, list[tuple[set[str] | None, ValueTest | None]]] = {}
        self._whole: set[int] = set()

    def add(
        self,
        items: Iterable[ContentItem],
        aliases: set[str] | None = None,
        test: ValueTest | None = None,
        *,
        whole: bool = False,
    ) -> Tally:
        """Count filled values of ``aliases`` (case-folded; None: all) passing ``test``."""
        for item in items:
            self._items[id(item)] = item
            self._specs.setdefault(id(item), []).append((aliases, test))
            if whole:
                self._whole.add(id(item))
        return self

    def counted(self) -> list[ContentItem]:
        """Every item added, once."""
        return list(self._items.values())

    def impact(self) -> Impact:
        """Items hit (holding a matching value, or whole), values and values per culture."""
        cultures: Counter[str] = Counter()
        hit_items = 0
        for ident, item in self._items.items():
            specs = self._specs[ident]
            hits = 0
            for value in item.values:
                if is_filled(value) and any(_matches(value, a, t) for a, t in specs):
                    cultures[culture_label(value)] += 1
                    hits += 1
            hit_items += 1 if hits or ident in self._whole else 0
        return Impact(items=hit_items, values=sum(cultures.values()), cultures=_ordered(cultures))


def _matches(value: PropertyValue, aliases: set[str] | None, test: ValueTest | None) -> bool:
    if aliases is not None and alias_key(value.alias) not in aliases:
        return False
    return test is None or test(value)


def count_values(
    items: Iterable[ContentItem],
    aliases: set[str] | None = None,
    test: ValueTest | None = None,
) -> Impact:
    """Items holding at least one matching filled value, and those values per culture.

    ``aliases`` (case-folded) limits the properties counted; ``test`` adds a value filter.
    """
    return Tally().add(items, aliases, test).impact()


def count_items(items: list[ContentItem]) -> Impact:
    """Every item counts (it is deleted or affected as a whole), with all its filled values."""
    return Tally().add(items, whole=True).impact()


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


def describe(impact: Impact | None, noun: str = "pages") -> str:
    """Plain words for an impact: '38 values on 38 pages (en-US 20, da 18)'."""
    if impact is None:
        return "an unknown number of values (the current site's content is not available)"
    text = f"{impact.values} value{'s' if impact.values != 1 else ''} on {impact.items} {noun}"
    if impact.items == 1:
        text = text.removesuffix("s") if noun.endswith("s") else text
    shown = {k: v for k, v in impact.cultures.items() if k != INVARIANT} or {}
    if shown:
        parts = ", ".join(f"{culture} {count}" for culture, count in impact.cultures.items())
        text += f" ({parts})"
    return text


def describe_held(impact: Impact | None, noun: str, unknown: str = "its values") -> str:
    """The counted values, or ``unknown`` when the current site has no content to count."""
    return describe(impact, noun) if impact is not None else unknown


def noun_for(items: Iterable[ContentItem]) -> str:
    """'pages', 'blueprints', 'media items' or 'items', by what was counted."""
    counted = list(items)
    kinds = {item.item_type for item in counted}
    if kinds == {"Media"}:
        return "media items"
    if counted and kinds == {"Content"} and all(item.is_blueprint for item in counted):
        return "blueprints"
    return "pages" if kinds <= {"Content"} else "items"
