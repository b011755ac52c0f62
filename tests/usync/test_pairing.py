"""``pair``: the defined answers for duplicate Keys, Empty markers, the Alias fallback."""

from __future__ import annotations

from publisher_restore.usync.identity import Grouping, alias_key, inner_path
from publisher_restore.usync.models import (
    AnyItem,
    ContentItem,
    ContentTypeItem,
    EmptyAction,
    EmptyItem,
)
from publisher_restore.usync.pairing import Pairing, pair

KEY = "0f63b49a-5423-46bd-91fa-0e78bbd2f6d6"
OTHER = "b1c27e8c-1692-42ad-9701-c87f12716ee7"
THIRD = "9090575e-290c-4585-91a4-b72ec30ff41f"


def ctype(name: str, key: str | None = KEY, alias: str | None = None, v: str = "v9") -> AnyItem:
    """A content type in ``uSync/<v>/ContentTypes/<name>.config``."""
    path = f"uSync/{v}/ContentTypes/{name}.config"
    return ContentTypeItem(item_type="ContentType", key=key, alias=alias or name, path=path)


def media(name: str, key: str = KEY) -> AnyItem:
    path = f"uSync/v9/Media/{name}.config"
    return ContentItem(item_type="Media", key=key, alias=name, path=path)


def marker(like: AnyItem, action: EmptyAction, path: str | None = None) -> EmptyItem:
    return EmptyItem(
        item_type=like.item_type,
        key=like.key,
        alias=like.alias,
        path=path or like.path,
        action=action,
    )


def paired(result: Pairing[AnyItem]) -> list[tuple[str, str, str]]:
    """(current path, incoming path, how) of the pairs that are not one object."""
    return sorted(
        (p.current.path, p.incoming.path, p.matched_by)
        for p in result.pairs
        if p.current is not p.incoming
    )


def names(entries: list[AnyItem]) -> list[str]:
    return [entry.path.rsplit("/", 1)[-1] for entry in entries]


def test_a_stale_current_file_with_a_key_the_incoming_side_holds_is_never_deleted() -> None:
    # uSync left a-old.config behind after the rename; it sorts first, so a first-match
    # pairing would pair it and call b-new.config deleted.
    stale, live = ctype("a-old", alias="oldName"), ctype("b-new", alias="newName")
    incoming = ctype("b-new", alias="newName")
    result = pair([stale, live], [incoming])
    assert paired(result) == [(live.path, incoming.path, "path")]
    assert result.unmatched_current == []
    assert result.deleted_by == {}
    assert result.survives(stale) and result.survives(live)
    [duplicate] = result.duplicates
    assert (duplicate.side, duplicate.entry, duplicate.kept_as) == ("current", stale, incoming)


def test_a_stale_incoming_file_is_a_duplicate_not_a_second_item() -> None:
    current = ctype("home")
    stale, fresh = ctype("home"), ctype("homepage", alias="homePage")
    result = pair([current], [stale, fresh])
    assert paired(result) == [(current.path, stale.path, "path")]
    assert result.items.unmatched_incoming == []
    [duplicate] = result.duplicates
    assert (duplicate.side, duplicate.entry, duplicate.kept_as) == ("incoming", fresh, stale)


def test_duplicates_on_both_sides_pair_file_by_file_then_by_key() -> None:
    a, b = ctype("a"), ctype("b")
    a2, b2 = ctype("a"), ctype("b")
    assert paired(pair([a, b], [b2, a2])) == [
        (a.path, a2.path, "path"),
        (b.path, b2.path, "path"),
    ]
    c = ctype("c")
    result = pair([a, b], [c, a2])
    assert paired(result) == [(a.path, a2.path, "path"), (b.path, c.path, "key")]
    assert result.duplicates == []


def test_two_current_files_of_one_deleted_item_are_one_deletion() -> None:
    first, second = ctype("a-first"), ctype("b-second")
    delete = marker(first, EmptyAction.DELETE, "uSync/v9/ContentTypes/a-first.config")
    result = pair([first, second], [delete])
    assert result.unmatched_current == [first]
    assert result.deleted_by == {id(first): delete}
    assert [(d.entry, d.kept_as) for d in result.duplicates] == [(second, first)]
    assert not result.survives(second)


def test_a_rename_marker_plus_the_new_file_is_a_rename_not_a_delete() -> None:
    old = media("old-folder")
    new = media("new-folder")
    rename = marker(old, EmptyAction.RENAME)
    result = pair([old], [rename, new])
    assert paired(result) == [(old.path, new.path, "key")]
    assert [(o.effect, o.target) for o in result.outcomes] == [("rename", old)]
    assert result.unmatched_current == [] and result.deleted_by == {}


def test_a_delete_marker_is_kept_gone_or_deleting_by_what_the_sides_hold() -> None:
    live = ctype("page")
    stale_delete = marker(live, EmptyAction.DELETE, "uSync/v9/ContentTypes/old-page.config")
    kept = pair([live], [stale_delete, ctype("page")])
    assert [o.effect for o in kept.outcomes] == ["kept"] and kept.deleted_by == {}
    nothing = pair([ctype("other", key=OTHER)], [stale_delete])
    assert [o.effect for o in nothing.outcomes] == ["gone"]
    deleting = pair([live], [stale_delete])
    assert [o.effect for o in deleting.outcomes] == ["delete"]
    assert deleting.deleted_by == {id(live): stale_delete}


