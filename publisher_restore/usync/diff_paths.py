"""What uSync's report trackers watch, per item family, as paths to values."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from publisher_restore.usync.identity import alias_key
from publisher_restore.usync.models import (
    AnyItem,
    ContentItem,
    ContentTypeItem,
    DataTypeItem,
    DictionaryItem,
    DomainItem,
    EmptyItem,
    GenericItem,
    ItemRef,
    LanguageItem,
    MacroItem,
    PropertyType,
    PropertyValue,
    RelationTypeItem,
    Tab,
    TemplateItem,
)


@dataclass(frozen=True)
class Member:
    """One entry of a keyed collection (a property, tab, composition...).

    ``identities`` are tried in order to pair old and new members (Key, then
    Alias, then name), ``label`` names it in paths, and ``fields`` maps a field
    name ("" for the member's own value) to its text.
    """

    label: str
    identities: tuple[str | None, ...]
    fields: dict[str, str]
    alt_label: str | None = None


def unique_labels(members: list[Member]) -> list[str]:
    """Each member's label; a repeated one (two groups named "Content") gets its alt label."""
    counts = Counter(member.label for member in members)
    labels: list[str] = []
    for index, member in enumerate(members):
        if counts[member.label] == 1:
            labels.append(member.label)
        else:
            labels.append(f"{member.label} ({member.alt_label or f'#{index + 1}'})")
    return labels


@dataclass
class Tracked:
    """Scalar paths plus keyed collections, before flattening."""

    scalars: dict[str, str] = field(default_factory=dict)
    collections: dict[str, list[Member]] = field(default_factory=dict)

    def put(self, path: str, value: str | bool | int | None) -> None:
        """Record a value; None (not written by this uSync version) is left out."""
        if value is not None:
            self.scalars[path] = render(value)


def render(value: str | bool | int) -> str:
    """Booleans as ``true``/``false`` whatever case uSync wrote them in."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _lower(value: str | None) -> str | None:
    return alias_key(value) if value else None


def _values(pairs: Iterable[tuple[str, str | bool | int | None]]) -> dict[str, str]:
    return {name: render(value) for name, value in pairs if value is not None}


def _refs(refs: Iterable[ItemRef]) -> list[Member]:
    return [
        Member(
            r.alias, (r.key, _lower(r.alias)), _values([("", r.alias), ("SortOrder", r.sort_order)])
        )
        for r in refs
    ]


def _ref_text(ref: ItemRef | None) -> str | None:
    """``alias (key)``: a parent swapped for another type of the same alias still shows."""
    if ref is None:
        return None
    return f"{ref.alias} ({ref.key})" if ref.key else ref.alias


def _property(prop: PropertyType) -> Member:
    fields = _values(
        [
            ("Alias", prop.alias),
            ("Name", prop.name),
            ("Definition", prop.definition),
            ("Type", prop.editor_alias),
            ("Mandatory", prop.mandatory),
            ("Validation", prop.validation),
            ("Description", prop.description),
            ("SortOrder", prop.sort_order),
            ("Tab", prop.tab_alias or prop.tab_name),
            ("Variations", prop.variations),
            ("MandatoryMessage", prop.mandatory_message),
            ("ValidationRegExpMessage", prop.validation_message),
            ("LabelOnTop", prop.label_on_top),
            ("CanEdit", prop.can_edit),
            ("CanView", prop.can_view),
            ("IsSensitive", prop.is_sensitive),
        ]
    )
    return Member(prop.alias, (prop.key, _lower(prop.alias)), fields, alt_label=prop.key)


def _tab(tab: Tab) -> Member:
    fields = _values(
        [
            ("Caption", tab.caption),
            ("Alias", tab.alias),
            ("Type", tab.type),
            ("SortOrder", tab.sort_order),
        ]
    )
    identities = (tab.key, _lower(tab.alias), _lower(tab.caption))
    return Member(tab.caption, identities, fields, alt_label=tab.alias)


def _content_type(item: ContentTypeItem, tracked: Tracked) -> None:
    for name, value in [
        ("Name", item.name),
        ("Icon", item.icon),
        ("Thumbnail", item.thumbnail),
        ("Description", item.description),
        ("AllowAtRoot", item.allow_at_root),
        ("IsListView", item.is_list_view),
        ("ListView", item.list_view),
        ("Variations", item.variations),
        ("IsElement", item.is_element),
        ("Folder", item.folder),
        ("Parent", _ref_text(item.parent)),
        ("DefaultTemplate", item.default_template),
    ]:
        tracked.put(f"Info/{name}", value)
    for name, value in (item.history_cleanup or {}).items():
        tracked.put(f"Info/HistoryCleanup/{name}", value)
    tracked.collections["Compositions"] = _refs(item.compositions)
    tracked.collections["AllowedTemplates"] = _refs(item.allowed_templates)
    tracked.collections["Structure"] = _refs(item.structure)
    tracked.collections["Property"] = [_property(prop) for prop in item.properties]
    tracked.collections["Tabs"] = [_tab(tab) for tab in item.tabs]


def value_path(value: PropertyValue) -> str:
    """``Property/alias``, ``Property/alias[en-US]`` or ``Property/alias[culture|segment]``."""
    if value.segment:
        return f"Property/{value.alias}[{value.culture or ''}|{value.segment}]"
    if value.culture:
        return f"Property/{value.alias}[{value.culture}]"
    return f"Property/{value.alias}"


def _content(item: ContentItem, tracked: Tracked) -> None:
    tracked.put("Name", item.node_name)
    for culture, name in item.culture_names.items():
        tracked.put(f"Name[{culture}]", name)
    tracked.put("Parent", item.parent_key)
    tracked.put("Path", item.tree_path)
    tracked.put("Trashed", item.trashed)
    tracked.put("ContentType", item.content_type)
    tracked.put("SortOrder", item.sort_order)
    tracked.put("Published", item.published)
    for culture, published in item.culture_published.items():
        tracked.put(f"Published[{culture}]", published)
    tracked.put("Template", item.template.alias if item.template else None)
    for entry in item.schedule:
        tracked.put(f"Schedule/{entry.action}[{entry.culture or ''}]", entry.date)
    tracked.put("IsBlueprint", item.is_blueprint or None)
    for value in item.values:
        tracked.put(value_path(value), value.value)


def normalised_config(item: DataTypeItem) -> str:
    """Config JSON with sorted keys and no layout, or the stripped raw text when not JSON."""
    if item.config is None:
        return item.config_raw.strip()
    return json.dumps(item.config, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _data_type(item: DataTypeItem, tracked: Tracked) -> None:
    tracked.put("Name", item.name)
    tracked.put("EditorAlias", item.editor_alias)
    tracked.put("DatabaseType", item.database_type)
    tracked.put("EditorUIAlias", item.editor_ui_alias)
    tracked.put("Folder", item.folder)
    tracked.put("Config", normalised_config(item))


def _template(item: TemplateItem, tracked: Tracked) -> None:
    tracked.put("Name", item.name)
    tracked.put("Parent", item.parent_alias)
    tracked.put("Contents", item.contents)


def _language(item: LanguageItem, tracked: Tracked) -> None:
    tracked.put("Name", item.name)
    tracked.put("IsoCode", item.iso_code)
    tracked.put("IsMandatory", item.is_mandatory)
    tracked.put("IsDefault", item.is_default)
    tracked.put("Fallback", item.fallback)


def _dictionary(item: DictionaryItem, tracked: Tracked) -> None:
    tracked.put("Parent", item.parent)
    for language, text in item.translations.items():
        tracked.put(f"Translation[{language}]", text)


def _domain(item: DomainItem, tracked: Tracked) -> None:
    tracked.put("IsWildcard", item.is_wildcard)
    tracked.put("Language", item.language)
    tracked.put("Root", item.root_key)
    tracked.put("RootPath", item.root_path)
    tracked.put("SortOrder", item.sort_order)


def _macro(item: MacroItem, tracked: Tracked) -> None:
    tracked.put("Name", item.name)
    for name, value in item.fields.items():
        tracked.put(name, value)
    tracked.collections["Property"] = [
        Member(
            prop.alias,
            (_lower(prop.alias),),
            _values(
                [
                    ("Name", prop.name),
                    ("SortOrder", prop.sort_order),
                    ("EditorAlias", prop.editor_alias),
                ]
            ),
        )
        for prop in item.properties
    ]


def _relation_type(item: RelationTypeItem, tracked: Tracked) -> None:
    tracked.put("Name", item.name)
    tracked.put("ParentType", item.parent_type)
    tracked.put("ChildType", item.child_type)
    tracked.put("Bidirectional", item.bidirectional)
    tracked.put("IsDependency", item.is_dependency)


def _generic(item: GenericItem, tracked: Tracked) -> None:
    for path, value in item.fields.items():
        tracked.put(path, value)


def _track_family(item: AnyItem, tracked: Tracked) -> None:
    match item:
        case ContentTypeItem():
            _content_type(item, tracked)
        case ContentItem():
            _content(item, tracked)
        case DataTypeItem():
            _data_type(item, tracked)
        case TemplateItem():
            _template(item, tracked)
        case LanguageItem():
            _language(item, tracked)
        case DictionaryItem():
            _dictionary(item, tracked)
        case DomainItem():
            _domain(item, tracked)
        case MacroItem():
            _macro(item, tracked)
        case RelationTypeItem():
            _relation_type(item, tracked)
        case GenericItem():
            _generic(item, tracked)
        case EmptyItem():
            tracked.put("Change", item.action.value)


def track(item: AnyItem) -> Tracked:
    """The watched values of one item; the alias is tracked for every family but content."""
    tracked = Tracked()
    if not isinstance(item, ContentItem):
        tracked.put("Alias", item.alias)
    _track_family(item, tracked)
    return tracked
