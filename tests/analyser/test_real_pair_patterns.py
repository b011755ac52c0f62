"""Patterns met in real sites' uSync histories (second round): each with its harmless twin."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from publisher_restore.analyser import Semantics, run_rules
from publisher_restore.analyser.config_narrowing import narrowing
from publisher_restore.analyser.loading import load_pair
from publisher_restore.analyser.rules import builtin_rules
from publisher_restore.usync.loader import parse_file_bytes
from publisher_restore.usync.models import ContentItem, GenericItem
from tests.analyser.helpers import TODAY, analyse, base_items, changed, find, impact_of, summary


def _config(name: str) -> dict[str, Any]:
    item = find(base_items(), name)
    return json.loads(item.config_raw)  # type: ignore[union-attr, no-any-return]


def _with_config(name: str, config: dict[str, Any]) -> list[Any]:
    return changed(name, config_raw=json.dumps(config), config=None)


def _wrapped(config: dict[str, Any]) -> dict[str, Any]:
    """The shape some uSync 8 releases wrote: the configuration under ``Config``."""
    return {"Config": config, "MappedPath": None}


def test_usync8_wrapped_config_compares_with_the_flat_one_both_ways() -> None:
    for name in ("Category Dropdown", "Hero Media Picker", "Content Blocks"):
        flat = _config(name)
        wrapped = _with_config(name, _wrapped(flat))
        assert analyse(wrapped).findings == [], name
        assert analyse(list(base_items()), current=wrapped).findings == [], name


def test_usync8_wrapped_config_still_shows_a_real_narrowing() -> None:
    config = _config("Category Dropdown")
    config["Items"] = [{"id": 2, "value": "tech"}, {"id": 3, "value": "life"}]
    result = analyse(_with_config("Category Dropdown", _wrapped(config)))
    assert summary(result.findings) == [("DC204", "risky", None)]
    assert result.findings[0].detail["removed_items"] == ["news"]
    assert impact_of(result.findings[0]) == (2, 2, {"invariant": 2})
    picker = _wrapped({"Filter": "person", "MaxNumber": 0})
    assert narrowing(picker, {"Filter": "person,place", "MaxNumber": 0}) == narrowing({}, {})
    assert narrowing(picker, {"Filter": ""}) == narrowing({}, {})
    assert narrowing({"Filter": "person,place"}, picker).narrowed_filter == ["place"]


def test_a_config_key_that_is_not_the_usync8_wrapper_is_compared_as_it_is() -> None:
    # A real setting named "config" beside other settings is not the wrapper.
    old = {"config": {"items": ["a", "b"]}, "other": 1}
    assert narrowing(old, {"config": {"items": ["a"]}, "other": 1}).removed_items == ["b"]


_V8_TYPE = """<?xml version="1.0" encoding="utf-8"?>
<ContentType Key="e8000000-0000-0000-0000-000000000001" Alias="landing" Level="1">
  <Info><Name>Landing</Name><Variations>Nothing</Variations><Compositions /></Info>
  <GenericProperties>{props}</GenericProperties>
  <Tabs><Tab><Caption>Main</Caption><SortOrder>0</SortOrder></Tab></Tabs>
</ContentType>"""

_V8_PROP = """<GenericProperty><Key>e8000000-0000-0000-0000-00000000010{n}</Key>
  <Name>{alias}</Name><Alias>{alias}</Alias>
  <Definition>e8000000-0000-0000-0000-000000000201</Definition><Type>Umbraco.TextBox</Type>
  <Mandatory>false</Mandatory><Validation></Validation><SortOrder>{n}</SortOrder>
  <Tab>Main</Tab><Variations>Nothing</Variations></GenericProperty>"""

# Early uSync 8 wrote content with the document type alias as the root element, no ContentType.
_V8_PAGE = """<?xml version="1.0" encoding="utf-8"?>
<landing Key="e8000000-0000-0000-0000-00000000030{n}" Alias="Page {n}" Level="1">
  <Info><Parent Key="00000000-0000-0000-0000-000000000000"></Parent><Path>/Page{n}</Path>
    <Trashed>false</Trashed><NodeName Default="Page {n}" /><SortOrder>{n}</SortOrder>
    <Published Default="true" /><Schedule /></Info>
  <Properties>
    <heading><Value>Heading {n}</Value></heading>
    <teaser><Value>{teaser}</Value></teaser>
  </Properties>
