"""The harness's meter, its restore check and its targets (the timed runs are not tests)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from benchmarks.harness import scenarios as s
from benchmarks.harness.__main__ import main
from benchmarks.harness.measure import CommandFailed, Measurement, Sample, run
from benchmarks.harness.report import Report, table
from benchmarks.harness.scenarios import Bench
from benchmarks.harness.targets import EVERY_COMMAND, evaluate, memory_limit_mb
from benchmarks.harness.tools import Archivers, PublisherRestore, Restic
from benchmarks.synthetic_site import ChangeSummary, ScopeSize, SiteSpec, SiteSummary, generate_site


def test_a_childs_peak_memory_is_its_own_not_the_harness() -> None:
    # Linux carries a forking parent's high-water mark into the child's ru_maxrss across
    # exec; with 150 MB held here a naive wait4 would report `true` at 150 MB or more.
    held = b"x" * 150_000_000
    small, _ = run(["true"])
    big, _ = run([sys.executable, "-c", "data = b'y' * 80_000_000"])
    assert held[-1:] == b"x"
    assert small.peak_rss_mb < 20
    assert 80 <= big.peak_rss_mb < 150
    assert big.wall_s > 0 and big.cpu_s > 0


def test_output_comes_back_and_failures_name_the_command() -> None:
    _, out = run(["sh", "-c", "echo hello"])
    assert out == "hello\n"
    with pytest.raises(CommandFailed, match=r"exit 3.* exited with 3: boom"):
        run(["sh", "-c", "echo boom >&2; exit 3"])
    run(["sh", "-c", "exit 3"], ok=(3,))


def measured(
    operation: str, tool: str, wall: float, peak: float = 50, added: int | None = None
) -> Measurement:
    sample = Sample(wall_s=wall, cpu_s=wall, peak_rss_mb=peak, bytes_added=added)
    return Measurement(operation=operation, tool=tool, command="", samples=[sample])


def test_medians_of_time_and_the_highest_memory() -> None:
    samples = [
        Sample(wall_s=w, cpu_s=w / 2, peak_rss_mb=p) for w, p in ((3, 90), (1, 120), (2, 100))
    ]
    m = Measurement(operation="x", tool="y", command="", samples=samples)
    assert (m.wall_s, m.cpu_s, m.peak_rss_mb, m.bytes_added) == (2, 1, 120, None)


def test_targets_are_met_or_missed_by_the_ratios() -> None:
    results = [
        measured(s.CREATE, s.PR, 8.0, added=10_000_000),
        measured(s.CREATE, s.RESTIC_FIRST, 10.0),
        measured(s.CREATE, s.ZIP, 10.0),
        measured(s.CREATE_MEDIA, s.PR, 12.0),
        measured(s.CREATE_MEDIA, s.RESTIC_FIRST, 10.0),
        measured(s.SECOND, s.PR, 1.0, added=1_500_000),
        measured(s.SECOND, s.RESTIC_SECOND, 2.0),
        measured(s.CHECK, s.PR, 5.0, peak=260),
        measured(s.RESTORE, s.PR, 4.0),
        measured(s.RESTORE, s.RESTIC_RESTORE, 4.0),
        measured(s.PRE_RESTORE, s.PR, 4.0, added=10_900_000),
    ]
    targets = {
        (t.operation, t.tool, t.text): t
        for t in evaluate(results, items=20_000, media_bytes=600_000_000)
    }
    met = {(key[0], key[2]): t.met for key, t in targets.items()}
    assert met[s.CREATE, "≤ 1.0x restic first backup"] is True  # 0.8x
    assert met[s.CREATE_MEDIA, "≤ 1.0x restic first backup"] is False  # 1.2x
    assert met[s.CREATE, "≤ 0.5x zip -qr"] is False  # 0.8x
    assert met[s.SECOND, "≤ 1.0x restic unchanged backup"] is True
    assert met[s.SECOND, "adds ≤ 1 MB"] is False  # 1.5 MB
    assert met[s.RESTORE, "≤ 1.0x restic restore"] is True  # equal is within
    assert met[s.CHECK, "check ≤ restore"] is False  # 5 s against 4 s
    pre = next(t for t in targets.values() if t.operation == s.PRE_RESTORE)
    assert pre.met and pre.limit == 11.0  # a point without media (10 MB) + 1 MB
    memory = next(t for t in targets.values() if t.operation == EVERY_COMMAND)
    assert (memory.measured, memory.limit, memory.met) == (260, 200, False)
    assert "check of the damaged site" in memory.text
    assert len(targets) == 9
    without_media = evaluate(results, items=20_000, media_bytes=0)
    assert [t for t in without_media if t.operation == s.PRE_RESTORE] == []
    assert len(without_media) == 8


def test_memory_limit_follows_the_site_size() -> None:
    assert [memory_limit_mb(n) for n in (2_000, 20_000, 60_000, 100_000, 200_000)] == [
        200,
        200,
        300,
        400,
        400,
    ]


def test_the_table_shows_every_run_its_ratio_and_its_target() -> None:
    results = [
        measured(s.CREATE, s.PR, 9.0, added=2_000_000),
        measured(s.CREATE, s.RESTIC_FIRST, 3.0),
        measured(s.CREATE, s.TAR, 1.0),
        measured(s.LIST, s.PR, 0.5),
    ]
    text = table(results, evaluate(results, items=2_000, media_bytes=0))
    lines = text.splitlines()
    assert len(lines) == 2 + 4 + 1  # header, rule, four runs, the memory row
    assert "| restic first backup | 3.00 |" in text and "| 3.00x (CPU 3.00x) |" in text
    assert "≤ 1.0x restic first backup: **missed**" in text
    assert "| tar --zstd -cf | 1.00 |" in text and "| 9.00x (CPU 9.00x) |" in text
    assert "2.0 MB" in text


def test_a_restore_that_did_not_bring_the_files_back_is_caught(tmp_path: Path) -> None:
    site = tmp_path / "site"
    generate_site(site, SiteSpec(items=300, views=4, static_files=2, media_mb=0))
    cache = tmp_path / "cache"
    bench = Bench(
        tmp_path,
        site,
        tmp_path / "changed",
        1,
        PublisherRestore(Path("publisher-restore"), site),
        Archivers(site),
        Restic(Path("restic"), site, cache),
    )
    assert bench.damaged == ["uSync/v9/Content", "Views"]
    before = bench.fingerprint()
    assert len(before) == len(list((site / "uSync/v9/Content").iterdir())) + 4
    shutil.copytree(site, tmp_path / "backup")
    bench.damage()
    with pytest.raises(RuntimeError, match="did not restore the site: missing"):
        bench.expect_repaired("nothing", before)
    shutil.copytree(tmp_path / "backup" / "Views", site / "Views")
    shutil.copytree(tmp_path / "backup/uSync/v9/Content", site / "uSync/v9/Content")
    changed = next((site / "Views").glob("*.cshtml"))
    changed.write_text(changed.read_text() + " ")
    with pytest.raises(RuntimeError, match="different"):
        bench.expect_repaired("half", before)
    shutil.copy2(tmp_path / "backup" / "Views" / changed.name, changed)
    bench.expect_repaired("copy", before)


def test_a_saved_report_renders_again(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = [measured(s.CREATE, s.PR, 2.0), measured(s.CREATE, s.ZIP, 1.0)]
    spec = SiteSpec(items=300, media_mb=0)
    report = Report(
        profile="quick",
        spec=spec,
        repeat=1,
        started="2026-01-01T00:00:00+00:00",
        seconds=1.0,
        machine={"cpu": "test", "cores": 2, "memory_gb": 1, "system": "Linux"},
        tools={"restic": {"version": "restic 0.14.0"}},
        site=SiteSummary(
            spec=spec, items={"Content": 300}, scopes={"usync": ScopeSize()}, seconds=0
        ),
        changed_copy=ChangeSummary(items=300, changed=7, kinds={}),
        facts={},
        measurements=results,
        targets=evaluate(results, 300, 0),
    )
    saved = tmp_path / "report.json"
    saved.write_text(report.model_dump_json())
    assert main(["--render", str(saved)]) == 0
    out = capsys.readouterr().out
    assert "| zip -qr | 1.00 |" in out and "≤ 0.5x zip -qr: **missed**" in out
    assert out.startswith("Profile quick: 300 items")
