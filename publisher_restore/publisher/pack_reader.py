"""Reading a ``.usync`` sync pack as hostile input: every check of ``docs/pack-format.md``.

``read_pack`` opens a pack and makes the seven checks before it hands out a single byte:

1. the file's size (``MaxBodyMiB``), then the container through ``usync.zip_source.ZipSource``
   (member count, names, links and devices, encryption, item sizes and ratios); only stored
   and deflated members, no directory entries;
2. every member name (done by ``ZipSource`` from the central directory);
3. ``pack.json`` first, size-capped, into the strict ``PackManifest`` (unknown fields, an
   unknown format or version refused);
4. members and manifest match exactly; item paths lie in ``uSync/<usync_folder>/<Handler>/``;
   every site file belongs to the scope it claims by the *target's* own rules (never its uSync
   or restore folder), and media only when media import was asked for;
5. every member streamed and checked against its manifest size and SHA-256, read no further
   than its declared size plus one byte, with a ratio no honest member has refused;
6. every item parsed with the safe parser (``usync.xmlsafe``: no DTD, no entities), its root
   element, Key, Alias and action agreeing with its manifest entry and its handler folder;
7. nothing is written here: the pipeline writes only after ``read_pack`` returned.

A pack that fails any check raises ``HostileInputError`` (exit 5) naming the member and
the problem; media in a pack whose import did not ask for it is ``PackContentError`` (exit 2).
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pydantic import ValidationError

from publisher_restore.errors import (
    HostileInputError,
    ItemParseError,
    PackContentError,
    SiteError,
)
from publisher_restore.hashing import file_digest
from publisher_restore.publisher.pack_manifest import (
    MANIFEST_NAME,
    PACK_FORMAT,
    PACK_FORMAT_VERSION,
    PackFile,
    PackItem,
    PackManifest,
    item_member,
)
from publisher_restore.scopes import Scope
from publisher_restore.usync.folders import HANDLER_FOLDERS, is_handler_folder_name
from publisher_restore.usync.identity import key_fold
from publisher_restore.usync.models import EmptyItem
from publisher_restore.usync.parsers import PARSERS, parse_element
from publisher_restore.usync.parsers.common import Element, envelope
from publisher_restore.usync.sources import MemorySource, SourceFile
from publisher_restore.usync.xmlsafe import parse_xml
from publisher_restore.usync.zip_source import DEFAULT_ZIP_LIMITS, ZipLimits, ZipSource, refuse

CHUNK = 1 << 20
MIB = 1024 * 1024
EMPTY_ROOT = "Empty"
_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})


class ScopeRules(Protocol):
    """What the reader needs of the target: its scope rules (``site.Site`` qualifies)."""

    def scope_of(self, rel_path: str) -> Scope | None: ...


@dataclass(frozen=True)
class PackLimits:
    """What reading one pack may cost before it is refused."""

    max_pack_bytes: int = 256 * MIB
    """The whole ``.usync`` file (``MaxBodyMiB`` over HTTP)."""
    max_manifest_bytes: int = 8 * MIB
    max_ratio: int = 200
    ratio_floor: int = MIB
    zip: ZipLimits = DEFAULT_ZIP_LIMITS


DEFAULT_PACK_LIMITS = PackLimits()


@dataclass
class OpenedPack:
    """A pack that passed every check: its manifest, its verified items, its site files."""

    path: Path
    size: int
    sha256: str
    manifest: PackManifest
    items: tuple[SourceFile, ...]
    """Every item member's bytes, verified, in member order (uSync's write order)."""
    prefix: str
    """``uSync/<usync_folder>/``: the version folder inside the member names."""
    handler_folders: frozenset[str]
    _zip: ZipSource
    _infos: dict[str, zipfile.ZipInfo]

    @property
    def files(self) -> tuple[PackFile, ...]:
        """The site files (views, static files, media) the pack carries."""
        return self.manifest.files

    def item_source(self) -> MemorySource:
        """The items as an item source for the loader and the analyser."""
        return MemorySource(self.items, self.prefix, self.handler_folders)

    def file_chunks(self, record: PackFile) -> Iterator[bytes]:
        """A site file's bytes in chunks, verified again as they stream (size and SHA-256)."""
        info = self._infos[record.path]
        yield from _verified_chunks(self._zip, info, record.size, record.sha256)

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> OpenedPack:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def read_pack(
    path: Path,
    *,
    rules: ScopeRules | None,
    media: bool | None,
    limits: PackLimits = DEFAULT_PACK_LIMITS,
    checked_sha256: str | None = None,
) -> OpenedPack:
    """Open and check a pack (see the module docstring); nothing is written.

    ``rules``: the target's scope rules for site files (None: files are not imported, only
    verified, as ``analyse`` does).  ``media``: whether media import was asked for (None:
    media is not imported either, so it is allowed).  ``checked_sha256``: the SHA-256 of
    the very pack this process checked before (a prepared push executing from the pack it
    kept): when the file still has it, items are not parsed again; every other check is
    made again.
    """
    size = _checked_size(path, limits)
    sha256 = file_digest(path)[1]
    parse_items = checked_sha256 != sha256
    try:
        source = ZipSource(path, label=path.name, limits=limits.zip)
    except SiteError as error:  # no version folder among the members
        raise HostileInputError(f"{path.name}: not a sync pack ({error})") from None
    try:
        return _read(path, (size, sha256), source, rules, media, limits, parse_items)
    except BaseException:
        source.close()
        raise


