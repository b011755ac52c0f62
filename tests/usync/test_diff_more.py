"""Report details a restore check must not miss: schedules, child order, a swapped parent."""

from __future__ import annotations

from publisher_restore.usync.diff import diff_items
from publisher_restore.usync.loader import parse_file_bytes
from publisher_restore.usync.models import ContentItem, ContentTypeItem

CONTENT = """<?xml version="1.0" encoding="utf-8"?>
<Content Key="5a0c1e52-0000-4000-8000-000000000001" Alias="News" Level="1">
  <Info>
    <Parent Key="00000000-0000-0000-0000-000000000000"></Parent>
    <ContentType>page</ContentType>
    <NodeName Default="News" />
    <Published Default="true" />
    <Schedule>{schedule}</Schedule>
  </Info>
  <Properties />
</Content>"""

RELEASE = """
      <ContentSchedule>
        <Culture>en-US</Culture>
        <Action>Release</Action>
        <Date>{date}</Date>
      </ContentSchedule>"""

TYPE = """<?xml version="1.0" encoding="utf-8"?>
<ContentType Key="5a0c1e52-0000-4000-8000-000000000002" Alias="page" Level="2">
  <Info>
    <Name>Page</Name>
    <Parent Key="{parent}">base</Parent>
  </Info>
  <Structure>
    <ContentType Key="5a0c1e52-0000-4000-8000-000000000003" SortOrder="{first}">news</ContentType>
    <ContentType Key="5a0c1e52-0000-4000-8000-000000000004" SortOrder="{second}">blog</ContentType>
  </Structure>
  <GenericProperties />
  <Tabs />
</ContentType>"""


def content(schedule: str) -> ContentItem:
    item = parse_file_bytes(CONTENT.format(schedule=schedule).encode(), "uSync/v9/Content/n.config")
    assert isinstance(item, ContentItem)
    return item


def content_type(parent: str, first: int, second: int) -> ContentTypeItem:
    xml = TYPE.format(parent=parent, first=first, second=second)
    item = parse_file_bytes(xml.encode(), "uSync/v9/ContentTypes/page.config")
    assert isinstance(item, ContentTypeItem)
    return item


def test_a_schedule_is_parsed_and_its_changes_reported() -> None:
    planned = content(RELEASE.format(date="2026-12-01T09:00:00"))
    [entry] = planned.schedule
    assert (entry.action, entry.culture, entry.date) == ("Release", "en-US", "2026-12-01T09:00:00")
    moved = content(RELEASE.format(date="2027-01-01T09:00:00"))
    [detail] = diff_items(planned, moved)
    assert (detail.path, detail.old, detail.new) == (
        "Schedule/Release[en-US]",
        "2026-12-01T09:00:00",
        "2027-01-01T09:00:00",
    )
    [dropped] = diff_items(planned, content(""))
    assert (dropped.change, dropped.path) == ("delete", "Schedule/Release[en-US]")


def test_allowed_child_order_is_reported() -> None:
    base = "5a0c1e52-0000-4000-8000-0000000000aa"
    details = diff_items(content_type(base, 0, 1), content_type(base, 1, 0))
    assert sorted((d.path, d.old, d.new) for d in details) == [
        ("Structure/blog/SortOrder", "1", "0"),
        ("Structure/news/SortOrder", "0", "1"),
    ]


def test_a_parent_swapped_for_another_of_the_same_alias_is_reported() -> None:
    old, new = "5a0c1e52-0000-4000-8000-0000000000aa", "5a0c1e52-0000-4000-8000-0000000000bb"
    [detail] = diff_items(content_type(old, 0, 1), content_type(new, 0, 1))
    assert detail.path == "Info/Parent"
    assert (detail.old, detail.new) == (f"base ({old})", f"base ({new})")
