"""What a restore plan depends on, fingerprinted into its token.

- the restore point: its id and a digest of its manifest (pin and note left out),
- the rules in force: Include/Exclude, the uSync folder, analyser settings and rule codes,
- the current hash of every file the restore covers: every file now in the point's
  scopes, and every path there a restore could not write (a link, a special file);
  for a partial restore only those of its selection, and the selection itself.

At prepare the files the plan leaves alone are known to hold the point's bytes (that
is why the plan leaves them alone), so only the files the plan changes are hashed
again; any file that changed after the plan's own scan then fails the re-check,
which is the safe direction.  Execute looks at every covered file again: a file whose
size and modification time still match the point's row (``check.unchanged_by_stat``)
keeps the point's hash, any other is hashed (every one with ``rehash``, which the
token covers, so prepare and execute read the same way).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection

from pydantic import BaseModel, ConfigDict

from publisher_restore.analyser.rules.base import Rule
from publisher_restore.analyser.settings import AnalyserSettings
from publisher_restore.hashing import file_digest
from publisher_restore.operations.tokens import fingerprint
from publisher_restore.progress import Progress, SilentProgress
from publisher_restore.restore.check import SiteScan, scan_site, unchanged_by_stat
from publisher_restore.restore.manifest import Manifest
from publisher_restore.restore.plan import RestorePlan
from publisher_restore.site import Site, SiteFile, SkippedPath

UNWRITABLE = "unwritable:"
"""Hash stand-in for a covered path that is not a regular file (a link, a device)."""


class RulesInForce(BaseModel):
    """The configuration a plan was computed under."""

    model_config = ConfigDict(frozen=True)

    include: list[str]
    exclude: list[str]
    usync_folder: str
    analyser: str
    """The analyser settings as canonical JSON (sets sorted: the same in every process)."""
    rule_codes: list[str]

    @classmethod
    def of(cls, site: Site, rules: tuple[Rule, ...]) -> RulesInForce:
        return cls(
            include=list(site.settings.include),
            exclude=list(site.settings.exclude),
            usync_folder=site.rel(site.usync_dir),
            analyser=_canonical(AnalyserSettings.from_section(site.settings.analyser)),
            rule_codes=sorted(f"{rule.code}:{rule.severity.value}" for rule in rules),
        )


class RestoreInputs(BaseModel):
    """Everything a restore plan was computed from; its fingerprint is the plan token."""

    model_config = ConfigDict(frozen=True)

    point_id: str
    manifest_sha256: str
    rules: str
    """Fingerprint of the ``RulesInForce``."""
    files: dict[str, str]
    """Site-relative path -> SHA-256 of every covered file (``unwritable:...`` for others)."""
    selection: list[str] | None = None
    """A partial restore's paths (only these are covered); None: the point's whole scopes."""
    rehash: bool = False
    """Every covered file was hashed (no size-and-time shortcut)."""


def _canonical(settings: AnalyserSettings) -> str:
    data = settings.model_dump(mode="json")
    data["disabled"] = sorted(settings.disabled)
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


def manifest_digest(point: Manifest) -> str:
    """SHA-256 of what a restore takes from the manifest (not its pin or note); the header's
    ``contents_sha256`` covers the file index, so the header alone is enough."""
    data = point.model_dump_json(exclude={"pinned", "note"})
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def inputs_after_plan(
    site: Site,
    point: Manifest,
    plan: RestorePlan,
    rules: tuple[Rule, ...],
    scan: SiteScan | None = None,
) -> RestoreInputs:
    """The inputs at prepare: only the files the plan changes are hashed again."""
    scan = scan or scan_site(site, point, SilentProgress())
    changed = {op.path for op in plan.operations}
    files, skipped = _chosen(scan.files, scan.skipped, plan.selection)
    hashes = {
        f.path: file_digest(f.abs_path)[1] if f.path in changed else scan.digest(f) for f in files
    }
    return _inputs(site, point, rules, hashes, skipped, plan.selection, scan.rehash)


def inputs_now(
    site: Site,
    point: Manifest,
    rules: tuple[Rule, ...],
    progress: Progress,
    selection: list[str] | None = None,
    *,
    rehash: bool = False,
) -> RestoreInputs:
    """The inputs as the site is now: every covered file (of ``selection``, if given)
    compared with the point again, by size and time unless ``rehash``."""
    scan = scan_site(site, point, progress, rehash=rehash)
    files, skipped = _chosen(scan.files, scan.skipped, selection)
    contents = point.contents()
    progress.begin("recheck", files=len(files), total_bytes=sum(f.size for f in files))
    hashes = {}
    for f in files:
        row = contents.row(f.path)
        if not rehash and row is not None and unchanged_by_stat(f, row, contents, point):
            hashes[f.path] = contents.hashes[row]
        else:
            hashes[f.path] = file_digest(f.abs_path)[1]
        progress.advance(files=1, nbytes=f.size)
    progress.end()
    return _inputs(site, point, rules, hashes, skipped, selection, rehash)


def _chosen(
    files: list[SiteFile], skipped: list[SkippedPath], selection: Collection[str] | None
) -> tuple[list[SiteFile], list[SkippedPath]]:
    if selection is None:
        return files, skipped
    chosen = set(selection)
    return [f for f in files if f.path in chosen], [s for s in skipped if s.path in chosen]


def _inputs(
    site: Site,
    point: Manifest,
    rules: tuple[Rule, ...],
    hashes: dict[str, str],
    skipped: list[SkippedPath],
    selection: list[str] | None,
    rehash: bool,
) -> RestoreInputs:
    for path in skipped:  # all found while walking the scopes' folders
        hashes[path.path] = UNWRITABLE + path.reason
    return RestoreInputs(
        point_id=point.id,
        manifest_sha256=manifest_digest(point),
        rules=fingerprint(RulesInForce.of(site, rules)),
        files=dict(sorted(hashes.items())),
        selection=selection,
        rehash=rehash,
    )