def _read(
    path: Path,
    digest: tuple[int, str],
    source: ZipSource,
    rules: ScopeRules | None,
    media: bool | None,
    limits: PackLimits,
    parse_items: bool,
) -> OpenedPack:
    infos = {info.filename: info for info in source.members}
    for info in infos.values():
        _check_container_entry(info)
    manifest = _manifest(path, source, infos, limits)
    _check_members_match(path, manifest, set(infos))
    prefix = item_member(manifest.usync_folder, "")
    if source.prefix != prefix:
        raise HostileInputError(
            f"{path.name}: items are in {source.prefix!r}, the manifest says {prefix!r}"
        )
    for item in manifest.items:
        _check_item_folder(item, prefix)
    for file in manifest.files:
        _check_file_record(file, rules, media, limits, infos[file.path])
    items = _verified_items(source, manifest, parse_items)
    for file in manifest.files:
        for _chunk in _verified_chunks(source, infos[file.path], file.size, file.sha256):
            pass
    return OpenedPack(
        path=path,
        size=digest[0],
        sha256=digest[1],
        manifest=manifest,
        items=items,
        prefix=prefix,
        handler_folders=source.handler_folders,
        _zip=source,
        _infos=infos,
    )


def _checked_size(path: Path, limits: PackLimits) -> int:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise HostileInputError(f"{path}: cannot read the pack ({error.strerror})") from None
    if size > limits.max_pack_bytes:
        raise HostileInputError(
            f"{path.name}: {size} bytes, over the {limits.max_pack_bytes}-byte limit for a pack "
            "(uSync:Restore:Publisher:MaxBodyMiB)"
        )
    return size


def _check_container_entry(info: zipfile.ZipInfo) -> None:
    if info.is_dir():
        raise refuse(info.filename, "a directory entry (a pack holds only files)")
    if info.compress_type not in _METHODS:
        raise refuse(info.filename, f"compression method {info.compress_type} (stored or deflate)")


def _manifest(
    path: Path, source: ZipSource, infos: dict[str, zipfile.ZipInfo], limits: PackLimits
) -> PackManifest:
    info = infos.get(MANIFEST_NAME)
    if info is None:
        raise HostileInputError(f"{path.name}: no {MANIFEST_NAME}; not a sync pack")
    if info.file_size > limits.max_manifest_bytes:
        raise refuse(MANIFEST_NAME, f"declares {info.file_size} bytes, over the manifest limit")
    with source.open_member(info) as stream:
        data = stream.read(limits.max_manifest_bytes + 1)
    if len(data) > limits.max_manifest_bytes:
        raise refuse(MANIFEST_NAME, "larger than it declares")
    try:
        manifest = PackManifest.model_validate_json(data)
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(p) for p in problem["loc"]) or "document"
        raise refuse(
            MANIFEST_NAME, f"not a valid pack manifest ({where}: {problem['msg']})"
        ) from None
    if (manifest.format, manifest.format_version) != (PACK_FORMAT, PACK_FORMAT_VERSION):
        raise refuse(
            MANIFEST_NAME,
            f"format {manifest.format!r} version {manifest.format_version} is not "
            f"{PACK_FORMAT!r} version {PACK_FORMAT_VERSION}",
        )
    return manifest


def _check_members_match(path: Path, manifest: PackManifest, names: set[str]) -> None:
    listed = {*manifest.member_names, MANIFEST_NAME}
    extra = sorted(names - listed)
    if extra:
        raise refuse(extra[0], "not listed in pack.json")
    missing = sorted(listed - names)
    if missing:
        raise HostileInputError(f"{path.name}: {missing[0]!r} is listed in pack.json but absent")


def _check_item_folder(record: PackItem, prefix: str) -> None:
    folder = record.path[len(prefix) :].split("/", 1)[0]
    if not is_handler_folder_name(folder):
        raise refuse(record.path, f"{folder!r} is not a uSync handler folder")


