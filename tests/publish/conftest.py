"""Fixtures of the publishing tests: a small `build/data/` (see publish_data.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from publish_data import rows, write_build_data

from stdhub.config import Config
from stdhub.datasets.manifest import Manifest, read_manifest

SITE = "http://127.0.0.1:8000/"
DATA = "http://127.0.0.1:8001/"


@pytest.fixture(scope="session")
def build_data(tmp_path_factory) -> Path:
    """A `build/data/` folder of the two test datasets."""
    out = tmp_path_factory.mktemp("build") / "data"
    write_build_data(out)
    return out


@pytest.fixture(scope="session")
def data_manifest(build_data) -> Manifest:
    return read_manifest(build_data)


@pytest.fixture(scope="session")
def source_rows() -> list[dict[str, object]]:
    return rows()


@pytest.fixture
def config() -> Config:
    return Config(site_url=SITE, data_url=DATA)


@pytest.fixture(scope="session")
def catalogue(tmp_path_factory):
    from stdhub.project import load_catalogue

    repo = Path(__file__).resolve().parents[2]
    cat, _ = load_catalogue(repo / "standards", today=dt.date(2026, 11, 28), base=repo)
    return cat


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    """`stdhub serve` on a copy of the project, running for the whole session."""
    import serve_helpers

    root = serve_helpers.copy_project(tmp_path_factory.mktemp("served"))
    running = serve_helpers.start(root)
    yield running
    serve_helpers.stop(running)
