"""Read a uSync item file's identity from its bytes: what a point's index records for it.

The file is parsed as XML in full, so a file that is not well-formed is a problem with
its line, as the loader words it.  Only the identity is read from it: the item's type,
Key and Alias, and for the families a comparison looks up without comparing (content,
media, types) their content type, parent and compositions.  This is the reading
``analyser.loading`` gives files that are the same on both sides of a comparison;
``check`` trusts it for unchanged files, and reads the changed ones in full.

Two readers, one answer.  The fast one is expat with callbacks only for the root
element and its first ``Info`` child, detached once that closes, so the rest of the
file is checked for well-formedness in C without building a tree (about a third of the
time of ``usync.xmlsafe``, which a create pays for every item file).  It refuses any
DOCTYPE or entity declaration, and it decides nothing it is not sure of: any error, a
namespace, a root that must be read in full, a Key or Alias that is not valid all go to
the slow reader, ``usync.xmlsafe`` and the item parsers, whose words a problem is
reported in.  ``tests/restore/test_identity.py`` holds both to one answer on every
corpus file.

Languages and Empty markers are read into models (every comparison reads them), and so
is any file whose Key or Alias is not valid (the loader's own words say what is wrong).
"""

from __future__ import annotations

import xml.parsers.expat as expat
from typing import Any

from lxml import etree
from pydantic import ValidationError

from publisher_restore.errors import HostileInputError, ItemParseError
from publisher_restore.restore.contents import Identity, Ref
from publisher_restore.usync.folders import handler_folder, item_type_for_path
from publisher_restore.usync.loader import parse_file_bytes
from publisher_restore.usync.models import AnyItem, EmptyItem, ParseProblem
from publisher_restore.usync.parsers import PARSERS, parse_element
from publisher_restore.usync.parsers.common import (
    EMPTY_GUID,
    guid_or_raw,
    normalise_guid,
    to_bool,
)
from publisher_restore.usync.parsers.legacy_content import is_legacy_content
from publisher_restore.usync.xmlsafe import parse_xml

_TEXTS = frozenset({"ContentType", "IsBlueprint", "Parent"})
"""Children of Info whose text an identity uses."""
_CONTENT_FOLDERS = frozenset({"Content", "Media", "Blueprints"})
"""Where legacy content lives (as ``usync.parsers.legacy_content`` decides)."""

MODELLED = frozenset({"Language", "Empty"})
"""Root elements read into models even when unchanged (tiny; every comparison reads them)."""
TYPE_FAMILIES = frozenset({"ContentType", "MediaType", "MemberType"})
TREE = frozenset({"Content", "Media"})


def read_identity(data: bytes, path: str) -> Identity | ParseProblem:
    """The identity of one item file, or why it is not a readable item."""
    fast = _FastReader(path).read(data)
    return fast if fast is not None else read_identity_slowly(data, path)


def read_identity_slowly(data: bytes, path: str) -> Identity | ParseProblem:
    """``read_identity`` through the tree-building parser and the item parsers."""
    try:
        root = parse_xml(data, path)
        if str(root.tag) in MODELLED:
            return identity_of(parse_element(root, path))
        return _identity(root, data, path)
    except (ItemParseError, HostileInputError, ValidationError):
        return _modelled(data, path)  # the problem, worded as the loader words it


def identity_of(item: AnyItem | ParseProblem) -> Identity | ParseProblem:
    """The identity of an item read in full (always ``modelled``)."""
    if isinstance(item, ParseProblem):
        return item
    action = item.action.value if isinstance(item, EmptyItem) else None
    return Identity(item.item_type, item.key, item.alias, action, modelled=True)


def _modelled(data: bytes, path: str) -> Identity | ParseProblem:
    return identity_of(parse_file_bytes(data, path))


def _identity(root: etree._Element, data: bytes, path: str) -> Identity | ParseProblem:
    item_type, key, alias = str(root.tag), normalise_guid(root.get("Key")), root.get("Alias")
    legacy_type = ""
    if item_type not in PARSERS and is_legacy_content(root, path):
        item_type, legacy_type = item_type_for_path(path) or "Content", item_type
    if key is None or key == EMPTY_GUID or not (alias or "").strip():
        return _modelled(data, path)  # not a valid item: the loader says why
    if item_type in TYPE_FAMILIES:
        return Identity(item_type, key, alias or "", refs=_type_refs(root))
    content_type = parent_key = None
    if item_type in TREE:
        info = root.find("Info")
        blueprint = handler_folder(path) == "Blueprints" or (
            info is not None and to_bool(info.findtext("IsBlueprint")) is True
        )
        if info is not None and not blueprint:
            content_type = (info.findtext("ContentType") or "").strip() or legacy_type
            parent = info.find("Parent")
            parent_key = None if parent is None else guid_or_raw(parent.get("Key"))
    return Identity(item_type, key, alias or "", None, content_type, parent_key)


def _type_refs(root: etree._Element) -> tuple[Ref, ...]:
    """A type's compositions, then its parent (as ``analyser.loading`` reads them)."""
    refs = [_ref(c) for c in root.iterfind("Info/Compositions/Composition")]
    parent = root.find("Info/Parent")
    if parent is not None and (parent.get("Key") or (parent.text or "").strip()):
        refs.append(_ref(parent))
    return tuple(refs)


