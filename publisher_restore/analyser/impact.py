"""Impact counting: which current content and media items a change hits, and their values."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from publisher_restore.analyser.findings import INVARIANT, Impact
from publisher_restore.analyser.sides import alias_key
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


class ContentIndex:
    """The current site's content and media, by type alias, counted on demand."""

    def __init__(self, content: list[ContentItem]) -> None:
        self.items = content
        self.has_content = bool(content)
        self.by_type: dict[tuple[str, str], list[ContentItem]] = {}
        self.by_key: dict[str, ContentItem] = {}
        self.children: dict[str, list[ContentItem]] = {}
        for item in content:
            self.by_type.setdefault((item.item_type, alias_key(item.content_type)), []).append(item)
            if item.key:
                self.by_key.setdefault(item.key, item)
            if item.parent_key:
                self.children.setdefault(item.parent_key, []).append(item)

    def of_types(self, types: Iterable[ContentTypeItem]) -> list[ContentItem]:
        """Instances of the given content or media types."""
        found: list[ContentItem] = []
        for ct in types:
            holder = CONTENT_OF_TYPE.get(ct.item_type)
            if holder is not None:
                found.extend(self.by_type.get((holder, alias_key(ct.alias)), []))
        return found

    def countable(self, item_type: str) -> bool:
        """Whether an impact can be counted for a change to a type of this family."""
        return self.has_content and item_type in CONTENT_OF_TYPE

    def subtree(self, root: ContentItem) -> list[ContentItem]:
        """``root`` and every descendant on the current site."""
        found = [root]
        stack = [root]
        while stack:
            node = stack.pop()
            for child in self.children.get(node.key or "", []):
                found.append(child)
                stack.append(child)
        return found


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


def _ordered(cultures: Counter[str]) -> dict[str, int]:
    return dict(sorted(cultures.items(), key=lambda kv: (-kv[1], kv[0])))


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


def noun_for(items: Iterable[ContentItem]) -> str:
    """'pages', 'media items' or 'items', by what was counted."""
    kinds = {item.item_type for item in items}
    if kinds == {"Media"}:
        return "media items"
    return "pages" if kinds <= {"Content"} else "items"
