"""Shared fixtures: the read-only corpus beside the repo, and copies of sites to change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from publisher_restore.sample import sample_site_path
from tests import shared_folder

REPO = shared_folder.REPO
CORPUS = shared_folder.CORPUS
SAMPLE_SITE = sample_site_path()
CORPUS_SITES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []


def pytest_configure(config: pytest.Config) -> None:
    """Without the corpus most tests cannot run: stop at once and say where it was looked for."""
    if not CORPUS_SITES:
        raise pytest.UsageError(
            f"the shared corpus was not found at {CORPUS}: the tests read real uSync exports "
            "from ../shared/corpus beside the repository; clone beside it, or set "
            f"{shared_folder.ENV} to the shared folder"
        )


def copy_site(source: Path, target: Path) -> Path:
    """A writable copy of a site (corpus files are never changed in place)."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("restore"))
    for path in target.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    target.chmod(0o755)
    return target


@pytest.fixture
def sample_site(tmp_path: Path) -> Path:
    """A fresh copy of the bundled sample site."""
    return copy_site(SAMPLE_SITE, tmp_path / "sample-site")


@pytest.fixture(params=CORPUS_SITES)
def corpus_site(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A fresh copy of each real corpus site in turn."""
    return copy_site(CORPUS / request.param, tmp_path / request.param)
