"""Language files: ISO code, mandatory/default flags, fallback."""

from __future__ import annotations

from publisher_restore.usync.models import LanguageItem
from publisher_restore.usync.parsers.common import (
    Element,
    child_bool,
    envelope,
    non_empty,
    optional_text,
    text,
)


def parse_language(root: Element, path: str) -> LanguageItem:
    """Build a LanguageItem (``Name`` appears only in later uSync builds)."""
    return LanguageItem(
        **envelope(root, path),
        name=optional_text(root, "Name"),
        iso_code=text(root, "IsoCode").strip(),
        is_mandatory=child_bool(root, "IsMandatory") or False,
        is_default=child_bool(root, "IsDefault") or False,
        fallback=non_empty(optional_text(root, "Fallback")),
    )
