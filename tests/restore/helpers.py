"""Helpers for restore tests: fingerprints of a site and realistic damage."""

from __future__ import annotations

import re
from pathlib import Path

from publisher_restore.hashing import file_digest
from publisher_restore.service import RestoreService


def fingerprint(site: Path) -> dict[str, str]:
    """Path -> SHA-256 of every file of the site outside the restore folder."""
    return {
        p.relative_to(site).as_posix(): file_digest(p)[1]
        for p in sorted(site.rglob("*"))
        if p.is_file() and "uSync/restore" not in p.relative_to(site).as_posix()
    }


def first_file(folder: Path, pattern: str, contains: str = "") -> Path:
    """The first file (by name) matching ``pattern`` whose text contains ``contains``."""
    for path in sorted(folder.rglob(pattern)):
        if contains in path.read_text(encoding="utf-8-sig", errors="replace"):
            return path
    raise AssertionError(f"no {pattern} containing {contains!r} under {folder}")


def make_property_mandatory(service: RestoreService) -> tuple[Path, str]:
    """Flip the first optional property of a content type to mandatory; returns its alias."""
    path = first_file(
        service.site.usync_dir / "ContentTypes", "*.config", "<Mandatory>false</Mandatory>"
    )
    text = path.read_text(encoding="utf-8-sig")
    for block in re.findall(r"<GenericProperty>.*?</GenericProperty>", text, re.S):
        if "<Mandatory>false</Mandatory>" in block:
            alias = re.search(r"<Alias>([^<]+)</Alias>", block)
            assert alias, block
            changed = block.replace("<Mandatory>false</Mandatory>", "<Mandatory>true</Mandatory>")
            path.write_text("\ufeff" + text.replace(block, changed, 1), encoding="utf-8")
            return path, alias.group(1)
    raise AssertionError(f"no optional property in {path}")


def damage(service: RestoreService) -> dict[str, str]:
    """A mix of changes a bad push or a careless edit makes; returns what was done."""
    site = service.site.root
    content_type, prop = make_property_mandatory(service)
    content = sorted((service.site.usync_dir / "Content").glob("*.config"))
    removed = content[-1]
    removed.unlink()
    added = service.site.usync_dir / "Content" / "zz-new-page.config"
    added.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<Content Key="0d5e4c40-1111-4a4a-9c9c-123456789abc" Alias="New page" Level="1">\n'
        '  <Info><ContentType>page</ContentType><NodeName Default="New page" /></Info>\n'
        "  <Properties />\n</Content>\n",
        encoding="utf-8",
    )
    views = sorted((site / "Views").rglob("*.cshtml"))
    views[0].unlink()
    return {
        "content_type": service.site.rel(content_type),
        "property": prop,
        "removed": service.site.rel(removed),
        "added": service.site.rel(added),
        "view": service.site.rel(views[0]),
    }
