"""Every code's message in its plural, singular, zero and not-counted forms reads as English.

Each scenario is a real change of the hand-made base site; the current site is thinned (all but
``n`` of the values the change hits are emptied, on both sides) to reach the singular and zero
forms, and stripped of its content and media to reach 'not counted'.  Every message is then
checked for the mistakes found in real reports ('1 pages', '0 values on 0 pages', '... and 4
more and 0 values', a verb that disagrees with its count).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pytest

from publisher_restore.analyser import Finding
from publisher_restore.analyser.findings import Impact, Semantics
from publisher_restore.analyser.wording import counted, describe, listed, plural
from publisher_restore.usync.models import (
    AnyItem,
    ContentItem,
    ContentTypeItem,
    DataTypeItem,
    EmptyAction,
    EmptyItem,
    ItemRef,
    PropertyValue,
)
from tests.analyser.helpers import analyse, base_items, find, marker

Items = list[AnyItem]
Change = Callable[[Items], Items]
ValueFilter = Callable[[ContentItem, PropertyValue], bool]

PAGE = ItemRef(key="c1000000-0000-0000-0000-000000000002", alias="pageBase")
TEXT_PROPS = {"pageTitle", "metaTitle", "heroText", "altText", "blocks"}
"""Values of the properties using Textstring (cite sits in the 'blocks' value)."""

BAD = [
    (
        r"\b1 (values|pages|items|blocks|children|descendants|properties|media items|blueprints"
        r"|types|translations|cultures)\b",
        "a plural noun after 1",
    ),
    (
        r"\b0 (values?|pages?|items?|blocks?|child|children|descendants?|media items?)\b",
        "a count of 0 in words ('no value')",
    ),
    (r"\band \d+ more and\b", "'and N more and'"),
    (r"\(s\)", "'(s)'"),
    (r"\b(\w+) \1\b", "a doubled word"),
    (r"  ", "a double space"),
    (r" [,.;:)]", "a space before punctuation"),
    (r"\.\.|;;|,,|\(\)", "doubled punctuation"),
    (r"\bNone\b", "a Python None"),
    (
        r"\b1 (?:\w+ )?\w+ (?:that |which )?(have|hold|use|become|stand|do|fail|lose)\b",
        "a plural verb after 1",
    ),
    (
        r"\b(?:[2-9]|\d\d+) (?:\w+ )?\w+s (?:that |which )?"
        r"(has|holds|uses|becomes|stands|does|fails|loses)\b",
        "a singular verb after a plural",
    ),
]


def english_problems(message: str) -> list[str]:
    """What is wrong with a message's English, by the rules above."""
    found = [why for pattern, why in BAD if re.search(pattern, message)]
    if not message.endswith("."):
        found.append("no full stop")
    if not (message[:1].isupper() or message.startswith("'")):
        found.append("no capital")
    if message.count("(") != message.count(")"):
        found.append("unbalanced parentheses")
    return found


@pytest.mark.parametrize(
    "bad",
    [
        "Deleting 'x' deletes 1 pages.",
        "Removing 'x' deletes 0 values on 0 pages.",
        "Deleting data type 'T' deletes properties 'a', 'b' and 4 more and 0 values.",
        "Deleting 'x' leaves 1 page that use it.",
        "Deleting 'x' leaves 3 pages that uses it.",
        "Deleting 'x' deletes  values.",
    ],
)
def test_the_checker_catches_the_mistakes_of_real_reports(bad: str) -> None:
    assert english_problems(bad)


def _alter(items: Items, name: str, item_type: str | None = None, **update: Any) -> Items:
    target = find(items, name, item_type)
    return [i.model_copy(update=update) if i is target else i for i in items]


def _without(items: Items, alias: str, item_type: str | None = None) -> Items:
    target = find(items, alias, item_type)
    return [i for i in items if i is not target]


def _deleted(alias: str, item_type: str | None = None) -> Change:
    def change(items: Items) -> Items:
        target = find(items, alias, item_type)
        return [*_without(items, alias, item_type), marker(target)]

    return change


