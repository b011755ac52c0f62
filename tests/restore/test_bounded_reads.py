"""No item file is read whole past the item size limit: create, check and restore stay small.

A consistent restore point holding a 1 GiB ``.config`` of zeros (a few hundred KB
compressed) once made ``check`` and ``restore`` peak at 2 GB; ``create`` read it whole too.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from publisher_restore.restore.archive import read_member_bytes
from publisher_restore.usync.xmlsafe import MAX_ITEM_BYTES
from tests.conftest import SAMPLE_SITE, copy_site
from tests.restore.archive_craft import MEMBERS, honest, records

PEAK_BOUND_MB = 300

_RUN = """
import json, resource, sys
from pathlib import Path
from publisher_restore.service import RestoreService
site = Path(sys.argv[1])
huge = site / "uSync" / "v9" / "Content" / "huge.config"
with huge.open("wb") as handle:
    handle.truncate(1 << 30)
service = RestoreService.open(site)
point = service.create()
same = service.check(point.id)
huge.unlink()
gone = service.check(point.id)
service.restore(point.id, pre_restore=False)
print(json.dumps({
    "point_problems": [p.problem for p in point.problems],
    "same": [str(p) for p in same.problems],
    "gone": [str(p) for p in gone.problems],
    "gone_changes": [(c.path, c.change) for c in gone.changes],
    "restored": huge.stat().st_size,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
}))
"""


def test_a_1_gib_item_file_is_reported_with_bounded_memory(tmp_path: Path) -> None:
    site = copy_site(SAMPLE_SITE, tmp_path / "site")
    done = subprocess.run(
        [sys.executable, "-c", _RUN, str(site)], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    too_big = f"{1 << 30} bytes is over the {MAX_ITEM_BYTES}-byte limit for an item file"
    path = "uSync/v9/Content/huge.config"
    assert report["point_problems"] == [too_big]
    assert report["same"] == [f"current: {path}: {too_big}", f"incoming: {path}: {too_big}"]
    assert report["gone"] == [f"incoming: {path}: {too_big}"]
    assert report["gone_changes"] == [[path, "create"]]
    assert report["restored"] == 1 << 30
    assert report["peak_mb"] < PEAK_BOUND_MB, report


def test_read_member_bytes_leaves_out_members_over_the_bound() -> None:
    archive = honest()
    expected = records(MEMBERS)
    home, text = "uSync/v9/Content/home.config", "uSync/v9/DataTypes/text.config"
    found = read_member_bytes(io.BytesIO(archive), expected, {home, text}, max_bytes=100)
    assert found == {text: MEMBERS[text]}
    everything = read_member_bytes(io.BytesIO(archive), expected, {home, text}, max_bytes=None)
    assert everything == {home: MEMBERS[home], text: MEMBERS[text]}
