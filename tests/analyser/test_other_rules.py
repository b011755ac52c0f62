"""DC301-DC703: languages, templates, dictionary, domains, content and media."""

from __future__ import annotations

from publisher_restore.usync.models import ContentItem, EmptyAction, EmptyItem, PropertyValue
from tests.analyser.helpers import (
    analyse,
    base_items,
    changed,
    find,
    impact_of,
    marker,
    summary,
    without,
)


def test_dc301_language_deleted_counts_every_value_in_it() -> None:
    danish = find(base_items(), "da")
    result = analyse([*without("da"), marker(danish)], semantics="import")
    assert summary(result.findings) == [("DC301", "damaging", None)]
    assert impact_of(result.findings[0]) == (6, 10, {"da": 10})
    assert result.findings[0].message.startswith("Deleting language 'da' deletes 10 values")


def test_dc301_twin_new_language_added() -> None:
    german = find(base_items(), "da").model_copy(
        update={
            "key": "00000407-0000-0000-0000-000000000000",
            "alias": "de",
            "iso_code": "de",
            "path": "uSync/v9/Languages/de.config",
        }
    )
    assert analyse([*base_items(), german]).findings == []


def test_dc302_default_language_and_iso_code_changes() -> None:
    items = changed("en-US", is_default=False)
    items = [i.model_copy(update={"is_default": True}) if i.alias == "da" else i for i in items]
    result = analyse(items)
    assert summary(result.findings) == [("DC302", "risky", None)]
    assert result.findings[0].detail == {"old": {"default": "en-US"}, "new": {"default": "da"}}
    iso = analyse(changed("da", iso_code="da-DK"))
    assert summary(iso.findings) == [("DC302", "risky", None)]
    assert impact_of(iso.findings[0]) == (6, 10, {"da": 10})


def test_dc302_twin_language_renamed_or_fallback_changed() -> None:
    assert analyse(changed("da", name="Dansk", fallback=None, is_mandatory=True)).findings == []


def test_dc401_template_in_use_deleted() -> None:
    template = find(base_items(), "blogPost", "Template")
    result = analyse([*without("blogPost", "Template"), marker(template)], semantics="import")
    assert summary(result.findings) == [("DC401", "risky", None)]
    assert impact_of(result.findings[0]) == (3, 0, {})


def test_dc401_template_disallowed_on_a_type_while_used() -> None:
    result = analyse(changed("blogPost", "ContentType", allowed_templates=()))
    assert summary(result.findings) == [("DC401", "risky", None)]
    assert "no longer allows template 'blogPost'" in result.findings[0].message


def test_dc401_twin_unused_template_deleted() -> None:
    master = find(base_items(), "master", "Template")
    assert (
        analyse([*without("master", "Template"), marker(master)], semantics="import").findings == []
    )


def test_dc501_dictionary_item_deleted() -> None:
    item = find(base_items(), "ReadMore")
    result = analyse([*without("ReadMore"), marker(item)], semantics="import")
    assert summary(result.findings) == [("DC501", "notice", None)]
    assert result.findings[0].impact is None


def test_dc501_twin_translation_edited() -> None:
    edited = changed("ReadMore", translations={"en-US": "Read on", "da": "Læs videre"})
    assert analyse(edited).findings == []


def test_dc601_domain_deleted_or_rerooted() -> None:
    domain = find(base_items(), "example.org")
    deleted = analyse([*without("example.org"), marker(domain)], semantics="import")
    assert summary(deleted.findings) == [("DC601", "notice", None)]
    moved = analyse(
        changed(
            "example.org", root_key="5e000000-0000-0000-0000-000000000002", root_path="/Home/Blog"
        )
    )
    assert summary(moved.findings) == [("DC601", "notice", None)]


def test_dc601_twin_domain_language_changed() -> None:
    assert analyse(changed("example.org", sort_order=2)).findings == []