def _property(type_alias: str, prop: str, **update: Any) -> Change:
    def change(items: Items) -> Items:
        owner = find(items, type_alias)
        assert isinstance(owner, ContentTypeItem)
        props = tuple(
            p.model_copy(update=update) if p.alias == prop else p for p in owner.properties
        )
        return _alter(items, type_alias, properties=props)

    return change


def _removed(type_alias: str, prop: str) -> Change:
    def change(items: Items) -> Items:
        owner = find(items, type_alias)
        assert isinstance(owner, ContentTypeItem)
        props = tuple(p for p in owner.properties if p.alias != prop)
        return _alter(items, type_alias, properties=props)

    return change


def _type(alias: str, **update: Any) -> Change:
    return lambda items: _alter(items, alias, **update)


def _config(name: str, config: dict[str, Any]) -> Change:
    import json

    return lambda items: _alter(items, name, config_raw=json.dumps(config), config=None)


def _tabs_without(alias: str, tab: str) -> Change:
    def change(items: Items) -> Items:
        owner = find(items, alias)
        assert isinstance(owner, ContentTypeItem)
        return _alter(items, alias, tabs=tuple(t for t in owner.tabs if t.alias != tab))

    return change


def _alias(*aliases: str) -> ValueFilter:
    return lambda _item, value: value.alias in aliases


def _on(content_type: str, *aliases: str) -> ValueFilter:
    return lambda item, value: (
        item.content_type == content_type and (not aliases or value.alias in aliases)
    )


def _culture_on(content_type: str, culture: str) -> ValueFilter:
    return lambda item, value: (
        item.content_type == content_type and ((value.culture or "").casefold() == culture)
    )


def _culture(culture: str) -> ValueFilter:
    return lambda _item, value: (value.culture or "").casefold() == culture


def thin(items: Items, keep: int, hit: ValueFilter) -> Items:
    """Empty all but the first ``keep`` filled values that ``hit`` selects."""
    kept = 0
    result: Items = []
    for item in items:
        if not isinstance(item, ContentItem):
            result.append(item)
            continue
        values = []
        for value in item.values:
            if hit(item, value) and value.value.strip() not in ("", "[]", "{}"):
                kept += 1
                if kept > keep:
                    value = value.model_copy(update={"value": ""})
            values.append(value)
        result.append(item.model_copy(update={"values": tuple(values)}))
    return result


def no_content(items: Items) -> Items:
    """The site without its content and media (a settings-only export)."""
    return [i for i in items if not isinstance(i, ContentItem)]


@dataclass(frozen=True)
class Scenario:
    code: str
    change: Change
    hit: ValueFilter | None = None
    semantics: Semantics = "complete"
    base: Change = lambda items: items


def _with_parent(items: Items) -> Items:
    return _alter(items, "contentPage", compositions=(PAGE,), parent=PAGE)


def _textstring(**update: Any) -> Change:
    return lambda items: _alter(items, "Textstring", "DataType", **update)


