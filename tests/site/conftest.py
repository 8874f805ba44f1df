"""Site fixtures: a small project of test standards built once, and the shipped content built
once into a temporary folder (never into the repository's build/site/), by MkDocs and, for the
tests of the second builder, once by Zensical."""

from __future__ import annotations

import dataclasses
import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from site_helpers import FIXTURE, REPO, TODAY, make_project, serve_directory

from stdhub.config import Config, load_config
from stdhub.project import load_catalogue
from stdhub.site import build_site
from stdhub.standards.model import Catalogue


@pytest.fixture(scope="session")
def fixture_catalogue() -> Catalogue:
    catalogue, report = load_catalogue(FIXTURE / "standards", today=TODAY, base=FIXTURE)
    assert report.ok, report.as_text()
    return catalogue


@pytest.fixture(scope="session")
def fixture_project(tmp_path_factory: pytest.TempPathFactory, fixture_catalogue: Catalogue) -> Path:
    """The test standards in a project folder, the site built into <project>/build/site/
    as `stdhub build` builds it (the site step only: the data steps have their own tests)."""
    project = make_project(tmp_path_factory.mktemp("fixture-project"))
    catalogue, report = load_catalogue(project / "standards", today=TODAY, base=project)
    assert report.ok, report.as_text()
    build_site(catalogue, project, project / "build" / "site", today=TODAY)
    return project


@pytest.fixture(scope="session")
def fixture_site(fixture_project: Path) -> Path:
    return fixture_project / "build" / "site"


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content of standards/, built as `stdhub build` would, into a temp folder."""
    return _build_shipped(tmp_path_factory.mktemp("shipped"), load_config(REPO))


@pytest.fixture(scope="session")
def shipped_url(shipped_site: Path) -> Iterator[str]:
    yield from _served(shipped_site)


@pytest.fixture(scope="session")
def fixture_url(fixture_site: Path) -> Iterator[str]:
    yield from _served(fixture_site)


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content built as `stdhub build --builder zensical` would. Skips where
    Zensical is not installed, except in CI (STDHUB_REQUIRE_ZENSICAL=1: `.ci/run`)."""
    if importlib.util.find_spec("zensical") is None:
        if os.environ.get("STDHUB_REQUIRE_ZENSICAL"):
            pytest.fail("STDHUB_REQUIRE_ZENSICAL=1 but zensical is not installed")
        pytest.skip("zensical is not installed (pip install -r requirements.lock)")
    config = dataclasses.replace(load_config(REPO), builder="zensical")
    return _build_shipped(tmp_path_factory.mktemp("zensical"), config)


@pytest.fixture(scope="session")
def zensical_url(zensical_site: Path) -> Iterator[str]:
    yield from _served(zensical_site)


def _build_shipped(out: Path, config: Config) -> Path:
    """The shipped content of standards/ built with `config` into out/site (sources in
    out/src), as `stdhub build` builds it; returns the site folder."""
    catalogue, report = load_catalogue(REPO / "standards", today=TODAY, base=REPO)
    assert report.ok, report.as_text()
    build_site(catalogue, REPO, out / "site", today=TODAY, config=config, work_dir=out / "src")
    return out / "site"


def _served(site: Path) -> Iterator[str]:
    """`site` served over HTTP on a free local port for as long as the fixture lives."""
    url, server = serve_directory(site)
    yield url
    server.shutdown()
    server.server_close()
