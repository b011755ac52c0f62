"""Real corpus-derived cases: copy a site's uSync folder, change its XML, count with lxml.

The oracle here reads the XML itself (not the analyser's models) to know what a change
costs, so an impact count is checked against an independent reading of the same files.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

from lxml import etree

from tests.conftest import CORPUS

EMPTY = {"", "[]", "{}", "null", "[ ]"}


def copy_usync(site: str, version: str, target: Path) -> Path:
    """A writable copy of ``<site>/uSync/<version>`` at ``target/<site>/uSync/<version>``."""
    dest = target / site / "uSync" / version
    shutil.copytree(CORPUS / site / "uSync" / version, dest)
    for path in [dest, *dest.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return dest


def parse(path: Path) -> etree._ElementTree:
    """Parse one item file (corpus files are trusted here; the analyser parses them safely)."""
    return etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))


def write(tree: etree._ElementTree, path: Path) -> None:
    """Save an edited item file."""
    tree.write(str(path), xml_declaration=True, encoding="utf-8")


def type_file(usync: Path, alias: str, folder: str = "ContentTypes") -> Path:
    """The file of the type with this alias."""
    for path in sorted((usync / folder).glob("*.config")):
        if parse(path).getroot().get("Alias") == alias:
            return path
    raise LookupError(alias)


def users_of(usync: Path, alias: str) -> set[str]:
    """``alias`` and every content type composing it, transitively (from the XML)."""
    composes: dict[str, set[str]] = {}
    for path in (usync / "ContentTypes").glob("*.config"):
        root = parse(path).getroot()
        refs = {c.text or "" for c in root.iterfind("Info/Compositions/Composition")}
        composes[root.get("Alias") or ""] = refs
    found = {alias}
    grew = True
    while grew:
        grew = False
        for name, refs in composes.items():
            if name not in found and refs & found:
                found.add(name)
                grew = True
    return found


def filled_values(
    usync: Path, types: set[str], props: set[str] | None, culture_filter: str | None = None
) -> tuple[int, int, Counter[str]]:
    """(items, values, per culture) of non-empty values in Content/Media of ``types``."""
    items, cultures = 0, Counter[str]()
    for folder in ("Content", "Media"):
        for path in (usync / folder).glob("*.config"):
            try:
                root = parse(path).getroot()
            except etree.XMLSyntaxError:
                continue
            if root.tag == "Empty" or root.findtext("Info/ContentType") not in types:
                continue
            hits = 0
            for prop in root.iterfind("Properties/*"):
                if props is not None and prop.tag not in props:
                    continue
                for value in prop.iterfind("Value"):
                    culture = value.get("Culture") or "invariant"
                    if culture_filter is not None and culture != culture_filter:
                        continue
                    if (value.text or "").strip() not in EMPTY:
                        cultures[culture] += 1
                        hits += 1
            items += 1 if hits else 0
    return items, sum(cultures.values()), cultures


def property_aliases(path: Path) -> set[str]:
    """Aliases of a type's own properties."""
    return {a.text or "" for a in parse(path).getroot().iterfind("GenericProperties/*/Alias")}


def remove_property(path: Path, alias: str) -> None:
    """Delete one GenericProperty from a type file."""
    tree = parse(path)
    for prop in tree.getroot().iterfind("GenericProperties/GenericProperty"):
        if prop.findtext("Alias") == alias:
            prop.getparent().remove(prop)  # type: ignore[union-attr]
    write(tree, path)


def remove_composition(path: Path, alias: str) -> None:
    """Delete one Composition reference from a type file."""
    tree = parse(path)
    for ref in tree.getroot().iterfind("Info/Compositions/Composition"):
        if ref.text == alias:
            ref.getparent().remove(ref)  # type: ignore[union-attr]
    write(tree, path)


def set_text(path: Path, xpath: str, value: str) -> None:
    """Replace the text of one element."""
    tree = parse(path)
    element = tree.getroot().find(xpath)
    assert element is not None, xpath
    element.text = value
    write(tree, path)


def mark_deleted(path: Path) -> None:
    """Overwrite an item file with uSync's Delete marker for it."""
    root = parse(path).getroot()
    key, alias = root.get("Key"), root.get("Alias")
    path.write_text(
        f'<?xml version="1.0" encoding="utf-8"?>\n<Empty Key="{key}" Alias="{alias}" '
        'Change="Delete" />\n',
        encoding="utf-8",
    )
