"""``demo``: the main job end to end on a copy of the bundled sample site.

Take a restore point, make a damaging change (a property removed from a content
type, a translation edited, a view deleted, a stray file added), show what the
analyser says it cost, check what a restore would do, restore with a
pre-restore point, and prove the site is back byte for byte.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import click

from publisher_restore.cli.output import emit_json, plural, progress_for
from publisher_restore.cli.restoring import print_plan
from publisher_restore.cli.state import CliState
from publisher_restore.errors import PublisherRestoreError
from publisher_restore.hashing import file_digest
from publisher_restore.operations.decisions import Choice, Decision
from publisher_restore.runtime import Runtime
from publisher_restore.sample import sample_site_path
from publisher_restore.site import Site
from publisher_restore.usync.loader import ItemSet, load_items

SAMPLE_SITE = sample_site_path()
CONTENT_TYPE = "uSync/v9/ContentTypes/blogpost.config"
CONTENT_ITEM = "uSync/v9/Content/hello-world.config"
TEMP_PREFIX = "publisher-restore-demo-"


@click.command()
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    help="Copy the sample site here (default: a new temporary folder).",
)
@click.option(
    "--source",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=SAMPLE_SITE,
    show_default="the bundled sample site",
    help="The site to copy.",
)
@click.option("--keep", is_flag=True, help="Keep the temporary copy (--into always keeps it).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
@click.pass_obj
def demo(state: CliState, into: Path | None, source: Path, keep: bool, as_json: bool) -> None:
    """Run create -> damaging change -> analyse -> check -> restore on a copy of a site."""
    site_dir = _copy_site(source, into)
    keep = keep or into is not None
    say = (lambda _text: None) if as_json else click.echo
    say(f"Sample site copied to {site_dir}")
    runtime = Runtime.open(site_dir, state.pm)
    progress = progress_for(as_json)
    before = _fingerprint(runtime.site)
    point = runtime.restore_points(progress).create(
        note="demo: before the damaging change", include_media=True
    )
    say(f"1. Took restore point {point.id} "
        f"({plural(point.file_count, 'file')}, {plural(len(point.items), 'item')}).")  # fmt: skip
    items_before = _items(runtime.site)
    damage = _damage(site_dir)
    say("2. Made a damaging change: " + "; ".join(damage) + ".")
    analysis = runtime.analysis().compare(
        items_before,
        _items(runtime.site),
        semantics="complete",
        settings=runtime.env.analyser_settings(),
    )
    say("3. What the analyser says that change cost:")
    for finding in analysis.findings:
        say(f"  [{finding.severity.value}] {finding.code}: {finding.message}")
    operation = runtime.restore(progress)
    prepared = operation.prepare(point.id)
    plan = prepared.plan
    say("4. Checked what restoring would change:")
    if not as_json:
        print_plan(plan, details=True)
    result = operation.execute(prepared, Decision(choice=Choice.RESTORE_POINT, decided_by="demo"))
    say(f"5. Restored (pre-restore point {result.pre_restore_point}): "
        f"{plural(result.written, 'file')} written, {result.deleted} removed.")  # fmt: skip
    identical = _fingerprint(runtime.site) == before
    say("6. The site is byte-identical to the restore point." if identical
        else "6. MISMATCH: the site differs from the restore point.")  # fmt: skip
    if not identical:
        raise PublisherRestoreError(
            f"demo: the restored site differs from the restore point (the copy is kept at "
            f"{site_dir})"
        )
    if not keep:
        _remove_copy(site_dir)
    say(f"7. Kept the copy at {site_dir}." if keep
        else "7. Removed the temporary copy (pass --keep or --into DIR to keep it).")  # fmt: skip
    if as_json:
        emit_json({"site": str(site_dir), "kept": keep, "restore_point": point.id,
                   "damage": damage, "analysis": analysis.model_dump(mode="json"),
                   "check": plan.report(), "restore": result.model_dump(mode="json"),
                   "identical": identical})  # fmt: skip


def _items(site: Site) -> ItemSet:
    return load_items(site.root, site.usync_dir)


def _copy_site(source: Path, into: Path | None) -> Path:
    target = into or Path(tempfile.mkdtemp(prefix=TEMP_PREFIX)) / "site"
    if target.exists() and any(target.iterdir()):
        raise PublisherRestoreError(f"{target}: folder is not empty; choose another --into")
    shutil.copytree(source, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("restore"))
    return target


def _remove_copy(site_dir: Path) -> None:
    """Remove the temporary folder ``_copy_site`` made (the copy and its parent)."""
    shutil.rmtree(site_dir.parent if site_dir.parent.name.startswith(TEMP_PREFIX) else site_dir)


def _damage(site: Path) -> list[str]:
    """The kind of change a careless push makes."""
    content_type = site / CONTENT_TYPE
    text = content_type.read_text(encoding="utf-8-sig")
    blocks = re.findall(r"\s*<GenericProperty>.*?</GenericProperty>", text, re.S)
    [excerpt] = [b for b in blocks if "<Alias>excerpt</Alias>" in b]
    content_type.write_text("\ufeff" + text.replace(excerpt, ""), encoding="utf-8")
    item = site / CONTENT_ITEM
    text = item.read_text(encoding="utf-8-sig")
    item.write_text(
        "\ufeff" + text.replace("Hej Verden</Name>", "Hej Allesammen</Name>"), encoding="utf-8"
    )
    (site / "Views/blogPost.cshtml").unlink()
    (site / "wwwroot/css/extra.css").write_text("body { color: red; }\n", encoding="utf-8")
    return [
        "removed property 'excerpt' from content type 'blogPost'",
        "edited the Danish name of the post 'Hello World'",
        "deleted Views/blogPost.cshtml",
        "added wwwroot/css/extra.css",
    ]


def _fingerprint(site: Site) -> dict[str, str]:
    return {f.path: file_digest(f.abs_path)[1] for f in site.iter_files(include_media=True)}
