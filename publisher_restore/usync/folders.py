"""uSync handler folders and the item type each one holds."""

from __future__ import annotations

HANDLER_FOLDERS: dict[str, str] = {
    "Languages": "Language",
    "Dictionary": "Dictionary",
    "DataTypes": "DataType",
    "Templates": "Template",
    "ContentTypes": "ContentType",
    "MediaTypes": "MediaType",
    "MemberTypes": "MemberType",
    "Macros": "Macro",
    "Media": "Media",
    "Content": "Content",
    "Blueprints": "Content",
    "Domains": "Domain",
    "RelationTypes": "RelationType",
    "Webhooks": "Webhook",
}
"""Handler folder name -> item type (root element name) of the files inside it."""

_BY_LOWER = {folder.lower(): folder for folder in HANDLER_FOLDERS}


def handler_folder(path: str) -> str | None:
    """The nearest enclosing handler folder of a file path (any slash style), or None."""
    parts = path.replace("\\", "/").split("/")[:-1]
    for part in reversed(parts):
        folder = _BY_LOWER.get(part.lower())
        if folder is not None:
            return folder
    return None


def item_type_for_path(path: str) -> str | None:
    """The item type a handler folder in ``path`` implies, or None outside handler folders."""
    folder = handler_folder(path)
    return None if folder is None else HANDLER_FOLDERS[folder]
