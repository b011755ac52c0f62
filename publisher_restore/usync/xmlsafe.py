"""Parse one uSync item file as hostile XML: no DTDs, no entities, no network, bounded size."""

from __future__ import annotations

import re
import threading
from typing import Any

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

# Byte order marks and first-character patterns of the encodings that are not ASCII-compatible;
# longest first so UTF-32 is not taken for UTF-16 (XML 1.0 Appendix F).
_WIDE_ENCODINGS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
)


class _RefuseExternal(etree.Resolver):
    """Resolve every external DTD or entity to nothing, so no file or URL is ever read."""

    def resolve(self, system_url: str | None, public_id: str | None, context: object) -> Any:
        return self.resolve_string("", context)


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
        # collect_ids=False makes libxml2 open an external DTD despite load_dtd=False.
        parser.resolvers.add(_RefuseExternal())
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
        # Reached only for encodings the prolog scan cannot read (e.g. EBCDIC).
        raise HostileInputError(f"{path}: XML with a DOCTYPE/DTD is refused")
    return root


def _prolog_text(data: bytes) -> str:
    """The document as text good enough to find markup in, whatever its encoding family."""
    for prefix, codec in _WIDE_ENCODINGS:
        if data.startswith(prefix):
            return data.decode(codec, errors="replace")
    # ASCII-compatible encodings (UTF-8, Latin-1, Windows-125x): markup bytes are ASCII.
    return data.decode("latin-1")


def _refuse_doctype(raw: bytes, path: str) -> None:
    """Refuse a DOCTYPE (and so any entity declaration) in the prolog before the root element."""
    data = _prolog_text(raw)
    position = 0
    while True:
        start = data.find("<", position)
        if start < 0:
            return
        if data.startswith("<?", start):
            position = _skip_past(data, start, "?>")
        elif data.startswith("<!--", start):
            position = _skip_past(data, start, "-->")
        elif data.startswith("<!", start):
            raise HostileInputError(
                f"{path}: XML with a DOCTYPE or entity declaration is refused "
                f"(entity expansion and external entities are not allowed)"
            )
        else:
            return  # the root element: anything later is element content, not a DTD


def _skip_past(data: str, start: int, terminator: str) -> int:
    end = data.find(terminator, start)
    return len(data) if end < 0 else end + len(terminator)


def _syntax_error(data: bytes, path: str, exc: etree.XMLSyntaxError) -> ItemParseError:
    """Explain a syntax error by a merge conflict when there is one, else by lxml's message."""
    conflict_line = find_conflict_marker(data)
    if conflict_line is not None:
        return ItemParseError(path, conflict_line, "unresolved git merge conflict marker '<<<<<<<'")
    message = _LXML_POSITION.sub("", str(exc.msg or exc)).strip()
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
