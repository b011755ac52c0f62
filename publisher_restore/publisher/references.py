"""What one item needs on the target before it can be imported: its references, by type.

Decisions (``README.md``, Publisher):

- Content, media and member types need the data type of each property, the list-view
  data type (v14+), their compositions and parent (each with its own needs, so inherited
  properties' data types come too), and (content types) the allowed and default templates.
  Allowed child types (``Structure``) are not followed: a home page usually allows every
  page type, and pushing it would drag the whole schema.
- Data types need the element types their configuration names (Block List, Block Grid and
  Rich Text blocks: ``contentElementTypeKey``, ``settingsElementTypeKey``,
  ``elementTypeKey``; Nested Content: ``ncAlias``): without them the editor breaks.
  Picker start nodes, dynamic roots and type filters are not followed: they name content
  or narrow a choice, and a settings push must not drag content along.
- Content and blueprints need their content type, their template, their parent (the chain
  up to the root, content only) and the languages their names and values are in; media
  need their media type and parent.  Links inside property values are not followed.
- Templates need their master template; languages their fallback; dictionary items their
  parent and the languages of their translations; domains their root node and language.
- Empty markers (deletes) need nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict

from publisher_restore.usync.models import (
    AnyItem,
    ContentItem,
    ContentTypeItem,
    DataTypeItem,
    DictionaryItem,
    DomainItem,
    ItemRef,
    LanguageItem,
    TemplateItem,
)
from publisher_restore.usync.parsers.common import EMPTY_GUID, normalise_guid

ELEMENT_TYPE_KEYS = frozenset({"contentelementtypekey", "settingselementtypekey", "elementtypekey"})
"""Data type config keys (any case) whose GUID value names an element type by Key."""
ELEMENT_TYPE_ALIASES = frozenset({"ncalias"})
ELEMENT_TYPE = "element type in configuration"
"""Data type config keys (any case) whose value names an element type by Alias."""
_TYPE_OF_NODE = {"Content": "ContentType", "Media": "MediaType"}


class Reference(BaseModel):
    """One item another item needs: its type, Key and/or Alias, and why it is needed."""

    model_config = ConfigDict(frozen=True)

    item_type: str
    key: str | None = None
    alias: str | None = None
    why: str

    def describe(self) -> str:
        """``DataType b5922818-... ('Textstring')`` or ``Template 'home'``."""
        named = f"'{self.alias}'" if self.alias else ""
        if self.key and named:
            return f"{self.item_type} {self.key} ({named})"
        return f"{self.item_type} {self.key or named}"


def references_of(item: AnyItem) -> tuple[Reference, ...]:
    """Everything ``item`` needs, in a stable order, without duplicates."""
    found = dict.fromkeys(ref for ref in _references(item) if ref.key or ref.alias)
    return tuple(found)


def _references(item: AnyItem) -> Iterator[Reference]:
    if isinstance(item, ContentTypeItem):
        yield from _type_references(item)
    elif isinstance(item, DataTypeItem):
        yield from _config_references(item.config)
    elif isinstance(item, ContentItem):
        yield from _node_references(item)
    elif isinstance(item, TemplateItem) and item.parent_alias:
        yield Reference(item_type="Template", alias=item.parent_alias, why="master template")
    elif isinstance(item, LanguageItem) and item.fallback:
        yield Reference(item_type="Language", alias=item.fallback, why="fallback language")
    elif isinstance(item, DictionaryItem):
        if item.parent:
            yield Reference(item_type="Dictionary", alias=item.parent, why="parent item")
        yield from _languages(item.translations, "translation")
    elif isinstance(item, DomainItem):
        if _real_key(item.root_key):
            yield Reference(item_type="Content", key=item.root_key, why="root node")
        if item.language:
            yield Reference(item_type="Language", alias=item.language, why="language")


def _type_references(item: ContentTypeItem) -> Iterator[Reference]:
    for prop in item.properties:
        if _real_key(prop.definition):
            why = f"data type of property '{prop.alias}'"
            yield Reference(item_type="DataType", key=prop.definition, why=why)
    if _real_key(item.list_view):
        yield Reference(item_type="DataType", key=item.list_view, why="list view")
    for composition in item.compositions:
        yield _ref(item.item_type, composition, "composition")
    if item.parent is not None:
        yield _ref(item.item_type, item.parent, "parent")
    for template in item.allowed_templates:
        yield _ref("Template", template, "allowed template")
    if item.default_template:
        yield Reference(item_type="Template", alias=item.default_template, why="default template")


def _node_references(item: ContentItem) -> Iterator[Reference]:
    type_of_node = _TYPE_OF_NODE.get(item.item_type)
    if type_of_node and item.content_type:
        yield Reference(item_type=type_of_node, alias=item.content_type, why="its type")
    if item.template is not None:
        yield _ref("Template", item.template, "template")
    if not item.is_blueprint and _real_key(item.parent_key):
        yield Reference(item_type=item.item_type, key=item.parent_key, why="parent node")
    cultures = {**item.culture_names, **{v.culture: "" for v in item.values if v.culture}}
    yield from _languages(cultures, "culture")


def _languages(by_culture: dict[str, str], what: str) -> Iterator[Reference]:
    unique = {culture.casefold(): culture for culture in sorted(by_culture, reverse=True)}
    for folded in sorted(unique):
        yield Reference(item_type="Language", alias=unique[folded], why=f"language of a {what}")


def _config_references(config: Any) -> Iterator[Reference]:
    """Element types named anywhere in a data type's configuration JSON."""
    if isinstance(config, list):
        for value in config:
            yield from _config_references(value)
        return
    if not isinstance(config, dict):
        return
    for name, value in config.items():
        lowered = str(name).lower()
        if lowered in ELEMENT_TYPE_KEYS and isinstance(value, str) and _real_key(value):
            key = normalise_guid(value)
            yield Reference(item_type="ContentType", key=key, why=ELEMENT_TYPE)
        elif lowered in ELEMENT_TYPE_ALIASES and isinstance(value, str) and value.strip():
            yield Reference(item_type="ContentType", alias=value.strip(), why=ELEMENT_TYPE)
        else:
            yield from _config_references(value)


def _ref(item_type: str, ref: ItemRef, why: str) -> Reference:
    key = ref.key if _real_key(ref.key) else None
    return Reference(item_type=item_type, key=key, alias=ref.alias or None, why=why)


def _real_key(value: str | None) -> bool:
    """A GUID other than the empty GUID (uSync writes zeros for 'none')."""
    key = normalise_guid(value)
    return key is not None and key != EMPTY_GUID
