"""Early uSync 8 content files: the root element is the document type alias, not ``Content``."""

from __future__ import annotations

from publisher_restore.usync.folders import HANDLER_FOLDERS, handler_folder
from publisher_restore.usync.models import ContentItem
from publisher_restore.usync.parsers.common import Element
from publisher_restore.usync.parsers.content import parse_content

_CONTENT_FOLDERS = frozenset({"Content", "Media", "Blueprints"})


def is_legacy_content(root: Element, path: str) -> bool:
    """A content/media file of uSync 8.0-8.x: ``<homePage Key=...><Info><NodeName .../>``."""
    info = root.find("Info")
    return (
        handler_folder(path) in _CONTENT_FOLDERS
        and info is not None
        and (info.find("NodeName") is not None or info.find("Path") is not None)
    )


def parse_legacy_content(root: Element, path: str) -> ContentItem:
    """A ContentItem whose type is the root element name (no ``Info/ContentType`` is written)."""
    item = parse_content(root, path)
    folder = handler_folder(path) or "Content"
    return item.model_copy(
        update={
            "item_type": HANDLER_FOLDERS[folder],
            "content_type": item.content_type or str(root.tag),
        }
    )
