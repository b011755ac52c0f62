"""Hostile and malformed XML is refused with the file named; good XML parses from bytes."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from publisher_restore.errors import HostileInputError, ItemParseError
from publisher_restore.usync.xmlsafe import (
    MAX_ITEM_BYTES,
    _parser,
    find_conflict_marker,
    parse_xml,
)

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Template [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<Template Key="cee24304-9a7f-4451-a71f-2af43d718884" Alias="x"><Name>&secret;</Name></Template>
"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>
"""


def test_xxe_to_etc_passwd_is_refused_naming_the_file() -> None:
    with pytest.raises(HostileInputError, match=r"uSync/v9/Templates/x\.config.*DOCTYPE"):
        parse_xml(XXE, "uSync/v9/Templates/x.config")


def test_billion_laughs_is_refused() -> None:
    with pytest.raises(HostileInputError, match=r"lol\.config"):
        parse_xml(BILLION_LAUGHS, "lol.config")


def test_doctype_after_bom_comment_and_declaration_is_refused() -> None:
    data = (
        b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- hi -->\n<!DOCTYPE x SYSTEM "http://e/x.dtd"><x/>'
    )
    with pytest.raises(HostileInputError):
        parse_xml(data, "a.config")


def test_doctype_in_utf16_document_is_refused_after_parsing() -> None:
    data = '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE x [<!ENTITY e "v">]><x>&e;</x>'
    with pytest.raises(HostileInputError, match="DOCTYPE"):
        parse_xml(data.encode("utf-16"), "wide.config")


def test_doctype_text_inside_cdata_is_content_not_a_dtd() -> None:
    data = b"<Template><Contents><![CDATA[<!DOCTYPE html>\n<html></html>]]></Contents></Template>"
    root = parse_xml(data, "t.config")
    assert root.findtext("Contents", "").startswith("<!DOCTYPE html>")


def test_undeclared_entity_is_a_parse_error() -> None:
    with pytest.raises(ItemParseError, match="secret"):
        parse_xml(b"<Name>&secret;</Name>", "n.config")


def test_oversized_file_is_refused() -> None:
    data = b"<x>" + b"a" * MAX_ITEM_BYTES + b"</x>"
    with pytest.raises(HostileInputError, match=r"big\.config.*limit"):
        parse_xml(data, "big.config")


def test_utf8_bom_is_stripped_and_text_decoded() -> None:
    root = parse_xml('\ufeff<?xml version="1.0" encoding="utf-8"?>\n<a>Ø</a>'.encode(), "b.config")
    assert root.tag == "a"
    assert root.text == "Ø"


def test_conflict_markers_give_the_line_of_the_first_marker() -> None:
    data = b"<a>\n  <b>1</b>\n<<<<<<< HEAD\n  <c/>\n=======\n  <d/>\n>>>>>>> abc123\n</a>\n"
    with pytest.raises(ItemParseError) as caught:
        parse_xml(data, "uSync/v9/Content/x.config")
    assert caught.value.line == 3
    assert caught.value.path == "uSync/v9/Content/x.config"
    assert "merge conflict" in caught.value.problem
    assert str(caught.value).startswith("uSync/v9/Content/x.config:3: ")


def test_conflict_inside_cdata_is_well_formed_but_detectable() -> None:
    data = b"<a><![CDATA[x\n<<<<<<< HEAD\nold\n=======\nnew\n>>>>>>> feature\n]]></a>"
    assert parse_xml(data, "cdata.config").tag == "a"
    assert find_conflict_marker(data) == 2


def test_lone_equals_line_is_not_a_conflict() -> None:
    assert find_conflict_marker(b"<a><![CDATA[Title\n=======\n]]></a>") is None


def test_syntax_error_reports_lxml_line_and_message() -> None:
    with pytest.raises(ItemParseError) as caught:
        parse_xml(b"<a>\n<b>\n</a>\n", "broken.config")
    assert caught.value.line == 3
    assert "not well-formed" in caught.value.problem
    assert "mismatch" in caught.value.problem


def test_empty_file_is_a_parse_error() -> None:
    with pytest.raises(ItemParseError, match=r"empty\.config"):
        parse_xml(b"", "empty.config")


_EXTERNAL_DTD = (
    '<?xml version="1.0" encoding="{encoding}"?>\n<!DOCTYPE Template SYSTEM "{system}">\n'
    '<Template Key="cee24304-9a7f-4451-a71f-2af43d718884" Alias="x"><Name>a</Name></Template>'
)


@pytest.mark.parametrize(
    ("codec", "declared"),
    [
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16"),
        ("utf-16-be", "utf-16"),
        ("utf-32", "utf-32"),
        ("utf-32-be", "utf-32"),
    ],
)
def test_wide_encoding_doctype_is_refused_before_parsing(codec: str, declared: str) -> None:
    # A readable file that is no DTD: a parser that loads it fails with a syntax error instead.
    document = _EXTERNAL_DTD.format(encoding=declared, system=Path(__file__).resolve())
    with pytest.raises(HostileInputError, match=r"wide\.config.*DOCTYPE"):
        parse_xml(document.encode(codec), "wide.config")


def _opens_without_blocking(fifo: Path, parse: Callable[[], object]) -> bool:
    """Run ``parse``; True when it finished without opening ``fifo`` (an open would block)."""
    worker = threading.Thread(target=lambda: _swallow(parse), daemon=True)
    worker.start()
    worker.join(timeout=5)
    if worker.is_alive():  # blocked opening the FIFO: unblock it so the thread can end
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(timeout=5)
        return False
    return True


def _swallow(parse: Callable[[], object]) -> None:
    with contextlib.suppress(Exception):
        parse()


def test_utf16_external_dtd_is_never_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "evil.dtd"
    os.mkfifo(fifo)
    document = _EXTERNAL_DTD.format(encoding="utf-16", system=fifo).encode("utf-16")
    assert _opens_without_blocking(fifo, lambda: parse_xml(document, "wide.config"))


def test_the_parser_itself_reads_no_external_dtd(tmp_path: Path) -> None:
    """Even past the prolog scan, the parser resolves external DTDs to nothing."""
    fifo = tmp_path / "evil.dtd"
    os.mkfifo(fifo)
    document = _EXTERNAL_DTD.format(encoding="utf-8", system=fifo).encode()
    assert _opens_without_blocking(fifo, lambda: etree.fromstring(document, _parser()))


def test_syntax_error_message_has_no_trailing_newline() -> None:
    with pytest.raises(ItemParseError) as caught:
        parse_xml(b'<a b="' + b"x" * 11_000_000 + b'"/>', "long.config")
    assert caught.value.problem == caught.value.problem.strip()
