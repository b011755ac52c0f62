"""Parse one uSync item file as hostile XML: no DTDs, no entities, no network, bounded size."""

from __future__ import annotations

import re
import threading

from lxml import etree

from publisher_restore.errors import HostileInputError, ItemParseError

MAX_ITEM_BYTES = 32 * 1024 * 1024
"""Largest item file accepted; real uSync items are kilobytes, big content a few megabytes."""

UTF8_BOM = b"\xef\xbb\xbf"

_CONFLICT_START = re.compile(rb"^<<<<<<<(?: |$)", re.MULTILINE)
_CONFLICT_MIDDLE = re.compile(rb"^=======\r?$", re.MULTILINE)
_CONFLICT_END = re.compile(rb"^>>>>>>>(?: |$)", re.MULTILINE)
_LXML_POSITION = re.compile(r", line \d+, column \d+$")

_local = threading.local()


def _parser() -> etree.XMLParser:
    # lxml parsers keep state and must not be shared between threads.
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            dtd_validation=False,
            remove_comments=True,
            remove_pis=True,
            collect_ids=False,
        )
        _local.parser = parser
    return parser


def parse_xml(data: bytes, path: str) -> etree._Element:
    """Parse item bytes into a root element, refusing anything unsafe or malformed."""
    if len(data) > MAX_ITEM_BYTES:
        raise HostileInputError(
            f"{path}: {len(data)} bytes is over the {MAX_ITEM_BYTES}-byte limit for an item file"
        )
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    _refuse_doctype(data, path)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(data, path, exc) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        # Reached only for encodings the byte scan cannot read (e.g. UTF-16).
        raise HostileInputError(f"{path}: XML with a DOCTYPE/DTD is refused")
    return root


def _refuse_doctype(data: bytes, path: str) -> None:
    """Refuse a DOCTYPE (and so any entity declaration) in the prolog before the root element."""
    position = 0
    while True:
        start = data.find(b"<", position)
        if start < 0:
            return
        if data.startswith(b"<?", start):
            position = _skip_past(data, start, b"?>")
        elif data.startswith(b"<!--", start):
            position = _skip_past(data, start, b"-->")
        elif data.startswith(b"<!", start):
            raise HostileInputError(
                f"{path}: XML with a DOCTYPE or entity declaration is refused "
                f"(entity expansion and external entities are not allowed)"
            )
        else:
            return  # the root element: anything later is element content, not a DTD


def _skip_past(data: bytes, start: int, terminator: bytes) -> int:
    end = data.find(terminator, start)
    return len(data) if end < 0 else end + len(terminator)


def _syntax_error(data: bytes, path: str, exc: etree.XMLSyntaxError) -> ItemParseError:
    """Explain a syntax error by a merge conflict when there is one, else by lxml's message."""
    conflict_line = find_conflict_marker(data)
    if conflict_line is not None:
        return ItemParseError(path, conflict_line, "unresolved git merge conflict marker '<<<<<<<'")
    message = _LXML_POSITION.sub("", str(exc.msg or exc))
    return ItemParseError(path, exc.lineno or None, f"not well-formed XML: {message}")


def find_conflict_marker(data: bytes) -> int | None:
    """1-based line of the first ``<<<<<<<`` of a complete git conflict block, else None.

    A conflict inside a CDATA value leaves the XML well-formed, so ``parse_xml``
    reports markers only for files that fail to parse; callers may use this to warn.
    """
    start = _CONFLICT_START.search(data)
    if start is None:
        return None
    middle = _CONFLICT_MIDDLE.search(data, start.end())
    if middle is None or _CONFLICT_END.search(data, middle.end()) is None:
        return None
    return data.count(b"\n", 0, start.start()) + 1
