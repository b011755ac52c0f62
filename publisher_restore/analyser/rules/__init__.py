"""The built-in rules, one module per item family; ``BUILTIN_RULES`` lists their classes."""

from __future__ import annotations

from publisher_restore.analyser.rules.base import Rule
from publisher_restore.analyser.rules.content import (
    CleanDeletesRule,
    ContentDeletedRule,
    ValueEmptiedRule,
)
from publisher_restore.analyser.rules.content_types import TypeDeletedRule, TypeRenamedRule
from publisher_restore.analyser.rules.data_types import (
    ConfigNarrowedRule,
    DataTypeDeletedRule,
    EditorChangedRule,
    StorageTypeChangedRule,
)
from publisher_restore.analyser.rules.dictionary import DictionaryDeletedRule
from publisher_restore.analyser.rules.domains import DomainChangedRule
from publisher_restore.analyser.rules.languages import LanguageChangedRule, LanguageDeletedRule
from publisher_restore.analyser.rules.recreated import RecreatedRule
from publisher_restore.analyser.rules.templates import TemplateRemovedRule
from publisher_restore.analyser.rules.type_compositions import (
    CompositionRemovedRule,
    ParentChangedRule,
)
from publisher_restore.analyser.rules.type_properties import (
    PropertyRemovedRule,
    PropertyRenamedRule,
    TabRemovedRule,
)
from publisher_restore.analyser.rules.type_property_changes import (
    DataTypeChangedRule,
    ValidationTightenedRule,
)
from publisher_restore.analyser.rules.type_structure import StructureNarrowedRule
from publisher_restore.analyser.rules.type_variations import (
    PropertyVariationNarrowedRule,
    TypeVariationNarrowedRule,
    VariationWidenedRule,
)

BUILTIN_RULES: tuple[type[Rule], ...] = (
    PropertyRemovedRule,
    TypeDeletedRule,
    CompositionRemovedRule,
    ParentChangedRule,
    TabRemovedRule,
    TypeVariationNarrowedRule,
    PropertyVariationNarrowedRule,
    DataTypeChangedRule,
    PropertyRenamedRule,
    TypeRenamedRule,
    StructureNarrowedRule,
    ValidationTightenedRule,
    VariationWidenedRule,
    RecreatedRule,
    DataTypeDeletedRule,
    EditorChangedRule,
    StorageTypeChangedRule,
    ConfigNarrowedRule,
    LanguageDeletedRule,
    LanguageChangedRule,
    TemplateRemovedRule,
    DictionaryDeletedRule,
    DomainChangedRule,
    ContentDeletedRule,
    CleanDeletesRule,
    ValueEmptiedRule,
)


def builtin_rules() -> list[Rule]:
    """A fresh instance of every built-in rule."""
    return [rule() for rule in BUILTIN_RULES]
