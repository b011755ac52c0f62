"""The run's report: one markdown table of measurements, ratios and targets; or JSON."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from benchmarks.harness import scenarios as s
from benchmarks.harness.measure import MB, Measurement
from benchmarks.harness.targets import EVERY_COMMAND, Target
from benchmarks.synthetic_site import ChangeSummary, SiteSpec, SiteSummary

REPO = Path(__file__).resolve().parents[2]


class Report(BaseModel):
    profile: str
    spec: SiteSpec
    repeat: int
    started: str
    seconds: float
    machine: dict[str, Any]
    tools: dict[str, Any]
    site: SiteSummary
    changed_copy: ChangeSummary
    facts: dict[str, Any]
    measurements: list[Measurement]
    targets: list[Target]


def machine() -> dict[str, Any]:
    """What the numbers depend on: CPU, cores, memory, kernel, and how busy the machine was."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next(
            (
                line.split(":", 1)[1].strip()
                for line in cpuinfo.read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
    memory = 0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        memory = int(meminfo.read_text().split("MemTotal:")[1].split()[0]) * 1024
    return {
        "cpu": model or platform.processor(),
        "cores": os.cpu_count(),
        "memory_gb": round(memory / 1e9, 1),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
    }


def git_revision() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(REPO), *args], capture_output=True, text=True, check=False
        )
        return done.stdout.strip()

    revision = git("rev-parse", "--short", "HEAD") or "unknown"
    return revision + ("+changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def human_bytes(count: int | None) -> str:
    if count is None:
        return ""
    if abs(count) < 100_000:
        return f"{count:,} B"
    return f"{count / MB:,.1f} MB"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _target_cell(target: Target | None) -> str:
    if target is None:
        return ""
    return f"{target.text}: **{'met' if target.met else 'missed'}**"


def _ratios(ours: Measurement, other: Measurement, label: str = "") -> str:
    """Wall-time ratio (what targets judge), and the CPU-time ratio, steadier on a busy machine."""
    wall = f"{ours.wall_s / other.wall_s:.2f}x" if other.wall_s > 0 else "-"
    cpu = f"{ours.cpu_s / other.cpu_s:.2f}x" if other.cpu_s > 0 else "-"
    return f"{wall}{label} (CPU {cpu})"


def _measure_cells(m: Measurement) -> list[str]:
    return [f"{m.wall_s:.2f}", f"{m.cpu_s:.2f}", f"{m.peak_rss_mb:.0f}", human_bytes(m.bytes_added)]


def table(measurements: list[Measurement], targets: list[Target]) -> str:
    """Every operation: publisher-restore first, then each anchor with our time ÷ its time."""
    by_tool: dict[tuple[str, str], Target] = {(t.operation, t.tool): t for t in targets}
    header = [
        "operation",
        "run by",
        "wall s",
        "CPU s",
        "peak MB",
        "added",
        "publisher-restore ÷ anchor, wall (CPU)",
        "target",
    ]
    lines = [_row(header), _row(["---", "---", "--:", "--:", "--:", "--:", "--:", "---"])]
    operations = list(dict.fromkeys(m.operation for m in measurements))
    restore = next((r for r in measurements if (r.operation, r.tool) == (s.RESTORE, s.PR)), None)
    for operation in operations:
        rows = [m for m in measurements if m.operation == operation]
        ours = next((m for m in rows if m.tool == s.PR), None)
        for m in rows:
            first = m is rows[0]
            ratio = ""
            if m.tool != s.PR and ours is not None:
                ratio = _ratios(ours, m)
            target = by_tool.get((operation, m.tool))
            if m.tool == s.PR and operation == s.CHECK and restore is not None:
                target = by_tool.get((s.CHECK, s.PR))
                ratio = _ratios(m, restore, " restore")
            cells = [
                operation if first else "",
                m.tool,
                *_measure_cells(m),
                ratio,
                _target_cell(target),
            ]
            lines.append(_row(cells))
    memory = next((t for t in targets if t.operation == EVERY_COMMAND), None)
    if memory is not None:
        cells = [
            memory.operation,
            s.PR,
            "",
            "",
            f"{memory.measured:.0f}",
            "",
            "",
            _target_cell(memory),
        ]
        lines.append(_row(cells))
    return "\n".join(lines)


def summary_lines(report: Report) -> list[str]:
    spec, site, tools, machine_info = report.spec, report.site, report.tools, report.machine
    scopes = "; ".join(
        f"{name} {size.files:,} files {size.bytes / MB:,.1f} MB"
        for name, size in site.scopes.items()
    )
    restic = tools.get("restic", {})
    load_start, load_end = (
        machine_info.get("load_average_start"),
        machine_info.get("load_average_end"),
    )
    return [
        f"Profile {report.profile}: {spec.items:,} items, {spec.languages} languages, "
        f"{spec.views} views, {spec.static_files} static files, {spec.media_mb:g} MB media "
        f"(seed {spec.seed}); "
        f"median of {report.repeat} run(s) per operation, peak memory the highest run.",
        f"Site: {scopes}. Analyse copy: {report.changed_copy.changed:,} of "
        f"{report.changed_copy.items:,} items changed.",
        f"Machine: {machine_info['cpu']}, {machine_info['cores']} cores, "
        f"{machine_info['memory_gb']} GB; "
        f"{machine_info['system']}; load average {load_start} at the start, {load_end} at the end.",
        f"Versions: publisher-restore {tools.get('publisher_restore')} (git {tools.get('git')}), "
        f"{restic.get('version', '')} (repository v{restic.get('repository_version')}), "
        f"{tools.get('zip')}, {tools.get('tar')}, {tools.get('zstd')}.",
        f"Run {report.started}, {report.seconds:.0f} s in all. MB = 10^6 bytes; 'added' = bytes "
        f"added to the restore folder, the restic repository or the archive.",
    ]


def render(report: Report) -> str:
    met = sum(t.met for t in report.targets)
    return "\n".join(
        [
            *summary_lines(report),
            "",
            table(report.measurements, report.targets),
            "",
            f"Targets met: {met} of {len(report.targets)}.",
        ]
    )
