"""Copies of real corpus sites to push between, realistic edits, and the CLI in this process."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import json5
import pytest

from publisher_restore.cli.main import main
from publisher_restore.hashing import file_digest
from tests.conftest import CORPUS, copy_site

STARTER = CORPUS / "clean-starter-kit"
ARTICLE_CONTROLS = "uSync/v17/ContentTypes/articlecontrols.config"
"""A composition of the starter kit's article pages: seven articles hold ``articleDate``."""


@dataclass(frozen=True)
class Run:
    """One command line run in this process: exit code, stdout, stderr."""

    code: int
    out: str
    err: str

    def json(self) -> dict[str, object]:
        data: dict[str, object] = json.loads(self.out)
        return data


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> Run:
    """``publisher-restore ARGS`` through ``main`` (its error handling and exit codes)."""
    capsys.readouterr()
    try:
        main([str(arg) for arg in args])
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    out, err = capsys.readouterr()
    return Run(code, out, err)


def site_pair(tmp: Path, name: str = "clean-starter-kit") -> tuple[Path, Path]:
    """Two copies of one corpus site: a source to edit and a target to push to."""
    source = copy_site(CORPUS / name, tmp / "source")
    target = copy_site(CORPUS / name, tmp / "target")
    return source, target


def remove_property(site: Path, rel_path: str, alias: str) -> None:
    """Remove one property from a content type file, as an editor deleting it would."""
    path = site / rel_path
    text = path.read_text(encoding="utf-8-sig")
    blocks = re.findall(r"\s*<GenericProperty>.*?</GenericProperty>", text, re.S)
    [block] = [b for b in blocks if f"<Alias>{alias}</Alias>" in b]
    path.write_text("\ufeff" + text.replace(block, ""), encoding="utf-8")


def edit_description(site: Path, rel_path: str, text: str) -> None:
    """A harmless edit: the item's Description (or a comment-free attribute change)."""
    path = site / rel_path
    data = path.read_text(encoding="utf-8-sig")
    changed = re.sub(
        r"<Description>[^<]*</Description>", f"<Description>{text}</Description>", data, count=1
    )
    if changed == data:
        changed = re.sub(r"<Description\s*/>", f"<Description>{text}</Description>", data, count=1)
    assert changed != data, f"no Description in {rel_path}"
    path.write_text("\ufeff" + changed, encoding="utf-8")


def set_publisher(site: Path, **values: object) -> None:
    """Write keys into the site's ``uSync:Restore:Publisher`` (appsettings.json made if absent)."""
    settings = site / "appsettings.json"
    config = json5.loads(settings.read_text(encoding="utf-8")) if settings.exists() else {}
    restore = config.setdefault("uSync", {}).setdefault("Restore", {})
    restore.setdefault("Publisher", {}).update(values)
    settings.write_text(json.dumps(config, indent=2), encoding="utf-8")


def every_file(site: Path) -> dict[str, str]:
    """Path -> SHA-256 of every file below the site, its restore folder and state included."""
    return {
        p.relative_to(site).as_posix(): file_digest(p)[1]
        for p in sorted(site.rglob("*"))
        if p.is_file() or p.is_symlink()
    }


def restore_points(site: Path) -> list[str]:
    """Ids of the site's restore points (local storage)."""
    points = site / "uSync" / "restore" / "points"
    return sorted(p.name for p in points.iterdir()) if points.is_dir() else []
