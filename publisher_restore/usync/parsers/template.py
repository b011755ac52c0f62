"""Template files: name, master template, optional contents."""

from __future__ import annotations

from publisher_restore.usync.models import TemplateItem
from publisher_restore.usync.parsers.common import Element, envelope, non_empty, optional_text, text


def parse_template(root: Element, path: str) -> TemplateItem:
    """Build a TemplateItem; ``contents`` is None unless the file carries ``<Contents>``."""
    return TemplateItem(
        **envelope(root, path),
        name=text(root, "Name"),
        parent_alias=non_empty(optional_text(root, "Parent")),
        contents=optional_text(root, "Contents"),
    )
