"""The benchmark's synthetic site: valid uSync the project reads without problems, reproducible."""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.synthetic_site import SiteSpec, SiteSummary, generate_site, write_changed_copy
from benchmarks.synthetic_site.schema import CONTENT_TYPES
from publisher_restore.cli.main import cli
from publisher_restore.usync.loader import ItemSet, load_items
from publisher_restore.usync.models import ContentItem

TINY = SiteSpec(items=400, languages=3, views=8, static_files=6, media_mb=0.6)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SiteSummary]:
    root = tmp_path_factory.mktemp("synthetic") / "site"
    return root, generate_site(root, TINY)


def loaded(root: Path) -> ItemSet:
    return load_items(root, root / "uSync" / "v9")


def digest(root: Path) -> str:
    total = hashlib.sha256()
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder, name)
            total.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return total.hexdigest()


def test_every_item_parses_with_the_projects_loader(tiny: tuple[Path, SiteSummary]) -> None:
    root, summary = tiny
    items = loaded(root)
    assert items.problems == ()
    assert [m.path for m in items.markers] == ["uSync/v9/usync.config"]
    assert len(items.items) == TINY.items == sum(summary.items.values())
    kinds = Counter(item.kind for item in items.items)
    expected = {"language", "data_type", "content_type", "template", "dictionary", "domain"}
    assert expected | {"content", "empty"} <= set(kinds)
    assert kinds["language"] == 3
    types = Counter(item.item_type for item in items.items if item.kind == "content_type")
    assert types == {"ContentType": len(CONTENT_TYPES), "MediaType": 7, "MemberType": 1}


def test_content_is_culture_variant_with_block_lists(tiny: tuple[Path, SiteSummary]) -> None:
    root, _ = tiny
    content = [
        item
        for item in loaded(root).items
        if isinstance(item, ContentItem) and item.path.startswith("uSync/v9/Content/")
    ]
    variant = [c for c in content if set(c.culture_names) == {"en-us", "da-dk", "de-de"}]
    assert len(variant) > len(content) * 0.9
    cultures = {v.culture for c in variant for v in c.values}
    assert cultures == {None, "en-us", "da-dk", "de-de"}
    blocks = [
        json.loads(v.value)
        for c in content
        for v in c.values
        if v.alias == "mainContent" and v.value
    ]
    assert blocks and all(b["layout"]["Umbraco.BlockList"] for b in blocks)
    assert all(len(b["contentData"]) == len(b["layout"]["Umbraco.BlockList"]) for b in blocks)


def test_media_files_are_random_and_referenced(tiny: tuple[Path, SiteSummary]) -> None:
    root, summary = tiny
    files = sorted((root / "wwwroot" / "media").rglob("*.jpg"))
    assert sum(f.stat().st_size for f in files) == summary.scopes["media"].bytes == 600_000
    assert all(len(f.parent.name) == 8 and f.stat().st_size <= 4_000_000 for f in files)
    sources = set()
    for item in loaded(root).items:
        if isinstance(item, ContentItem) and item.content_type == "Image":
            value = next(v.value for v in item.values if v.alias == "umbracoFile")
            sources.add(json.loads(value)["src"])
    assert {f"/{f.relative_to(root / 'wwwroot').as_posix()}" for f in files} <= sources
    # Incompressible, like photos: no repeated 64-byte blocks in the first file.
    data = files[0].read_bytes()[:64_000]
    assert len({data[i : i + 64] for i in range(0, len(data), 64)}) == len(data) // 64


def test_scopes_hold_the_views_and_static_files(tiny: tuple[Path, SiteSummary]) -> None:
    root, summary = tiny
    assert summary.scopes["views"].files == 8
    assert summary.scopes["static"].files == 6
    assert (root / "Views" / "Master.cshtml").read_text().startswith("@inherits ")
    assert (root / "wwwroot" / "css" / "site.css").stat().st_size > 500


def test_same_seed_same_bytes_other_seed_other_bytes(
    tiny: tuple[Path, SiteSummary], tmp_path: Path
) -> None:
    root, _ = tiny
    generate_site(tmp_path / "again", TINY)
    generate_site(tmp_path / "other", TINY.model_copy(update={"seed": 12}))
    assert digest(tmp_path / "again") == digest(root)
    assert digest(tmp_path / "other") != digest(root)


def test_changed_copy_parses_and_carries_damaging_changes(
    tiny: tuple[Path, SiteSummary], tmp_path: Path
) -> None:
    root, _ = tiny
    changes = write_changed_copy(root, tmp_path / "changed")
    assert changes.changed == max(7, round(TINY.items * 0.02))
    assert changes.kinds["property removed from a composition"] == 1
    assert loaded(tmp_path / "changed").problems == ()
    args = ["analyse", "--current", str(root), "--incoming", str(tmp_path / "changed"), "--json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    codes = {finding["code"] for finding in json.loads(result.output)["findings"]}
    assert {"DC101", "DC103"} <= codes


def test_too_few_items_is_refused_with_the_minimum(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"too few .* use at least \d+") as refused:
        generate_site(tmp_path / "small", SiteSpec(items=60, media_mb=0))
    minimum = int(str(refused.value).rsplit(" ", 1)[-1])
    assert generate_site(tmp_path / "enough", SiteSpec(items=minimum, media_mb=0)).items
    with pytest.raises(ValueError, match=f"use at least {minimum}"):
        generate_site(tmp_path / "one-less", SiteSpec(items=minimum - 1, media_mb=0))
