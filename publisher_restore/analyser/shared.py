"""Items whose file is byte-identical on both sides: known by identity, modelled on demand.

Such an item cannot hold a change, so no rule compares it; it is only ever looked up (a data
type a changed property now uses) or counted (content and media for impact).  Parsing it into
the item model is deferred until then.  Until then its bytes are kept zlib-compressed
(uSync XML shrinks about tenfold): a comparison of two whole sites otherwise holds every
file of the site in memory.
"""

from __future__ import annotations

import zlib

from publisher_restore.usync.loader import parse_file_bytes
from publisher_restore.usync.models import AnyItem, ContentItem, ItemRef, ParseProblem


class SharedItem:
    """Identity of an unchanged item (the same object on both sides) and its lazy model."""

    __slots__ = (
        "_model",
        "_packed",
        "_parsed",
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
    ) -> None:
        self.item_type = item_type
        self.key = key
        self.alias = alias
        self.path = path
        self.data = data
        self.content_type = content_type  # set for content and media (not blueprints)
        self.parent_key = parent_key
        self.source_refs = source_refs  # for a type: its compositions and parent
        self._model: AnyItem | None = None
        self._parsed = False

    @property
    def data(self) -> bytes:
        """The file's bytes."""
        return zlib.decompress(self._packed)

    @data.setter
    def data(self, value: bytes) -> None:
        self._packed = zlib.compress(value, 1)

    def model(self) -> AnyItem | None:
        """The parsed item (None if, unexpectedly, it does not fit the model)."""
        if not self._parsed:
            parsed = parse_file_bytes(self.data, self.path)
            self._model = None if isinstance(parsed, ParseProblem) else parsed
            self._parsed = True
        return self._model

    def holds(self, item: AnyItem) -> bool:
        """Whether ``item`` is this shared item's (already built) model."""
        return self._model is item

    def content(self) -> ContentItem | None:
        """The parsed content or media item."""
        model = self.model()
        return model if isinstance(model, ContentItem) else None
