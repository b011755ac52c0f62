"""Unchanged item files in a check: known by the identity the point's index recorded.

A file whose bytes are the same in the point and on the site cannot hold a change, so
``check`` never parses it: it takes part in pairing and analysis as a ``SharedItem``
(``analyser.shared``) built from the index, and its bytes are read from the site only
if an analyser rule looks it up or counts it (a data type a changed property now uses,
content for an impact count).  Memory then follows what changed, not the site.
"""

from __future__ import annotations

from pathlib import Path

from publisher_restore.analyser.shared import SharedItem
from publisher_restore.restore.contents import Identity
from publisher_restore.usync.models import ItemRef
from publisher_restore.usync.sources import read_item_bytes


class SiteSharedItem(SharedItem):
    """A ``SharedItem`` whose bytes stay on the site until a rule asks for them."""

    __slots__ = ("_file",)

    def __init__(self, identity: Identity, path: str, file: Path) -> None:
        refs = tuple(ItemRef(key=key, alias=alias) for key, alias in identity.refs)
        super().__init__(
            identity.item_type,
            identity.key,
            identity.alias,
            path,
            b"",
            identity.content_type,
            identity.parent_key,
            refs,
        )
        self._file = file

    @property
    def data(self) -> bytes:
        """The file's bytes, read now (never past the item size limit)."""
        read = read_item_bytes(self._file, self.path)
        return read.data if isinstance(read.data, bytes) else b""

    @data.setter
    def data(self, _value: bytes) -> None:
        """``SharedItem.__init__`` sets it; the bytes stay on the site instead."""
