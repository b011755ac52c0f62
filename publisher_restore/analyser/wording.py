"""Plain English for findings: counts with the right plural, lists of names, impacts.

Every message of every rule is built from these, so "1 page" / "2 pages", "no value" and
"'a', 'b' and 'c'" read the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable

from publisher_restore.analyser.findings import INVARIANT, Impact

_IRREGULAR = {
    "child": "children",
    "property": "properties",
    "entry": "entries",
    "this": "these",
    "it": "them",
}


def plural(noun: str, count: int = 2) -> str:
    """``noun`` as it reads after ``count``: 'page' / 'pages', 'child' / 'children'."""
    if count == 1:
        return noun
    head, _, last = noun.rpartition(" ")
    word = _IRREGULAR.get(last, last + "s")
    return f"{head} {word}" if head else word


def counted(count: int, noun: str, zero: str | None = None) -> str:
    """'1 page', '3 pages'; ``zero`` (e.g. 'no') replaces the number 0: 'no page'."""
    if count == 0 and zero is not None:
        return f"{zero} {noun}"
    return f"{count} {plural(noun, count)}"


def verb(count: int, singular: str, plural_form: str) -> str:
    """The verb form agreeing with ``count``: verb(1, 'holds', 'hold')."""
    return singular if count == 1 else plural_form


def listed(names: Iterable[str], limit: int = 4) -> str:
    """ "'a'", "'a' and 'b'", "'a', 'b' and 'c'", "'a', 'b', 'c', 'd' and 3 more"."""
    quoted = [f"'{name}'" for name in names]
    if len(quoted) > limit:
        return f"{', '.join(quoted[:limit])} and {len(quoted) - limit} more"
    if len(quoted) <= 2:
        return " and ".join(quoted)
    return f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def describe(impact: Impact, noun: str = "page") -> str:
    """Plain words for an impact, e.g.

    - '5 values on 3 pages (en-US 3, da 2)'
    - '26 values in 11 blocks on 9 pages'
    - '38 values on 15 pages (12 on the pages themselves, 26 in 11 blocks on 9 of them)'
    - '1 value on 1 page (holding 3 blocks with 5 values)'
    - '4 pages, which hold no value'
    """
    if not impact.values:
        return _no_values(impact, noun)
    values = counted(impact.values, "value")
    notes: list[str] = []
    if _only_blocks(impact):
        head = f"{values} in {counted(impact.blocks, 'block')} on {counted(impact.items, noun)}"
    else:
        head = f"{values} on {counted(impact.items, noun)}"
        if impact.block_values:
            notes.append(_split(impact, noun))
    if impact.held_blocks:
        notes.append(_held(impact))
    cultures = culture_note(impact)
    if cultures:
        notes.append(cultures)
    return f"{head} ({'; '.join(notes)})" if notes else head


def _only_blocks(impact: Impact) -> bool:
    return impact.block_values == impact.values and impact.block_items == impact.items


def _split(impact: Impact, noun: str) -> str:
    on_pages = impact.values - impact.block_values
    themselves = "itself" if impact.items == 1 else "themselves"
    where = f"on the {plural(noun, impact.items)} {themselves}"
    text = (
        f"{on_pages} {where}, {impact.block_values} in {counted(impact.blocks, 'block')}"
        if on_pages
        else f"{impact.block_values} in {counted(impact.blocks, 'block')}"
    )
    if impact.block_items < impact.items:
        text += f" on {impact.block_items} of them"
    return text


def _held(impact: Impact) -> str:
    inner = counted(impact.held_values, "value", zero="no")
    return f"holding {counted(impact.held_blocks, 'block')} with {inner}"


def _no_values(impact: Impact, noun: str) -> str:
    if impact.blocks and impact.block_items == impact.items:
        head = f"{counted(impact.blocks, 'block')} on {counted(impact.items, noun)}"
        count = impact.blocks
    else:
        head = counted(impact.items, noun)
        count = impact.items
    return f"{head}, which {verb(count, 'holds', 'hold')} no value"


def culture_note(impact: Impact) -> str:
    """'en-US 20, da 18' when any culture is named (invariant listed beside them), else ''."""
    if not any(culture != INVARIANT for culture in impact.cultures):
        return ""
    return ", ".join(f"{culture} {count}" for culture, count in impact.cultures.items())


def not_counted(reason: str) -> str:
    """'not counted: members are not in uSync'."""
    return f"not counted: {reason}"