def _content(name: str) -> ContentItem:
    item = find(base_items(), name)
    assert isinstance(item, ContentItem)
    return item


def test_dc701_content_deleted_with_its_descendants() -> None:
    blog = _content("Blog")
    result = analyse([*without("Blog"), marker(blog)], semantics="import")
    assert summary(result.findings) == [("DC701", "damaging", None)]
    # Blog itself (2 values) and its three posts (21 values)
    assert impact_of(result.findings[0]) == (4, 23, {"en-US": 10, "invariant": 7, "da": 6})
    assert "with 3 descendants" in result.findings[0].message


def test_dc701_complete_semantics_reports_the_top_most_missing_item_once() -> None:
    incoming = [
        i
        for i in base_items()
        if not i.path.endswith(
            ("blog.config", "hello-world.config", "second-post.config", "draft-ideas.config")
        )
    ]
    result = analyse(incoming)
    assert summary(result.findings) == [("DC701", "damaging", None)]
    assert analyse(incoming, semantics="import").findings == []


def test_dc701_twin_content_moved_or_renamed_keeps_its_key() -> None:
    post = _content("Hello World")
    moved = changed(
        "Hello World",
        parent_key="5e000000-0000-0000-0000-000000000001",
        node_name="Hello there",
        alias="Hello there",
    )
    assert analyse([*moved, marker(post, EmptyAction.RENAME)]).findings == []


def test_dc702_clean_marker_deletes_children_missing_from_the_set() -> None:
    clean = EmptyItem(
        item_type="Content",
        key="5e000000-0000-0000-0000-000000000002",
        alias="clean Blog children",
        path="uSync/v9/Content/blog_clean.config",
        action=EmptyAction.CLEAN,
    )
    pack = [_content("Blog"), _content("Hello World"), clean]
    result = analyse(pack, semantics="import")
    assert summary(result.findings) == [("DC702", "damaging", None)]
    assert result.findings[0].detail == {"children": ["Draft Ideas", "Second Post"]}
    assert impact_of(result.findings[0]) == (2, 10, {"en-US": 5, "invariant": 3, "da": 2})


def test_dc702_twin_clean_marker_with_every_child_present() -> None:
    clean = EmptyItem(
        item_type="Content",
        key="5e000000-0000-0000-0000-000000000002",
        alias="clean Blog children",
        path="uSync/v9/Content/blog_clean.config",
        action=EmptyAction.CLEAN,
    )
    pack = [i for i in base_items() if isinstance(i, ContentItem)] + [clean]
    assert analyse(pack, semantics="import").findings == []


def _values(name: str, **replacements: str) -> tuple[PropertyValue, ...]:
    return tuple(
        v.model_copy(update={"value": replacements[v.alias]})
        if v.alias in replacements and (v.culture in (None, "en-US"))
        else v
        for v in _content(name).values
    )


def test_dc703_value_replaced_by_an_empty_value() -> None:
    result = analyse(
        changed("Hello World", values=_values("Hello World", metaTitle="", heroImage="[]"))
    )
    assert summary(result.findings) == [
        ("DC703", "risky", "heroImage"),
        ("DC703", "risky", "metaTitle"),
    ]
    assert impact_of(result.findings[1]) == (1, 1, {"en-US": 1})


def test_dc703_twin_value_edited_or_property_left_out_of_a_partial_file() -> None:
    edited = changed("Hello World", values=_values("Hello World", metaTitle="Hi there"))
    assert analyse(edited).findings == []
    partial = changed(
        "Hello World",
        values=tuple(v for v in _content("Hello World").values if v.alias != "metaTitle"),
    )
    assert analyse(partial, semantics="import").findings == []


def test_media_deleted_says_media_items() -> None:
    photo = _content("Photo")
    result = analyse([*without("Photo"), marker(photo)], semantics="import")
    assert summary(result.findings) == [("DC701", "damaging", None)]
    assert "2 values on 1 media item" in result.findings[0].message
