"""uSync 9-13 item files as text, in the shape and order uSync writes them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from benchmarks.synthetic_site.schema import (
    DATA_TYPE_BY_NAME,
    DataType,
    DocType,
    Language,
    Template,
    stable_key,
)

PropertyValues = list[tuple[str, list[tuple[str | None, str]]]]
"""Per property alias (sorted), its values as (culture or None, value)."""

HEADER = '\ufeff<?xml version="1.0" encoding="utf-8"?>\n'
ZERO_KEY = "00000000-0000-0000-0000-000000000000"


def text(value: str) -> str:
    return escape(value)


def attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def bool_word(value: bool, capital: bool = False) -> str:
    """uSync writes some booleans via .NET ToString (True) and some as XML (true)."""
    word = "true" if value else "false"
    return word.capitalize() if capital else word


def json_value(value: Any) -> str:
    """JSON as uSync writes configs and values: indented, keys sorted for configs."""
    return json.dumps(value, indent=2, ensure_ascii=False)


def invariant(values: dict[str, str]) -> PropertyValues:
    """One value per property, no culture, in alias order (as uSync writes them)."""
    return [(alias, [(None, value)]) for alias, value in sorted(values.items())]


def document(lines: Iterable[str]) -> str:
    return HEADER + "\n".join(lines)


def marker(version: str = "10.7.1.0", fmt: str = "10.7.0") -> str:
    return document([f'<uSync version="{version}" format="{fmt}" />'])


def language(lang: Language, default: bool, fallback: Language | None) -> str:
    lines = [
        f'<Language Key="{lang.key}" Alias="{lang.iso}" Level="0">',
        f"  <Name>{text(lang.name)}</Name>",
        f"  <IsoCode>{lang.iso}</IsoCode>",
        "  <IsMandatory>false</IsMandatory>",
        f"  <IsDefault>{bool_word(default)}</IsDefault>",
    ]
    if fallback is not None:
        lines.append(f"  <Fallback>{fallback.iso}</Fallback>")
    return document([*lines, "</Language>"])


def data_type(dt: DataType) -> str:
    config = json.dumps(dt.config, indent=2, sort_keys=True, ensure_ascii=False)
    lines = [
        f'<DataType Key="{dt.key}" Alias="{attr(dt.name)}" Level="{2 if dt.folder else 1}">',
        "  <Info>",
        f"    <Name>{text(dt.name)}</Name>",
        f"    <EditorAlias>{dt.editor}</EditorAlias>",
        f"    <DatabaseType>{dt.db_type}</DatabaseType>",
    ]
    if dt.folder:
        lines.append(f"    <Folder>{text(dt.folder)}</Folder>")
    lines += ["  </Info>", f"  <Config>{cdata(config)}</Config>", "</DataType>"]
    return document(lines)


def _refs(tag: str, child: str, refs: Sequence[tuple[str, str]], indent: str) -> list[str]:
    if not refs:
        return [f"{indent}<{tag} />"]
    body = [f'{indent}  <{child} Key="{key}">{text(alias)}</{child}>' for key, alias in refs]
    return [f"{indent}<{tag}>", *body, f"{indent}</{tag}>"]


def doc_type(t: DocType, by_alias: dict[str, DocType]) -> str:
    """A ContentType, MediaType or MemberType file."""
    tag, is_content = t.item_type, t.item_type == "ContentType"
    variations = "Culture" if t.culture else "Nothing"
    lines = [
        f'<{tag} Key="{t.key}" Alias="{t.alias}" Level="{2 if t.folder else 1}">',
        "  <Info>",
        f"    <Name>{text(t.name)}</Name>",
        f"    <Icon>{t.icon} color-black</Icon>",
        "    <Thumbnail>folder.png</Thumbnail>",
        "    <Description></Description>",
        f"    <AllowAtRoot>{bool_word(t.allow_at_root, capital=True)}</AllowAtRoot>",
        "    <IsListView>False</IsListView>",
        f"    <Variations>{variations}</Variations>",
        f"    <IsElement>{bool_word(t.is_element)}</IsElement>",
    ]
    if is_content:
        lines += [
            "    <HistoryCleanup>",
            "      <PreventCleanup>False</PreventCleanup>",
            "      <KeepAllVersionsNewerThanDays></KeepAllVersionsNewerThanDays>",
            "      <KeepLatestVersionPerDayForDays></KeepLatestVersionPerDayForDays>",
            "    </HistoryCleanup>",
        ]
    if t.folder:
        lines.append(f"    <Folder>{text(t.folder)}</Folder>")
    compositions = sorted((by_alias[a].key, a) for a in t.compositions)
    lines += _refs("Compositions", "Composition", sorted(compositions, key=lambda r: r[1]), "    ")
    if is_content:
        templates = (
            [(stable_key("Template", t.template_alias), t.template_alias)] if t.template else []
        )
        default = t.template_alias if t.template else ""
        lines.append(f"    <DefaultTemplate>{default}</DefaultTemplate>")
        lines += _refs("AllowedTemplates", "Template", templates, "    ")
    lines.append("  </Info>")
    if tag != "MemberType":
        lines += _structure(t, by_alias)
    lines += _generic_properties(t)
    lines += _tabs(t)
    lines.append(f"</{tag}>")
    return document(lines)


def _structure(t: DocType, by_alias: dict[str, DocType]) -> list[str]:
    if not t.children:
        return ["  <Structure />"]
    tag = t.item_type
    body = [
        f'    <{tag} Key="{by_alias[alias].key}" SortOrder="{index}">{alias}</{tag}>'
        for index, alias in enumerate(t.children)
    ]
    return ["  <Structure>", *body, "  </Structure>"]


def _tab_alias(caption: str) -> str:
    return caption[:1].lower() + caption[1:].replace(" ", "")


def _generic_properties(t: DocType) -> list[str]:
    if not t.props:
        return ["  <GenericProperties />"]
    lines = ["  <GenericProperties>"]
    order = {p.alias: index for index, p in enumerate(t.props)}
    for prop in sorted(t.props, key=lambda p: p.alias):
        dt = DATA_TYPE_BY_NAME[prop.data_type]
        lines += [
            "    <GenericProperty>",
            f"      <Key>{stable_key('property', t.alias + '.' + prop.alias)}</Key>",
            f"      <Name>{text(prop.name)}</Name>",
            f"      <Alias>{prop.alias}</Alias>",
            f"      <Definition>{dt.key}</Definition>",
            f"      <Type>{dt.editor}</Type>",
            f"      <Mandatory>{bool_word(prop.mandatory)}</Mandatory>",
            "      <Validation></Validation>",
            f"      <Description>{cdata('')}</Description>",
            f"      <SortOrder>{order[prop.alias]}</SortOrder>",
            f'      <Tab Alias="{_tab_alias(prop.tab)}">{text(prop.tab)}</Tab>',
        ]
        if t.item_type == "ContentType":
            lines.append(
                f"      <Variations>{'Culture' if prop.culture else 'Nothing'}</Variations>"
            )
        if t.item_type == "MemberType":
            lines += [
                "      <CanEdit>false</CanEdit>",
                "      <CanView>false</CanView>",
                "      <IsSensitive>false</IsSensitive>",
            ]
        lines += [
            "      <MandatoryMessage></MandatoryMessage>",
            "      <ValidationRegExpMessage></ValidationRegExpMessage>",
            "      <LabelOnTop>false</LabelOnTop>",
            "    </GenericProperty>",
        ]
    return [*lines, "  </GenericProperties>"]


def _tabs(t: DocType) -> list[str]:
    captions = list(dict.fromkeys(p.tab for p in t.props))
    if not captions:
        return ["  <Tabs />"]
    tabs = sorted(
        ((stable_key("tab", f"{t.alias}.{c}"), c, i) for i, c in enumerate(captions)),
        key=lambda tab: tab[0],
    )
    lines = ["  <Tabs>"]
    for key, caption, index in tabs:
        lines += [
            "    <Tab>",
            f"      <Key>{key}</Key>",
            f"      <Caption>{text(caption)}</Caption>",
            f"      <Alias>{_tab_alias(caption)}</Alias>",
            "      <Type>Group</Type>",
            f"      <SortOrder>{index}</SortOrder>",
            "    </Tab>",
        ]
    return [*lines, "  </Tabs>"]


def template(t: Template) -> str:
    parent = f"  <Parent>{t.parent}</Parent>" if t.parent else "  <Parent />"
    return document(
        [
            f'<Template Key="{t.key}" Alias="{t.alias}" Level="{2 if t.parent else 1}">',
            f"  <Name>{text(t.name)}</Name>",
            parent,
            "</Template>",
        ]
    )


def dictionary(
    key: str, alias: str, parent: str | None, translations: dict[str, str], level: int
) -> str:
    lines = [f'<Dictionary Key="{key}" Alias="{attr(alias)}" Level="{level}">']
    lines += (
        ["  <Info>", f"    <Parent>{text(parent)}</Parent>", "  </Info>"]
        if parent
        else ["  <Info />"]
    )
    lines.append("  <Translations>")
    lines += [
        f'    <Translation Language="{iso}">{text(value)}</Translation>'
        for iso, value in sorted(translations.items())
    ]
    return document([*lines, "  </Translations>", "</Dictionary>"])


def domain(key: str, name: str, iso: str, root_key: str, root_path: str) -> str:
    return document(
        [
            f'<Domain Key="{key}" Alias="{attr(name)}">',
            "  <Info>",
            "    <IsWildcard>false</IsWildcard>",
            f"    <Language>{iso}</Language>",
            f'    <Root Key="{root_key}">{text(root_path)}</Root>',
            "  </Info>",
            "</Domain>",
        ]
    )


def empty(key: str, alias: str, change: str = "Delete") -> str:
    return document([f'<Empty Key="{key}" Alias="{attr(alias)}" Change="{change}" />'])


@dataclass
class NodeFile:
    """What a Content or Media file says about one node."""

    tag: str
    key: str
    name: str
    level: int
    parent_key: str | None
    parent_name: str
    path: str
    content_type: str
    create_date: str
    sort_order: int
    names: dict[str, str]
    template: Template | None
    values: PropertyValues


def node(n: NodeFile) -> str:
    """A Content or Media file: names and published state per culture, values per culture."""
    lines = [
        f'<{n.tag} Key="{n.key}" Alias="{attr(n.name)}" Level="{n.level}">',
        "  <Info>",
        f'    <Parent Key="{n.parent_key or ZERO_KEY}">{text(n.parent_name)}</Parent>',
        f"    <Path>{text(n.path)}</Path>",
        "    <Trashed>false</Trashed>",
        f"    <ContentType>{n.content_type}</ContentType>",
        f"    <CreateDate>{n.create_date}</CreateDate>",
    ]
    lines += _per_culture("NodeName", "Name", n.name, n.names)
    lines.append(f"    <SortOrder>{n.sort_order}</SortOrder>")
    if n.tag == "Content":
        lines += _per_culture("Published", "Published", "true", dict.fromkeys(n.names, "true"))
        lines.append("    <Schedule />")
        if n.template is None:
            lines.append("    <Template />")
        else:
            lines.append(f'    <Template Key="{n.template.key}">{n.template.alias}</Template>')
    lines += ["  </Info>", "  <Properties>"]
    for alias, values in n.values:
        lines.append(f"    <{alias}>")
        for culture, value in values:
            culture_attr = f' Culture="{culture}"' if culture else ""
            lines.append(f"      <Value{culture_attr}>{cdata(value)}</Value>")
        lines.append(f"    </{alias}>")
    return document([*lines, "  </Properties>", f"</{n.tag}>"])


def _per_culture(tag: str, child: str, default: str, by_culture: dict[str, str]) -> list[str]:
    if not by_culture:
        return [f'    <{tag} Default="{attr(default)}" />']
    body = [
        f'      <{child} Culture="{culture}">{text(value)}</{child}>'
        for culture, value in sorted(by_culture.items())
    ]
    return [f'    <{tag} Default="{attr(default)}">', *body, f"    </{tag}>"]
