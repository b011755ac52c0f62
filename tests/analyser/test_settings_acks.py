"""Acknowledgements, severity overrides, disabled codes and the configuration section."""

from __future__ import annotations

import pytest

from publisher_restore.analyser import AnalyserSettings
from publisher_restore.analyser.acks import suggest
from publisher_restore.analyser.findings import Severity
from publisher_restore.analyser.render import (
    render_json,
    render_markdown,
    render_sarif,
    render_text,
)
from publisher_restore.errors import ConfigError
from tests.analyser.helpers import (
    QUOTE_ONLY_BLOCKS,
    analyse,
    base_items,
    find,
    with_property,
    with_value,
    without_property,
)

REMOVE_TITLE = without_property("pageBase", "pageTitle")


def _fingerprint() -> str:
    return analyse(REMOVE_TITLE).findings[0].fingerprint


def _ack(**extra: object) -> AnalyserSettings:
    entry = {"Fingerprint": _fingerprint(), "Reason": "pageTitle moves to seoTitle", **extra}
    return AnalyserSettings.from_section({"Acknowledge": [entry]})


def test_fingerprint_is_stable_and_names_the_code() -> None:
    first, second = _fingerprint(), _fingerprint()
    assert first == second
    assert first.startswith("DC101:")
    other = analyse(without_property("homePage", "heroText")).findings[0].fingerprint
    assert other != first


def test_acknowledged_finding_is_shown_marked_and_does_not_block() -> None:
    result = analyse(REMOVE_TITLE, settings=_ack())
    finding = result.findings[0]
    assert finding.acknowledged is True
    assert finding.acknowledgement is not None
    assert finding.acknowledgement.reason == "pageTitle moves to seoTitle"
    assert result.blocking(Severity.NOTICE) == []
    assert result.summary.acknowledged == 1
    assert result.summary.highest is None


def test_acknowledgement_stops_matching_when_the_impact_grows_or_it_expires() -> None:
    assert analyse(REMOVE_TITLE, settings=_ack(MaxValues=11)).findings[0].acknowledged
    assert not analyse(REMOVE_TITLE, settings=_ack(MaxValues=10)).findings[0].acknowledged
    assert not analyse(REMOVE_TITLE, settings=_ack(MaxItems=5)).findings[0].acknowledged
    assert analyse(REMOVE_TITLE, settings=_ack(Expires="2025-06-01")).findings[0].acknowledged
    expired = analyse(REMOVE_TITLE, settings=_ack(Expires="2025-05-31"))
    assert not expired.findings[0].acknowledged
    assert expired.blocking(Severity.DAMAGING) == expired.findings


def test_acknowledgement_stops_matching_when_the_change_differs() -> None:
    settings = _ack()
    # a different change on the same property (narrowed instead of removed)
    result = analyse(
        with_property("pageBase", "pageTitle", variations="Nothing"), settings=settings
    )
    assert [f.acknowledged for f in result.findings] == [False]


def test_severity_override_disable_and_zero_impact_downgrade() -> None:
    overridden = analyse(
        REMOVE_TITLE, settings=AnalyserSettings.from_section({"severity": {"dc101": "Risky"}})
    )
    finding = overridden.findings[0]
    assert (finding.severity, finding.original_severity) == (Severity.RISKY, Severity.DAMAGING)
    disabled = analyse(REMOVE_TITLE, settings=AnalyserSettings.from_section({"Disable": ["DC101"]}))
    assert disabled.findings == []
    downgrade = AnalyserSettings.from_section({"DowngradeZeroImpact": "true"})
    # quoteBlock is an element type: its one value of cite sits in a block on hello-world,
    # so its removal is not a zero impact and is not downgraded (the bug this guards)
    in_blocks = analyse(without_property("quoteBlock", "cite"), settings=downgrade).findings[0]
    assert (in_blocks.severity, in_blocks.original_severity) == (Severity.DAMAGING, None)
    assert in_blocks.impact is not None and in_blocks.impact.block_values == 1
    # the twin: no block holds a cite, so the impact is zero and the finding is downgraded
    current = with_value(list(base_items()), "Hello World", "blocks", QUOTE_ONLY_BLOCKS)
    incoming = [
        find(without_property("quoteBlock", "cite"), "quoteBlock") if i.alias == "quoteBlock" else i
        for i in current
    ]
    graded = analyse(incoming, current=current, settings=downgrade).findings[0]
    assert (graded.severity, graded.original_severity) == (Severity.RISKY, Severity.DAMAGING)
    assert analyse(REMOVE_TITLE, settings=downgrade).findings[0].severity is Severity.DAMAGING


