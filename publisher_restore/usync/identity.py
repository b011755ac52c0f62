"""Which item is which: the one pairing rule, used by ``check``, ``analyse`` and every lookup.

uSync finds the item a file updates by Key, then by Alias (never by Alias for content and
media: node names repeat across a tree), and compares aliases case-insensitively
(``casefold``: 'Straße' is 'STRASSE').  A site's export often holds two files with one Key
(uSync leaves the old file behind after a rename); both name one item, so an item whose Key
the incoming side still holds is never deleted, whatever its file is called.

``pairing.pair`` pairs two whole sides with this rule.

Version folders: ``check`` compares two whole ``uSync`` folders, where ``uSync/v9`` items
only pair with ``uSync/v9`` items (``Grouping.VERSION_FOLDER``); ``analyse`` and ``check``'s
analyser compare each side's own chosen version folder, so ``v15`` pairs with ``v16`` item
by item (``Grouping.OWN_FOLDER``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from enum import Enum
from typing import Generic, Protocol, TypeVar

from publisher_restore.usync.folders import VERSION_FOLDER
from publisher_restore.usync.models import EmptyItem, ItemRef

TREE_TYPES = frozenset({"Content", "Media"})
"""Item types uSync finds by Key only (its tree serializers, blueprints included)."""


class Identified(Protocol):
    """Anything with an item's identity: parsed items, shared (unparsed) items, markers."""

    @property
    def item_type(self) -> str: ...
    @property
    def key(self) -> str | None: ...
    @property
    def alias(self) -> str: ...
    @property
    def path(self) -> str: ...


E = TypeVar("E", bound=Identified)


def alias_key(alias: str) -> str:
    """Aliases compare case-insensitively, as Umbraco's lookups do ('Straße' is 'STRASSE')."""
    return alias.casefold()


def culture_key(culture: str | None) -> str | None:
    """Culture codes compare case-insensitively ('en-US' is 'en-us'); blank is invariant."""
    return (culture or "").strip().casefold() or None


def key_fold(key: str | None) -> str | None:
    """A Key as compared: GUIDs without braces, case or blanks; None when there is none."""
    if key is None:
        return None
    folded = key.strip().strip("{}").lower()
    return folded or None


def same_ref(a: ItemRef, b: ItemRef) -> bool:
    """Two references name the same item: equal Keys, or equal Aliases (uSync's fallback)."""
    if a.key and b.key and key_fold(a.key) == key_fold(b.key):
        return True
    return bool(a.alias) and alias_key(a.alias) == alias_key(b.alias)


def ref_in(ref: ItemRef, refs: Iterable[ItemRef]) -> bool:
    """``ref`` names one of ``refs``."""
    return any(same_ref(ref, other) for other in refs)


# -- version folders ---------------------------------------------------------------------


def version_folder(path: str) -> str:
    """``uSync/v9/ContentTypes/x.config`` -> ``v9``; '' for a path outside ``uSync/v<N>``."""
    parts = path.split("/", 2)
    if len(parts) > 2 and parts[0].casefold() == "usync":
        return parts[1]
    return ""


def inner_path(path: str) -> str:
    """The path inside its version folder, case-folded: one file across ``v15`` and ``v16``."""
    parts = path.replace("\\", "/").split("/")
    if len(parts) > 2 and parts[0].casefold() == "usync":
        parts = parts[2:]
    elif len(parts) > 1 and VERSION_FOLDER.match(parts[0]):
        parts = parts[1:]
    return "/".join(parts).casefold()


def in_folder(entries: Iterable[E], folder: str) -> list[E]:
    """The entries whose path is inside ``folder`` (a site-relative version folder)."""
    prefix = folder.rstrip("/") + "/"
    return [entry for entry in entries if entry.path.startswith(prefix)]


class Grouping(Enum):
    """Which items may pair: any version folder's, or only the same version folder's."""

    OWN_FOLDER = "own-folder"
    VERSION_FOLDER = "version-folder"

    def group_of(self) -> Callable[[str], str]:
        """Path -> the group an item pairs within."""
        return version_folder if self is Grouping.VERSION_FOLDER else _no_group


def _no_group(_path: str) -> str:
    return ""


# -- lookup --------------------------------------------------------------------------------


