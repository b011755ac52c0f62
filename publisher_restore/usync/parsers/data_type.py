"""DataType files: editor, storage or UI alias, and the config JSON."""

from __future__ import annotations

import json
from typing import Any

from publisher_restore.usync.models import DataTypeItem
from publisher_restore.usync.parsers.common import Element, envelope, non_empty, optional_text, text


def parse_data_type(root: Element, path: str) -> DataTypeItem:
    """Build a DataTypeItem; ``config`` is the parsed JSON or None when the text is not JSON."""
    config_raw = text(root, "Config")
    return DataTypeItem(
        **envelope(root, path),
        name=text(root, "Info/Name"),
        editor_alias=text(root, "Info/EditorAlias").strip(),
        database_type=non_empty(optional_text(root, "Info/DatabaseType")),
        editor_ui_alias=non_empty(optional_text(root, "Info/EditorUIAlias")),
        config_raw=config_raw,
        config=parse_json(config_raw),
    )


def parse_json(raw: str) -> Any:
    """JSON value of ``raw``, None when blank or not JSON."""
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None