def _check_file_record(
    record: PackFile,
    rules: ScopeRules | None,
    media: bool | None,
    limits: PackLimits,
    info: zipfile.ZipInfo,
) -> None:
    if record.scope is Scope.USYNC:
        raise refuse(record.path, "uSync files travel as items, never as site files")
    if record.scope is Scope.MEDIA and media is False:
        raise PackContentError(
            f"the pack carries media ({record.site_path}, ...); pass --media to import media "
            "files too; nothing was changed"
        )
    if rules is not None and rules.scope_of(record.site_path) is not record.scope:
        raise refuse(
            record.path,
            f"{record.site_path!r} is not a {record.scope.value} file by this site's rules "
            "(scopes, Include/Exclude, the uSync and restore folders)",
        )
    _check_ratio(info, limits)


def _check_ratio(info: zipfile.ZipInfo, limits: PackLimits) -> None:
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
        raise refuse(info.filename, f"compression ratio {ratio:.0f}:1 (a zip bomb)")


def _verified_items(
    source: ZipSource, manifest: PackManifest, parse_items: bool
) -> tuple[SourceFile, ...]:
    by_path = {record.path: record for record in manifest.items}
    read = {file.path: file for file in source.files()}
    verified = []
    for record in manifest.items:
        file = read.get(record.path)
        if file is None or not isinstance(file.data, bytes):
            raise refuse(record.path, "not readable as an item member")
        _check_bytes(record.path, file.data, record.size, record.sha256)
        if parse_items:
            _check_item(by_path[record.path], file.data)
        verified.append(file)
    return tuple(verified)


def _check_bytes(name: str, data: bytes, size: int, sha256: str) -> None:
    if len(data) != size:
        raise refuse(name, f"{len(data)} bytes, the manifest says {size}")
    if hashlib.sha256(data).hexdigest() != sha256:
        raise refuse(name, "SHA-256 does not match the manifest")


def _check_item(record: PackItem, data: bytes) -> None:
    """Safe XML (no DTD, no entities), and the identity the manifest claims."""
    try:
        root = parse_xml(data, record.path)
        identity = _identity(root, record.path)
    except (ItemParseError, HostileInputError, ValidationError) as error:
        problem = str(error).removeprefix(f"{record.path}: ")
        raise refuse(record.path, f"not a readable uSync item: {problem}") from None
    claimed = (record.item_type, key_fold(record.key), record.alias, record.action)
    if claimed != identity:
        raise refuse(
            record.path,
            f"holds {_describe(identity)}, the manifest says {_describe(claimed)}",
        )
    folder = record.path.split("/")[2]
    expected = HANDLER_FOLDERS.get(folder)
    if expected is not None and identity[3] is None and identity[0] != expected:
        raise refuse(record.path, f"a {identity[0]} in the {folder} folder")


def _identity(root: Element, path: str) -> tuple[str, str | None, str, str | None]:
    """Type, folded Key, Alias and marker action, as the item's parser reads them.

    The common item families are read from the root's attributes (``envelope``, the
    parsers' own first step, with uSync's validity rules); markers and legacy or unknown
    roots go through their parser.
    """
    tag = str(root.tag)
    if tag in PARSERS and tag != EMPTY_ROOT:
        fields = envelope(root, path)
        return fields["item_type"], key_fold(fields["key"]), fields["alias"], None
    parsed = parse_element(root, path)
    action = parsed.action.value if isinstance(parsed, EmptyItem) else None
    return parsed.item_type, key_fold(parsed.key), parsed.alias, action


def _describe(identity: tuple[str, str | None, str, str | None]) -> str:
    item_type, key, alias, action = identity
    marker = f" ({action} marker)" if action else ""
    return f"{item_type} {alias!r} {key}{marker}"


def _verified_chunks(
    source: ZipSource, info: zipfile.ZipInfo, size: int, sha256: str
) -> Iterator[bytes]:
    """The member's bytes; refused past ``size`` (a bomb stops here) or on a hash mismatch."""
    if info.file_size != size:
        raise refuse(info.filename, f"declares {info.file_size} bytes, the manifest says {size}")
    digest = hashlib.sha256()
    total = 0
    with source.open_member(info) as stream:
        while True:
            try:
                chunk = stream.read(min(CHUNK, size + 1 - total))
            except (zipfile.BadZipFile, OSError, EOFError) as error:
                raise refuse(info.filename, f"cannot be decompressed ({error})") from None
            if not chunk:
                break
            total += len(chunk)
            if total > size:
                raise refuse(info.filename, f"holds more than the {size} bytes it declares")
            digest.update(chunk)
            yield chunk
    if total != size or digest.hexdigest() != sha256:
        raise refuse(info.filename, "size or SHA-256 does not match the manifest")
