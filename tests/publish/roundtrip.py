"""Publish dataset folders as `stdhub build` does (check, load, export the downloads) and
read every download back the way a developer would: unzip it, `frictionless validate` it,
read each resource through the published descriptor and compare every cell with SQLite."""

from __future__ import annotations

import datetime as dt
import decimal
import shutil
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

from stdhub.datasets.build import build_data
from stdhub.datasets.manifest import Dataset, Manifest, read_manifest
from stdhub.errors import DataBuildFailed
from stdhub.opendata.downloads import write_downloads
from stdhub.standards.model import Catalogue

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"


def publish(folders: list[Path], tmp: Path, catalogue: Catalogue, **extra: Any) -> Manifest:
    """Copy `folders` into `tmp/datasets/` (adding `extra` top-level properties to each
    JSON or YAML descriptor's copy), build `tmp/data/` and the downloads `tmp/dl/<name>/`."""
    root = tmp / "datasets"
    for folder in folders:
        shutil.copytree(folder, root / folder.name)
        if extra:
            _add(root / folder.name, extra)
    try:
        build_data(REPO, catalogue, out=tmp / "data", root=root)
    except DataBuildFailed as exc:
        raise AssertionError(exc.report.as_text()) from None
    manifest = read_manifest(tmp / "data")
    for d in manifest.open_datasets:
        write_downloads(d, tmp / "data" / (d.db or ""), tmp / "dl" / d.name)
    return manifest


def _add(folder: Path, extra: dict[str, Any]) -> None:
    import json

    import yaml

    for name in ("datapackage.json", "datapackage.yaml", "datapackage.yml"):
        path = folder / name
        if path.is_file():
            load = json.loads if name.endswith(".json") else yaml.safe_load
            data = load(path.read_text(encoding="utf-8"))
            data.update(extra)
            path.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
            if not name.endswith(".json"):
                path.rename(folder / "datapackage.json")


def round_trip(d: Dataset, tmp: Path) -> int:
    """Unzip `d`'s package, check it with frictionless and compare every cell read through
    its descriptor with SQLite; the number of cells compared."""
    from frictionless import Package

    unzipped = tmp / "unzipped" / d.name
    with zipfile.ZipFile(tmp / "dl" / d.name / f"{d.name}.zip") as zf:
        zf.extractall(unzipped)
    package = Package(str(unzipped / "datapackage.json"))
    report = package.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    con = sqlite3.connect(tmp / "data" / (d.db or ""))
    compared = 0
    try:
        for resource in package.resources:
            table = resource.path.removesuffix(".csv")
            names = [f.name for f in resource.schema.fields]
            columns = ", ".join(f'"{n}"' for n in names)
            stored = con.execute(f'select {columns} from "{table}" order by rowid').fetchall()
            read = list(resource.read_rows())
            assert len(read) == len(stored), (table, len(read), len(stored))
            for row, expected in zip(read, stored, strict=True):
                for i, f in enumerate(resource.schema.fields):
                    cell = row.cells[i] if i < len(row.cells) else ""
                    assert same(row[f.name], expected[i], f.type, cell), (
                        table,
                        row.row_number,
                        f.name,
                        row[f.name],
                        expected[i],
                    )
                    compared += 1
    finally:
        con.close()
    return compared


def same(value: Any, stored: Any, kind: str, cell: Any) -> bool:
    """Whether frictionless' `value` (read from the CSV `cell`) is the value SQLite holds."""
    if value is None or stored is None:
        return value is None and stored is None
    if kind == "number":
        return isinstance(value, decimal.Decimal | int | float) and float(value) == stored
    if kind == "boolean":
        return isinstance(value, bool) and int(value) == stored
    if kind in ("integer", "year"):
        return value == stored
    if kind == "date":
        return isinstance(value, dt.date) and value.isoformat() == stored
    if kind == "datetime":
        return value == dt.datetime.fromisoformat(stored) and cell == stored
    if kind == "time":
        return cell == stored
    if kind == "string":
        return value == stored
    return cell == stored  # geopoint, object, yearmonth …: published as written


class Quiet:
    """A fixture value with a short repr: Hypothesis prints every argument of a failing
    example, and the catalogue's repr runs to megabytes (a HypothesisWarning then hides
    the failure)."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"<{type(self.value).__name__}>"
