"""uSync's Empty Delete marker: how a push deletes an item on the target's next import.

uSync imports what its folder holds and never deletes an item just because its file is
missing; it deletes an item when the item's file says ``<Empty Key=".." Alias=".."
Change="Delete" />`` (``SyncHandlerRoot.ExportDeletedItem``, ``docs/usync-format.md`` §3.1).
So ``--mirror`` replaces the file of each item only the target holds with such a marker.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from publisher_restore.usync.xmlsafe import UTF8_BOM

DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'


def delete_marker(key: str | None, alias: str, *, like: bytes = b"") -> bytes:
    """The marker for an item, in the style of the file it replaces (BOM, line ends)."""
    newline = "\r\n" if b"\r\n" in like else "\n"
    key_attr = f" Key={quoteattr(key)}" if key else ""
    text = f'{DECLARATION}{newline}<Empty{key_attr} Alias={quoteattr(alias)} Change="Delete" />'
    data = text.encode("utf-8")
    return UTF8_BOM + data if like.startswith(UTF8_BOM) else data
