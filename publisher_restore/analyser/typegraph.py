"""Content-type inheritance on one side: compositions and parents, resolved transitively.

Unchanged (shared) types take part by their composition references alone; they are parsed
only when a rule needs their properties.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from publisher_restore.analyser.shared import SharedItem
from publisher_restore.analyser.sides import TYPE_FAMILIES, Side
from publisher_restore.usync.identity import alias_key
from publisher_restore.usync.models import AnyItem, ContentTypeItem, ItemRef, PropertyType

Node = ContentTypeItem | SharedItem


@dataclass(frozen=True)
class OwnedProperty:
    """A property as a type sees it, with the type that declares it."""

    prop: PropertyType
    owner: ContentTypeItem


@dataclass
class PropertySet:
    """Properties looked up by Key, then by Alias (how uSync matches them)."""

    by_key: dict[str, OwnedProperty] = field(default_factory=dict)
    by_alias: dict[str, OwnedProperty] = field(default_factory=dict)

    def add(self, owned: OwnedProperty) -> None:
        """Keep the first declaration of a Key or Alias."""
        if owned.prop.key:
            self.by_key.setdefault(owned.prop.key, owned)
        self.by_alias.setdefault(alias_key(owned.prop.alias), owned)

    def find(self, prop: PropertyType) -> OwnedProperty | None:
        """The property matching ``prop`` by Key, else by Alias."""
        if prop.key and prop.key in self.by_key:
            return self.by_key[prop.key]
        return self.by_alias.get(alias_key(prop.alias))

    def values(self) -> list[OwnedProperty]:
        """Every property once, in declaration order."""
        seen: dict[int, OwnedProperty] = {}
        for owned in [*self.by_key.values(), *self.by_alias.values()]:
            seen.setdefault(id(owned.prop), owned)
        return list(seen.values())


def _model(node: AnyItem | SharedItem | None) -> ContentTypeItem | None:
    found = node.model() if isinstance(node, SharedItem) else node
    return found if isinstance(found, ContentTypeItem) else None


class TypeGraph:
    """Compositions and parents of the content, media and member types of one side."""

    def __init__(self, side: Side) -> None:
        self._side = side
        self._effective: dict[int, PropertySet] = {}
        self._composers: dict[int, list[Node]] = {}
        nodes: list[Node] = [i for i in side.items if isinstance(i, ContentTypeItem)]
        nodes += [s for s in side.shared if s.item_type in TYPE_FAMILIES]
        for node in nodes:
            for ref in self._refs(node):
                source = self._node(ref, node.item_type)
                if source is not None and source is not node:
                    self._composers.setdefault(id(source), []).append(node)

    def _refs(self, node: Node) -> tuple[ItemRef, ...]:
        return node.source_refs if isinstance(node, SharedItem) else self.source_refs(node)

    def _node(self, ref: ItemRef, item_type: str) -> Node | None:
        found = self._side.find_entry(item_type, ref.key, ref.alias)
        return found if isinstance(found, ContentTypeItem | SharedItem) else None

    def resolve(self, ref: ItemRef, item_type: str) -> ContentTypeItem | None:
        """The type a composition or parent reference names, on this side."""
        return _model(self._side.find_entry(item_type, ref.key, ref.alias))

    def source_refs(self, item: ContentTypeItem) -> tuple[ItemRef, ...]:
        """Compositions plus the parent: Umbraco stores a parent as one more composition."""
        return (*item.compositions, item.parent) if item.parent else item.compositions

    def sources(self, item: ContentTypeItem) -> list[ContentTypeItem]:
        """The resolved direct compositions and parent of ``item``."""
        found = (self.resolve(ref, item.item_type) for ref in self.source_refs(item))
        return [source for source in found if source is not None and source is not item]

    def effective(self, item: ContentTypeItem) -> PropertySet:
        """Own properties plus those of every composition and parent, transitively."""
        cached = self._effective.get(id(item))
        if cached is not None:
            return cached
        result = PropertySet()
        self._effective[id(item)] = result  # a cycle sees a partial set instead of recursing
        for prop in item.properties:
            result.add(OwnedProperty(prop, item))
        for source in self.sources(item):
            for owned in self.effective(source).values():
                result.add(owned)
        return result

    def inherited_from(self, item: ContentTypeItem, ref: ItemRef) -> list[OwnedProperty]:
        """The properties ``item`` gets through the composition or parent ``ref``."""
        source = self.resolve(ref, item.item_type)
        return [] if source is None else self.effective(source).values()

    def users(self, item: ContentTypeItem) -> list[ContentTypeItem]:
        """``item`` and every type that composes or inherits it, transitively."""
        start = self._side.find_entry(item.item_type, item.key, item.alias)
        if not isinstance(start, ContentTypeItem | SharedItem) or _model(start) is not item:
            start = item
        found: dict[int, ContentTypeItem] = {id(start): item}
        stack: list[Node] = [start]
        while stack:
            for composer in self._composers.get(id(stack.pop()), []):
                model = _model(composer)
                if id(composer) not in found and model is not None:
                    found[id(composer)] = model
                    stack.append(composer)
        return list(found.values())
