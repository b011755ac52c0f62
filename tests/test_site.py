"""The site model: uSync folder discovery, file scopes, the restore folder, symlinks."""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from publisher_restore.config import RestoreSettings
from publisher_restore.errors import ConfigError, SiteError, StorageError
from publisher_restore.restore.manifest import Scope
from publisher_restore.sample import sample_site_path
from publisher_restore.site import Site, SiteFile, SkippedPath
from publisher_restore.storage.local import LocalStorageProvider
from tests.shared_folder import CORPUS as SHARED_CORPUS

REPO = Path(__file__).resolve().parents[1]
CORPUS = SHARED_CORPUS
SAMPLE = sample_site_path()
DEFAULTS = RestoreSettings()


CORPUS_VERSIONS = {
    "clean-starter-kit": (17, ["v16", "v17"]),
    "umbracalendar": (17, ["v17"]),
    "zmenu": (9, ["v9"]),
    "nearbeach": (9, ["v9"]),
    "navsjon-sportfiske": (9, ["v9"]),
    "j-indies": (9, ["v9"]),
}


def corpus_figures() -> dict[str, tuple[int, int, int, int]]:
    """Per site, from the corpus README: uSync files and bytes, extra files and bytes."""
    text = (CORPUS / "README.md").read_text(encoding="utf-8")
    figures = {}
    pattern = re.compile(
        r"^## (\S+)$.*?^- uSync: (\d+) files, (\d+) bytes; "
        r"extra template/static files: (\d+) files, (\d+) bytes",
        re.M | re.S,
    )
    for match in pattern.finditer(text):
        name, *numbers = match.groups()
        figures[name] = (int(numbers[0]), int(numbers[1]), int(numbers[2]), int(numbers[3]))
    return figures


