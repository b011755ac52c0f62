"""DC106 on a composition: its own properties narrow on every type that composes it."""

from __future__ import annotations

from tests.analyser.helpers import analyse, changed, impact_of, summary


def test_dc106_composition_narrowed_counts_its_properties_on_the_composing_types() -> None:
    result = analyse(changed("seoBase", variations="Nothing"))
    assert summary(result.findings) == [("DC106", "risky", None)]
    # seoBase has no content of its own; metaTitle's 'da' values on two pages are stranded
    assert impact_of(result.findings[0]) == (2, 2, {"da": 2})
    assert "leaves 2 values on 2 pages (da 2) unreachable" in result.findings[0].message


def test_dc106_type_narrowed_does_not_count_its_users_other_properties_twice() -> None:
    result = analyse(changed("pageBase", variations="Nothing"))
    assert summary(result.findings) == [("DC106", "risky", None)]
    # pageTitle's five 'da' values: the users' own properties (and seoBase's) keep varying
    assert impact_of(result.findings[0]) == (5, 5, {"da": 5})


def test_dc106_twin_composition_widened_is_only_a_notice() -> None:
    current = changed("seoBase", variations="Nothing")
    result = analyse(changed("seoBase", variations="CultureAndSegment"), current=current)
    assert {f.severity.value for f in result.findings} == {"notice"}
    assert [f.code for f in result.findings] == ["DC113"]
