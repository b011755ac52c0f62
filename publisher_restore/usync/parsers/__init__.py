"""One parser per uSync item family, chosen by the file's root element name."""

from __future__ import annotations

from collections.abc import Callable

from publisher_restore.usync.models import AnyItem
from publisher_restore.usync.parsers.common import Element
from publisher_restore.usync.parsers.content import parse_content
from publisher_restore.usync.parsers.content_type import parse_content_type
from publisher_restore.usync.parsers.data_type import parse_data_type
from publisher_restore.usync.parsers.dictionary import parse_dictionary
from publisher_restore.usync.parsers.domain import parse_domain
from publisher_restore.usync.parsers.empty import parse_empty
from publisher_restore.usync.parsers.generic import parse_generic
from publisher_restore.usync.parsers.language import parse_language
from publisher_restore.usync.parsers.legacy_content import is_legacy_content, parse_legacy_content
from publisher_restore.usync.parsers.macro import parse_macro
from publisher_restore.usync.parsers.relation_type import parse_relation_type
from publisher_restore.usync.parsers.template import parse_template

ElementParser = Callable[[Element, str], AnyItem]

PARSERS: dict[str, ElementParser] = {
    "ContentType": parse_content_type,
    "MediaType": parse_content_type,
    "MemberType": parse_content_type,
    "DataType": parse_data_type,
    "Content": parse_content,
    "Media": parse_content,
    "Template": parse_template,
    "Language": parse_language,
    "Dictionary": parse_dictionary,
    "Domain": parse_domain,
    "Macro": parse_macro,
    "RelationType": parse_relation_type,
    "Empty": parse_empty,
}
"""Root element name -> parser; any other root element is read by ``parse_generic``."""


def parse_element(root: Element, path: str) -> AnyItem:
    """Turn a parsed root element into its item model (GenericItem for unknown roots)."""
    parser = PARSERS.get(str(root.tag))
    if parser is None:
        parser = parse_legacy_content if is_legacy_content(root, path) else parse_generic
    return parser(root, path)


__all__ = ["PARSERS", "parse_element"]
