"""A zip (sync pack or request body) is hostile: every bad member is refused before parsing."""

from __future__ import annotations

import io
import stat
import struct
import zipfile
from pathlib import Path

import pytest

from publisher_restore.analyser import run_rules
from publisher_restore.analyser.loading import load_pair, load_sources
from publisher_restore.analyser.rules import builtin_rules
from publisher_restore.errors import HostileInputError
from publisher_restore.usync.loader import load_source
from publisher_restore.usync.sources import FolderSource
from publisher_restore.usync.zip_source import ZipLimits, ZipSource
from tests.analyser.corpus_cases import copy_usync, mark_deleted

ITEM = b'<DataType Key="0cc0eba1-9960-42c9-bf9b-60e150b429ae" Alias="Textstring"><Info/></DataType>'
GOOD = "uSync/v9/DataTypes/textstring.config"


def zip_of(*members: tuple[str | zipfile.ZipInfo, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return out.getvalue()


def refused(data: bytes, match: str, limits: ZipLimits | None = None) -> None:
    with pytest.raises(HostileInputError, match=match):
        ZipSource(data, label="pack.zip", limits=limits or ZipLimits())


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("uSync/v9/../../etc/x.config", r"'\.\.' path component"),
        ("/etc/cron.d/x.config", "absolute path"),
        ("C:/Windows/x.config", "drive letter"),
        ("uSync\\v9\\..\\x.config", "backslash"),
        ("uSync/v9//x.config", "empty or '.' path component"),
    ],
)
def test_bad_member_names_are_refused_naming_the_member(name: str, why: str) -> None:
    data = zip_of((GOOD, ITEM), (name, ITEM))
    with pytest.raises(HostileInputError, match=why) as error:
        ZipSource(data)
    assert repr(name) in str(error.value)


def test_a_symbolic_link_member_is_refused() -> None:
    link = zipfile.ZipInfo("uSync/v9/DataTypes/link.config")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    refused(
        zip_of((GOOD, ITEM), (link, b"/etc/passwd")),
        "'uSync/v9/DataTypes/link.config'.*symbolic link",
    )


def test_a_device_member_is_refused() -> None:
    device = zipfile.ZipInfo("uSync/v9/DataTypes/zero.config")
    device.external_attr = (stat.S_IFCHR | 0o600) << 16
    refused(zip_of((GOOD, ITEM), (device, b"")), "not a regular file")


def test_duplicate_names_are_refused_even_in_another_case() -> None:
    with pytest.warns(UserWarning, match="Duplicate name"):
        twice = zip_of((GOOD, ITEM), (GOOD, ITEM))
    refused(twice, "appears twice")
    refused(zip_of((GOOD, ITEM), (GOOD.upper(), ITEM)), "appears twice")


def _second_central_entry(data: bytearray) -> int:
    return data.index(b"PK\x01\x02", data.index(b"PK\x01\x02") + 1)


def test_an_encrypted_member_is_refused() -> None:
    data = bytearray(zip_of((GOOD, ITEM), ("uSync/v9/DataTypes/secret.config", ITEM)))
    entry = _second_central_entry(data)
    flags = struct.unpack_from("<H", data, entry + 8)[0]
    struct.pack_into("<H", data, entry + 8, flags | 0x1)  # zipfile cannot write encryption
    refused(bytes(data), "'uSync/v9/DataTypes/secret.config' refused: encrypted")


def test_a_member_declaring_more_than_the_item_limit_is_refused() -> None:
    bomb = zip_of((GOOD, ITEM), ("uSync/v9/Content/bomb.config", bytes(40 * 1024 * 1024)))
    refused(bomb, "bomb.config'.*declares 41943040 bytes, over the item limit")


def test_a_member_with_a_bomb_ratio_is_refused() -> None:
    zeros = zip_of((GOOD, ITEM), ("uSync/v9/Content/zeros.config", bytes(4 * 1024 * 1024)))
    refused(zeros, r"zeros.config'.*compression ratio \d+:1")


def test_too_much_in_all_is_refused() -> None:
    members = [(f"uSync/v9/DataTypes/t{n}.config", ITEM) for n in range(5)]
    refused(
        zip_of(*members),
        "declare 450 bytes in all, over the 400-byte limit",
        ZipLimits(max_total_bytes=400),
    )


def test_too_many_members_are_refused() -> None:
    members = [(f"uSync/v9/DataTypes/t{n}.config", ITEM) for n in range(11)]
    refused(zip_of(*members), "11 members, more than the 10", ZipLimits(max_members=10))


def test_a_member_inflating_past_its_declared_size_is_refused_while_reading() -> None:
    data = bytearray(zip_of((GOOD, ITEM), ("uSync/v9/Content/liar.config", b"<a>" * 5000)))
    struct.pack_into("<I", data, _second_central_entry(data) + 24, 100)  # declared size
    source = ZipSource(bytes(data))
    # Python's zipfile stops at the declared size and then fails the CRC; either way the
    # member is refused by name after at most its declared size was decompressed.
    liar = r"'uSync/v9/Content/liar\.config' refused: cannot be decompressed"
    with pytest.raises(HostileInputError, match=liar):
        list(source.files())


def test_not_a_zip_is_a_clear_error() -> None:
    refused(b"PK\x03\x04 not really", "pack.zip: not a readable zip file")


def test_a_sync_pack_loads_like_the_folder_it_was_made_from(tmp_path: Path) -> None:
    usync = copy_usync("zmenu", "v9", tmp_path / "site")
    pack = tmp_path / "pack.zip"
    with zipfile.ZipFile(pack, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(usync.rglob("*")):
            archive.write(path, "uSync/v9/" + path.relative_to(usync).as_posix())
        archive.writestr("_site/wwwroot/media/a.jpg", b"\xff\xd8")
    site = usync.parent.parent
    folder = load_source(FolderSource.open(site, usync))
    with ZipSource(pack) as source:
        assert source.prefix == "uSync/v9/"
        zipped = load_source(source)
        assert zipped.handler_folders == folder.handler_folders
    assert [i.model_dump() for i in zipped.items] == [i.model_dump() for i in folder.items]
    assert zipped.problems == folder.problems


def test_analysing_a_request_body_finds_what_the_folder_finds(tmp_path: Path) -> None:
    current = copy_usync("zmenu", "v9", tmp_path / "a")
    incoming = copy_usync("zmenu", "v9", tmp_path / "b")
    mark_deleted(incoming / "Languages" / "ru.config")
    body = io.BytesIO()
    with zipfile.ZipFile(body, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(incoming.rglob("*.config")):
            archive.write(path, "v9/" + path.relative_to(incoming).as_posix())
    folders = run_rules(*load_pair(current, incoming), "complete", builtin_rules())
    with ZipSource(body.getvalue(), label="request body") as source:
        cur, inc = load_sources(FolderSource(current.parent.parent, current), source)
        from_zip = run_rules(cur, inc, "complete", builtin_rules())
    assert folders.findings
    assert [(f.code, f.message) for f in from_zip.findings] == [
        (f.code, f.message) for f in folders.findings
    ]
