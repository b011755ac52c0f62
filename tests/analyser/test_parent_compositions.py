"""uSync writes a type's parent in its Compositions too: a parent change is reported once."""

from __future__ import annotations

from publisher_restore.usync.models import AnyItem, ItemRef
from tests.analyser.helpers import analyse, changed, impact_of, summary

PAGE = ItemRef(key="c1000000-0000-0000-0000-000000000002", alias="pageBase")
SEO = ItemRef(key="c1000000-0000-0000-0000-000000000001", alias="seoBase")


def _with_parent() -> list[AnyItem]:
    """contentPage as uSync writes a child type: pageBase as Parent and as a Composition."""
    return changed("contentPage", compositions=(PAGE,), parent=PAGE)


def test_parent_removed_from_parent_and_compositions_is_one_dc104() -> None:
    result = analyse(changed("contentPage", compositions=(), parent=None), current=_with_parent())
    assert summary(result.findings) == [("DC104", "damaging", None)]
    assert impact_of(result.findings[0]) == (1, 3, {"en-US": 2, "da": 1})


def test_parent_changed_is_one_dc104_for_what_the_old_parent_brought() -> None:
    result = analyse(
        changed("contentPage", compositions=(SEO,), parent=SEO), current=_with_parent()
    )
    assert summary(result.findings) == [("DC104", "damaging", None)]
    assert result.findings[0].detail["lost_properties"] == ["pageTitle"]


def test_twin_parent_kept_or_demoted_to_a_composition_is_silent() -> None:
    current = _with_parent()
    kept = changed("contentPage", compositions=(PAGE,), parent=PAGE, description="Edited")
    assert analyse(kept, current=current).findings == []
    demoted = changed("contentPage", compositions=(PAGE,), parent=None)
    assert analyse(demoted, current=current).findings == []


def _composition_deleted() -> list[AnyItem]:
    """seoBase deleted, and dropped from pageBase as Umbraco re-exports its users."""
    items = changed("pageBase", compositions=())
    return [i for i in items if i.alias != "seoBase"]


def test_deleted_composition_is_one_dc102_counting_its_users_losses() -> None:
    result = analyse(_composition_deleted())
    assert summary(result.findings) == [("DC102", "damaging", None)]
    assert impact_of(result.findings[0]) == (4, 7, {"en-US": 5, "da": 2})


def test_deleted_parent_is_one_dc102() -> None:
    current = _with_parent()
    incoming = [
        i for i in changed("contentPage", compositions=(), parent=None) if i.alias != "pageBase"
    ]
    assert [f.code for f in analyse(incoming, current=current).findings] == ["DC102"]


def test_twin_composition_absent_from_a_partial_push_is_only_dropped_from_its_user() -> None:
    result = analyse(_composition_deleted(), semantics="import")
    assert summary(result.findings) == [("DC103", "damaging", None)]
    assert impact_of(result.findings[0]) == (4, 7, {"en-US": 5, "da": 2})