def test_environment_style_arrays_and_case_insensitive_keys() -> None:
    settings = AnalyserSettings.from_section(
        {
            "ACKNOWLEDGE": {
                "1": {"fingerprint": "DC101:b", "reason": "b"},
                "0": {"Fingerprint": "DC101:a", "Reason": "a", "MaxValues": "5"},
            },
            "disable": {"0": "dc110"},
        }
    )
    assert [a.fingerprint for a in settings.acknowledgements] == ["DC101:a", "DC101:b"]
    assert settings.acknowledgements[0].max_values == 5
    assert settings.disabled == frozenset({"DC110"})


@pytest.mark.parametrize(
    ("section", "names"),
    [
        ({"Acknowledge": [{"Fingerprint": "DC101:a"}]}, "Acknowledge:0"),
        (
            {"Acknowledge": [{"Fingerprint": "x", "Reason": "r", "Expires": "soon"}]},
            "Acknowledge:0:Expires",
        ),
        (
            {"Acknowledge": [{"Fingerprint": "x", "Reason": "r", "MaxValues": -1}]},
            "Acknowledge:0:MaxValues",
        ),
        ({"Acknowledge": "DC101"}, "Acknowledge"),
        ({"Severity": {"DC101": "catastrophic"}}, "Severity:DC101"),
        ({"Disable": ["101"]}, "Disable"),
        ({"DowngradeZeroImpact": "maybe"}, "DowngradeZeroImpact"),
    ],
)
def test_bad_settings_name_the_key(section: dict[str, object], names: str) -> None:
    with pytest.raises(ConfigError, match=f"uSync:Restore:Analyser:{names}"):
        AnalyserSettings.from_section(section)


def test_suggested_acknowledgements_round_trip_into_settings() -> None:
    result = analyse(REMOVE_TITLE)
    block = suggest(result.findings)
    entries = block["uSync"]["Restore"]["Analyser"]["Acknowledge"]
    assert entries[0]["Fingerprint"] == result.findings[0].fingerprint
    assert (entries[0]["MaxValues"], entries[0]["MaxItems"]) == (11, 6)
    entries[0]["Reason"] = "reviewed"
    settings = AnalyserSettings.from_section(block["uSync"]["Restore"]["Analyser"])
    assert analyse(REMOVE_TITLE, settings=settings).findings[0].acknowledged
    assert (
        suggest(analyse(REMOVE_TITLE, settings=settings).findings)["uSync"]["Restore"]["Analyser"][
            "Acknowledge"
        ]
        == []
    )


def test_an_expired_acknowledgement_is_reported_on_the_open_finding() -> None:

    expired = analyse(REMOVE_TITLE, settings=_ack(Expires="2025-05-31"))
    finding = expired.findings[0]
    assert not finding.acknowledged and finding.acknowledgement is None
    assert finding.lapsed_acknowledgement is not None
    assert finding.lapsed_acknowledgement.why == "expired on 2025-05-31"
    assert finding.lapsed_acknowledgement.reason == "pageTitle moves to seoTitle"
    assert (
        "acknowledgement no longer applies (expired on 2025-05-31): pageTitle moves to seoTitle"
        in render_text(expired)
    )
    assert "**Acknowledgement no longer applies (expired on 2025-05-31)" in render_markdown(expired)
    sarif = render_sarif(expired)
    assert "Acknowledgement no longer applies: expired on 2025-05-31." in sarif
    assert '"suppressions"' not in sarif
    assert '"why": "expired on 2025-05-31"' in render_json(expired)
    # within its date it still covers the finding, with no lapse note
    current = analyse(REMOVE_TITLE, settings=_ack(Expires="2025-06-01")).findings[0]
    assert current.acknowledged and current.lapsed_acknowledgement is None


def test_an_acknowledgement_outgrown_by_the_impact_says_which_ceiling() -> None:
    finding = analyse(REMOVE_TITLE, settings=_ack(MaxValues=10)).findings[0]
    assert finding.lapsed_acknowledgement is not None
    assert finding.lapsed_acknowledgement.why == "the impact is 11 values, over its MaxValues of 10"
    items = analyse(REMOVE_TITLE, settings=_ack(MaxItems=5)).findings[0]
    assert items.lapsed_acknowledgement is not None
    assert items.lapsed_acknowledgement.why == "the impact is 6 items, over its MaxItems of 5"
    assert analyse(REMOVE_TITLE).findings[0].lapsed_acknowledgement is None
