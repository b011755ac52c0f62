"""Items whose file is byte-identical on both sides: known by identity, modelled on demand.

Such an item cannot hold a change, so no rule compares it; it is only ever looked up (a data
type a changed property now uses) or counted (content and media for impact).  Parsing it into
the item model is deferred until then.  Until then its bytes are kept zstd-compressed (level
1: uSync XML shrinks about threefold, at about 300 MB/s): a comparison of two whole sites
otherwise holds every file of the site in memory.  A content or media model is held weakly:
pages are most of a site, an impact count goes over them one by one, and a page nobody holds
any more is parsed again when it is asked for again (there is never more than one model of a
page alive, so models alive at the same time are the same page exactly when they are the same
object).
"""

from __future__ import annotations

import threading
import weakref

import zstandard

from publisher_restore.usync.loader import parse_file_bytes
from publisher_restore.usync.models import AnyItem, ContentItem, ItemRef, ParseProblem

_CODECS = threading.local()  # zstd contexts are not to be shared between threads


def _codecs() -> tuple[zstandard.ZstdCompressor, zstandard.ZstdDecompressor]:
    found: tuple[zstandard.ZstdCompressor, zstandard.ZstdDecompressor] | None = getattr(
        _CODECS, "pair", None
    )
    if found is None:
        found = _CODECS.pair = (zstandard.ZstdCompressor(level=1), zstandard.ZstdDecompressor())
    return found


def pack(data: bytes) -> bytes:
    """Bytes as a shared item keeps them (``unpack`` gives them back)."""
    # A copy: zstd's own result keeps an allocation of its worst-case size (about the input's),
    # which measured 70 MB more at 20,000 items.
    return bytes(memoryview(_codecs()[0].compress(data)))


def unpack(packed: bytes) -> bytes:
    """The bytes ``pack`` was given."""
    return _codecs()[1].decompress(packed)


class SharedItem:
    """Identity of an unchanged item (the same object on both sides) and its lazy model."""

    __slots__ = (
        "_compressed",
        "_model",
        "_packed",
        "_parsed",
        "_weak",
        "alias",
        "content_type",
        "item_type",
        "key",
        "parent_key",
        "path",
        "source_refs",
    )

    def __init__(
        self,
        item_type: str,
        key: str | None,
        alias: str,
        path: str,
        data: bytes,
        content_type: str | None = None,
        parent_key: str | None = None,
        source_refs: tuple[ItemRef, ...] = (),
        *,
        packed: bytes | None = None,
        compressed: bool = True,
    ) -> None:
        self.item_type = item_type
        self.key = key
        self.alias = alias
        self.path = path
        self._compressed = compressed
        if packed is None:
            self.data = data
        else:
            self._packed = packed  # ``data``, as ``pack`` compressed it when ``compressed``
        self.content_type = content_type  # set for content and media (not blueprints)
        self.parent_key = parent_key
        self.source_refs = source_refs  # for a type: its compositions and parent
        self._model: AnyItem | None = None
        self._weak: weakref.ref[ContentItem] | None = None
        self._parsed = False

    @property
    def data(self) -> bytes:
        """The file's bytes."""
        return unpack(self._packed) if self._compressed else self._packed

    @data.setter
    def data(self, value: bytes) -> None:
        self._packed = pack(value) if self._compressed else value

    def model(self) -> AnyItem | None:
        """The parsed item (None if, unexpectedly, it does not fit the model)."""
        if self._weak is not None:
            alive = self._weak()
            if alive is not None:
                return alive
        elif self._parsed:
            return self._model
        parsed = parse_file_bytes(self.data, self.path)
        model = None if isinstance(parsed, ParseProblem) else parsed
        if isinstance(model, ContentItem):
            self._weak = weakref.ref(model)
        else:
            self._model = model
        self._parsed = True
        return model

    def fits(self) -> bool:
        """Whether the file fits the item model (parsed now if it never was)."""
        if not self._parsed:
            self.model()
        return self._weak is not None or self._model is not None

    def holds(self, item: AnyItem) -> bool:
        """Whether ``item`` is this shared item's model (built and still alive)."""
        if self._weak is not None:
            return self._weak() is item
        return self._model is item

    def content(self) -> ContentItem | None:
        """The parsed content or media item."""
        model = self.model()
        return model if isinstance(model, ContentItem) else None
