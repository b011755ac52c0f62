"""Partial restore: restore only some of a point's items (``--item``) and site paths (``--path``).

An ``--item TYPE:ALIAS_OR_KEY`` is read as the publisher reads it
(``publisher.item_spec``) and looked up in the point first, then in the site (an item
the point lacks is one the restore deletes), in each uSync version folder.  It selects
the files of the item on both sides, paired as ``check`` pairs them: restoring an item
that moved to another file writes its old file and deletes the new one.  A ``--path`` is a
glob in the Include/Exclude syntax (``Views/**``, ``wwwroot/css/site.css``).

The selection is resolved to site paths when the restore is checked; execute restores
those paths only, and the plan token covers exactly them, so nothing outside the
selection is written, deleted or even looked at.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Sequence

from pydantic import BaseModel, ConfigDict

from publisher_restore.config.patterns import PathMatcher
from publisher_restore.publisher.errors import SelectionError
from publisher_restore.publisher.item_spec import ItemSpec, parse_item_spec
from publisher_restore.publisher.lookup import SourceItems
from publisher_restore.publisher.selection import resolve_spec
from publisher_restore.restore.check import Chooser, ItemPair, item_pairs
from publisher_restore.usync.identity import Grouping, version_folder
from publisher_restore.usync.models import AnyItem
from publisher_restore.usync.pairing import pair

_GLOB_CHARS = "*?["


class RestoreSelection(BaseModel):
    """What a partial restore is limited to: items, globs, or both (their union)."""

    model_config = ConfigDict(frozen=True)

    items: tuple[str, ...] = ()
    """``TYPE:ALIAS_OR_KEY`` as given."""
    paths: tuple[str, ...] = ()
    """Site-relative globs."""

    @property
    def everything(self) -> bool:
        """True when nothing is selected: the whole point is restored."""
        return not self.items and not self.paths

    def describe(self) -> str:
        """In words, for messages: ``ContentType:home, Views/**``."""
        return ", ".join((*self.items, *self.paths))


def exact_path(path: str) -> str:
    """A glob that matches ``path`` only (its glob characters in brackets)."""
    return "".join(f"[{char}]" if char in _GLOB_CHARS else char for char in path)


def chooser(selection: RestoreSelection, point_id: str) -> Chooser:
    """The ``check`` chooser for a selection; SelectionError (exit 2) for a bad ``--item``."""
    specs = [parse_item_spec(text) for text in selection.items]
    globs = [(pattern, PathMatcher([pattern])) for pattern in selection.paths]

    def choose(
        now: Callable[[], Sequence[AnyItem]],
        then: Callable[[], Sequence[AnyItem]],
        paths: Collection[str],
    ) -> set[str]:
        chosen: set[str] = set()
        for pattern, matcher in globs:
            matched = {path for path in paths if matcher.matches(path)}
            if not matched:
                raise SelectionError(
                    f"--path {pattern!r} matches no file of restore point {point_id} or the site"
                )
            chosen |= matched
        if specs:  # only items need every item read in full; paths do not
            chosen |= _item_paths(now(), then(), specs, point_id)
        return chosen

    return choose


def _item_paths(
    now: Sequence[AnyItem], then: Sequence[AnyItem], specs: list[ItemSpec], point_id: str
) -> set[str]:
    pair_of = _pairs_by_item(now, then)
    folders = _by_version_folder(now, then, point_id)
    chosen: set[str] = set()
    for spec in specs:
        found = [_resolved(source, spec) for source in folders]
        items = [item for item in found if item is not None]
        if not items:
            raise SelectionError(
                f"--item {spec.text!r}: no {spec.item_type} with "
                f"{f'Key {spec.key}' if spec.key else f'alias {spec.alias!r}'} "
                f"in restore point {point_id} or the site"
            )
        for item in items:
            chosen |= _paths(pair_of[id(item)])
    return chosen


def _pairs_by_item(now: Sequence[AnyItem], then: Sequence[AnyItem]) -> dict[int, ItemPair[AnyItem]]:
    """Each item's pair, as ``check`` pairs them (an unchanged item is paired with itself)."""
    pairing = pair(list(now), list(then), grouping=Grouping.VERSION_FOLDER)
    pairs = item_pairs(pairing) + [ItemPair(item, item) for item in pairing.items.unchanged]
    for duplicate in pairing.items.duplicates:
        entry = duplicate.entry
        pairs.append(
            ItemPair(entry, None) if duplicate.side == "current" else ItemPair(None, entry)
        )
    return {id(item): found for found in pairs for item in (found.now, found.then) if item}


def _by_version_folder(
    now: Sequence[AnyItem], then: Sequence[AnyItem], point_id: str
) -> list[SourceItems]:
    """One source per version folder: the point's items first, so a match prefers them."""
    grouped: dict[str, list[AnyItem]] = defaultdict(list)
    for item in (*then, *now):
        grouped[version_folder(item.path)].append(item)
    label = f"restore point {point_id} or the site"
    return [SourceItems(items, label) for _folder, items in sorted(grouped.items())]


def _resolved(source: SourceItems, spec: ItemSpec) -> AnyItem | None:
    """The item ``spec`` names in one folder; None when absent (several is still an error)."""
    try:
        return resolve_spec(source, spec)
    except SelectionError as error:
        if str(error).startswith(f"--item {spec.text!r}: no "):
            return None
        raise


def _paths(pair: ItemPair[AnyItem]) -> set[str]:
    return {item.path for item in (pair.now, pair.then) if item is not None}