def disk_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def scope_counts(files: list[SiteFile]) -> Counter[Scope]:
    return Counter(file.scope for file in files)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A writable copy of the bundled sample site."""
    root = tmp_path / "sample-site"
    shutil.copytree(SAMPLE, root)
    return root


@pytest.mark.parametrize("name", sorted(CORPUS_VERSIONS))
def test_corpus_discovery(name: str) -> None:
    site = Site.open(CORPUS / name, DEFAULTS)
    version, folders = CORPUS_VERSIONS[name]
    assert site.usync_version == version
    assert site.usync_dir == (CORPUS / name).resolve() / "uSync" / f"v{version}"
    assert [path.name for path in site.all_usync_dirs] == folders
    assert site.usync_root == (CORPUS / name).resolve() / "uSync"
    assert all(folder.marked for folder in site.usync_folders)
    assert site.name == name


@pytest.mark.parametrize("pin", ["uSync/v16", "v16", "uSync/v16/"])
def test_pinned_usync_folder(pin: str) -> None:
    settings = RestoreSettings(usync_folder=pin.rstrip("/"))
    site = Site.open(CORPUS / "clean-starter-kit", settings)
    assert (site.usync_version, site.usync_dir.name) == (16, "v16")


@pytest.mark.parametrize("pin", ["uSync/v15", "../zmenu/uSync/v9", "uSync"])
def test_pinned_folder_must_exist_inside_usync(pin: str) -> None:
    with pytest.raises(SiteError, match="UsyncFolder"):
        Site.open(CORPUS / "clean-starter-kit", RestoreSettings(usync_folder=pin))


@pytest.mark.parametrize("name", sorted(CORPUS_VERSIONS))
def test_corpus_scopes_match_readme_figures(name: str) -> None:
    usync_files, usync_bytes, extra_files, extra_bytes = corpus_figures()[name]
    skipped: list[SkippedPath] = []
    files = list(Site.open(CORPUS / name, DEFAULTS).iter_files(skipped=skipped))
    usync = [file for file in files if file.scope is Scope.USYNC]
    extra = [file for file in files if file.scope in (Scope.VIEWS, Scope.STATIC)]
    assert len(usync) == usync_files and len(extra) == extra_files
    # Bytes are checked against the disk: the README's navsjon figure predates its e-mail
    # redaction (41 bytes less than the files hold); every other site matches it exactly.
    assert sum(file.size for file in usync) == disk_bytes(CORPUS / name / "uSync")
    if name != "navsjon-sportfiske":
        assert sum(file.size for file in usync) == usync_bytes
    assert sum(file.size for file in extra) == extra_bytes
    assert len(files) == len(usync) + len(extra)
    assert skipped == []


def test_backup_folder_is_archived_but_not_a_candidate() -> None:
    site = Site.open(CORPUS / "clean-starter-kit", DEFAULTS)
    backup = [f.path for f in site.iter_files() if f.path.startswith("uSync/v17-backup/")]
    assert len(backup) == 48
    assert site.scope_of("uSync/v17-backup/usync.config") is Scope.USYNC
    assert all(path.name != "v17-backup" for path in site.all_usync_dirs)


def test_sample_site_scopes_and_settings() -> None:
    site = Site.open(SAMPLE)
    assert (site.usync_version, site.usync_folder.marked) == (9, True)
    assert site.settings.retention.keep_last == 20
    files = list(site.iter_files())
    assert scope_counts(files) == {Scope.USYNC: 28, Scope.VIEWS: 4, Scope.STATIC: 2}
    paths = [file.path for file in files]
    assert paths == sorted(paths)
    assert "Views/Partials/nav.cshtml" in paths
    assert {"wwwroot/css/site.css", "wwwroot/scripts/site.js"} <= set(paths)
    for file in files:
        assert file.abs_path == site.root / file.path
        assert file.size == file.abs_path.stat().st_size


def test_media_only_when_asked() -> None:
    site = Site.open(SAMPLE)
    assert not [f for f in site.iter_files() if f.scope is Scope.MEDIA]
    media = [f.path for f in site.iter_files(include_media=True) if f.scope is Scope.MEDIA]
    assert media == ["wwwroot/media/abc123/photo-one.png", "wwwroot/media/def456/photo-two.png"]
    assert site.scope_of("wwwroot/media/abc123/photo-one.png") is Scope.MEDIA


def test_static_scope_rules(sample: Path) -> None:
    for rel in ("wwwroot/top.js", "wwwroot/css/vendor/deep.css", "wwwroot/js/app.js",
                "wwwroot/lib/jquery.js", "wwwroot/css/font.woff2", "wwwroot/favicon.ico",
                "Views/readme.txt", "node_modules/x.js", "wwwroot/umbraco/x.css"):  # fmt: skip
        (sample / rel).parent.mkdir(parents=True, exist_ok=True)
        (sample / rel).write_text("x")
    paths = {f.path for f in Site.open(sample, DEFAULTS).iter_files() if f.scope is Scope.STATIC}
    assert paths == {
        "wwwroot/css/site.css", "wwwroot/scripts/site.js", "wwwroot/top.js",
        "wwwroot/css/vendor/deep.css", "wwwroot/js/app.js",
    }  # fmt: skip


def test_default_restore_folder_is_excluded(sample: Path) -> None:
    site = Site.open(sample, DEFAULTS)
    assert site.restore_dir == sample.resolve() / "uSync" / "restore"
    assert site.state_dir == site.restore_dir / ".state" and not site.state_dir.exists()
    (site.make_state_dir() / "lock").write_text("x")
    (site.restore_dir / "points").mkdir()
    (site.restore_dir / "points" / "manifest.json").write_text("{}")
    # uSync's own restore folder (capital R) is the same folder on a case-blind disk.
    (sample / "uSync" / "Restore").mkdir()
    (sample / "uSync" / "Restore" / "old.zip").write_bytes(b"zip")
    paths = [f.path for f in site.iter_files(include_media=True)]
    assert not [p for p in paths if p.lower().startswith("usync/restore")]
    assert site.scope_of("uSync/restore/.state/lock") is None
    assert site.scope_of("uSync/Restore/old.zip") is None
    assert not site.owns("uSync/restore/points/manifest.json", list(Scope))


def test_configured_restore_folder_inside_the_site(sample: Path) -> None:
    site = Site.open(sample, RestoreSettings(folder="wwwroot/css/points"))
    (site.make_state_dir() / "journal.json").write_text("{}")
    (site.restore_dir / "kept.css").write_text("x")
    paths = [f.path for f in site.iter_files()]
    assert not [p for p in paths if p.startswith("wwwroot/css/points")]
    assert "wwwroot/css/site.css" in paths
    assert site.scope_of("wwwroot/css/points/kept.css") is None


def test_restore_folder_outside_the_site(sample: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "points"
    site = Site.open(sample, RestoreSettings(folder=str(outside)))
    assert site.restore_dir == outside
    assert site.make_state_dir().is_dir() and outside.is_dir()
    assert len(list(site.iter_files())) == 34


@pytest.mark.parametrize("folder", [".", "uSync", "uSync/v9", "..", "/"])
def test_restore_folder_must_not_swallow_the_site(sample: Path, folder: str) -> None:
    with pytest.raises(ConfigError, match="uSync:Restore:Folder"):
        Site.open(sample, RestoreSettings(folder=folder))


@pytest.mark.parametrize(
    "folder", ["wwwroot", "Views", "WWWROOT/css", "wwwroot/media", "~/wwwroot/js/"]
)
def test_restore_folder_must_not_hold_a_scope_folder(sample: Path, folder: str) -> None:
    with pytest.raises(ConfigError, match=r"uSync:Restore:Folder .* folder, which restore points"):
        Site.open(sample, RestoreSettings(folder=folder.removeprefix("~/").rstrip("/")))


def test_include_and_exclude_patterns(sample: Path) -> None:
    (sample / "wwwroot" / "fonts").mkdir()
    (sample / "wwwroot" / "fonts" / "a.woff2").write_bytes(b"font")
    (sample / "robots.txt").write_text("User-agent: *")
    settings = RestoreSettings(
        include=["wwwroot/fonts/**", "robots.txt", "uSync/v9/**"],
        exclude=["Views/Partials", "uSync/v9/Dictionary/*.config", "wwwroot/media/def456"],
    )
    site = Site.open(sample, settings)
    files = {f.path: f.scope for f in site.iter_files(include_media=True)}
    assert files["wwwroot/fonts/a.woff2"] is Scope.STATIC
    assert files["robots.txt"] is Scope.STATIC
    assert "Views/Partials/nav.cshtml" not in files and "Views/master.cshtml" in files
    assert not [path for path in files if "/Dictionary/" in path]
    assert "wwwroot/media/def456/photo-two.png" not in files
    assert "wwwroot/media/abc123/photo-one.png" in files
    assert files["uSync/v9/usync.config"] is Scope.USYNC
    assert site.owns("robots.txt", [Scope.STATIC])
    assert not site.owns("robots.txt", [Scope.USYNC, Scope.VIEWS])
    assert not site.owns("Views/Partials/nav.cshtml", list(Scope))


def test_symlinks_are_skipped_and_reported(sample: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "css").mkdir(parents=True)
    (outside / "secret.cshtml").write_text("outside")
    (outside / "css" / "x.css").write_text("outside")
    os.symlink(outside / "secret.cshtml", sample / "Views" / "linked.cshtml")
    os.symlink(outside / "css", sample / "wwwroot" / "css" / "linked")
    os.symlink(outside / "css" / "x.css", sample / "uSync" / "v9" / "linked.config")
    shutil.rmtree(sample / "wwwroot" / "media")
    os.symlink(outside, sample / "wwwroot" / "media")
    site = Site.open(sample, DEFAULTS)
    skipped: list[SkippedPath] = []
    paths = [f.path for f in site.iter_files(skipped=skipped)]
    assert not [p for p in paths if "linked" in p]
    assert [s.path for s in skipped] == [
        "Views/linked.cshtml", "uSync/v9/linked.config", "wwwroot/css/linked",
    ]  # fmt: skip
    assert all("symbolic link" in s.reason for s in skipped)
    with_media: list[SkippedPath] = []
    media = [f for f in site.iter_files(include_media=True, skipped=with_media)]
    assert not [f for f in media if f.scope is Scope.MEDIA]
    assert "wwwroot/media" in [s.path for s in with_media]


def test_unmarked_version_folder_needs_handler_folders(tmp_path: Path) -> None:
    (tmp_path / "uSync" / "v9" / "ContentTypes").mkdir(parents=True)
    (tmp_path / "uSync" / "v10" / "notes").mkdir(parents=True)
    (tmp_path / "uSync" / "v12-old" / "Content").mkdir(parents=True)
    site = Site.open(tmp_path, DEFAULTS)
    assert (site.usync_version, site.usync_folder.marked) == (9, False)
    assert [path.name for path in site.all_usync_dirs] == ["v9"]


def test_highest_version_wins_numerically(tmp_path: Path) -> None:
    for name in ("v8", "v9", "v14"):
        (tmp_path / "uSync" / name).mkdir(parents=True)
        (tmp_path / "uSync" / name / "usync.config").write_text("<uSync />")
    site = Site.open(tmp_path, DEFAULTS)
    assert site.usync_version == 14
    assert [path.name for path in site.all_usync_dirs] == ["v8", "v9", "v14"]


def test_missing_site_and_usync_folders(tmp_path: Path) -> None:
    with pytest.raises(SiteError, match="site folder does not exist"):
        Site.open(tmp_path / "missing", DEFAULTS)
    with pytest.raises(SiteError, match="no uSync folder"):
        Site.open(tmp_path, DEFAULTS)
    (tmp_path / "uSync" / "data").mkdir(parents=True)
    with pytest.raises(SiteError, match="no uSync version folder"):
        Site.open(tmp_path, DEFAULTS)


def test_scope_of_rejects_unsafe_paths() -> None:
    site = Site.open(SAMPLE, DEFAULTS)
    assert site.scope_of("uSync/../etc/passwd") is None
    assert site.scope_of("/etc/passwd") is None
    assert site.scope_of("") is None
    assert site.scope_of("uSync") is None
    assert site.scope_of("views/master.cshtml") is Scope.VIEWS
    assert site.scope_of("uSync\\v9\\usync.config") is Scope.USYNC


def test_rel_helper() -> None:
    site = Site.open(SAMPLE, DEFAULTS)
    assert site.rel(site.root / "uSync" / "v9" / "usync.config") == "uSync/v9/usync.config"
    assert site.rel(Path("Views/master.cshtml")) == "Views/master.cshtml"
    with pytest.raises(SiteError, match="not inside the site"):
        site.rel(site.root.parent / "other")


def test_a_linked_usync_folder_is_named_not_missing(sample: Path, tmp_path: Path) -> None:
    real = tmp_path / "real-v9"
    shutil.move(sample / "uSync" / "v9", real)
    os.symlink(real, sample / "uSync" / "v9")
    with pytest.raises(SiteError) as caught:
        Site.open(sample, DEFAULTS)
    assert str(caught.value).startswith(f"uSync/v9 is a symbolic link (to {real});")
    assert "never follows links in a site" in str(caught.value)
    # Pinned, the same link is named the same way.
    with pytest.raises(SiteError, match=r"uSync/v9 is a symbolic link"):
        Site.open(sample, RestoreSettings(usync_folder="v9"))


def test_a_linked_usync_root_is_named(sample: Path, tmp_path: Path) -> None:
    shutil.move(sample / "uSync", tmp_path / "elsewhere")
    os.symlink(tmp_path / "elsewhere", sample / "uSync")
    with pytest.raises(SiteError, match=r"^uSync is a symbolic link .*put the folder itself"):
        Site.open(sample, DEFAULTS)


def test_a_newer_linked_version_folder_is_refused_an_older_one_ignored(
    sample: Path, tmp_path: Path
) -> None:
    (tmp_path / "v10").mkdir()
    os.symlink(tmp_path / "v10", sample / "uSync" / "v10")
    with pytest.raises(SiteError, match=r"uSync/v10 is a symbolic link.*pin another version"):
        Site.open(sample, DEFAULTS)
    assert Site.open(sample, RestoreSettings(usync_folder="v9")).usync_version == 9
    (sample / "uSync" / "v10").unlink()
    os.symlink(tmp_path / "v10", sample / "uSync" / "v8")
    assert Site.open(sample, DEFAULTS).usync_version == 9


def test_the_restore_folder_gets_a_gitignore_on_first_use(sample: Path) -> None:
    site = Site.open(sample, DEFAULTS)
    assert not site.restore_dir.exists()
    site.state_dir  # noqa: B018 - naming it is a read: nothing is created
    assert not site.restore_dir.exists()
    site.make_state_dir()  # the first write creates the folder
    assert (site.restore_dir / ".gitignore").read_text().splitlines()[-1] == "*"
    provider = LocalStorageProvider(site.restore_dir)
    provider.put_bytes("points/x/manifest.json", b"{}")
    assert [info.name for info in provider.list()] == ["points/x/manifest.json"]
    with pytest.raises(StorageError, match="internal"):
        provider.put_bytes(".gitignore", b"")


def test_a_gitignore_is_written_once_and_never_over_a_users_file(sample: Path) -> None:
    restore = sample / "uSync" / "restore"
    restore.mkdir()
    (restore / ".gitignore").write_text("points/\n")
    assert Site.open(sample, DEFAULTS).make_state_dir().is_dir()
    assert (restore / ".gitignore").read_text() == "points/\n"
    (restore / ".gitignore").unlink()  # removed on purpose after first use: stays removed
    Site.open(sample, DEFAULTS).make_state_dir()
    LocalStorageProvider(restore).put_bytes("points/a", b"a")
    assert not (restore / ".gitignore").exists()


def test_a_web_served_restore_folder_is_warned_about(sample: Path) -> None:
    assert Site.open(sample, DEFAULTS).warnings == []
    served = Site.open(sample, RestoreSettings(folder="wwwroot/restore-points"))
    [warning] = served.warnings
    assert "inside wwwroot, which the web server serves" in warning
    assert str(served.restore_dir) in warning
    assert Site.open(sample, RestoreSettings(folder="App_Data/restore")).warnings == []


def test_has_media_folder(sample: Path) -> None:
    assert Site.open(sample, DEFAULTS).has_media_folder
    shutil.rmtree(sample / "wwwroot" / "media")
    assert not Site.open(sample, DEFAULTS).has_media_folder