class ItemIndex(Generic[E]):
    """Entries by Key, then Alias, as uSync finds them; the first entry of a Key is kept.

    Empty markers are kept apart (``actions``): a marker names an item, it is not one.  With
    ``Grouping.VERSION_FOLDER`` a lookup only finds entries of the version folder of ``near``.
    The Alias lookup is built on its first use (most lookups are by Key).
    """

    def __init__(
        self, entries: Iterable[E] = (), *, grouping: Grouping = Grouping.OWN_FOLDER
    ) -> None:
        self._group = grouping.group_of()
        self._grouped = grouping is Grouping.VERSION_FOLDER
        self._entries: list[E] = []
        self._by_key: dict[tuple[str, str, str], E] = {}
        self._by_alias: dict[tuple[str, str, str], E] | None = None
        self._actions: list[EmptyItem] = []
        self._duplicates: list[tuple[E, E]] = []
        self._later: dict[int, list[E]] = {}  # id(kept) -> later entries with its Key
        for entry in entries:
            self.add(entry)

    def add(self, entry: E) -> None:
        """Index one more entry (a later duplicate of a Key is recorded, not indexed)."""
        if isinstance(entry, EmptyItem):
            self._actions.append(entry)
            return
        key = key_fold(entry.key)
        if key is not None:
            group = self._group(entry.path) if self._grouped else ""
            kept = self._by_key.setdefault((group, entry.item_type, key), entry)
            if kept is not entry:
                self._duplicates.append((entry, kept))
                self._later.setdefault(id(kept), []).append(entry)
                return
        self._entries.append(entry)
        if self._by_alias is not None:
            self._add_alias(self._by_alias, entry)

    def _add_alias(self, index: dict[tuple[str, str, str], E], entry: E) -> None:
        if entry.alias and entry.item_type not in TREE_TYPES:
            group = self._group(entry.path) if self._grouped else ""
            index.setdefault((group, entry.item_type, alias_key(entry.alias)), entry)

    def _aliases(self) -> dict[tuple[str, str, str], E]:
        if self._by_alias is None:
            self._by_alias = {}
            for entry in self._entries:
                self._add_alias(self._by_alias, entry)
        return self._by_alias

    def find(
        self, item_type: str, key: str | None, alias: str | None = None, *, near: str = ""
    ) -> E | None:
        """The entry uSync would update for this Key/Alias, or None if it would create one.

        ``near``: a path in the version folder to search (``Grouping.VERSION_FOLDER`` only).
        """
        found = self.holder(item_type, key, near=near)
        if found is not None or not alias or item_type in TREE_TYPES:
            return found
        group = self._group(near) if self._grouped else ""
        return self._aliases().get((group, item_type, alias_key(alias)))

    def holder(self, item_type: str, key: str | None, *, near: str = "") -> E | None:
        """The entry holding this Key (no Alias fallback)."""
        folded = key_fold(key)
        if folded is None:
            return None
        group = self._group(near) if self._grouped else ""
        return self._by_key.get((group, item_type, folded))

    def holders(self, item_type: str, key: str | None, *, near: str = "") -> list[E]:
        """Every entry holding this Key, the first loaded first."""
        first = self.holder(item_type, key, near=near)
        return [] if first is None else [first, *self._later.get(id(first), ())]

    def find_like(self, item: Identified) -> E | None:
        """The indexed counterpart of an item (or of the item an Empty marker names)."""
        return self.find(item.item_type, item.key, item.alias, near=item.path)

    def of_type(self, item_type: str) -> tuple[E, ...]:
        """Every indexed entry of one type, in load order."""
        return tuple(entry for entry in self._entries if entry.item_type == item_type)

    @property
    def item_types(self) -> tuple[str, ...]:
        """The item types present, in first-seen order."""
        return tuple(dict.fromkeys(entry.item_type for entry in self._entries))

    @property
    def actions(self) -> tuple[EmptyItem, ...]:
        """Empty markers (delete, rename, clean, none), kept out of the lookup."""
        return tuple(self._actions)

    def actions_of_type(self, item_type: str) -> tuple[EmptyItem, ...]:
        """Empty markers that name items of one type."""
        return tuple(action for action in self._actions if action.item_type == item_type)

    @property
    def duplicates(self) -> tuple[tuple[E, E], ...]:
        """(ignored, kept) entries sharing a type and Key; the first one loaded is kept."""
        return tuple(self._duplicates)

    def __iter__(self) -> Iterator[E]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, item: object) -> bool:
        return any(indexed is item for indexed in self._entries)