def test_a_delete_marker_finds_its_target_by_alias_except_for_content_and_media() -> None:
    item = ctype("page", key=OTHER, alias="Page")
    by_alias = EmptyItem(
        item_type="ContentType", key=KEY, alias="PAGE", path=item.path, action=EmptyAction.DELETE
    )
    assert pair([item], [by_alias]).deleted_by == {id(item): by_alias}
    picture = media("picture", key=OTHER)
    by_name = EmptyItem(
        item_type="Media", key=KEY, alias="picture", path=picture.path, action=EmptyAction.DELETE
    )
    assert [o.effect for o in pair([picture], [by_name]).outcomes] == ["gone"]


def test_aliases_match_case_insensitively_including_sharp_s() -> None:
    assert alias_key("Straße") == alias_key("STRASSE") == alias_key("strasse")
    current = ctype("strasse", key=KEY, alias="Straße")
    incoming = ctype("strasse2", key=OTHER, alias="STRASSE")
    result = pair([current], [incoming])
    assert paired(result) == [(current.path, incoming.path, "alias")]
    assert result.pairs[0].recreated
    lower = pair([ctype("blog", alias="blogPost")], [ctype("blog", key=OTHER, alias="BLOGPOST")])
    assert [(p.matched_by, p.recreated) for p in lower.pairs] == [("alias", True)]


def test_keys_compare_without_case() -> None:
    result = pair([ctype("a")], [ctype("b", key=KEY.upper())])
    assert [p.matched_by for p in result.pairs] == ["key"]


def test_content_and_media_never_pair_by_alias() -> None:
    result = pair([media("photo", key=KEY)], [media("photo2", key=OTHER)])
    assert result.pairs == []
    assert names(result.unmatched_current) == ["photo.config"]
    assert names(result.items.unmatched_incoming) == ["photo2.config"]


def test_a_stale_file_with_an_old_alias_is_not_taken_by_the_alias_fallback() -> None:
    # The current site kept old.config (alias "news") for the item now in articles.config;
    # the incoming side reuses the alias "news" for a new item.  The new item is created
    # (uSync finds the old item by Key first), and the stale file names the kept item.
    stale = ctype("old", key=KEY, alias="news")
    renamed = ctype("articles", key=KEY, alias="articles")
    fresh = ctype("news", key=OTHER, alias="news")
    result = pair([stale, renamed], [ctype("articles", key=KEY, alias="articles"), fresh])
    assert names([p.current for p in result.pairs]) == ["articles.config"]
    assert result.items.unmatched_incoming == [fresh]
    assert result.unmatched_current == []
    assert result.survives(stale)


def test_an_item_held_unchanged_by_both_sides_keeps_its_duplicates_alive() -> None:
    shared = ctype("b-new", alias="newName")
    stale = ctype("a-old", alias="oldName")
    result = pair([stale], [], common=[shared])
    assert result.unmatched_current == []
    assert [d.kept_as for d in result.duplicates] == [shared]


def test_the_same_object_on_both_sides_is_unchanged_and_paired_with_itself() -> None:
    item = ctype("page")
    result = pair([item], [item])
    assert result.items.unchanged == [item]
    assert result.incoming_for(item) is item
    assert paired(result) == []


def test_version_folders_group_only_when_asked() -> None:
    v9, v17 = ctype("page", v="v9"), ctype("page", v="v17")
    assert [p.matched_by for p in pair([v9], [v17]).pairs] == ["path"]
    grouped = pair([v9], [v17], grouping=Grouping.VERSION_FOLDER)
    assert grouped.pairs == []
    assert grouped.unmatched_current == [v9] and grouped.items.unmatched_incoming == [v17]
    assert inner_path("uSync/v9/ContentTypes/Page.config") == "contenttypes/page.config"
    assert inner_path("v17/ContentTypes/Page.config") == "contenttypes/page.config"


def test_marker_files_pair_with_marker_files() -> None:
    item = ctype("page")
    rename = marker(item, EmptyAction.RENAME)
    delete = marker(item, EmptyAction.DELETE)
    result = pair([rename], [delete])
    assert [(p.current, p.incoming) for p in result.markers.pairs] == [(rename, delete)]
    assert result.pairs == []


def test_an_incoming_copy_of_an_unchanged_item_is_a_duplicate_wherever_it_sorts() -> None:
    unchanged = ctype("b-page")
    copy = ctype("a-page-copy")  # loads first, but the item is the unchanged one
    result = pair([unchanged], [copy, unchanged])
    assert result.items.unmatched_incoming == []
    assert [(d.side, d.entry, d.kept_as) for d in result.duplicates] == [
        ("incoming", copy, unchanged)
    ]
    shared = ctype("b-shared")
    via_common = pair([], [copy], common=[shared])
    assert [(d.entry, d.kept_as) for d in via_common.duplicates] == [(copy, shared)]