def _ref(element: etree._Element) -> Ref:
    return guid_or_raw(element.get("Key")), (element.text or "").strip()


class _Undecided(Exception):
    """The fast reader leaves this file to the slow one."""


class _FastReader:
    """expat over the whole file; callbacks for the root and its first Info child only.

    Texts are an element's text before its first child (lxml's ``.text``), kept for the
    first element of each name under ``Info`` and for every ``Info/Compositions/*``.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.root: tuple[str, dict[str, str]] | None = None
        self.depth = 0
        self.in_info = False
        self.info: dict[str, str] | None = None
        self.children: dict[str, tuple[dict[str, str], list[str]]] = {}
        self.in_compositions = False
        self.compositions: list[tuple[str | None, list[str]]] = []
        self._text: list[str] | None = None
        self._parser: Any = None
        self._wanted: frozenset[str] | None = None

    def read(self, data: bytes) -> Identity | None:
        parser = self._parser = expat.ParserCreate()
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = self._refuse
        parser.EntityDeclHandler = self._refuse
        parser.buffer_text = True
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        try:
            parser.Parse(data, True)
        except (expat.ExpatError, _Undecided, ValueError):
            return None
        finally:
            self._parser = None
        return self._identity()

    def _refuse(self, *_args: object) -> None:
        raise _Undecided

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        depth = self.depth
        self.depth += 1
        if self._text is not None:  # an element's text ends where its first child starts
            self._collect(None)
        if depth == 0:
            if ":" in name or name in MODELLED:
                raise _Undecided  # namespaced (lxml names it otherwise) or read in full
            self.root = (name, attrs)
            self._wanted = self._wanted_children(name)
            if self._wanted is not None and not self._wanted:
                self._detach()  # the identity is the root's attributes
        elif depth == 1 and name == "Info":
            self.in_info, self.info = True, attrs
        elif self.in_info and depth == 2:
            if name not in self.children:
                self.children[name] = (attrs, [])
                if name in _TEXTS:
                    self._collect(self.children[name][1])
            self.in_compositions = name == "Compositions"
        elif self.in_info and depth == 3 and self.in_compositions and name == "Composition":
            self.compositions.append((attrs.get("Key"), []))
            self._collect(self.compositions[-1][1])

    def _end(self, name: str) -> None:
        self.depth -= 1
        if self._text is not None:
            self._collect(None)
        if self.depth == 1 and self.in_info:
            self._detach()  # the first Info closed: the identity is read
        elif self.depth == 2 and self.in_info and self._has_all_wanted():
            self._detach()  # every child the identity reads is read

    def _has_all_wanted(self) -> bool:
        return self._wanted is not None and self._wanted <= self.children.keys()

    def _wanted_children(self, tag: str) -> frozenset[str] | None:
        """The Info children an identity of this root reads (None: all of Info)."""
        if tag in TREE:
            return _TEXTS  # without an IsBlueprint the reader stops when Info closes
        if tag in PARSERS and tag not in TYPE_FAMILIES:
            return frozenset()  # Key and Alias only
        return None  # types (compositions) and unknown roots (legacy content?): all of Info

    def _collect(self, into: list[str] | None) -> None:
        """Receive character data into ``into`` (None: none; most text is never wanted)."""
        self._text = into
        self._parser.CharacterDataHandler = None if into is None else into.append

    def _detach(self) -> None:
        """Let expat check the rest of the file in C, without calling back."""
        self.in_info = False
        parser = self._parser
        parser.StartElementHandler = None
        parser.EndElementHandler = None
        parser.CharacterDataHandler = None

    def _text_of(self, name: str) -> str | None:
        found = self.children.get(name)
        return None if found is None else "".join(found[1])

    def _identity(self) -> Identity | None:
        if self.root is None:
            return None
        tag, attrs = self.root
        key, alias = normalise_guid(attrs.get("Key")), attrs.get("Alias")
        info = self.info is not None
        legacy_type = ""
        if tag not in PARSERS and self._legacy(info):
            tag, legacy_type = item_type_for_path(self.path) or "Content", tag
        if key is None or key == EMPTY_GUID or not (alias or "").strip():
            return None
        if tag in TYPE_FAMILIES:
            return Identity(tag, key, alias or "", refs=self._type_refs())
        content_type = parent_key = None
        if tag in TREE:
            blueprint = handler_folder(self.path) == "Blueprints" or (
                info and to_bool(self._text_of("IsBlueprint")) is True
            )
            if info and not blueprint:
                content_type = (self._text_of("ContentType") or "").strip() or legacy_type
                parent = self.children.get("Parent")
                parent_key = None if parent is None else guid_or_raw(parent[0].get("Key"))
        return Identity(tag, key, alias or "", None, content_type, parent_key)

    def _legacy(self, info: bool) -> bool:
        return (
            handler_folder(self.path) in _CONTENT_FOLDERS
            and info
            and ("NodeName" in self.children or "Path" in self.children)
        )

    def _type_refs(self) -> tuple[Ref, ...]:
        refs: list[Ref] = [
            (guid_or_raw(key), "".join(text).strip()) for key, text in self.compositions
        ]
        parent = self.children.get("Parent")
        if parent is not None:
            text = "".join(parent[1]).strip()
            if parent[0].get("Key") or text:
                refs.append((guid_or_raw(parent[0].get("Key")), text))
        return tuple(refs)
