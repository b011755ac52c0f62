"""``--item TYPE:ALIAS_OR_KEY`` parsing."""

from __future__ import annotations

import pytest

from publisher_restore.publisher.errors import SelectionError
from publisher_restore.publisher.item_spec import parse_item_spec

KEY = "0f63b49a-5423-46bd-91fa-0e78bbd2f6d6"
HEX = KEY.replace("-", "")


@pytest.mark.parametrize(
    ("text", "item_type"),
    [
        ("ContentType:article", "ContentType"),
        ("contenttypes:article", "ContentType"),
        ("DOCTYPE:article", "ContentType"),
        ("DataTypes:Textstring", "DataType"),
        ("media:/Products/Banjo", "Media"),
        ("Blueprints:x", "Blueprint"),
        ("Domains:*1153", "Domain"),
        ("Document:Home", "Content"),
    ],
)
def test_type_names_and_folder_names_are_accepted_in_any_case(text: str, item_type: str) -> None:
    spec = parse_item_spec(text)
    assert spec.item_type == item_type
    assert spec.alias == text.split(":", 1)[1] and spec.key is None


@pytest.mark.parametrize(
    "value",
    [KEY, KEY.upper(), "{" + KEY + "}", HEX, f"umb://document-type/{HEX}"],
)
def test_a_guid_in_any_usual_spelling_is_a_key(value: str) -> None:
    spec = parse_item_spec(f"ContentType:{value}")
    assert spec.key == KEY and spec.alias is None


def test_the_value_may_itself_hold_colons() -> None:
    assert parse_item_spec("Dictionary:Form:Submit").alias == "Form:Submit"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("article", "expected TYPE:ALIAS_OR_KEY"),
        ("ContentType:", "expected TYPE:ALIAS_OR_KEY"),
        ("Widget:x", "unknown item type 'Widget' (Blueprint, Content, ContentType"),
    ],
)
def test_bad_specs_name_the_problem(text: str, problem: str) -> None:
    with pytest.raises(SelectionError, match=r"--item") as error:
        parse_item_spec(text)
    assert problem in str(error.value)
    assert error.value.exit_code == 2
