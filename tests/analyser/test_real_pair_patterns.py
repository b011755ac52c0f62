"""Patterns met in real sites' uSync histories (second round): each with its harmless twin."""

from __future__ import annotations

import json
from typing import Any

from publisher_restore.analyser.config_narrowing import narrowing
from tests.analyser.helpers import analyse, base_items, changed, find, impact_of, summary


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
