"""``--item TYPE:ALIAS_OR_KEY``: which item of the source a person means.

TYPE is an item type (``ContentType``, ``DataType``, ``Content``, ...) or its handler folder
(``ContentTypes``, ``DataTypes``, ...), case-insensitive; ``DocType``/``DocumentType`` and
``Document`` are accepted for content types and content, ``Blueprint(s)`` for content
templates.  The value is a Key when it is a GUID (dashed, braced, 32 hex digits, or an
Umbraco UDI ``umb://document/<32 hex>``), otherwise an Alias.  For Content, Media and
Blueprints (whose uSync alias is a node name, not unique) the value is the node's path:
node names from the root (``/Home/My Blog``) or uSync's ``Info/Path`` (``/Home/MyBlog``),
compared without spaces, case or outer slashes; or, when only one node has it, a node name.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from publisher_restore.publisher.errors import SelectionError
from publisher_restore.usync.folders import HANDLER_FOLDERS
from publisher_restore.usync.parsers.common import normalise_guid

BLUEPRINT = "Blueprint"
"""Selector type for content templates: uSync writes them as ``Content`` in ``Blueprints/``."""

TREE_SELECTORS = frozenset({"Content", "Media", BLUEPRINT})
"""Types whose alias is a node name: matched by Key, tree path, then unique name."""

_SYNONYMS = {
    "doctype": "ContentType",
    "doctypes": "ContentType",
    "documenttype": "ContentType",
    "documenttypes": "ContentType",
    "document": "Content",
    "documents": "Content",
    "blueprint": BLUEPRINT,
    "blueprints": BLUEPRINT,
}
_SELECTORS: dict[str, str] = {
    **{item_type.lower(): item_type for item_type in HANDLER_FOLDERS.values()},
    **{folder.lower(): item_type for folder, item_type in HANDLER_FOLDERS.items()},
    **_SYNONYMS,
}
_HEX32 = re.compile(r"^(?:umb://[a-z-]+/)?([0-9a-fA-F]{32})$")


class ItemSpec(BaseModel):
    """One parsed ``--item``: the selector type, the Key or the Alias, and the text as given."""

    model_config = ConfigDict(frozen=True)

    item_type: str
    key: str | None = None
    alias: str | None = None
    text: str

    @property
    def is_tree(self) -> bool:
        """True for Content, Media and Blueprints (named by node path or name)."""
        return self.item_type in TREE_SELECTORS


def known_selectors() -> tuple[str, ...]:
    """The type names ``--item`` accepts (canonical spellings, for help and errors)."""
    return tuple(sorted({*HANDLER_FOLDERS.values(), BLUEPRINT}))


def parse_item_spec(text: str) -> ItemSpec:
    """Parse ``TYPE:ALIAS_OR_KEY``; SelectionError names the problem and the accepted types."""
    type_text, separator, value = text.partition(":")
    type_text, value = type_text.strip(), value.strip()
    if not separator or not type_text or not value:
        raise SelectionError(f"--item {text!r}: expected TYPE:ALIAS_OR_KEY, e.g. ContentType:home")
    item_type = _SELECTORS.get(type_text.lower())
    if item_type is None:
        accepted = ", ".join(known_selectors())
        raise SelectionError(f"--item {text!r}: unknown item type {type_text!r} ({accepted})")
    key = as_key(value)
    if key is not None:
        return ItemSpec(item_type=item_type, key=key, text=text)
    return ItemSpec(item_type=item_type, alias=value, text=text)


def as_key(value: str) -> str | None:
    """The lower-case dashed GUID ``value`` stands for, or None when it is an alias."""
    dashed = normalise_guid(value)
    if dashed is not None:
        return dashed
    match = _HEX32.fullmatch(value.strip())
    if match is None:
        return None
    digits = match.group(1).lower()
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"
