"""Packages this project did not write pass through unchanged: validated, loaded, not touched.

- `tests/fixtures/reference/country-codes/` (YAML descriptor, 249 rows, ODC-PDDL);
- `tests/datasets/reference/office-locations-geopoint/` (JSON descriptor with a geopoint
  field, from the frictionless 5.21.0 sdist, MIT), which the columnar engine leaves to
  frictionless.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from data_helpers import REFERENCE

from stdhub.datasets.build import build_data
from stdhub.datasets.check import check_datasets

HERE = Path(__file__).parent
PACKAGES = {
    "country-codes": (REFERENCE / "country-codes", "country-codes", 249),
    "office-locations-geopoint": (
        HERE / "reference/office-locations-geopoint",
        "office-locations",
        3,
    ),
}


def _tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(params=list(PACKAGES))
def package(request, tmp_path: Path) -> tuple[Path, str, int, str]:
    source, table, rows = PACKAGES[request.param]
    target = tmp_path / "datasets" / request.param
    shutil.copytree(source, target)
    declare_open(target)
    return target, table, rows, request.param


def declare_open(folder: Path) -> None:
    """The one line a data officer adds to a package from elsewhere: `access: 无条件开放`."""
    for path in folder.glob("datapackage.*"):
        if path.suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            data.setdefault("access", "无条件开放")
            path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        elif "access:" not in path.read_text(encoding="utf-8"):
            with path.open("a", encoding="utf-8") as f:
                f.write("\naccess: 无条件开放\n")


def test_validates_without_errors(package, catalogue, tmp_path: Path) -> None:
    folder, _, _, _ = package
    before = _tree_digest(folder)
    _, report = check_datasets(tmp_path / "datasets", catalogue, tmp_path)
    assert report.ok, report.as_text()
    assert {p.code for p in report.problems} <= {"Q001"}  # only gaps in the portal metadata
    assert _tree_digest(folder) == before


def test_loads_every_row_as_it_is(package, catalogue, tmp_path: Path) -> None:
    folder, table, rows, name = package
    before = _tree_digest(folder)
    build_data(tmp_path, catalogue, out=tmp_path / "build/data")
    assert _tree_digest(folder) == before
    entry = json.loads((tmp_path / "build/data/manifest.json").read_text(encoding="utf-8"))
    entry = entry["datasets"][0]
    con = sqlite3.connect(tmp_path / "build/data" / entry["db"])
    assert con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == rows
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    first = next(r for r in folder.rglob("*.csv"))
    with first.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        row = next(reader)
    loaded = con.execute(f'SELECT * FROM "{table}" LIMIT 1').fetchone()
    assert [str(v) for v in loaded][:3] == row[:3], name
    assert entry["quality"]["score"] < 100 and entry["validation"]["errors"] == 0


def test_country_codes_keep_their_text(catalogue, tmp_path: Path) -> None:
    source = PACKAGES["country-codes"][0]
    shutil.copytree(source, tmp_path / "datasets/country-codes")
    declare_open(tmp_path / "datasets/country-codes")
    build_data(tmp_path, catalogue, out=tmp_path / "build/data")
    con = sqlite3.connect(tmp_path / "build/data/country-codes.db")
    row = con.execute(
        'SELECT "ISO3166-1-Alpha-2", "Dial", "official_name_cn", typeof("ISO3166-1-numeric") '
        'FROM "country-codes" WHERE "ISO3166-1-Alpha-3" = ?',
        ("CHN",),
    ).fetchone()
    assert row == ("CN", "86", "中国", "text")
