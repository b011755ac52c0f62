"""Folder and memory sources: only regular files are read, never past the item size limit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from publisher_restore.errors import SiteError
from publisher_restore.usync.folders import (
    discover_usync_folders,
    handler_folders_among,
    version_folder_among,
)
from publisher_restore.usync.loader import load_items, load_source
from publisher_restore.usync.models import ParseProblem
from publisher_restore.usync.sources import FolderSource, MemorySource, SourceFile, read_item_bytes
from publisher_restore.usync.xmlsafe import MAX_ITEM_BYTES

from .paths import CORPUS

TEXTSTRING = (
    b'<DataType Key="0cc0eba1-9960-42c9-bf9b-60e150b429ae" Alias="Textstring"><Info/></DataType>'
)


def _version_folder(root: Path) -> Path:
    folder = root / "uSync" / "v9" / "DataTypes"
    folder.mkdir(parents=True)
    (folder / "textstring.config").write_bytes(TEXTSTRING)
    return folder


def test_a_fifo_named_config_is_a_problem_and_never_opened_for_a_blocking_read(
    tmp_path: Path,
) -> None:
    folder = _version_folder(tmp_path)
    os.mkfifo(folder / "pipe.config")
    # In a child process: a blocking open of the FIFO would hang it, and the timeout fails it.
    code = (
        "import sys; from pathlib import Path;"
        "from publisher_restore.analyser.loading import load_pair;"
        "from publisher_restore.usync.loader import load_items;"
        "root = Path(sys.argv[1]); loaded = load_items(root, root / 'uSync');"
        "cur, inc = load_pair(root, root);"
        "print([p.problem for p in loaded.problems], [p.problem for p in inc.problems])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    fifo = "'not a regular file (a FIFO): not read'"
    assert done.stdout.strip() == f"[{fifo}] [{fifo}]"


def test_a_device_is_not_read() -> None:
    # /dev/zero is endless: reading it whole would never finish.  The folder walk reaches
    # a device the way it reaches the FIFO above (same check), so this reads one directly
    # rather than creating a device node, which needs privileges.
    read = read_item_bytes("/dev/zero", "uSync/v9/DataTypes/zero.config")
    assert isinstance(read.data, ParseProblem)
    assert read.data.problem == "not a regular file (a character device): not read"


def test_a_file_over_the_limit_is_a_problem_without_being_read(tmp_path: Path) -> None:
    folder = _version_folder(tmp_path)
    with (folder / "huge.config").open("wb") as handle:
        handle.truncate(MAX_ITEM_BYTES + 1)
    loaded = load_items(tmp_path, tmp_path / "uSync")
    [problem] = loaded.problems
    assert problem.path == "uSync/v9/DataTypes/huge.config"
    assert (
        problem.problem
        == f"{MAX_ITEM_BYTES + 1} bytes is over the {MAX_ITEM_BYTES}-byte limit for an item file"
    )
    assert [item.alias for item in loaded.items] == ["Textstring"]


def test_the_limit_holds_while_reading_not_only_from_the_size(tmp_path: Path) -> None:
    path = tmp_path / "x.config"
    path.write_bytes(b"<a/>" * 10)
    assert read_item_bytes(path, "x.config", limit=40).data == b"<a/>" * 10
    over = read_item_bytes(path, "x.config", limit=39).data
    assert isinstance(over, ParseProblem) and "40 bytes is over the 39-byte limit" in over.problem


def test_a_folder_source_walks_like_the_loader_always_did() -> None:
    site = CORPUS / "clean-starter-kit"
    source = FolderSource.open(site, site / "uSync" / "v17")
    files = list(source.files())
    assert source.prefix == "uSync/v17/"
    assert [f.path for f in files] == sorted(f.path for f in files)  # one order everywhere
    assert all(isinstance(f.data, bytes) for f in files)
    assert "ContentTypes" in source.handler_folders and "Content" in source.handler_folders
    assert len(load_source(source).items) == len(files) - 1  # the usync.config marker


def test_a_memory_source_parses_like_a_folder() -> None:
    source = MemorySource(
        (
            SourceFile("uSync/v9/DataTypes/textstring.config", TEXTSTRING),
            SourceFile("uSync/v9/usync.config", b'<uSync version="10.0.0.0" format="9.2.0"/>'),
            SourceFile("uSync/v8/DataTypes/old.config", b"<not read"),
        ),
        prefix="uSync/v9/",
    )
    loaded = load_source(source)
    assert [item.alias for item in loaded.items] == ["Textstring"]
    assert [m.version for m in loaded.markers] == ["10.0.0.0"]
    assert loaded.problems == ()


def test_version_folder_among_member_names() -> None:
    pack = [
        "uSync/v9/Content/a.config",
        "uSync/v13/DataTypes/b.config",
        "_site/wwwroot/media/x.jpg",
    ]
    assert version_folder_among(pack) == "uSync/v13/"
    assert version_folder_among(["v9/usync.config", "v9/Content/a.config"]) == "v9/"
    assert version_folder_among(["ContentTypes/a.config", "wwwroot/media/1/x.config"]) == ""
    assert handler_folders_among(["v9/Content/", "v9/DataTypes/x.config", "v9/x"], "v9/") == {
        "Content",
        "DataTypes",
    }
    with pytest.raises(SiteError, match="no uSync items"):
        version_folder_among(["readme.txt", "notes/a.config"])


def test_discovery_of_version_folders_on_disk() -> None:
    found = discover_usync_folders(CORPUS / "clean-starter-kit" / "uSync")
    assert [(f.path.name, f.version, f.marked) for f in found] == [
        ("v16", 16, True),
        ("v17", 17, True),
    ]