VALUE_SCENARIOS = [
    Scenario("DC101", _removed("pageBase", "pageTitle"), _alias("pageTitle")),
    Scenario("DC101", _removed("quoteBlock", "cite"), _alias("blocks")),
    Scenario(
        "DC103",
        _type("blogPost", compositions=()),
        _on("blogPost", "pageTitle", "metaTitle", "metaDescription"),
    ),
    Scenario(
        "DC104",
        lambda items: _alter(items, "contentPage", compositions=(), parent=None),
        _alias("pageTitle", "metaTitle", "metaDescription"),
        base=_with_parent,
    ),
    Scenario(
        "DC105",
        _tabs_without("blogPost", "content"),
        _on("blogPost", "bodyText", "category", "blocks", "readingTime"),
    ),
    Scenario("DC106", _type("blogPost", variations="Nothing"), _culture_on("blogPost", "da")),
    Scenario("DC107", _property("pageBase", "pageTitle", variations="Nothing"), _culture("da")),
    Scenario(
        "DC108",
        _property(
            "blogPost",
            "category",
            definition="2e6d3631-066e-44b8-aec4-96f09099b2b5",
            editor_alias="Umbraco.Integer",
        ),
        _alias("category"),
    ),
    Scenario(
        "DC112", _property("blogPost", "readingTime", validation="^[0-1]$"), _alias("readingTime")
    ),
    Scenario("DC201", _deleted("Textstring", "DataType"), _alias(*TEXT_PROPS), "import"),
    Scenario("DC202", _textstring(editor_alias="Umbraco.Integer"), _alias(*TEXT_PROPS)),
    Scenario("DC203", _textstring(database_type="Integer"), _alias(*TEXT_PROPS)),
    Scenario(
        "DC204",
        _config(
            "Category Dropdown", {"Items": [{"id": 2, "value": "tech"}, {"id": 3, "value": "life"}]}
        ),
        _alias("category"),
    ),
    Scenario("DC301", _deleted("da"), _culture("da"), "import"),
    Scenario("DC302", _type("da", iso_code="da-DK"), _culture("da")),
]


def _run(scenario: Scenario, current: Items) -> list[Finding]:
    incoming = scenario.change(list(current))
    result = analyse(incoming, current=current, semantics=scenario.semantics)
    return [f for f in result.findings if f.code == scenario.code]


def _form(impact: Impact | None) -> str:
    if impact is None:
        return "not counted"
    if impact.values > 1:
        return "plural"
    if impact.values == 1:
        return "singular"
    return "zero"


def _forms_of(scenario: Scenario) -> dict[str, list[Finding]]:
    base = scenario.base(list(base_items()))
    variants = [base, no_content(base)]
    if scenario.hit is not None:
        variants += [thin(base, 1, scenario.hit), thin(base, 0, scenario.hit)]
    forms: dict[str, list[Finding]] = {}
    for current in variants:
        for finding in _run(scenario, current):
            forms.setdefault(_form(finding.impact), []).append(finding)
    return forms


@pytest.mark.parametrize("scenario", VALUE_SCENARIOS, ids=lambda s: s.code)
def test_value_counting_codes_read_well_in_every_form(scenario: Scenario) -> None:
    forms = _forms_of(scenario)
    for findings in forms.values():
        for finding in findings:
            assert english_problems(finding.message) == [], finding.message
    expected = {"plural", "singular", "zero", "not counted"}
    if scenario.code == "DC101" and scenario.hit == VALUE_SCENARIOS[1].hit:
        expected = {"singular", "zero", "not counted"}  # the base holds one quoteBlock block
    assert expected <= set(forms), (scenario.code, sorted(forms))
    for finding in forms.get("zero", []):
        assert not re.search(r"\b0 values?\b", finding.message), finding.message
    for finding in forms["not counted"]:
        assert "not counted" in finding.message, finding.message


def _content(items: Items, name: str) -> ContentItem:
    item = find(items, name)
    assert isinstance(item, ContentItem)
    return item


def _clean(parent: str) -> EmptyItem:
    return EmptyItem(
        item_type="Content",
        key=parent,
        alias="clean children",
        path="uSync/v9/Content/blog_clean.config",
        action=EmptyAction.CLEAN,
    )


def _empty_type(items: Items) -> Items:
    blog_list = find(items, "blogList", "ContentType")
    extra = blog_list.model_copy(
        update={
            "key": "c1000000-0000-0000-0000-0000000000ee",
            "alias": "landingPage",
            "path": "uSync/v9/ContentTypes/landingpage.config",
        }
    )
    return [*items, extra]


