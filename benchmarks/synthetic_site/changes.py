"""A copy of a generated site's uSync folder with a share of its items changed.

The changes are the kinds an incoming export brings: schema changes the analyser must weigh
against all content (a composition's property removed, a composition dropped, a property made
invariant, a dropdown item removed, an editor swapped, a template deleted), and edits to content,
media and dictionary items (values changed, nodes renamed, deleted, culture values emptied, new
nodes).
"""

from __future__ import annotations

import random
import re
import shutil
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel

from benchmarks.synthetic_site import render

KEY = re.compile(r'Key="([^"]+)"')
ALIAS = re.compile(r'Alias="([^"]*)"')
VALUE = re.compile(r"(<Value(?: Culture=\"[^\"]*\")?><!\[CDATA\[)([^\]<]+)(\]\]></Value>)")
CULTURE_VALUE = re.compile(r'(<Value Culture="([^"]+)"><!\[CDATA\[)(.*?)(\]\]></Value>)', re.S)

# (file below the version folder, what changes, how): the schema edits every copy gets.
SCHEMA_EDITS: tuple[tuple[str, str, Callable[[str], str]], ...] = (
    (
        "ContentTypes/seocomposition.config",
        "property removed from a composition",
        lambda xml: re.sub(
            r"\s*<GenericProperty>\s*<Key>[^<]*</Key>\s*<Name>[^<]*</Name>\s*"
            r"<Alias>metaKeywords</Alias>.*?</GenericProperty>",
            "",
            xml,
            count=1,
            flags=re.S,
        ),
    ),
    (
        "ContentTypes/event.config",
        "composition removed",
        lambda xml: re.sub(
            r"\s*<Composition Key=\"[^\"]+\">contentComposition</Composition>", "", xml
        ),
    ),
    (
        "ContentTypes/article.config",
        "property made invariant",
        lambda xml: re.sub(
            r"(<Alias>excerpt</Alias>.*?<Variations>)Culture(</Variations>)",
            r"\1Nothing\2",
            xml,
            flags=re.S,
        ),
    ),
    (
        "DataTypes/ArticleCategoryDropdown.config",
        "dropdown item removed",
        lambda xml: re.sub(r',\s*\{\s*"id": 4,\s*"value": "Press"\s*\}', "", xml),
    ),
    (
        "DataTypes/HeroTitleTextstring.config",
        "editor changed",
        lambda xml: xml.replace(
            "<EditorAlias>Umbraco.TextBox</EditorAlias>",
            "<EditorAlias>Umbraco.TextArea</EditorAlias>",
        ),
    ),
    (
        "Templates/search.config",
        "template deleted",
        lambda xml: render.empty(found(KEY, xml), found(ALIAS, xml)),
    ),
)


class ChangeSummary(BaseModel):
    items: int
    changed: int
    kinds: dict[str, int]


def write_changed_copy(
    site: Path, target: Path, fraction: float = 0.02, seed: int = 11
) -> ChangeSummary:
    """Copy ``site/uSync`` to ``target/uSync`` and change ``fraction`` of its items."""
    shutil.copytree(site / "uSync", target / "uSync")
    version = next(p for p in sorted((target / "uSync").iterdir()) if p.is_dir())
    rng = random.Random(f"{seed}:changes")
    kinds: Counter[str] = Counter()
    files = sorted(p for p in version.rglob("*.config") if p.parent != version)
    wanted = max(len(SCHEMA_EDITS) + 1, round(len(files) * fraction))
    for rel_path, kind, edit in SCHEMA_EDITS:
        path = version / rel_path
        before = path.read_text(encoding="utf-8")
        after = edit(before)
        if after == before:
            raise RuntimeError(f"{rel_path}: the '{kind}' edit did not apply")
        path.write_text(after, encoding="utf-8")
        kinds[kind] += 1
    editable = [
        p for p in files if p.parent.name in EDITS and "<Empty " not in p.read_text("utf-8")[:200]
    ]
    for path in rng.sample(editable, min(len(editable), wanted - len(SCHEMA_EDITS))):
        kinds[EDITS[path.parent.name](path, rng)] += 1
    return ChangeSummary(
        items=len(files), changed=sum(kinds.values()), kinds=dict(sorted(kinds.items()))
    )


def found(pattern: re.Pattern[str], xml: str) -> str:
    """The first group of the first match; generated files always have it."""
    match = pattern.search(xml)
    if match is None:
        raise ValueError(f"no {pattern.pattern} in {xml[:120]!r}")
    return match[1]


def _delete(path: Path, xml: str) -> str:
    path.write_text(render.empty(found(KEY, xml), found(ALIAS, xml)), encoding="utf-8")
    return f"{path.parent.name.lower()} deleted"


def _rename(path: Path, xml: str, rng: random.Random) -> str:
    old = found(ALIAS, xml)
    new = f"{old} {rng.choice(('Revised', 'Archive', 'Old', 'New'))}"
    xml = xml.replace(f'Alias="{old}"', f'Alias="{new}"', 1)
    xml = xml.replace(f'<NodeName Default="{old}"', f'<NodeName Default="{new}"', 1)
    path.write_text(xml, encoding="utf-8")
    return f"{path.parent.name.lower()} renamed"


def _edit_value(path: Path, xml: str, rng: random.Random) -> str:
    words = " ".join(rng.choice(("changed", "updated", "revised", "new", "copy")) for _ in range(5))
    edited = VALUE.sub(lambda m: m[1] + words + m[3], xml, count=1)
    if edited == xml:
        return _rename(path, xml, rng)
    path.write_text(edited, encoding="utf-8")
    return "content value edited"


def _blank_culture(path: Path, xml: str, rng: random.Random) -> str:
    cultures = sorted({m[2] for m in CULTURE_VALUE.finditer(xml)})
    if not cultures:
        return _edit_value(path, xml, rng)
    gone = cultures[-1]
    edited = CULTURE_VALUE.sub(lambda m: m[1] + m[4] if m[2] == gone else m[0], xml)
    path.write_text(edited, encoding="utf-8")
    return "content culture values emptied"


def _add_sibling(path: Path, xml: str, rng: random.Random) -> str:
    """A new node: a copy of an existing one under a new key and name (the original stays)."""
    key = found(KEY, xml)
    new_key = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    (path.parent / f"{path.stem}-new.config").write_text(
        xml.replace(key, new_key, 1), encoding="utf-8"
    )
    return "content created"


def _content(path: Path, rng: random.Random) -> str:
    xml, roll = path.read_text(encoding="utf-8"), rng.random()
    if roll < 0.50:
        return _edit_value(path, xml, rng)
    if roll < 0.65:
        return _delete(path, xml)
    if roll < 0.78:
        return _rename(path, xml, rng)
    if roll < 0.92:
        return _blank_culture(path, xml, rng)
    return _add_sibling(path, xml, rng)


def _media(path: Path, rng: random.Random) -> str:
    xml = path.read_text(encoding="utf-8")
    return _delete(path, xml) if rng.random() < 0.5 else _rename(path, xml, rng)


def _dictionary(path: Path, rng: random.Random) -> str:
    xml = path.read_text(encoding="utf-8")
    if rng.random() < 0.2:
        return _delete(path, xml)
    edited = re.sub(r"(<Translation Language=\"[^\"]+\">)[^<]*", r"\1Edited text", xml, count=1)
    path.write_text(edited, encoding="utf-8")
    return "dictionary translation edited"


EDITS: dict[str, Callable[[Path, random.Random], str]] = {
    "Content": _content,
    "Media": _media,
    "Dictionary": _dictionary,
}
