"""Properties moved between a type and its compositions: Umbraco keys values by property type."""

from __future__ import annotations

from publisher_restore.usync.models import AnyItem, ContentTypeItem, ItemRef, PropertyType
from tests.analyser.helpers import analyse, base_items, find, impact_of, replaced, summary


def _type(alias: str) -> ContentTypeItem:
    found = find(base_items(), alias)
    assert isinstance(found, ContentTypeItem)
    return found


def _prop(owner: ContentTypeItem, alias: str) -> PropertyType:
    return next(p for p in owner.properties if p.alias == alias)


def _moved(prop_alias: str, source: str, target: str) -> list[AnyItem]:
    """The base site with one property taken from ``source`` and declared on ``target``."""
    old, new = _type(source), _type(target)
    prop = _prop(old, prop_alias)
    items = replaced(
        list(base_items()),
        source,
        old.model_copy(update={"properties": tuple(p for p in old.properties if p is not prop)}),
    )
    return replaced(items, target, new.model_copy(update={"properties": (*new.properties, prop)}))


def test_property_moved_into_a_composition_still_deletes_its_values() -> None:
    result = analyse(_moved("pageTitle", "pageBase", "seoBase"))
    assert summary(result.findings) == [("DC101", "damaging", "pageTitle")]
    assert impact_of(result.findings[0]) == (6, 11, {"en-US": 6, "da": 5})
    assert "deletes 11 values on 6 pages" in result.findings[0].message


def test_property_moved_out_of_a_composition_into_its_user_deletes_its_values() -> None:
    result = analyse(_moved("metaTitle", "seoBase", "pageBase"))
    assert summary(result.findings) == [("DC101", "damaging", "metaTitle")]
    assert impact_of(result.findings[0]) == (4, 6, {"en-US": 4, "da": 2})


def test_composition_removed_and_its_property_redeclared_still_loses_the_values() -> None:
    page, seo = _type("pageBase"), _type("seoBase")
    copy = _prop(seo, "metaTitle").model_copy(
        update={"key": "f1000000-0000-0000-0000-0000000000aa"}
    )
    incoming = replaced(
        list(base_items()),
        "pageBase",
        page.model_copy(update={"compositions": (), "properties": (*page.properties, copy)}),
    )
    result = analyse(incoming)
    assert summary(result.findings) == [("DC103", "damaging", None)]
    assert result.findings[0].detail["lost_properties"] == ["metaDescription", "metaTitle"]
    assert impact_of(result.findings[0]) == (4, 7, {"en-US": 5, "da": 2})


def test_twin_composition_recreated_under_a_new_key_keeps_its_properties() -> None:
    new_key = "c9999999-0000-0000-0000-000000000001"
    page, seo = _type("pageBase"), _type("seoBase")
    items = replaced(
        replaced(
            list(base_items()),
            "pageBase",
            page.model_copy(update={"compositions": (ItemRef(key=new_key, alias="seoBase"),)}),
        ),
        "seoBase",
        seo.model_copy(update={"key": new_key}),
    )
    for semantics in ("complete", "import"):
        assert summary(analyse(items, semantics=semantics).findings) == [("DC114", "notice", None)]


def test_twin_property_moved_to_another_tab_of_its_own_type_is_silent() -> None:
    page = _type("pageBase")
    moved = _prop(page, "pageTitle").model_copy(update={"tab_alias": "seo", "tab_name": "SEO"})
    incoming = replaced(
        list(base_items()), "pageBase", page.model_copy(update={"properties": (moved,)})
    )
    assert analyse(incoming).findings == []
