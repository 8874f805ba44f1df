"""Dataset fixtures: the shipped catalogue, and small packages written into temporary folders."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from stdhub.datasets.check import check_datasets
from stdhub.datasets.descriptor import write_descriptor
from stdhub.problems import Report
from stdhub.project import load_catalogue
from stdhub.standards.model import Catalogue

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    found, report = load_catalogue(REPO / "standards", base=REPO)
    assert report.ok, report.as_text()
    return found


MakeDataset = Callable[..., Path]


@pytest.fixture
def make_dataset(tmp_path: Path) -> MakeDataset:
    """Write `datasets/<name>/` under tmp_path: a descriptor and its files (text or bytes)."""

    def make(
        descriptor: dict[str, Any], files: dict[str, str | bytes], name: str | None = None
    ) -> Path:
        folder = tmp_path / "datasets" / (name or descriptor.get("name", "test"))
        folder.mkdir(parents=True, exist_ok=True)
        write_descriptor(folder / "datapackage.yaml", copy.deepcopy(descriptor))
        for relpath, content in files.items():
            path = folder / relpath
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return tmp_path / "datasets"

    return make


@pytest.fixture
def check(catalogue: Catalogue, tmp_path: Path) -> Callable[..., Report]:
    """Check every package under tmp_path/datasets; the report (also checks the other engine)."""

    def run(engine: str = "auto") -> Report:
        _, report = check_datasets(tmp_path / "datasets", catalogue, tmp_path, engine=engine)
        return report

    return run
