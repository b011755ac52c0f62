"""Block editor values as uSync writes them: the element items held inside one property value.

Umbraco stores Block List, Block Grid, rich-text blocks and Nested Content as one JSON value
of a page property; each block is an item of an element type with its own property values.
The shapes read here (all found in real exports):

- **Nested Content** (Umbraco 8 to 13): a JSON array of items, each with ``ncContentTypeAlias``
  (the element type's alias), ``key``, ``name`` and one entry per property alias.
- **Block List / Block Grid before Umbraco 14** (and Block List in Umbraco 8.7+):
  ``{"layout": {"Umbraco.BlockList": [...]}, "contentData": [...], "settingsData": [...]}``;
  each data item has ``contentTypeKey``, ``udi`` (``umb://element/<32 hex>``) and one entry per
  property alias.  Block Grid items sit in the same flat ``contentData``; the layout nests
  them in ``areas``.
- **Umbraco 14+**: the same envelope (``Layout`` may be capitalised, plus ``expose``), each data
  item has ``key`` and ``values: [{alias, culture, segment, value}]``: a value may vary by
  culture or segment inside an invariant block list (block-level variance).
- **Rich text with blocks** (Umbraco 13+): ``{"markup": "...", "blocks": {<the envelope>}}``.

A value is JSON text, or (inside a v14+ block) already a JSON object.  A property of a block may
hold blocks again: before Umbraco 14 as a JSON *string* inside the JSON, since then as an object.
Only blocks the layout references are read when the layout names any (the rest is stale data
Umbraco ignores and drops on the next save).

Values are hostile input: nesting deeper than ``MAX_DEPTH`` block levels, more than
``MAX_BLOCKS`` blocks in one value and more than ``MAX_PARSE_CHARS`` of JSON text (nested strings
included) in one value are not read (``BlockRead.truncated`` says so).
JSON nested deeper than Python's parser allows is not a block value.  Nothing here recurses.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

MAX_DEPTH = 8
"""Block levels read: a block inside a block inside a block ... (real sites nest 2 or 3)."""
MAX_BLOCKS = 10_000
"""Blocks read from one value; a real page holds tens, a few hundred at most."""
MAX_PARSE_CHARS = 32 * 1024 * 1024
"""Characters of JSON text parsed for one value, nested strings included (an item file's limit)."""

MARKERS = ("contentData", "ncContentTypeAlias")
"""Text that every block value holds; anything without it is not parsed."""

_NC_ALIAS = "ncContentTypeAlias"
_NC_RESERVED = frozenset({"key", "name", "nccontenttypealias", "proptype"})
_DATA_RESERVED = frozenset({"contenttypekey", "udi", "key"})
_UDI_PREFIX = "umb://element/"


def may_hold_blocks(text: str) -> bool:
    """A cheap test: could this stored value be a block value (JSON with a block marker)?"""
    head = text.lstrip()[:1]
    return head in ("{", "[") and any(marker in text for marker in MARKERS)


_MARKUP = re.compile(r'"markup"\s*:\s*(?:null|"((?:[^"\\]|\\.)*)")')


def holds_nothing(text: str) -> bool:
    """A Block List, Block Grid or rich-text value with no block (and no markup): empty.

    Umbraco writes an emptied block editor as an envelope with empty lists
    (``{"layout": {}, "contentData": [], "settingsData": []}``), not as an empty string.
    A cheap text test: every block item names its element type as ``contentTypeKey``.
    """
    if not text.lstrip().startswith("{") or "contentData" not in text:
        return False
    if "contentTypeKey" in text:
        return False
    if '"markup"' not in text:
        return True
    markup = _MARKUP.search(text)
    return markup is not None and not (markup.group(1) or "").strip()


@dataclass(frozen=True, slots=True)
class BlockValue:
    """One property value of a block: its own culture and segment (v14+), and its text."""

    alias: str
    culture: str | None
    segment: str | None
    text: str
    raw: Any = field(default=None, compare=False, repr=False)


@dataclass(eq=False, slots=True)
class Block:
    """One element item held in a block value.

    ``element_key`` names the element type by Key (Block List, Block Grid, rich-text blocks),
    ``element_alias`` by Alias (Nested Content).  ``culture``/``segment`` are those of the value
    holding the block (a page value, or the parent block's value); a value's own culture wins.
    ``holder`` is the parent block's value that holds this block (None at the top).
    ``in_area`` marks a Block Grid block the layout places inside another block's area;
    ``position`` is a block's place in the layout's root list (None when not there).
    """

    element_key: str | None
    element_alias: str | None
    key: str | None
    settings: bool
    values: tuple[BlockValue, ...]
    culture: str | None
    segment: str | None
    depth: int
    parent: Block | None = None
    holder: BlockValue | None = None
    in_area: bool = False
    position: int | None = None

    def label_culture(self, value: BlockValue) -> str | None:
        """The culture a value of this block counts under: its own, else its holder's."""
        return value.culture or self.culture


@dataclass
class BlockRead:
    """Every block in one value (parents before children), and whether a limit cut it short."""

    blocks: list[Block] = field(default_factory=list)
    truncated: bool = False


@dataclass(frozen=True, slots=True)
class _Pending:
    data: Any
    culture: str | None
    segment: str | None
    depth: int
    parent: Block | None
    holder: BlockValue | None


class _Reader:
    def __init__(self) -> None:
        self.result = BlockRead()
        self.parsed_chars = 0

    def read(self, start: _Pending) -> BlockRead:
        stack = [start]
        while stack:
            pending = stack.pop()
            data = self._json(pending.data)
            if data is None:
                continue
            children = self._blocks(data, pending)
            for block in children:
                for value in block.values:
                    if _container(value.raw):
                        stack.append(_nested(block, value))
        return self.result

    def _json(self, data: Any) -> Any:
        if not isinstance(data, str):
            return data
        if not may_hold_blocks(data):
            return None
        if self.parsed_chars + len(data) > MAX_PARSE_CHARS:
            self.result.truncated = True
            return None
        self.parsed_chars += len(data)
        try:
            return json.loads(data)
        except (ValueError, RecursionError):
            return None

    def _blocks(self, data: Any, pending: _Pending) -> list[Block]:
        if pending.depth > MAX_DEPTH:
            self.result.truncated = True
            return []
        found: list[Block] = []
        for entry, settings, place in _entries(data):
            if len(self.result.blocks) >= MAX_BLOCKS:
                self.result.truncated = True
                break
            block = _block(entry, settings, place, pending)
            if block is not None:
                self.result.blocks.append(block)
                found.append(block)
        return found


def read_blocks(value: Any, culture: str | None = None, segment: str | None = None) -> BlockRead:
    """The blocks a stored value holds (none when it is not a block value).

    ``value`` is the text uSync wrote (or parsed JSON); ``culture``/``segment`` are those of the
    page value, inherited by the blocks' values that do not vary themselves.
    """
    return _Reader().read(_Pending(value, culture, segment, 1, None, None))


def _nested(block: Block, value: BlockValue) -> _Pending:
    return _Pending(
        value.raw,
        block.label_culture(value),
        value.segment or block.segment,
        block.depth + 1,
        block,
        value,
    )


def _container(raw: Any) -> bool:
    """Whether a block's value may hold blocks (text with a marker, or a block-shaped object)."""
    if isinstance(raw, str):
        return may_hold_blocks(raw)
    if isinstance(raw, dict):
        return _get(raw, "contentData") is not None or isinstance(_get(raw, "blocks"), dict)
    if isinstance(raw, list):
        return any(isinstance(e, dict) and _NC_ALIAS in e for e in raw)
    return False


def _get(data: dict[str, Any], name: str) -> Any:
    """A key matched case-insensitively (``layout`` / ``Layout``)."""
    if name in data:
        return data[name]
    folded = name.casefold()
    return next((v for k, v in data.items() if str(k).casefold() == folded), None)


@dataclass(frozen=True, slots=True)
class _Place:
    in_area: bool = False
    position: int | None = None


def _entries(data: Any) -> Iterator[tuple[dict[str, Any], bool, _Place]]:
    """(data item, is settings, place in the layout) for every block item, in stored order."""
    if isinstance(data, list):
        if any(isinstance(e, dict) and _NC_ALIAS in e for e in data):
            items = (e for e in data if isinstance(e, dict))
            yield from ((e, False, _Place(position=i)) for i, e in enumerate(items))
        return
    if not isinstance(data, dict):
        return
    envelope = data
    if _get(data, "contentData") is None:
        inner = _get(data, "blocks")  # rich text: {"markup": ..., "blocks": {...}}
        if not isinstance(inner, dict):
            return
        envelope = inner
    layout = _Layout(_get(envelope, "layout"))
    for name, settings in (("contentData", False), ("settingsData", True)):
        items = _get(envelope, name)
        if not isinstance(items, list):
            continue
        for entry in items:
            if not isinstance(entry, dict):
                continue
            ident = block_id(_get(entry, "key") or _get(entry, "udi"))
            if not layout.found or ident is None or ident in layout.found:
                place = _Place(ident in layout.in_areas, layout.roots.get(ident or ""))
                yield entry, settings, place


class _Layout:
    """Block ids the layout references, those in a Block Grid area, the root order; bounded."""

    def __init__(self, layout: Any) -> None:
        self.found: set[str] = set()
        self.in_areas: set[str] = set()
        self.roots: dict[str, int] = {}
        if not isinstance(layout, dict):
            return
        for items in layout.values():
            for index, item in enumerate(items if isinstance(items, list) else ()):
                ident = (
                    block_id(item.get("contentKey") or item.get("contentUdi"))
                    if isinstance(item, dict)
                    else None
                )
                if ident is not None:
                    self.roots.setdefault(ident, index)
        self._walk([(items, False) for items in layout.values()])

    def _walk(self, stack: list[tuple[Any, bool]]) -> None:
        visited = 0
        while stack and visited < MAX_BLOCKS * 4:
            node, nested = stack.pop()
            visited += 1
            if isinstance(node, list):
                stack.extend((child, nested) for child in node)
            elif isinstance(node, dict):
                for name in ("contentKey", "contentUdi", "settingsKey", "settingsUdi"):
                    ident = block_id(node.get(name))
                    if ident is not None:
                        self.found.add(ident)
                        if nested:
                            self.in_areas.add(ident)
                areas = node.get("areas")
                for area in areas if isinstance(areas, list) else ():
                    if isinstance(area, dict):
                        stack.append((area.get("items"), True))


def block_id(value: Any) -> str | None:
    """A block's id in one form: 32 lower-case hex digits from a Key or an element UDI."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().casefold()
    text = text.removeprefix(_UDI_PREFIX)
    return text.replace("-", "") or None


def _text(raw: Any) -> str:
    if isinstance(raw, str):
        return raw
    if raw is None:
        return ""
    try:
        return json.dumps(raw, ensure_ascii=False, separators=(",", ":"))
    except (ValueError, RecursionError):
        return ""


def _optional(raw: Any) -> str | None:
    return raw.strip() or None if isinstance(raw, str) else None


def _block(entry: dict[str, Any], settings: bool, place: _Place, pending: _Pending) -> Block | None:
    alias = entry.get(_NC_ALIAS)
    type_key = _optional(_get(entry, "contentTypeKey"))
    if not type_key and not isinstance(alias, str):
        return None
    return Block(
        element_key=type_key.casefold() if type_key else None,
        element_alias=None if type_key else _optional(alias),
        key=block_id(_get(entry, "key") or _get(entry, "udi")),
        settings=settings,
        values=_values(entry, _NC_RESERVED if not type_key else _DATA_RESERVED),
        culture=pending.culture,
        segment=pending.segment,
        depth=pending.depth,
        parent=pending.parent,
        holder=pending.holder,
        in_area=place.in_area,
        position=place.position,
    )


def _values(entry: dict[str, Any], reserved: frozenset[str]) -> tuple[BlockValue, ...]:
    listed = _get(entry, "values")
    if _is_value_list(listed):
        return tuple(
            BlockValue(
                alias=str(v.get("alias") or ""),
                culture=_optional(v.get("culture")),
                segment=_optional(v.get("segment")),
                text=_text(v.get("value")),
                raw=v.get("value"),
            )
            for v in listed
        )
    return tuple(
        BlockValue(alias=str(name), culture=None, segment=None, text=_text(raw), raw=raw)
        for name, raw in entry.items()
        if str(name).casefold() not in reserved
    )


def _is_value_list(listed: Any) -> bool:
    """The v14+ ``values`` list (and not a property that happens to be called 'values')."""
    return isinstance(listed, list) and all(
        isinstance(v, dict) and isinstance(v.get("alias"), str) for v in listed
    )
