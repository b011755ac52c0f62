"""Write the uSync item files: settings, dictionary, domains, media items and the content tree."""

from __future__ import annotations

import re
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from benchmarks.synthetic_site import render
from benchmarks.synthetic_site.media import MediaFile
from benchmarks.synthetic_site.schema import (
    CONTENT_TYPE_BY_ALIAS,
    DocType,
    Schema,
    Template,
    all_props,
)
from benchmarks.synthetic_site.values import EPOCH, ValueContext, property_values
from benchmarks.synthetic_site.words import Text

SECTION_NAMES = {
    "contentPage": "About",
    "landingPage": "Campaigns",
    "articleList": "News",
    "productList": "Products",
    "people": "People",
    "faq": "FAQ",
    "eventList": "Events",
    "contact": "Contact",
    "errorPage": "Page Not Found",
    "search": "Search",
}
# Leaf type, the section it lives under, the share of leaves, and (for list types) how many
# leaves one sub-list holds before a new one is started.
LEAVES = (
    ("article", "articleList", 0.40, 120),
    ("product", "productList", 0.20, 150),
    ("person", "people", 0.06, 0),
    ("faqItem", "faq", 0.09, 0),
    ("event", "eventList", 0.10, 0),
    ("contentPage", "contentPage", 0.10, 0),
    ("contentPage", "landingPage", 0.05, 0),
)
DICTIONARY_GROUPS = (
    "Navigation",
    "Footer",
    "Forms",
    "Search",
    "Articles",
    "Products",
    "Events",
    "Errors",
    "Cookies",
    "Account",
)
IMAGES_PER_FOLDER = 60
DELETED_SHARE = 0.005


def safe_name(name: str, keep: str = "") -> str:
    """uSync's file name for an item: lower case, runs of other characters made one dash."""
    return re.sub(rf"[^a-z0-9{re.escape(keep)}]+", "-", name.lower()).strip("-") or "item"


class ItemWriter:
    """Writes item files into handler folders, resolving name clashes as uSync does."""

    def __init__(self, usync_dir: Path) -> None:
        self.usync_dir = usync_dir
        self.used: dict[str, set[str]] = {}
        self.counts: Counter[str] = Counter()

    def write(self, handler: str, name: str, key: str, xml: str) -> None:
        folder = self.usync_dir / handler
        used = self.used.setdefault(handler, set())
        if not used:
            folder.mkdir(parents=True, exist_ok=True)
        if name in used:
            name = f"{name}_{short_key(key)}"
        used.add(name)
        (folder / f"{name}.config").write_text(xml, encoding="utf-8")
        self.counts[handler] += 1


def short_key(key: str) -> str:
    """Eight base-36 characters from the key, like uSync's clash suffix."""
    number, digits = int(key.replace("-", ""), 16), "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    for _ in range(8):
        number, rest = divmod(number, 36)
        out += digits[rest]
    return out


