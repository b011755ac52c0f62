"""uSync-report-style change details: what restoring an item would change, path by path."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from publisher_restore.usync.diff_paths import Member, Tracked, track, unique_labels
from publisher_restore.usync.models import AnyItem, EmptyItem

ChangeKind = Literal["create", "update", "delete"]


class ChangeDetail(BaseModel):
    """One changed value, like uSync's ``uSyncChange``: path, old and new text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str
    old: str | None
    new: str | None
    change: ChangeKind

    def __str__(self) -> str:
        return f"{self.change} {self.path}: {_shown(self.old)} -> {_shown(self.new)}"


def _shown(value: str | None) -> str:
    return "(Blank)" if not value else repr(value)


def tracked_values(item: AnyItem) -> dict[str, str]:
    """Flatten an item to stable paths (``Info/Name``, ``Property/alias/Mandatory``...)."""
    tracked = track(item)
    values = dict(tracked.scalars)
    for collection, members in tracked.collections.items():
        for member, label in zip(members, unique_labels(members), strict=True):
            for field, value in member.fields.items():
                values[f"{collection}/{label}/{field}" if field else f"{collection}/{label}"] = (
                    value
                )
    return values


def diff_items(old: AnyItem | None, new: AnyItem | None) -> list[ChangeDetail]:
    """Changes that turn ``old`` into ``new``; an Empty marker counts as no item at all.

    Collection members (properties, tabs, compositions...) are paired by Key,
    then Alias, so a renamed property is an ``Property/<old>/Alias`` update.
    """
    before = None if old is None or isinstance(old, EmptyItem) else track(old)
    after = None if new is None or isinstance(new, EmptyItem) else track(new)
    if before is None and after is None:
        return []
    before, after = before or Tracked(), after or Tracked()
    details = _diff_values(before.scalars, after.scalars)
    for name in dict.fromkeys([*before.collections, *after.collections]):
        details.extend(
            _diff_collection(
                name, before.collections.get(name, []), after.collections.get(name, [])
            )
        )
    return details


def _diff_values(old: dict[str, str], new: dict[str, str], prefix: str = "") -> list[ChangeDetail]:
    details: list[ChangeDetail] = []
    for path in dict.fromkeys([*old, *new]):
        was, now = old.get(path), new.get(path)
        shown = f"{prefix}/{path}" if prefix and path else prefix or path
        if was is None and now is not None:
            details.append(ChangeDetail(path=shown, old=None, new=now, change="create"))
        elif was is not None and now is None:
            details.append(ChangeDetail(path=shown, old=was, new=None, change="delete"))
        elif was != now:
            details.append(ChangeDetail(path=shown, old=was, new=now, change="update"))
    return details


def _diff_collection(name: str, old: list[Member], new: list[Member]) -> list[ChangeDetail]:
    pairs = pair_members(old, new)
    paired_new = set(pairs.values())
    old_labels, new_labels = unique_labels(old), unique_labels(new)
    details: list[ChangeDetail] = []
    for old_index, member in enumerate(old):
        path = f"{name}/{old_labels[old_index]}"
        new_index = pairs.get(old_index)
        if new_index is None:
            details.append(ChangeDetail(path=path, old=member.label, new=None, change="delete"))
        else:
            details.extend(_diff_values(member.fields, new[new_index].fields, path))
    for new_index, member in enumerate(new):
        if new_index not in paired_new:
            path = f"{name}/{new_labels[new_index]}"
            details.append(ChangeDetail(path=path, old=None, new=member.label, change="create"))
    return details


def pair_members(old: list[Member], new: list[Member]) -> dict[int, int]:
    """Old index -> new index, matching on each identity level in turn (Key, Alias, name)."""
    pairs: dict[int, int] = {}
    levels = max((len(m.identities) for m in [*old, *new]), default=0)
    for level in range(levels):
        taken = set(pairs.values())
        by_identity: dict[str, int] = {}
        for index, member in enumerate(new):
            identity = _identity(member, level)
            if index not in taken and identity is not None:
                by_identity.setdefault(identity, index)
        for index, member in enumerate(old):
            identity = _identity(member, level)
            if index in pairs or identity is None or identity not in by_identity:
                continue
            pairs[index] = by_identity.pop(identity)
    return pairs


def _identity(member: Member, level: int) -> str | None:
    return member.identities[level] if level < len(member.identities) else None
