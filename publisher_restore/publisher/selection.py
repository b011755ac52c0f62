"""A selection of source items, expanded with what they need, in uSync's write order.

No ``--item`` selects every item file of the source (Empty markers and files that share a
Key included: that is what uSync itself would import from the folder); files that are not
readable items are left out and listed in ``unreadable``.  An ``--item`` that
names a deleted item selects its Empty marker, so a push can carry the delete.
Dependencies (``references``) are followed by default, transitively and cycle-safe; a
reference the source cannot satisfy is reported with the item that needs it, never fatal.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from publisher_restore.publisher.errors import SelectionError
from publisher_restore.publisher.item_spec import BLUEPRINT, ItemSpec
from publisher_restore.publisher.lookup import SourceItems
from publisher_restore.publisher.order import write_order_key
from publisher_restore.publisher.references import Reference, references_of
from publisher_restore.usync.models import (
    AnyItem,
    ContentItem,
    EmptyAction,
    EmptyItem,
    ParseProblem,
)

MAX_LISTED = 10
"""Ambiguous node names list at most this many candidates in the error."""


class MissingReference(BaseModel):
    """A reference the source cannot satisfy, and the selected item that needs it."""

    model_config = ConfigDict(frozen=True)

    needed_by: str
    needed_by_type: str
    needed_by_alias: str
    reference: Reference

    def __str__(self) -> str:
        return (
            f"{self.needed_by} ({self.needed_by_type} '{self.needed_by_alias}') needs "
            f"{self.reference.describe()} ({self.reference.why}), which is not in the source"
        )


class SelectedItem(BaseModel):
    """One selected item file: asked for, or brought in by the items in ``needed_by``."""

    model_config = ConfigDict(frozen=True)

    item: AnyItem
    requested: bool
    needed_by: tuple[str, ...] = ()


class Selection(BaseModel):
    """The expanded selection: items in write order, what was asked, what is missing."""

    model_config = ConfigDict(frozen=True)

    entries: tuple[SelectedItem, ...]
    specs: tuple[ItemSpec, ...] = ()
    dependencies: bool = True
    missing: tuple[MissingReference, ...] = ()
    unreadable: tuple[ParseProblem, ...] = ()
    """Source files that are not readable items: left out of an everything-selection."""

    @property
    def items(self) -> tuple[AnyItem, ...]:
        """The selected items, in write order."""
        return tuple(entry.item for entry in self.entries)

    @property
    def everything(self) -> bool:
        """True when no ``--item`` was given (the whole source)."""
        return not self.specs


def select_items(
    source: SourceItems, specs: Sequence[ItemSpec], *, dependencies: bool = True
) -> Selection:
    """Resolve ``specs`` in ``source`` (none: every item) and add their dependencies."""
    roots = list(source.files) if not specs else _resolve_all(source, specs)
    expansion = _Expansion(source)
    for item in roots:
        expansion.add_root(item)
    if dependencies:
        expansion.follow()
    return Selection(
        entries=expansion.entries(),
        specs=tuple(specs),
        dependencies=dependencies,
        missing=expansion.missing(),
        unreadable=source.unreadable if not specs else (),
    )


class _Expansion:
    """Items reached so far (by file path), who needs them, and references left unsatisfied."""

    def __init__(self, source: SourceItems) -> None:
        self._source = source
        self._items: dict[str, AnyItem] = {}
        self._requested: set[str] = set()
        self._needed_by: dict[str, set[str]] = {}
        self._missing: dict[tuple[str, Reference], MissingReference] = {}
        self._queue: deque[AnyItem] = deque()

    def add_root(self, item: AnyItem) -> None:
        self._requested.add(item.path)
        self._add(item)

    def _add(self, item: AnyItem) -> None:
        if item.path not in self._items:
            self._items[item.path] = item
            self._queue.append(item)

    def follow(self) -> None:
        while self._queue:
            item = self._queue.popleft()
            for reference in references_of(item):
                self._satisfy(item, reference)

    def _satisfy(self, item: AnyItem, reference: Reference) -> None:
        found = self._source.find(reference.item_type, reference.key, reference.alias)
        if found is None:
            self._missing.setdefault(
                (item.path, reference),
                MissingReference(
                    needed_by=item.path,
                    needed_by_type=item.item_type,
                    needed_by_alias=item.alias,
                    reference=reference,
                ),
            )
            return
        if found.path != item.path:
            self._needed_by.setdefault(found.path, set()).add(item.path)
            self._add(found)

    def entries(self) -> tuple[SelectedItem, ...]:
        ordered = sorted(self._items.values(), key=write_order_key)
        return tuple(
            SelectedItem(
                item=item,
                requested=item.path in self._requested,
                needed_by=tuple(sorted(self._needed_by.get(item.path, ()))),
            )
            for item in ordered
        )

    def missing(self) -> tuple[MissingReference, ...]:
        return tuple(
            self._missing[key]
            for key in sorted(self._missing, key=lambda k: (k[0], k[1].item_type, k[1].why))
        )


def _resolve_all(source: SourceItems, specs: Sequence[ItemSpec]) -> list[AnyItem]:
    return [resolve_spec(source, spec) for spec in specs]


def resolve_spec(source: SourceItems, spec: ItemSpec) -> AnyItem:
    """The one item (or Empty marker) ``spec`` names; SelectionError when none or several."""
    found = _resolve_tree(source, spec) if spec.is_tree else _resolve_plain(source, spec)
    if found is None:
        found = _marker(source, spec)
    if found is None:
        what = f"Key {spec.key}" if spec.key else f"alias {spec.alias!r}"
        hint = " (a node path such as /Home/Blog, or a unique node name)" if spec.is_tree else ""
        raise SelectionError(
            f"--item {spec.text!r}: no {spec.item_type} with {what} in {source.label}{hint}"
        )
    return found


def _resolve_plain(source: SourceItems, spec: ItemSpec) -> AnyItem | None:
    return source.find(spec.item_type, spec.key, spec.alias)


def _tree_type(spec: ItemSpec) -> str:
    return "Content" if spec.item_type == BLUEPRINT else spec.item_type


def _tree_nodes(source: SourceItems, spec: ItemSpec) -> list[ContentItem]:
    blueprint = spec.item_type == BLUEPRINT
    return [
        node
        for node in source.of_type(_tree_type(spec))
        if isinstance(node, ContentItem) and node.is_blueprint == blueprint
    ]


def _resolve_tree(source: SourceItems, spec: ItemSpec) -> AnyItem | None:
    nodes = _tree_nodes(source, spec)
    if spec.key is not None:
        return next((node for node in nodes if node.key == spec.key), None)
    wanted = _folded_path(spec.alias or "")
    by_key = {node.key: node for node in nodes if node.key}
    by_path = [
        node
        for node in nodes
        if wanted in (_folded_path(node.tree_path), _folded_path(_name_path(node, by_key)))
    ]
    if by_path:
        return _only(by_path, spec, by_key)
    name = (spec.alias or "").casefold()
    by_name = [node for node in nodes if name in (node.alias.casefold(), node.node_name.casefold())]
    return _only(by_name, spec, by_key) if by_name else None


def _only(nodes: list[ContentItem], spec: ItemSpec, by_key: dict[str, ContentItem]) -> ContentItem:
    if len(nodes) == 1:
        return nodes[0]
    shown = [f"{_name_path(node, by_key)} = {node.key}" for node in nodes[:MAX_LISTED]]
    listed = "; ".join(shown) + ("; ..." if len(nodes) > MAX_LISTED else "")
    raise SelectionError(
        f"--item {spec.text!r} matches {len(nodes)} {spec.item_type} nodes ({listed}); "
        "name one by its Key or its full path"
    )


def _name_path(node: ContentItem, by_key: dict[str, ContentItem]) -> str:
    """``/Home/My Blog/Post`` from node names up the parent chain (uSync's Path drops some)."""
    names = [node.node_name or node.alias]
    seen = {node.key}
    parent = by_key.get(node.parent_key or "")
    while parent is not None and parent.key not in seen:
        seen.add(parent.key)
        names.append(parent.node_name or parent.alias)
        parent = by_key.get(parent.parent_key or "")
    return "/" + "/".join(reversed(names))


def _folded_path(path: str) -> str:
    """Tree paths compare without spaces (uSync strips them), case and outer slashes."""
    return "".join(path.split()).strip("/").casefold()


def _marker(source: SourceItems, spec: ItemSpec) -> EmptyItem | None:
    """A delete marker for the named item, so the delete itself can be pushed."""
    alias = (spec.alias or "").casefold()
    for marker in source.markers(_tree_type(spec)):
        if marker.action is not EmptyAction.DELETE:
            continue
        if spec.key is not None and marker.key == spec.key:
            return marker
        if spec.key is None and alias and marker.alias.casefold() == alias:
            return marker
    return None
