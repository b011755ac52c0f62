"""Shared steps of the operations tests: a damaged sample site with a prepared restore."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import json5
import pluggy

from publisher_restore.operations.restore import PreparedRestore
from publisher_restore.plugin_manager import build_plugin_manager
from publisher_restore.restore.manifest import Manifest
from publisher_restore.runtime import Runtime
from tests.restore.helpers import damage, fingerprint


@dataclass
class PreparedSite:
    """A site with a restore point, damaged since, and a restore of that point prepared."""

    root: Path
    runtime: Runtime
    point: Manifest
    good: dict[str, str]
    """The site's files as the point holds them."""
    prepared: PreparedRestore


def prepare_damaged(site: Path, pm: pluggy.PluginManager | None = None) -> PreparedSite:
    runtime = Runtime.open(site, pm or build_plugin_manager(load_entry_points=False))
    good = fingerprint(site)
    point = runtime.restore_points().create()
    damage(runtime.restore_points())
    prepared = runtime.restore().prepare(point.id)
    return PreparedSite(site, runtime, point, good, prepared)


def files_below(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` with its bytes (the restore folder's state included)."""
    files = (path for path in folder.rglob("*") if path.is_file())
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in files}


def set_restore_settings(site: Path, **values: object) -> None:
    """Write keys into the site's ``uSync:Restore`` section."""
    settings = site / "appsettings.json"
    config = json5.loads(settings.read_text(encoding="utf-8"))
    config["uSync"]["Restore"].update(values)
    settings.write_text(json.dumps(config), encoding="utf-8")
