"""Culture codes compare case-insensitively ('en-US' is 'en-us'), as Umbraco's do."""

from __future__ import annotations

from publisher_restore.analyser.sides import culture_key
from publisher_restore.usync.models import AnyItem, ContentItem, PropertyValue
from tests.analyser.helpers import analyse, base_items, changed, find, impact_of, marker, summary


def _recased(name: str, culture: str, **values: str) -> list[AnyItem]:
    """The base site with one page's en-US values spelled ``culture`` (and some replaced)."""
    page = find(base_items(), name)
    assert isinstance(page, ContentItem)

    def respelled(value: PropertyValue) -> PropertyValue:
        if value.culture != "en-US":
            return value
        return value.model_copy(
            update={"culture": culture, "value": values.get(value.alias, value.value)}
        )

    return changed(name, values=tuple(respelled(v) for v in page.values))


def test_culture_key_ignores_case_and_blanks() -> None:
    assert culture_key("en-US") == culture_key("EN-us") == "en-us"
    assert culture_key(None) is culture_key("") is culture_key("  ") is None
    assert culture_key("da") != culture_key("en-US")


def test_dc703_value_emptied_under_another_spelling_of_its_culture() -> None:
    result = analyse(_recased("Hello World", "en-us", metaTitle=""))
    assert summary(result.findings) == [("DC703", "risky", "metaTitle")]
    assert impact_of(result.findings[0]) == (1, 1, {"en-US": 1})


def test_dc703_twin_same_values_under_another_spelling_of_the_culture() -> None:
    assert analyse(_recased("Hello World", "EN-us")).findings == []
    assert analyse(_recased("Hello World", "en-us", metaTitle="Edited")).findings == []


def test_impact_counts_one_culture_however_it_is_spelled() -> None:
    respelled = _recased("Hello World", "en-us")
    blog = find(respelled, "Blog")
    incoming = [i for i in respelled if i is not blog]
    result = analyse([*incoming, marker(blog)], current=respelled, semantics="import")
    assert summary(result.findings) == [("DC701", "damaging", None)]
    # The same counts as with one spelling throughout (see test_other_rules, DC701).
    assert impact_of(result.findings[0]) == (4, 23, {"en-US": 10, "invariant": 7, "da": 6})


def test_dc302_twin_iso_code_recased_is_no_change() -> None:
    assert analyse(changed("en-US", iso_code="en-us")).findings == []
