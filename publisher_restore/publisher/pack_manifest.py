"""``pack.json``: the manifest of a ``.usync`` sync pack (see ``docs/pack-format.md``).

A reader trusts nothing in a pack that the manifest does not list with its size and
SHA-256; the manifest is validated strictly (unknown fields refused).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_serializer,
    field_validator,
    model_validator,
)

from publisher_restore.restore.archive.limits import path_problem
from publisher_restore.scopes import Scope

PACK_FORMAT = "publisher-restore/sync-pack"
PACK_FORMAT_VERSION = 1
MANIFEST_NAME = "pack.json"
USYNC_PREFIX = "uSync/"
FILES_PREFIX = "files/"
VERSION_FOLDER = re.compile(r"^v\d+$")
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
ITEM_SUFFIX = ".config"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PackSelection(_Strict):
    """What the pack was made from: the ``--item`` specs (none: everything) and the flags."""

    items: tuple[str, ...] = ()
    dependencies: bool = True
    files: bool = False
    media: bool = False


class PackItem(_Strict):
    """One uSync item file in the pack (``action`` set for Empty markers: Delete, Rename...)."""

    item_type: str
    key: str | None
    alias: str
    action: str | None = None
    path: str
    size: int = Field(ge=0)
    sha256: str

    @field_validator("sha256")
    @classmethod
    def _hex_digest(cls, value: str) -> str:
        return _check_digest(value)


class PackFile(_Strict):
    """One site file (view, static file or media) in the pack, under ``files/``."""

    site_path: str
    scope: Scope
    path: str
    size: int = Field(ge=0)
    sha256: str

    @field_validator("sha256")
    @classmethod
    def _hex_digest(cls, value: str) -> str:
        return _check_digest(value)


class PackManifest(_Strict):
    """Everything a reader needs to check a pack before it trusts a single byte of it."""

    format: str = PACK_FORMAT
    format_version: int = PACK_FORMAT_VERSION
    created: datetime
    source_site: str
    tool_version: str
    usync_folder: str
    selection: PackSelection
    items: tuple[PackItem, ...] = ()
    files: tuple[PackFile, ...] = ()

    @field_validator("created")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("created must carry a time zone (UTC)")
        return value.astimezone(UTC)

    @field_validator("usync_folder")
    @classmethod
    def _version_folder(cls, value: str) -> str:
        if not VERSION_FOLDER.fullmatch(value):
            raise ValueError(f"{value!r} is not a uSync version folder name (v8, v9, v17, ...)")
        return value

    @field_serializer("created")
    def _utc_z(self, value: datetime) -> str:
        text = value.astimezone(UTC).isoformat(timespec="milliseconds")
        return text.replace("+00:00", "Z")

    @model_validator(mode="after")
    def _members_are_plain_and_where_they_belong(self) -> PackManifest:
        """Names a reader can trust once the manifest validated: see docs/pack-format.md."""
        item_prefix = item_member(self.usync_folder, "")
        for item in self.items:
            if not _is_item_member(item.path, item_prefix):
                raise ValueError(f"item {item.path!r} is not {item_prefix}<Handler>/<file>.config")
        for record in self.files:
            if record.path != file_member(record.site_path):
                raise ValueError(f"file {record.path!r} is not {FILES_PREFIX}{record.site_path}")
        seen: set[str] = set()
        for name in self.member_names:
            problem = path_problem(name)
            if problem:
                raise ValueError(f"member {name!r}: {problem}")
            if name.casefold() in seen or name.casefold() == MANIFEST_NAME:
                raise ValueError(f"member {name!r} is listed twice (names compare ignoring case)")
            seen.add(name.casefold())
        return self

    @property
    def member_names(self) -> tuple[str, ...]:
        """Every member the manifest lists, in pack order (``pack.json`` itself excluded)."""
        return tuple(item.path for item in self.items) + tuple(f.path for f in self.files)


def item_member(usync_folder: str, rel_path: str) -> str:
    """``uSync/<version>/<Handler>/<file>.config`` for a path inside the version folder."""
    return f"{USYNC_PREFIX}{usync_folder}/{rel_path}"


def file_member(site_path: str) -> str:
    """``files/<site-relative path>`` for a view, static file or media file."""
    return f"{FILES_PREFIX}{site_path}"


def _is_item_member(path: str, prefix: str) -> bool:
    """``uSync/<version>/<Handler>/.../<file>.config``: under the prefix, in a folder."""
    rest = path[len(prefix) :] if path.startswith(prefix) else ""
    return "/" in rest and rest.lower().endswith(ITEM_SUFFIX)


def _check_digest(value: str) -> str:
    if not SHA256_HEX.fullmatch(value):
        raise ValueError("expected a lower-case hex SHA-256 (64 characters)")
    return value