def _other_messages() -> Iterable[Finding]:
    base = list(base_items())
    bare = no_content(base)
    post = find(base, "blogPost", "ContentType")
    cases: list[tuple[Items, Items, Semantics]] = [
        (base, [*_without(base, "blogPost", "ContentType"), marker(post)], "import"),  # DC102
        (base, _without(base, "contentPage", "ContentType"), "complete"),
        (_empty_type(base), base, "complete"),
        (base, _without(base, "Member"), "complete"),
        (bare, _without(bare, "blogPost", "ContentType"), "complete"),
        (base, _without(base, "seoBase"), "complete"),
        (base, _alter(base, "blogPost", "ContentType", alias="article"), "complete"),  # DC110
        (base, _alter(base, "quoteBlock", is_element=False), "complete"),  # DC111
        (base, _alter(base, "homePage", structure=(), allow_at_root=False), "complete"),
        (
            thin(base, 0, lambda i, v: True),
            _alter(thin(base, 0, lambda i, v: True), "homePage", structure=()),
            "complete",
        ),
        (base, _property("seoBase", "metaTitle", mandatory=True)(base), "complete"),  # DC112
        (base, _property("pageBase", "pageTitle", mandatory=True)(base), "complete"),
        (base, _property("blogPost", "category", variations="Culture")(base), "complete"),  # DC113
        (base, _alter(base, "quoteBlock", key="c9999999-0000-0000-0000-000000000007"), "complete"),
        (base, _property("pageBase", "pageTitle", alias="title")(base), "complete"),  # DC109
        (base, _property("quoteBlock", "cite", alias="source")(base), "complete"),
    ]
    for template in ("blogPost", "contentPage"):  # DC401: 3 pages, then 1
        item = find(base, template, "Template")
        cases.append((base, [*_without(base, template, "Template"), marker(item)], "import"))
    cases.append(
        (base, _alter(base, "contentPage", "ContentType", allowed_templates=()), "complete")
    )
    dictionary = find(base, "ReadMore")
    for translations in ({"en-US": "Read more", "da": "Læs mere"}, {"en-US": "Read"}, {}):
        current = _alter(base, "ReadMore", translations=translations)
        cases.append((current, [*_without(current, "ReadMore"), marker(dictionary)], "import"))
    domain = find(base, "example.org")
    cases.append((base, [*_without(base, "example.org"), marker(domain)], "import"))  # DC601
    cases.append(
        (
            base,
            _alter(
                base,
                "example.org",
                root_key="5e000000-0000-0000-0000-000000000002",
                root_path="/Home/Blog",
            ),
            "complete",
        )
    )
    for name in ("Blog", "Second Post", "Photo"):  # DC701: a subtree, one page, one media item
        target = _content(base, name)
        cases.append((base, [*_without(base, name), marker(target)], "import"))
    empty = thin(base, 0, lambda i, v: i.alias == "Second Post")
    cases.append(
        (empty, [*_without(empty, "Second Post"), marker(_content(empty, "Second Post"))], "import")
    )
    blog = "5e000000-0000-0000-0000-000000000002"
    keep = [_content(base, "Blog"), _content(base, "Hello World")]
    cases.append((base, [*keep, _clean(blog)], "import"))  # DC702: two children
    cases.append((base, [*keep, _content(base, "Second Post"), _clean(blog)], "import"))
    hello = _content(base, "Hello World")
    for emptied in ({"metaTitle"}, {"pageTitle"}, {"blocks"}):  # DC703
        values = tuple(
            v.model_copy(update={"value": ""}) if v.alias in emptied else v for v in hello.values
        )
        cases.append((base, _alter(base, "Hello World", values=values), "complete"))
    for current, incoming, semantics in cases:
        yield from analyse(incoming, current=current, semantics=semantics).findings


def test_every_other_code_reads_well() -> None:
    findings = list(_other_messages())
    for finding in findings:
        assert english_problems(finding.message) == [], finding.message
    codes = {f.code for f in findings}
    all_codes = {s.code for s in VALUE_SCENARIOS} | codes
    assert {
        "DC102",
        "DC109",
        "DC110",
        "DC111",
        "DC112",
        "DC113",
        "DC114",
        "DC401",
        "DC501",
        "DC601",
        "DC701",
        "DC702",
        "DC703",
    } <= codes
    assert len(all_codes) == 26
    messages = {f.message for f in findings}
    assert (
        "Deleting content 'Second Post' (a Delete marker) deletes 1 page, which holds no value."
        in messages
    )
    assert any(
        m.startswith("Deleting template 'contentPage' leaves 1 page that uses it") for m in messages
    )
    assert any("A Clean marker for 'Blog' deletes 1 child missing" in m for m in messages)
    assert any("deletes 2 children missing" in m for m in messages)
    assert any("removes an item with no translation" in m for m in messages)
    assert any("removes its translation (en-US)" in m for m in messages)