</landing>"""


def _v8_site(root: Path, props: tuple[str, ...], pages: dict[int, str]) -> Path:
    usync = root / "uSync" / "v8"
    (usync / "ContentTypes").mkdir(parents=True)
    (usync / "Content").mkdir()
    body = "".join(_V8_PROP.format(n=n, alias=a) for n, a in enumerate(props, 1))
    (usync / "ContentTypes" / "landing.config").write_text(_V8_TYPE.format(props=body))
    for n, teaser in pages.items():
        (usync / "Content" / f"page{n}.config").write_text(_V8_PAGE.format(n=n, teaser=teaser))
    return root


def _analyse_dirs(current: Path, incoming: Path, semantics: Semantics = "complete") -> Any:
    cur, inc = load_pair(current, incoming)
    return run_rules(cur, inc, semantics, builtin_rules(), today=TODAY)


def test_early_usync8_content_counts_for_impact_changed_or_unchanged(tmp_path: Path) -> None:
    pages = {1: "One", 2: "", 3: "Three"}
    current = _v8_site(tmp_path / "cur", ("heading", "teaser"), pages)
    incoming = _v8_site(tmp_path / "inc", ("heading",), pages)
    result = _analyse_dirs(current, incoming)
    assert summary(result.findings) == [("DC101", "damaging", "teaser")]
    assert impact_of(result.findings[0]) == (2, 2, {"invariant": 2})
    assert not result.problems


def test_early_usync8_content_deleted_or_emptied_is_found(tmp_path: Path) -> None:
    current = _v8_site(tmp_path / "cur", ("heading", "teaser"), {1: "One", 2: "Two"})
    incoming = _v8_site(tmp_path / "inc", ("heading", "teaser"), {1: ""})
    result = _analyse_dirs(current, incoming)
    assert sorted(summary(result.findings)) == [
        ("DC701", "damaging", None),
        ("DC703", "risky", "teaser"),
    ]


def test_early_usync8_content_twin_unchanged_site_is_silent(tmp_path: Path) -> None:
    pages = {1: "One", 2: "Two"}
    current = _v8_site(tmp_path / "cur", ("heading", "teaser"), pages)
    incoming = _v8_site(tmp_path / "inc", ("heading", "teaser", "extra"), pages)
    assert _analyse_dirs(current, incoming).findings == []
    assert _analyse_dirs(current, incoming, "import").findings == []


def test_an_unknown_root_outside_content_folders_stays_generic() -> None:
    xml = b'<landing Key="e8000000-0000-0000-0000-000000000301" Alias="x"><Info><Path>/x</Path>'
    item = parse_file_bytes(xml + b"</Info></landing>", "uSync/v8/Forms/x.config")
    assert isinstance(item, GenericItem)
    page = parse_file_bytes(xml + b"</Info></landing>", "uSync/v8/Media/x.config")
    assert isinstance(page, ContentItem)
    assert (page.item_type, page.content_type) == ("Media", "landing")


def _dropdown_copy(key: str, items: list[str]) -> Any:
    """A second dropdown data type (same editor) with these items."""
    base = find(base_items(), "Category Dropdown")
    config = {"Multiple": False, "Items": [{"id": n, "value": v} for n, v in enumerate(items)]}
    return base.model_copy(
        update={
            "key": key,
            "alias": f"Dropdown {key[-1]}",
            "name": f"Dropdown {key[-1]}",
            "config_raw": json.dumps(config),
            "config": None,
            "path": f"DataTypes/{key}.config",
        }
    )


def _category_moved_to(key: str, items: list[str]) -> list[Any]:
    blogpost = find(base_items(), "blogPost")
    props = tuple(
        p.model_copy(update={"definition": key}) if p.alias == "category" else p
        for p in blogpost.properties  # type: ignore[union-attr]
    )
    moved = changed("blogPost", properties=props)
    return [*moved, _dropdown_copy(key, items)]


def test_dc108_same_editor_but_fewer_options_is_risky_and_counts_the_lost_options() -> None:
    result = analyse(_category_moved_to("d9000000-0000-0000-0000-000000000001", ["tech", "life"]))
    assert summary(result.findings) == [("DC108", "risky", "category")]
    assert result.findings[0].detail["narrowed"]["removed_items"] == ["news"]
    assert impact_of(result.findings[0]) == (2, 2, {"invariant": 2})


def test_dc108_twin_same_editor_with_the_same_or_more_options_stays_a_notice() -> None:
    wider = ["life", "tech", "news", "travel"]
    result = analyse(_category_moved_to("d9000000-0000-0000-0000-000000000002", wider))
    assert summary(result.findings) == [("DC108", "notice", "category")]
    assert "narrowed" not in result.findings[0].detail