@dataclass(frozen=True)
class Counts:
    """How many items of each part a site of ``items`` items gets."""

    roots: int
    domains: int
    dictionary: int
    media: int
    content: int

    @classmethod
    def plan(cls, items: int, schema: Schema) -> Counts:
        counts = cls._split(items, schema)
        if counts is None:
            needed = next(n for n in range(items, items + 1000) if cls._split(n, schema))
            raise ValueError(f"{items} items is too few for this schema: use at least {needed}")
        return counts

    @classmethod
    def _split(cls, items: int, schema: Schema) -> Counts | None:
        roots = max(1, items // 8000)
        domains = roots * len(schema.languages)
        dictionary = max(len(DICTIONARY_GROUPS), round(items * 0.025))
        rest = items - schema.settings_items - domains - dictionary
        media = max(4, round(rest * 0.2))
        content = rest - media
        if content < roots * (2 + len(SECTION_NAMES)):
            return None
        return cls(roots, domains, dictionary, media, content)


def write_settings(writer: ItemWriter, schema: Schema) -> None:
    default = schema.languages[0]
    for lang in schema.languages:
        fallback = None if lang is default else default
        xml = render.language(lang, lang is default, fallback)
        writer.write("Languages", lang.iso.lower(), lang.key, xml)
    for dt in schema.data_types:
        writer.write("DataTypes", dt.file_name, dt.key, render.data_type(dt))
    by_alias = {t.alias: t for t in schema.content_types + schema.media_types}
    for folder, types in (
        ("ContentTypes", schema.content_types),
        ("MediaTypes", schema.media_types),
        ("MemberTypes", schema.member_types),
    ):
        for doc_type in types:
            writer.write(
                folder, doc_type.alias.lower(), doc_type.key, render.doc_type(doc_type, by_alias)
            )
    for template in schema.templates:
        writer.write("Templates", template.alias.lower(), template.key, render.template(template))


def write_dictionary(writer: ItemWriter, schema: Schema, text: Text, count: int) -> None:
    groups = DICTIONARY_GROUPS[: max(1, min(len(DICTIONARY_GROUPS), count))]
    for group in groups:
        key = text.key()
        xml = render.dictionary(key, group, None, _translations(schema, text, group), 0)
        writer.write("Dictionary", safe_name(group, "."), key, xml)
    for index in range(count - len(groups)):
        group = groups[index % len(groups)]
        alias = f"{group}.{text.title(1, 2).replace(' ', '')}{index}"
        key = text.key()
        xml = render.dictionary(key, alias, group, _translations(schema, text, alias), 1)
        writer.write("Dictionary", safe_name(alias, "."), key, xml)


def _translations(schema: Schema, text: Text, alias: str) -> dict[str, str]:
    return {
        lang.iso: text.sentence(lang.culture, 1, 8)[:-1] if index else alias.split(".")[-1]
        for index, lang in enumerate(schema.languages)
    }


def write_domains(writer: ItemWriter, schema: Schema, roots: list[Node]) -> None:
    for number, root in enumerate(roots, start=1):
        for index, lang in enumerate(schema.languages):
            host = f"www.site{number}.example.com" + ("" if index == 0 else f"/{lang.culture}")
            key = f"{zlib.crc32(host.encode()):08x}-0000-0000-0000-000000000000"
            xml = render.domain(key, host, lang.iso, root.key, root.path)
            writer.write("Domains", safe_name(f"{host}_{lang.culture}"), key, xml)


@dataclass
class Node:
    key: str
    name: str
    path: str
    level: int
    doc_type: DocType | None = None
    children: int = 0


class TreeWriter:
    """Writes Content or Media nodes, keeping only what later nodes need to refer to."""

    def __init__(self, writer: ItemWriter, schema: Schema, ctx: ValueContext, tag: str) -> None:
        self.writer, self.schema, self.ctx, self.tag = writer, schema, ctx, tag
        self.cultures = [lang.culture for lang in schema.languages]
        self.written = 0

    def add(
        self,
        parent: Node | None,
        name: str,
        content_type: str,
        values: render.PropertyValues,
        *,
        doc_type: DocType | None = None,
        names: dict[str, str] | None = None,
        template: Template | None = None,
    ) -> Node:
        key = self.ctx.text.key()
        path = (parent.path if parent else "") + "/" + name.replace(" ", "")
        level = parent.level + 1 if parent else 1
        sort_order = parent.children if parent else self.written
        if parent:
            parent.children += 1
        created = EPOCH + timedelta(seconds=self.ctx.text.rng.randrange(5 * 365 * 86400))
        xml = render.node(
            render.NodeFile(
                tag=self.tag,
                key=key,
                name=name,
                level=level,
                parent_key=parent.key if parent else None,
                parent_name=parent.name if parent else "",
                path=path,
                content_type=content_type,
                create_date=created.strftime("%Y-%m-%dT%H:%M:%S"),
                sort_order=sort_order,
                names=names or {},
                template=template,
                values=values,
            )
        )
        self.writer.write(self.tag, safe_name(name), key, xml)
        self.written += 1
        return Node(key, name, path, level, doc_type)


def write_media(tree: TreeWriter, files: list[MediaFile], count: int) -> None:
    """Folders of images (the planned media files first) and a folder of documents."""
    text = tree.ctx.text
    images_root = tree.add(None, "Images", "Folder", [])
    documents = tree.add(None, "Documents", "Folder", [])
    remaining = count - 2
    documents_count = remaining // 20
    folder: Node | None = None
    file_index = 0
    while remaining > documents_count:
        if folder is None or folder.children >= IMAGES_PER_FOLDER:
            folder = tree.add(images_root, f"Gallery {text.title(1, 2)}", "Folder", [])
            remaining -= 1
            continue
        planned = files[file_index] if file_index < len(files) else None
        file_index += 1
        name = planned.name.rsplit(".", 1)[0].replace("-", " ").title() if planned else text.title()
        media = planned or MediaFile.invent(text, name)
        node = tree.add(folder, name, "Image", _image_values(text, media))
        tree.ctx.image_keys.append(node.key)
        remaining -= 1
    for _ in range(remaining):
        name = text.title()
        src = f"/media/{MediaFile.invent(text, name).folder}/{safe_name(name)}.pdf"
        size = str(text.rng.randrange(20_000, 5_000_000))
        values = {"umbracoBytes": size, "umbracoExtension": "pdf", "umbracoFile": src}
        tree.add(documents, name, "File", render.invariant(values))


def _image_values(text: Text, media: MediaFile) -> render.PropertyValues:
    width = text.rng.choice((800, 1024, 1200, 1600, 1920, 2400, 3000))
    values = {
        "umbracoBytes": str(media.size),
        "umbracoExtension": "jpg",
        "umbracoFile": render.json_value({"src": media.src, "crops": None}),
        "umbracoHeight": str(width * 2 // 3),
        "umbracoWidth": str(width),
    }
    return render.invariant(values)


class ContentWriter:
    """The content tree: per root a home page, site settings and sections, then the leaves."""

    def __init__(self, tree: TreeWriter) -> None:
        self.tree = tree
        self.text = tree.ctx.text
        self.lists: dict[tuple[int, str], Node] = {}

    def page(self, parent: Node | None, doc_type: DocType, name: str) -> Node:
        culture_names = {}
        if doc_type.culture:
            for index, culture in enumerate(self.tree.cultures):
                culture_names[culture] = name if index == 0 else self._translate(culture)
        values = property_values(
            self.tree.ctx, all_props(doc_type), self.tree.cultures, doc_type.culture
        )
        template = None
        if doc_type.template:
            template = Template(doc_type.template_alias, doc_type.name, "Master")
        node = self.tree.add(
            parent,
            name,
            doc_type.alias,
            values,
            doc_type=doc_type,
            names=culture_names,
            template=template,
        )
        self.tree.ctx.content_keys.append(node.key)
        return node

    def _translate(self, culture: str) -> str:
        return " ".join(
            w.capitalize() for w in self.text.words(self.text.rng.randint(1, 3), culture)
        )

    def write(self, count: int, roots: int) -> list[Node]:
        deleted = int(count * DELETED_SHARE)
        pages = count - deleted
        homes, sections = [], []
        for number in range(roots):
            home = self.page(
                None, CONTENT_TYPE_BY_ALIAS["home"], "Home" if roots == 1 else f"Home {number + 1}"
            )
            self.page(None, CONTENT_TYPE_BY_ALIAS["siteSettings"], f"Site Settings {number + 1}")
            homes.append(home)
            sections.append(
                {
                    alias: self.page(home, CONTENT_TYPE_BY_ALIAS[alias], name)
                    for alias, name in SECTION_NAMES.items()
                }
            )
        weights = [share for *_, share, _ in LEAVES]
        while self.tree.written < pages:
            root = self.tree.written % roots
            leaf, section, _, per_list = self.text.rng.choices(LEAVES, weights)[0]
            parent = self._parent(root, sections[root][section], per_list)
            if parent is None:
                continue
            self.page(parent, CONTENT_TYPE_BY_ALIAS[leaf], self.text.title())
        for _ in range(deleted):
            key = self.text.key()
            name = self.text.title()
            self.tree.writer.write("Content", safe_name(name), key, render.empty(key, name))
        return homes

    def _parent(self, root: int, section: Node, per_list: int) -> Node | None:
        """The section itself, or its newest sub-list (a new one when the last is full)."""
        if not per_list:
            return section
        current = self.lists.get((root, section.name))
        if current is None or current.children >= per_list:
            assert section.doc_type is not None
            self.lists[(root, section.name)] = self.page(
                section, section.doc_type, self.text.title(1, 2)
            )
            return None
        return current
