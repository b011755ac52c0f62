"""What a push writes on the target, decided case by case, on copies of a real site.

File names (the target's kept for a paired item, a clash renamed, a Delete marker in the
item's file), ``--mirror`` (Delete markers for target-only items), site files (never
through a link), one result per item (``StopOnError``), the plan token, and a prompt
answered in the target's dashboard while the terminal waits.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pluggy
import pytest

from publisher_restore import RegisterStorageProvider, hookimpl
from publisher_restore.errors import PlanOutdatedError, StorageError
from publisher_restore.operations.answers import Answering, Poll
from publisher_restore.operations.contexts import PublishOutcome, PublishResult
from publisher_restore.operations.decisions import Choice, Decision, OperationKind
from publisher_restore.operations.import_plan import ImportOptions, PreparedImport
from publisher_restore.operations.pack_sources import PublishRequest, SitePack
from publisher_restore.operations.pending import PendingPlans
from publisher_restore.operations.pipeline import ImportPipeline, PublishRun
from publisher_restore.operations.push import push_to_site
from publisher_restore.plugin_manager import build_plugin_manager
from publisher_restore.runtime import Runtime
from publisher_restore.site import Site
from publisher_restore.storage.base import ProgressCallback
from publisher_restore.storage.memory import MemoryStorageProvider
from publisher_restore.usync.loader import parse_file_bytes
from publisher_restore.usync.models import EmptyAction, EmptyItem
from tests.publisher.sites import edit_description, every_file, set_publisher, site_pair
from tests.restore.helpers import fingerprint

V17 = "uSync/v17"
HOME = f"{V17}/ContentTypes/home.config"
ABOUT = f"{V17}/Content/about.config"
COLOR = f"{V17}/DataTypes/ApprovedColor.config"
COLOR_KEY = "0225af17-b302-49cb-9176-b9f35cab9c17"


def manager() -> pluggy.PluginManager:
    return build_plugin_manager(load_entry_points=False)


def push(
    source: Path,
    target: Path,
    request: PublishRequest | None = None,
    answering: Answering | None = None,
) -> PublishResult:
    runtime = Runtime.open(target, manager())
    return push_to_site(
        Site.open(source),
        runtime.env,
        request or PublishRequest(),
        PublishRun(answering or Answering(yes=True), who="tester@test"),
    )


def key_of(path: Path) -> str:
    item = parse_file_bytes(path.read_bytes(), path.name)
    assert not isinstance(item, EmptyItem) and item.key
    return str(item.key)


def test_a_renamed_item_keeps_the_targets_file_name_and_the_rename_marker_writes_nothing(
    tmp_path: Path,
) -> None:
    source, target = site_pair(tmp_path)
    renamed = source / V17 / "ContentTypes" / "homepage.config"
    renamed.write_bytes((source / HOME).read_bytes())
    edit_description(source, f"{V17}/ContentTypes/homepage.config", "Renamed and edited")
    key = key_of(source / HOME)
    (source / HOME).write_text(
        f'\ufeff<?xml version="1.0" encoding="utf-8"?>\n<Empty Key="{key}" Alias="home" '
        'Change="Rename" />',
        encoding="utf-8",
    )

    result = push(source, target)

    assert result.outcome is PublishOutcome.SUCCEEDED
    assert [c.path for c in result.changes] == [HOME]
    assert (target / HOME).read_bytes() == renamed.read_bytes()
    assert not (target / V17 / "ContentTypes" / "homepage.config").exists()


def test_a_new_item_whose_file_name_another_item_holds_gets_a_name_of_its_own(
    tmp_path: Path,
) -> None:
    source, target = site_pair(tmp_path)
    new_key = "5ea7c1a5-0000-4000-8000-00000000c0de"
    text = (source / COLOR).read_text(encoding="utf-8-sig")
    text = text.replace(COLOR_KEY, new_key).replace('Alias="Approved Color"', 'Alias="Brand Color"')
    (source / COLOR).write_text("\ufeff" + text, encoding="utf-8")

    runtime = Runtime.open(target, manager())
    pipeline = ImportPipeline(runtime.env, OperationKind.PUSH, "tester@test")
    with pipeline.open_pack(
        SitePack(Site.open(source), PublishRequest()).produce(tmp_path), ImportOptions()
    ) as pack:
        prepared = pipeline.prepare(pack, "a test", ImportOptions())
        [change] = [c for c in prepared.items if c.writes != "nothing"]
        assert (
            change.change == "create"
            and change.path == f"{V17}/DataTypes/ApprovedColor_5ea7c1a5.config"
        )
        assert change.note is not None and "another item's file" in change.note
        pipeline.execute(prepared, Decision(choice=Choice.CONTINUE, decided_by="test"), pack)

    assert key_of(target / COLOR) == COLOR_KEY, "the target's own item is not clobbered"
    assert key_of(target / V17 / "DataTypes" / "ApprovedColor_5ea7c1a5.config") == new_key


def test_a_delete_marker_replaces_the_file_of_the_item_it_deletes(tmp_path: Path) -> None:
    source, target = site_pair(tmp_path)
    key = key_of(source / ABOUT)
    marker = (
        '\ufeff<?xml version="1.0" encoding="utf-8"?>\n'
        f'<Empty Key="{key}" Alias="About" Change="Delete" />'
    )
    (source / ABOUT).write_text(marker, encoding="utf-8")

    result = push(source, target)

    assert [(c.path, c.change) for c in result.changes] == [(ABOUT, "delete")]
    assert (target / ABOUT).read_bytes() == (source / ABOUT).read_bytes()


def test_mirror_turns_items_only_the_target_holds_into_delete_markers(tmp_path: Path) -> None:
    source, target = site_pair(tmp_path)
    dictionary = f"{V17}/Dictionary/article.by.config"
    (source / dictionary).unlink()
    before = every_file(target)

    kept = push(source, target)
    assert kept.outcome is PublishOutcome.UNCHANGED and every_file(target) == before

    mirrored = push(source, target, PublishRequest(mirror=True))

    assert [(c.path, c.change) for c in mirrored.changes] == [(dictionary, "delete")]
    data = (target / dictionary).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "the marker keeps the style of the file it replaces"
    marker = parse_file_bytes(data, dictionary)
    assert isinstance(marker, EmptyItem) and marker.action is EmptyAction.DELETE
    assert marker.key == "62cbe7af-2ff1-4584-b2e2-6f50cf11e116" and marker.alias == "Article.By"
    assert marker.item_type == "Dictionary"


def test_site_files_are_written_but_never_through_a_link(tmp_path: Path) -> None:
    source, target = site_pair(tmp_path)
    (source / "Views" / "home.cshtml").write_text("<h1>new home</h1>\n", encoding="utf-8")
    (source / "Views" / "contact.cshtml").write_text("<h1>new contact</h1>\n", encoding="utf-8")
    outside = tmp_path / "outside.cshtml"
    outside.write_text("not the site's", encoding="utf-8")
    (target / "Views" / "contact.cshtml").unlink()
    (target / "Views" / "contact.cshtml").symlink_to(outside)

    result = push(source, target, PublishRequest(files=True))

    assert [c.path for c in result.changes] == ["Views/home.cshtml"]
    assert (target / "Views" / "home.cshtml").read_text(encoding="utf-8") == "<h1>new home</h1>\n"
    assert outside.read_text(encoding="utf-8") == "not the site's"
    [note] = [note for note in result.notes if "contact.cshtml" in note]
    assert "blocked" in note and "symbolic link" in note


@pytest.mark.parametrize("stop_on_error", [False, True])
def test_a_failing_item_does_not_stop_the_rest_unless_stop_on_error(
    tmp_path: Path, stop_on_error: bool
) -> None:
    source, target = site_pair(tmp_path)
    extra = source / V17 / "DataTypes" / "Extra" / "Brand.config"
    extra.parent.mkdir()
    text = (source / COLOR).read_text(encoding="utf-8-sig")
    text = text.replace(COLOR_KEY, "5ea7c1a5-0000-4000-8000-0000000b0a7d")
    extra.write_text("\ufeff" + text.replace('"Approved Color"', '"Brand"'), encoding="utf-8")
    edit_description(source, HOME, "Written after the data type failed")
    set_publisher(target, StopOnError=stop_on_error)
    runtime = Runtime.open(target, manager())
    pipeline = ImportPipeline(runtime.env, OperationKind.PUSH, "tester@test")
    options = ImportOptions()
    pack = pipeline.open_pack(
        SitePack(Site.open(source), PublishRequest()).produce(tmp_path), options
    )
    prepared = pipeline.prepare(pack, "a test", options)
    (target / V17 / "DataTypes" / "Extra").write_text("a file where a folder goes", "utf-8")

    result = pipeline.execute(prepared, Decision(choice=Choice.CONTINUE, decided_by="t"), pack)

    outcomes = {c.path: c.outcome for c in result.changes}
    assert outcomes[f"{V17}/DataTypes/Extra/Brand.config"] == "failed"
    assert result.outcome is PublishOutcome.PARTIAL
    if stop_on_error:
        assert outcomes[HOME] == "not-attempted"
        assert b"Written after" not in (target / HOME).read_bytes()
    else:
        assert outcomes[HOME] == "written"
        assert b"Written after" in (target / HOME).read_bytes()
    history = pipeline.history().entries()[0]
    assert history[0].record.outcome.value == "partial"


def test_a_target_changed_after_prepare_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    source, target = site_pair(tmp_path)
    edit_description(source, HOME, "Pushed")
    runtime = Runtime.open(target, manager())
    pipeline = ImportPipeline(runtime.env, OperationKind.PUSH, "tester@test")
    pack = pipeline.open_pack(
        SitePack(Site.open(source), PublishRequest()).produce(tmp_path), ImportOptions()
    )
    prepared = pipeline.prepare(pack, "a test", ImportOptions())
    edit_description(target, f"{V17}/ContentTypes/author.config", "Someone else's edit")
    before = fingerprint(target)

    with pytest.raises(PlanOutdatedError, match=r"author\.config"):
        pipeline.execute(prepared, Decision(choice=Choice.CONTINUE, decided_by="t"), pack)

    assert fingerprint(target) == before
    assert pipeline.history().entries() == ([], [])


class WaitForTheDashboard:
    """A terminal nobody types at: it waits until the answer arrives from elsewhere."""

    def __init__(self) -> None:
        self.asked: list[PreparedImport] = []

    def __call__(self, prepared: PreparedImport, elsewhere: Poll) -> Decision:
        self.asked.append(prepared)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            answer = elsewhere()
            if answer is not None:
                return answer
            time.sleep(0.05)
        raise AssertionError("nobody answered")


def test_a_prompt_answered_in_the_targets_dashboard_lets_the_waiting_push_continue(
    tmp_path: Path,
) -> None:
    source, target = site_pair(tmp_path)
    edit_description(source, HOME, "Answered in a browser")
    pending = PendingPlans(Runtime.open(target, manager()).env.state_dir)

    def dashboard() -> None:  # what the target's dashboard does with a waiting operation
        for _ in range(600):
            waiting = pending.listing().waiting
            if waiting:
                answer = Decision(choice=Choice.CONTINUE, decided_by="admin@dashboard")
                pending.answer(waiting[0].id, answer)
                return
            time.sleep(0.05)

    browser = threading.Thread(target=dashboard)
    browser.start()
    asker = WaitForTheDashboard()
    result = push(source, target, answering=Answering(ask=asker))
    browser.join()

    assert len(asker.asked) == 1
    assert result.decision is not None and result.decision.decided_by == "admin@dashboard"
    assert result.restore_point is None and result.written == 1
    assert pending.listing().waiting == [], "the answered entry is gone once executed"


class StorageOutage(MemoryStorageProvider):
    """A store whose uploads fail (an unreachable storage account), reads and locks work."""

    def put_file(
        self,
        name: str,
        source: Path,
        *,
        overwrite: bool = False,
        progress: ProgressCallback | None = None,
    ) -> None:
        raise StorageError(f"{name}: the storage account is unreachable")

    def put_bytes(self, name: str, data: bytes, *, overwrite: bool = False) -> None:
        raise StorageError(f"{name}: the storage account is unreachable")


def test_a_decided_restore_point_that_cannot_be_written_stops_the_push_before_it_writes(
    tmp_path: Path,
) -> None:
    source, target = site_pair(tmp_path)
    edit_description(source, HOME, "Never written: the point failed")
    set_publisher(target, Push="Always")
    settings = target / "appsettings.json"
    config = json.loads(settings.read_text(encoding="utf-8"))
    config["uSync"]["Restore"]["Storage"] = {"Outage": {"Account": "unreachable"}}
    settings.write_text(json.dumps(config), encoding="utf-8")
    stores: list[StorageOutage] = []

    def open_outage(_request: object) -> StorageOutage:
        stores.append(StorageOutage())
        return stores[-1]

    class OutagePlugin:
        @hookimpl
        def register_storage_providers(self, register: RegisterStorageProvider) -> None:
            register("Outage", open_outage)

    pm = manager()
    pm.register(OutagePlugin())
    before = fingerprint(target)
    runtime = Runtime.open(target, pm)

    # the restore point's first upload fails (not the history's: it has none)
    with pytest.raises(StorageError, match=r"^(creating|objects|points)/.*unreachable"):
        push_to_site(
            Site.open(source), runtime.env, PublishRequest(), PublishRun(Answering(), "tester@test")
        )

    assert fingerprint(target) == before
    [store] = stores
    assert [info.name for info in store.list("operations/")] == []


def test_undo_deletes_what_the_operation_created_and_puts_back_what_it_replaced(
    tmp_path: Path,
) -> None:
    from publisher_restore.operations.undo import UndoOperation

    source, target = site_pair(tmp_path)
    created = f"{V17}/DataTypes/Brand.config"
    text = (source / COLOR).read_text(encoding="utf-8-sig")
    text = text.replace(COLOR_KEY, "5ea7c1a5-0000-4000-8000-0000000b0a7d")
    (source / created).write_text("\ufeff" + text.replace('"Approved Color"', '"Brand"'), "utf-8")
    (source / "Views" / "brand.cshtml").write_text("<p>brand</p>\n", encoding="utf-8")
    (source / "Views" / "home.cshtml").write_text("<h1>pushed home</h1>\n", encoding="utf-8")
    before = fingerprint(target)
    pushed = push(source, target, PublishRequest(files=True))
    assert pushed.operation_id is not None and pushed.restore_point is not None
    assert {c.path: c.change for c in pushed.changes} == {
        created: "create",
        "Views/brand.cshtml": "create",
        "Views/home.cshtml": "update",
    }

    runtime = Runtime.open(target, manager())
    undo = UndoOperation(runtime.env, "tester@test")
    prepared = undo.prepare(pushed.operation_id)
    assert sorted(prepared.selected) == sorted(c.path for c in pushed.changes)
    result = undo.execute(prepared, undo.decide(prepared))

    assert (result.written, result.deleted) == (1, 2)
    assert fingerprint(target) == before
