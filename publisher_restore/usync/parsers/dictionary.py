"""Dictionary files: parent item key and translations by ISO code."""

from __future__ import annotations

from publisher_restore.usync.models import DictionaryItem
from publisher_restore.usync.parsers.common import Element, envelope, non_empty, optional_text


def parse_dictionary(root: Element, path: str) -> DictionaryItem:
    """Build a DictionaryItem with one translation per ``Translation/@Language``."""
    return DictionaryItem(
        **envelope(root, path),
        parent=non_empty(optional_text(root, "Info/Parent")),
        translations={
            language: element.text or ""
            for element in root.iterfind("Translations/Translation")
            if (language := element.get("Language"))
        },
    )
