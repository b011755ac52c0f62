"""The data-type editor compatibility table: the one place that says which changes are safe.

A property (DC108) or a data type (DC202) that moves from editor A to editor B keeps its stored
values.  Whether B can read them depends on the value format, so the table lists, per editor, the
format it stores, and which moves between formats are readable:

- ``EQUIVALENT``: the same editor under another alias (renamed between Umbraco versions);
  a move between them is no change at all.
- ``FORMATS``: the stored value format of each known editor.  Editors sharing a format read each
  other's values (e.g. TextBox <-> TextArea: plain text; DropDown.Flexible <-> CheckBoxList: a JSON
  list of strings).
- ``READABLE``: one-way moves where the new editor reads the old format (plain text is valid
  HTML and Markdown; an integer is a valid decimal; one content UDI is a valid MNTP list; any
  value shows in a Label), but not the reverse.

Anything else, including an editor this table does not know, is incompatible: the finding is
risky.  Storage types (v8-v13 ``DatabaseType``) group into families; a move between families is
incompatible whatever the editors (values sit in another column).
"""

from __future__ import annotations

from enum import StrEnum

EQUIVALENT: dict[str, str] = {
    "umbraco.tinymce": "umbraco.richtext",
    "umbraco.mediapicker2": "umbraco.mediapicker",
    "umbraco.multinodetreepicker2": "umbraco.multinodetreepicker",
    "umbraco.contentpicker2": "umbraco.contentpicker",
    "umbraco.contentpickeralias": "umbraco.contentpicker",
}

FORMATS: dict[str, str] = {
    "umbraco.textbox": "plain-text",
    "umbraco.textarea": "plain-text",
    "umbraco.emailaddress": "plain-text",
    "umbraco.richtext": "html",
    "umbraco.markdowneditor": "markdown",
    "umbraco.integer": "integer",
    "umbraco.decimal": "decimal",
    "umbraco.slider": "decimal-range",
    "umbraco.truefalse": "boolean",
    "umbraco.datetime": "datetime",
    "umbraco.dropdown.flexible": "string-list",
    "umbraco.checkboxlist": "string-list",
    "umbraco.tags": "string-list",
    "umbraco.radiobuttonlist": "string",
    "umbraco.colorpicker": "color",
    "umbraco.contentpicker": "content-udi",
    "umbraco.multinodetreepicker": "udi-list",
    "umbraco.mediapicker": "udi-list",
    "umbraco.mediapicker3": "media-json",
    "umbraco.multiurlpicker": "link-json",
    "umbraco.blocklist": "block-json",
    "umbraco.blockgrid": "block-grid-json",
    "umbraco.nestedcontent": "nested-json",
    "umbraco.grid": "grid-json",
    "umbraco.imagecropper": "crop-json",
    "umbraco.uploadfield": "file-path",
    "umbraco.memberpicker": "member-udi",
    "umbraco.userpicker": "user-id",
    "umbraco.membergrouppicker": "member-groups",
    "umbraco.multipletextstring": "string-lines",
    "umbraco.label": "label",
}

READABLE: frozenset[tuple[str, str]] = frozenset(
    {
        ("plain-text", "html"),
        ("plain-text", "markdown"),
        ("markdown", "plain-text"),
        ("integer", "decimal"),
        ("string", "plain-text"),
        ("string", "string-list"),
        ("content-udi", "udi-list"),
        ("plain-text", "label"),
        ("string", "label"),
        ("integer", "label"),
        ("decimal", "label"),
        ("datetime", "label"),
        ("boolean", "label"),
    }
)

STORAGE_FAMILIES: dict[str, str] = {
    "nvarchar": "text",
    "ntext": "text",
    "integer": "integer",
    "decimal": "decimal",
    "date": "date",
}


class Compatibility(StrEnum):
    """How a move from one editor to another treats stored values."""

    SAME = "same"
    COMPATIBLE = "compatible"
    INCOMPATIBLE = "incompatible"


def canonical_editor(alias: str) -> str:
    """Case-folded editor alias with renamed aliases mapped to their current name."""
    folded = alias.strip().casefold()
    return EQUIVALENT.get(folded, folded)


def editor_compatibility(old: str, new: str) -> Compatibility:
    """SAME for the same editor, COMPATIBLE when the new one reads the old values."""
    old_c, new_c = canonical_editor(old), canonical_editor(new)
    if old_c == new_c:
        return Compatibility.SAME
    old_f, new_f = FORMATS.get(old_c), FORMATS.get(new_c)
    if old_f is None or new_f is None:
        return Compatibility.INCOMPATIBLE
    if old_f == new_f or (old_f, new_f) in READABLE:
        return Compatibility.COMPATIBLE
    return Compatibility.INCOMPATIBLE


def storage_compatible(old: str | None, new: str | None) -> bool:
    """Whether values stay in a column the new storage type reads (unknown counts as same)."""
    if not old or not new:
        return True
    old_f = STORAGE_FAMILIES.get(old.casefold(), old.casefold())
    return old_f == STORAGE_FAMILIES.get(new.casefold(), new.casefold())