def test_dc102_names_the_types_that_inherit_it() -> None:
    base = list(base_items())
    result = analyse(_without(base, "seoBase"), current=base)
    (finding,) = [f for f in result.findings if f.code == "DC102"]
    assert finding.message == (
        "Deleting content type 'seoBase' (its absence from the incoming set) takes its "
        "properties from 'blogList', 'blogPost', 'contentPage', 'homePage' and 1 more, which "
        "inherit or compose it, and deletes 7 values on 4 pages (en-US 5, da 2)."
    )


def test_dc201_and_dc108_on_the_same_property_agree() -> None:
    base = list(base_items())
    textarea = "c6bac0dd-4ab9-45b1-8e30-e4b619ee5da3"
    moved = _property("homePage", "heroText", definition=textarea, editor_alias="Umbraco.TextArea")
    incoming = [*_without(moved(base), "Textstring", "DataType"), marker(find(base, "Textstring"))]
    result = analyse(incoming, current=base, semantics="import")
    by_code = {f.code: f for f in result.findings}
    assert set(by_code) == {"DC201", "DC108"}
    deleted, moved_finding = by_code["DC201"], by_code["DC108"]
    assert "the incoming types move 'homePage.heroText' to another data type" in deleted.message
    assert "values are kept" not in moved_finding.message
    assert "is deleted first (DC201), which deletes them; the property starts empty" in (
        moved_finding.message
    )
    assert moved_finding.detail["old_data_type_deleted"] is True


@pytest.mark.parametrize(
    ("impact", "text"),
    [
        (
            Impact(items=3, values=5, cultures={"en-US": 3, "da": 2}),
            "5 values on 3 pages (en-US 3, da 2)",
        ),
        (Impact(items=1, values=1, cultures={"invariant": 1}), "1 value on 1 page"),
        (
            Impact(items=9, values=26, blocks=11, block_values=26, block_items=9),
            "26 values in 11 blocks on 9 pages",
        ),
        (
            Impact(items=15, values=38, blocks=11, block_values=26, block_items=9),
            "38 values on 15 pages (12 on the pages themselves, 26 in 11 blocks on 9 of them)",
        ),
        (
            Impact(items=1, values=3, blocks=1, block_values=2, block_items=1),
            "3 values on 1 page (1 on the page itself, 2 in 1 block)",
        ),
        (
            Impact(items=1, values=1, held_blocks=3, held_values=5),
            "1 value on 1 page (holding 3 blocks with 5 values)",
        ),
        (
            Impact(items=1, values=1, held_blocks=1),
            "1 value on 1 page (holding 1 block with no value)",
        ),
        (Impact(items=4), "4 pages, which hold no value"),
        (Impact(items=1), "1 page, which holds no value"),
        (Impact(items=2, blocks=3, block_items=2), "3 blocks on 2 pages, which hold no value"),
    ],
)
def test_describe_every_shape(impact: Impact, text: str) -> None:
    assert describe(impact) == text


def test_plural_counted_and_listed() -> None:
    assert [plural("page", n) for n in (0, 1, 2)] == ["pages", "page", "pages"]
    assert plural("existing child") == "existing children" and plural("media item") == "media items"
    assert counted(0, "value", zero="no") == "no value" and counted(1, "block") == "1 block"
    assert listed(["a"]) == "'a'" and listed(["a", "b"]) == "'a' and 'b'"
    assert listed(["a", "b", "c"]) == "'a', 'b' and 'c'"
    assert listed(list("abcdef")) == "'a', 'b', 'c', 'd' and 2 more"


__all__ = ["DataTypeItem"]
