"""The scenarios, in order, on one site; the tools' repetitions interleaved with each other.

Fresh state where a scenario needs it: every first create (and first backup) starts from an
empty restore folder (an empty restic repository); the damage is done again before every
restore, and every restore is checked file by file against the site as it was.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.harness.measure import Measurement, Sample, run, tree_bytes
from benchmarks.harness.tools import Archivers, PublisherRestore, Restic

PR = "publisher-restore"
CREATE = "create without media"
CREATE_MEDIA = "create with media"
SECOND = "unchanged second create (with media)"
CHECK = "check of the damaged site"
RESTORE = "restore of the damaged site"
CHECK_CLEAN = "check of the unchanged site"
ANALYSE = "analyse against a copy with 2% changed"
LIST = "list"
PRE_RESTORE = "restore with pre-restore point, media unchanged"
RESTIC_FIRST = "restic first backup"
RESTIC_SECOND = "restic unchanged backup"
RESTIC_RESTORE = "restic restore --include"
ZIP = "zip -qr"
TAR = "tar --zstd -cf"
UNTAR = "tar --zstd -xf (named members)"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Bench:
    """One run: the site, the tools, where their stores live, and what was measured."""

    work: Path
    site: Path
    changed: Path
    repeat: int
    pr: PublisherRestore
    archivers: Archivers
    restic: Restic
    results: list[Measurement] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def path(self, kind: str, name: str) -> Path:
        folder = self.work / kind
        folder.mkdir(exist_ok=True)
        return folder / name

    @property
    def damaged(self) -> list[str]:
        """The damage: the uSync Content folder and the Views folder deleted."""
        version = next(p for p in sorted((self.site / "uSync").iterdir()) if p.is_dir())
        return [f"uSync/{version.name}/Content", "Views"]

    def record(
        self, operation: str, tool: str, command: str, samples: list[Sample], **notes: object
    ) -> Measurement:
        measured = Measurement(
            operation=operation, tool=tool, command=command, samples=samples, notes=notes
        )
        self.results.append(measured)
        added = f", +{measured.bytes_added:,} bytes" if measured.bytes_added is not None else ""
        log(
            f"  {operation} / {tool}: {measured.wall_s:.2f} s wall, {measured.cpu_s:.2f} s CPU, "
            f"{measured.peak_rss_mb:.0f} MB peak{added}"
        )
        return measured

    def repeated(self, step: Callable[[], None]) -> None:
        for index in range(self.repeat):
            log(f"  repetition {index + 1}/{self.repeat}")
            step()

    # -- create ------------------------------------------------------------------------------

    def first_create(self, media: bool) -> None:
        """A restore point into an empty restore folder, against the anchors' first copies."""
        operation = CREATE_MEDIA if media else CREATE
        label = "media" if media else "plain"
        log(f"{operation}")
        store, repo = self.path("stores", label), self.path("restic", label)
        zip_out, tar_out = (
            self.path("archives", f"{label}.zip"),
            self.path("archives", f"{label}.tar.zst"),
        )
        samples: dict[str, list[Sample]] = {PR: [], RESTIC_FIRST: [], ZIP: [], TAR: []}

        def step() -> None:
            shutil.rmtree(store, ignore_errors=True)
            sample, point = self.pr.create(store, media)
            samples[PR].append(sample)
            self.facts[f"point_{label}"] = point["id"]
            self.restic.init(repo)
            samples[RESTIC_FIRST].append(self.restic.backup(repo, media))
            samples[ZIP].append(self.archivers.zip(zip_out, media))
            samples[TAR].append(self.archivers.tar(tar_out, media))

        self.repeated(step)
        flag = "--media" if media else "--no-media"
        self.record(operation, PR, f"publisher-restore create {flag} --json", samples[PR])
        self.record(
            operation, RESTIC_FIRST, "restic backup (new repository)", samples[RESTIC_FIRST]
        )
        self.record(operation, ZIP, "zip -qr OUT uSync Views wwwroot", samples[ZIP])
        self.record(operation, TAR, "tar --zstd -cf OUT uSync Views wwwroot", samples[TAR])

    def second_create(self) -> None:
        """Nothing changed since the point with media: time and bytes of another one."""
        log(SECOND)
        store, repo = self.path("stores", "media"), self.path("restic", "media")
        samples: dict[str, list[Sample]] = {PR: [], RESTIC_SECOND: []}

        def step() -> None:
            samples[PR].append(self.pr.create(store, media=True)[0])
            samples[RESTIC_SECOND].append(self.restic.backup(repo, media=True))

        self.repeated(step)
        self.record(SECOND, PR, "publisher-restore create --media --json", samples[PR])
        self.record(
            SECOND,
            RESTIC_SECOND,
            "restic backup (same paths, parent found)",
            samples[RESTIC_SECOND],
        )

    # -- damage, check, restore --------------------------------------------------------------

    def fingerprint(self) -> dict[str, tuple[int, str]]:
        """Size and SHA-256 of every file the damage deletes."""
        found: dict[str, tuple[int, str]] = {}
        for rel in self.damaged:
            for path in sorted((self.site / rel).rglob("*")):
                if path.is_file():
                    data = path.read_bytes()
                    found[path.relative_to(self.site).as_posix()] = (
                        len(data),
                        hashlib.sha256(data).hexdigest(),
                    )
        return found

    def damage(self) -> None:
        for rel in self.damaged:
            shutil.rmtree(self.site / rel, ignore_errors=True)

    def expect_repaired(self, tool: str, before: dict[str, tuple[int, str]]) -> None:
        after = self.fingerprint()
        if after != before:
            missing = sorted(set(before) - set(after))[:3]
            wrong = sorted(p for p in before if p in after and after[p] != before[p])[:3]
            raise RuntimeError(
                f"{tool} did not restore the site: missing {missing}, different {wrong}"
            )

    def damaged_site(self) -> None:
        """Check the damage, then restore it with each tool (the damage redone every time)."""
        log(f"{CHECK} / {RESTORE}")
        before = self.fingerprint()
        self.facts["damaged_files"] = len(before)
        store = self.path("stores", "plain")
        point = self.facts["point_plain"]
        self.damage()
        checks: list[Sample] = []
        changes: list[int] = []

        def check() -> None:
            sample, report = self.pr.run(store, "check", point, "--json")
            changes.append(report["summary"]["changes"])
            checks.append(sample)

        self.repeated(check)
        if set(changes) != {len(before)}:
            raise RuntimeError(
                f"check reported {changes} changes, {len(before)} files were deleted"
            )
        self.record(CHECK, PR, "publisher-restore check ID --json", checks, changes=changes[0])
        samples: dict[str, list[Sample]] = {PR: [], RESTIC_RESTORE: [], UNTAR: []}
        restic_repo, tar_archive = (
            self.path("restic", "plain"),
            self.path("archives", "plain.tar.zst"),
        )

        def step() -> None:
            samples[PR].append(
                self.pr.run(store, "restore", point, "--yes", "--no-pre-restore", "--json")[0]
            )
            self.expect_repaired(PR, before)
            self.damage()
            samples[RESTIC_RESTORE].append(self.restic.restore(restic_repo, self.damaged))
            self.expect_repaired(RESTIC_RESTORE, before)
            self.damage()
            samples[UNTAR].append(self.archivers.untar(tar_archive, self.damaged))
            self.expect_repaired(UNTAR, before)
            self.damage()

        self.repeated(step)
        self.pr.run(store, "restore", point, "--yes", "--no-pre-restore", "--json")
        self.expect_repaired(PR, before)
        command = "publisher-restore restore ID --yes --no-pre-restore --json"
        self.record(RESTORE, PR, command, samples[PR], files=len(before))
        self.record(
            RESTORE,
            RESTIC_RESTORE,
            "restic restore latest --target / --include ...",
            samples[RESTIC_RESTORE],
        )
        self.record(RESTORE, UNTAR, "tar --zstd -xf ARCHIVE -C SITE MEMBERS", samples[UNTAR])

    def check_unchanged(self) -> None:
        log(CHECK_CLEAN)
        store, point = self.path("stores", "plain"), self.facts["point_plain"]
        samples: list[Sample] = []

        def step() -> None:
            sample, report = self.pr.run(store, "check", point, "--json")
            if report["summary"]["changes"]:
                raise RuntimeError(
                    f"check of the unchanged site found {report['summary']['changes']} changes"
                )
            samples.append(sample)

        self.repeated(step)
        self.record(CHECK_CLEAN, PR, "publisher-restore check ID --json", samples)

    def pre_restore_media(self) -> None:
        """Restore the point with media after the damage, with a pre-restore point (once)."""
        log(PRE_RESTORE)
        store = self.path("stores", "media")
        before = self.fingerprint()
        self.damage()
        added = tree_bytes(store)
        sample, result = self.pr.run(store, "restore", self.facts["point_media"], "--yes", "--json")
        sample.bytes_added = tree_bytes(store) - added
        self.expect_repaired(PR, before)
        if not result.get("pre_restore_point"):
            raise RuntimeError("restore took no pre-restore point")
        command = "publisher-restore restore ID --yes --json (point with media)"
        self.record(
            PRE_RESTORE, PR, command, [sample], pre_restore_point=result["pre_restore_point"]
        )

    # -- analyse, list -----------------------------------------------------------------------

    def analyse(self) -> None:
        log(ANALYSE)
        samples: list[Sample] = []
        findings: list[int] = []
        store = self.path("stores", "unused")

        def step() -> None:
            args = (
                "analyse",
                "--current",
                str(self.site),
                "--incoming",
                str(self.changed),
                "--json",
            )
            sample, report = self.pr.run(store, *args)
            findings.append(report["summary"]["total"])
            samples.append(sample)

        self.repeated(step)
        if not findings[0]:
            raise RuntimeError("analyse found nothing in a copy with damaging changes")
        self.record(
            ANALYSE,
            PR,
            "publisher-restore analyse --current SITE --incoming COPY --json",
            samples,
            findings=findings[0],
        )

    def list_points(self) -> None:
        log(LIST)
        store = self.path("stores", "media")
        samples: list[Sample] = []
        counts: list[int] = []

        def step() -> None:
            sample, points = self.pr.run(store, "list", "--json")
            counts.append(len(points))
            samples.append(sample)

        self.repeated(step)
        self.record(LIST, PR, "publisher-restore list --json", samples, points=counts[0])

    def warm_up(self) -> None:
        """One untimed start of each program, so no measurement pays for a cold page cache."""
        run([str(self.pr.cli), "--version"])
        run([str(self.restic.executable), "version"])

    def run_all(self) -> None:
        self.warm_up()
        self.first_create(media=False)
        self.first_create(media=True)
        self.second_create()
        self.damaged_site()
        self.check_unchanged()
        self.pre_restore_media()
        self.analyse()
        self.list_points()
