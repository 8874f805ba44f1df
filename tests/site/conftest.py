"""Site fixtures: a small project of test standards built once, and the shipped content built
once into a temporary folder (never into the repository's build/site/)."""

from __future__ import annotations

import datetime as dt
import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from stdhub.site import build_site
from stdhub.standards.loader import load_catalogue
from stdhub.standards.model import Catalogue

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 28)  # the same day as tests/conftest.py's `today`
FIXTURE = Path(__file__).parent / "fixture"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve_directory(root: Path) -> tuple[str, ThreadingHTTPServer]:
    """Serve `root` over real HTTP on a free loopback port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


def make_project(root: Path, standards: Path = FIXTURE / "standards") -> Path:
    """A project folder: the given standards with the repository's docs and mkdocs.yml."""
    shutil.copytree(standards, root / "standards")
    shutil.copytree(REPO / "docs", root / "docs")
    hook = REPO / "src" / "stdhub" / "site" / "mkdocs_hook.py"
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        config.replace("src/stdhub/site/mkdocs_hook.py", str(hook)), encoding="utf-8"
    )
    return root


@pytest.fixture(scope="session")
def fixture_catalogue() -> Catalogue:
    catalogue, report = load_catalogue(FIXTURE / "standards", today=TODAY, base=FIXTURE)
    assert report.ok, report.as_text()
    return catalogue


@pytest.fixture(scope="session")
def fixture_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test standards, built with `stdhub build` into <project>/build/site/."""
    from stdhub.build import build_all

    project = make_project(tmp_path_factory.mktemp("fixture-project"))
    build_all(project, today=TODAY)
    return project


@pytest.fixture(scope="session")
def fixture_site(fixture_project: Path) -> Path:
    return fixture_project / "build" / "site"


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content of standards/, built as `stdhub build` would, into a temp folder."""
    out = tmp_path_factory.mktemp("shipped")
    catalogue, report = load_catalogue(REPO / "standards", today=TODAY, base=REPO)
    assert report.ok, report.as_text()
    build_site(catalogue, REPO, out / "site", today=TODAY, work_dir=out / "src")
    return out / "site"


@pytest.fixture(scope="session")
def shipped_url(shipped_site: Path) -> Iterator[str]:
    url, server = serve_directory(shipped_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def fixture_url(fixture_site: Path) -> Iterator[str]:
    url, server = serve_directory(fixture_site)
    yield url
    server.shutdown()
