"""The fast identity reader (expat) and the slow one (lxml + the item parsers) agree on every
corpus file, and on the ways a file can break: one answer, whichever reads it."""

from __future__ import annotations

import pytest

from publisher_restore.restore.identity import read_identity, read_identity_slowly
from publisher_restore.usync.models import ParseProblem
from tests.conftest import CORPUS, SAMPLE_SITE


def item_files() -> list[tuple[str, bytes]]:
    """Every item file of the corpus sites and the sample site, by site-relative path."""
    found = []
    for root in [*sorted(p for p in CORPUS.iterdir() if p.is_dir()), SAMPLE_SITE]:
        for path in sorted(root.rglob("*.config")):
            rel = path.relative_to(root).as_posix()
            if rel.startswith("uSync/"):
                found.append((rel, path.read_bytes()))
    return found


def test_both_readers_agree_on_every_corpus_file() -> None:
    files = item_files()
    assert len(files) > 1000
    differ = [
        rel for rel, data in files if read_identity(data, rel) != read_identity_slowly(data, rel)
    ]
    assert differ == []


CONTENT = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<Content Key="0d5e4c40-1111-4a4a-9c9c-123456789abc" Alias="Home" Level="1">\n'
    "  <Info>\n"
    '    <Parent Key="6a7d583d-ea64-4cc7-968c-9b252480b7ad">Root<!-- a comment --></Parent>\n'
    "    <ContentType>homePage</ContentType>\n"
    "  </Info>\n"
    "  <Properties />\n"
    "</Content>\n"
)


@pytest.mark.parametrize(
    "text",
    [
        CONTENT,
        CONTENT.replace(
            "<ContentType>homePage</ContentType>", "<ContentType><![CDATA[home]]></ContentType>"
        ),
        CONTENT.replace("  <Properties />\n", "  <Properties>\n"),  # not well-formed
        CONTENT.replace('Alias="Home"', 'Alias=""'),  # no alias: the loader says why
        CONTENT.replace('Key="0d5e4c40-1111-4a4a-9c9c-123456789abc"', 'Key="not-a-guid"'),
        '<!DOCTYPE x [<!ENTITY a "b">]>\n' + CONTENT.split("\n", 1)[1],  # refused
        CONTENT.replace("<Content ", "<ns:Content xmlns:ns='urn:x' ").replace(
            "</Content>", "</ns:Content>"
        ),
        CONTENT.replace("<Info>", "<Info><IsBlueprint>true</IsBlueprint>"),
        # the fast reader stops once the children it needs are read: what comes after counts
        CONTENT.replace("  </Info>", "    <IsBlueprint>true</IsBlueprint>\n  </Info>"),
        CONTENT.replace("</ContentType>\n", "</ContentType>\n    <ContentType>b</ContentType>\n"),
        CONTENT.replace("  </Info>", "    <IsBlueprint>false</IsBlueprint>\n  </Info>"),
        CONTENT.replace("  <Properties />\n", "  <Properties><x></Properties>\n"),
        "<Empty Key='0d5e4c40-1111-4a4a-9c9c-123456789abc' Alias='Home' Change='Delete' />",
        CONTENT.replace("utf-8", "windows-1252"),
        "\ufeff" + CONTENT,
        "",
    ],
)
def test_both_readers_agree_on_files_that_break_the_fast_one(text: str) -> None:
    rel = "uSync/v9/Content/home.config"
    data = text.encode("utf-8")
    assert read_identity(data, rel) == read_identity_slowly(data, rel)


def test_a_broken_file_is_a_problem_with_its_line() -> None:
    rel = "uSync/v9/Content/home.config"
    found = read_identity(CONTENT.replace("</Info>", "</Inf>").encode(), rel)
    assert isinstance(found, ParseProblem) and found.line == 6
    assert found.problem.startswith("not well-formed XML")


def test_a_type_records_its_compositions_and_parent() -> None:
    path = next(
        p
        for p in sorted((SAMPLE_SITE / "uSync/v9/ContentTypes").glob("*.config"))
        if b"<Composition " in p.read_bytes()
    )
    rel = path.relative_to(SAMPLE_SITE).as_posix()
    identity = read_identity(path.read_bytes(), rel)
    assert not isinstance(identity, ParseProblem)
    assert identity.item_type == "ContentType" and identity.refs
    assert identity == read_identity_slowly(path.read_bytes(), rel)
