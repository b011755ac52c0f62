"""``check``: every changed file is reported once, as the change a restore makes to it."""

from __future__ import annotations

import re
from pathlib import Path

from publisher_restore.analyser import run_rules
from publisher_restore.analyser.loading import load_pair
from publisher_restore.analyser.rules import builtin_rules
from publisher_restore.restore.plan import Change
from publisher_restore.service import RestoreService
from tests.conftest import CORPUS, copy_site

BLOG_POST = "uSync/v9/ContentTypes/blogpost.config"
SECOND_POST = "uSync/v9/Content/second-post.config"


def write_marker(path: Path, action: str) -> None:
    """Replace an item's file with the ``<Empty/>`` marker uSync leaves behind."""
    text = path.read_text(encoding="utf-8-sig")
    key = re.search(r'Key="([^"]+)"', text)
    alias = re.search(r'Alias="([^"]+)"', text)
    assert key and alias
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<Empty Key="{key.group(1)}" Alias="{alias.group(1)}" Change="{action}" />\n',
        encoding="utf-8",
    )


def changes_by_path(changes: list[Change]) -> dict[str, list[tuple[str, str | None]]]:
    found: dict[str, list[tuple[str, str | None]]] = {}
    for change in changes:
        found.setdefault(change.path, []).append((change.change, change.alias))
    return found


def test_a_renamed_item_is_one_update_not_also_a_deleted_marker(sample_site: Path) -> None:
    service = RestoreService.open(sample_site)
    point = service.create()
    old = sample_site / BLOG_POST
    renamed = old.with_name("article.config")
    renamed.write_text(old.read_text("utf-8-sig").replace('Alias="blogPost"', 'Alias="article"'))
    write_marker(old, "Rename")

    plan = service.check(point.id)
    assert changes_by_path(plan.changes) == {BLOG_POST: [("update", "blogPost")]}
    [change] = plan.changes
    moved = [(d.old, d.new) for d in change.details if d.path == "File"]
    assert moved == [("uSync/v9/ContentTypes/article.config", BLOG_POST)]
    assert sorted((op.action, op.path) for op in plan.operations) == [
        ("delete", "uSync/v9/ContentTypes/article.config"),
        ("write", BLOG_POST),
    ]


def test_a_deleted_item_coming_back_is_one_create(sample_site: Path) -> None:
    service = RestoreService.open(sample_site)
    point = service.create()
    write_marker(sample_site / SECOND_POST, "Delete")
    plan = service.check(point.id)
    assert changes_by_path(plan.changes) == {SECOND_POST: [("create", "Second Post")]}


def test_restoring_a_delete_marker_over_the_item_is_one_delete(sample_site: Path) -> None:
    service = RestoreService.open(sample_site)
    item = sample_site / SECOND_POST
    original = item.read_bytes()
    write_marker(item, "Delete")
    point = service.create()
    item.write_bytes(original)
    plan = service.check(point.id)
    assert changes_by_path(plan.changes) == {SECOND_POST: [("delete", "Second Post")]}


def test_a_marker_alone_is_reported_as_a_marker(sample_site: Path) -> None:
    service = RestoreService.open(sample_site)
    item = sample_site / SECOND_POST
    write_marker(item, "Delete")
    point = service.create()
    item.unlink()
    [change] = service.check(point.id).changes
    assert (change.path, change.change) == (SECOND_POST, "create")
    marker = [(d.path, d.old, d.new) for d in change.details]
    assert marker == [("Empty/Change", None, "Delete")]


def test_an_item_matched_by_alias_reports_its_key_coming_back(sample_site: Path) -> None:
    service = RestoreService.open(sample_site)
    point = service.create()
    item = sample_site / BLOG_POST
    text = item.read_text("utf-8-sig")
    old_key = re.search(r'Key="([^"]+)"', text)
    assert old_key
    new_key = "0d5e4c40-2222-4a4a-9c9c-123456789abc"
    item.write_text(text.replace(old_key.group(1), new_key, 1), encoding="utf-8")
    [change] = service.check(point.id).changes
    assert (change.path, change.change, change.key) == (BLOG_POST, "update", old_key.group(1))
    assert [(d.path, d.old, d.new) for d in change.details] == [("Key", new_key, old_key.group(1))]


def test_unreadable_files_have_one_shape_with_a_side_in_check_and_analyse(tmp_path: Path) -> None:
    site = copy_site(CORPUS / "navsjon-sportfiske", tmp_path / "site")
    service = RestoreService.open(site)
    point = service.create()
    broken = "uSync/v9/Content/boka.config"
    (site / broken).write_bytes(b"<Content Key=")
    plan = service.check(point.id)
    assert [(p.side, p.path, p.line) for p in plan.problems] == [
        ("current", broken, 1),
        ("incoming", broken, 21),
    ]
    assert str(plan.problems[1]).startswith(f"incoming: {broken}:21: unresolved git merge")
    restored = copy_site(site, tmp_path / "point")
    restored.joinpath(broken).write_bytes(
        CORPUS.joinpath("navsjon-sportfiske", broken).read_bytes()
    )
    analysed = run_rules(*load_pair(site, restored), "complete", builtin_rules())
    assert plan.report()["problems"] == [p.model_dump(mode="json") for p in analysed.problems]


def test_a_stale_copy_of_an_item_is_a_file_change_not_an_item_deletion(sample_site: Path) -> None:
    service = RestoreService.open(sample_site)
    point = service.create()
    live = sample_site / BLOG_POST
    stale = live.with_name("0-blogpost-old.config")
    stale.write_text(live.read_text("utf-8-sig").replace('Alias="blogPost"', 'Alias="oldPost"'))
    [change] = service.check(point.id).changes
    assert (change.path, change.change, change.item_type) == (
        "uSync/v9/ContentTypes/0-blogpost-old.config",
        "delete",
        None,
    )
    [detail] = change.details
    assert detail.path == "Duplicate Key" and detail.new is None
    assert detail.old is not None and detail.old.endswith(f"also in {BLOG_POST}")
    assert "'oldPost'" in detail.old
