"""``check`` and ``analyse`` pair the same two sides the same way (one rule, usync.pairing).

The site now is ``analyse``'s current side and the restore point its incoming side.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from publisher_restore.analyser.context import AnalysisContext
from publisher_restore.analyser.loading import load_pair
from publisher_restore.analyser.sides import Side
from publisher_restore.restore.plan import RestorePlan
from publisher_restore.service import RestoreService
from tests.analyser.corpus_cases import mark_deleted, remove_property, set_text, type_file
from tests.conftest import CORPUS, copy_site

V9 = "uSync/v9"
NEW_KEY = "0d5e4c40-3333-4a4a-9c9c-123456789abc"
DICTIONARY = "24-7-support-and-training.config"

Summary = dict[str, set[tuple[str, ...]]]


def _incoming(root: Path) -> None:
    """What the restore point holds: the site before a round of edits."""
    usync = root / V9
    remove_property(type_file(usync, "blogpost"), "excerpt")
    (usync / "Content" / "contact-us.config").unlink()
    set_text(usync / "Languages" / "en-us.config", "IsMandatory", "true")


def _current(root: Path) -> None:
    """The site now: a type renamed (Rename marker + new file), a stale copy, a re-keyed type."""
    usync = root / V9
    blog = type_file(usync, "blog")
    text = blog.read_text(encoding="utf-8-sig")
    (usync / "ContentTypes" / "blogpage.config").write_text(
        text.replace('Alias="blog"', 'Alias="blogPage"', 1), encoding="utf-8"
    )
    key = re.search(r'Key="([^"]+)"', text)
    assert key
    blog.write_text(
        f'<Empty Key="{key.group(1)}" Alias="blog" Change="Rename" />', encoding="utf-8"
    )
    contact = type_file(usync, "contact")
    stale = contact.with_name("0-contact-old.config")
    stale.write_text(contact.read_text(encoding="utf-8-sig").replace("Contact", "Old contact"))
    about = type_file(usync, "aboutUs")
    old_key = re.search(r'Key="([^"]+)"', about.read_text(encoding="utf-8-sig"))
    assert old_key
    about.write_text(about.read_text(encoding="utf-8-sig").replace(old_key.group(1), NEW_KEY, 1))
    mark_deleted(usync / "Dictionary" / DICTIONARY)


def _analysed(current: Path, incoming: Path) -> Summary:
    cur, inc = load_pair(current, incoming)
    pairing = AnalysisContext(Side.build(cur), Side.build(inc), "complete").pairing
    return {
        "updated": {
            (p.current.path, p.incoming.path) for p in pairing.pairs if p.current is not p.incoming
        },
        "deleted": {(i.path,) for i in pairing.unmatched_current},
        "created": {(i.path,) for i in pairing.items.unmatched_incoming},
        "duplicates": {(d.side, d.entry.path) for d in pairing.duplicates},
    }


def _checked(plan: RestorePlan) -> Summary:
    found: Summary = {"updated": set(), "deleted": set(), "created": set(), "duplicates": set()}
    for change in plan.changes:
        moved = [d.old for d in change.details if d.path == "File"]
        duplicate = [d for d in change.details if d.path == "Duplicate Key"]
        if duplicate:
            side = "current" if duplicate[0].old else "incoming"
            found["duplicates"].add((side, change.path))
        elif change.item_type and change.change == "update":
            found["updated"].add(((moved or [change.path])[0] or "", change.path))
        elif change.item_type and change.change == "delete":
            found["deleted"].add((change.path,))
        elif change.item_type and change.change == "create":
            found["created"].add((change.path,))
    return found


def test_check_and_analyse_pair_the_same_sides_the_same_way(tmp_path: Path) -> None:
    base = copy_site(CORPUS / "zmenu", tmp_path / "base")
    current = copy_site(base, tmp_path / "current")
    incoming = copy_site(base, tmp_path / "incoming")
    _current(current)
    _incoming(incoming)
    analysed = _analysed(current, incoming)

    checked_site = copy_site(incoming, tmp_path / "checked")
    service = RestoreService.open(checked_site)
    point = service.create()
    shutil.rmtree(checked_site / V9)
    shutil.copytree(current / V9, checked_site / V9)
    checked = _checked(service.check(point.id))

    assert checked == analysed
    # what the edits made, so the comparison covers every kind of answer
    assert ("uSync/v9/ContentTypes/blogpage.config", "uSync/v9/ContentTypes/blog.config") in (
        analysed["updated"]
    )
    assert ("uSync/v9/ContentTypes/aboutus.config",) * 2 in analysed["updated"]
    assert analysed["duplicates"] == {("current", "uSync/v9/ContentTypes/0-contact-old.config")}
    assert analysed["deleted"] == {("uSync/v9/Content/contact-us.config",)}
    assert analysed["created"] == {(f"uSync/v9/Dictionary/{DICTIONARY}",)}
