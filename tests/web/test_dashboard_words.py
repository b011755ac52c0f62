"""What the dashboard's part B pages say, without a browser: the import's restore-point
choice per policy answer, an impact's noun, and an uploaded file's shown name."""

from __future__ import annotations

import pytest

from publisher_restore.analyser.findings import Finding, Impact, Severity
from publisher_restore.operations.decisions import Choice, Decision
from publisher_restore.operations.policy import DECIDED_BY
from publisher_restore.web.dashboard.plan_views import ImportChoice
from publisher_restore.web.dashboard.views import impact_words
from publisher_restore.web.uploads import file_name


def test_a_policy_that_requires_a_point_cannot_be_unticked_in_the_page() -> None:
    required = ImportChoice.of(Decision(choice=Choice.RESTORE_POINT, decided_by=DECIDED_BY))
    assert required.take_point and required.locked and required.refused is None


def test_a_policy_that_takes_no_point_leaves_the_box_free_and_unticked() -> None:
    none = ImportChoice.of(Decision(choice=Choice.CONTINUE, decided_by=DECIDED_BY))
    assert not none.take_point and not none.locked
    asked = ImportChoice.of(Decision(choice=Choice.PROMPT, decided_by=DECIDED_BY))
    assert asked.take_point and not asked.locked


def test_a_plugin_that_aborts_refuses_the_import_and_says_who() -> None:
    vetoed = ImportChoice.of(
        Decision(choice=Choice.ABORT, decided_by="change-freeze", reason="release week")
    )
    assert vetoed.locked and vetoed.refused is not None
    assert "change-freeze" in vetoed.refused and "release week" in vetoed.refused


def _finding(message: str, impact: Impact) -> Finding:
    return Finding(
        code="DC101",
        severity=Severity.DAMAGING,
        item_type="MediaType",
        item_key=None,
        item_alias="image",
        message=message,
        impact=impact,
    )


def test_an_impact_is_worded_with_the_noun_its_message_counted() -> None:
    impact = Impact(items=3, values=4)
    media = _finding(
        "Removing property 'alt' from 'image' deletes 4 values on 3 media items.", impact
    )
    assert impact_words(media) == "4 values on 3 media items"
    other = _finding("Something else hits them.", impact)
    assert impact_words(other) == "4 values on 3 items"
    assert impact_words(_finding("Nothing.", Impact())) is None


@pytest.mark.parametrize(
    ("header", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:%5CUsers%5Cme%5Cgrid.usync", "grid.usync"),
        ("evil%0A%1B[31mname.usync", "evil[31mname.usync"),
        ("", "pack.usync"),
        (None, "pack.usync"),
    ],
)
def test_an_uploaded_file_name_is_shown_as_a_name_never_a_path(
    header: str | None, shown: str
) -> None:
    assert file_name(header) == shown


def test_counts_on_pages_are_singular_for_one() -> None:
    from publisher_restore.web.dashboard.render import TEMPLATES

    page = TEMPLATES.from_string("{{ 1|counted('path') }}; {{ 3|counted('selected change') }}")
    assert page.render() == "1 path; 3 selected changes"
