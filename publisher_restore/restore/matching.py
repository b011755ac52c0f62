"""Pair the items of two sides as uSync does: by Key first, then by Alias.

Items are compared within their uSync version folder (``uSync/v16`` items are
never matched with ``uSync/v17`` ones) and their kind (an ``Empty`` marker is
never matched with the item it names).  Content and media match by Key only,
as uSync's tree serializers do.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from publisher_restore.usync.models import AnyItem, ContentItem

Group = tuple[str, str, str]


@dataclass(frozen=True)
class ItemPair:
    """An item now and the same item in the other side; either may be missing."""

    now: AnyItem | None
    then: AnyItem | None


def match_items(now: list[AnyItem], then: list[AnyItem]) -> list[ItemPair]:
    """Every item of both sides, paired where uSync would treat them as one."""
    now_groups = _grouped(now)
    pairs: list[ItemPair] = []
    for group, then_items in _grouped(then).items():
        pairs += _match_group(now_groups.pop(group, []), then_items)
    for leftovers in now_groups.values():
        pairs += [ItemPair(now=item, then=None) for item in leftovers]
    return pairs


def version_folder(path: str) -> str:
    """``uSync/v9/ContentTypes/x.config`` -> ``v9``."""
    parts = path.split("/")
    return parts[1] if len(parts) > 2 and parts[0].lower() == "usync" else ""


def _grouped(items: list[AnyItem]) -> dict[Group, list[AnyItem]]:
    groups: dict[Group, list[AnyItem]] = defaultdict(list)
    for item in items:
        groups[(version_folder(item.path), item.kind, item.item_type)].append(item)
    return groups


def _match_group(now: list[AnyItem], then: list[AnyItem]) -> list[ItemPair]:
    by_key = {item.key: item for item in now if item.key}
    by_alias = {item.alias.lower(): item for item in now if item.alias}
    then_keys = {item.key for item in then if item.key}
    used: set[int] = set()
    pairs = []
    for item in then:
        match = by_key.get(item.key) if item.key else None
        if match is None and not isinstance(item, ContentItem):
            candidate = by_alias.get(item.alias.lower())
            if candidate is not None and candidate.key not in then_keys:
                match = candidate
        if match is not None and id(match) in used:
            match = None
        if match is not None:
            used.add(id(match))
        pairs.append(ItemPair(now=match, then=item))
    pairs += [ItemPair(now=item, then=None) for item in now if id(item) not in used]
    return pairs
