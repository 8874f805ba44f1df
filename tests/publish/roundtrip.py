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


# What a developer passes to pandas.read_csv for each Table Schema type of the published
# descriptor (every other type is read as the text the CSV holds).
_PANDAS_DTYPES = {"integer": "Int64", "year": "Int64", "number": "Float64", "boolean": "boolean"}


def read_back_with_pandas(d: Dataset, tmp: Path) -> int:
    """Read every CSV of `d`'s downloads with pandas, typed by the published descriptor as a
    developer would (`dtype` per field, `missingValues` as `na_values`, `trueValues` /
    `falseValues`, dates parsed), and by pandas.read_excel every XLSX beside it; compare
    every cell with SQLite. The number of cells compared."""
    import json

    import pandas as pd

    folder = tmp / "dl" / d.name
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    con = sqlite3.connect(tmp / "data" / (d.db or ""))
    compared = 0
    try:
        for resource in package["resources"]:
            schema = resource["schema"]
            fields = schema["fields"]
            names = [f["name"] for f in fields]
            table = resource["path"].removesuffix(".csv")
            columns = ", ".join(f'"{n}"' for n in names)
            stored = con.execute(f'select {columns} from "{table}" order by rowid').fetchall()
            true = [v for f in fields for v in f.get("trueValues", [])] or None
            false = [v for f in fields for v in f.get("falseValues", [])] or None
            frame = pd.read_csv(
                folder / resource["path"],
                dtype={f["name"]: _PANDAS_DTYPES.get(f["type"], "string") for f in fields},
                keep_default_na=False,
                na_values=[  # v2 may label them: {"value": "NA", "label": …}
                    m["value"] if isinstance(m, dict) else m
                    for m in schema.get("missingValues", [""])
                ],
                true_values=true,
                false_values=false,
            )
            assert list(frame.columns) == names, (table, list(frame.columns))
            assert len(frame) == len(stored), (table, len(frame), len(stored))
            for i, f in enumerate(fields):
                values = frame[f["name"]].tolist()
                if f["type"] == "date":  # what pd.to_datetime makes of the column
                    values = [None if v is pd.NA else pd.Timestamp(v).date() for v in values]
                for n, (value, expected) in enumerate(
                    zip(values, [r[i] for r in stored], strict=True)
                ):
                    assert _same_in_pandas(value, expected, f["type"]), (
                        table,
                        n + 2,
                        f["name"],
                        value,
                        expected,
                    )
                    compared += 1
            compared += _read_back_xlsx(folder / f"{table}.xlsx", stored)
    finally:
        con.close()
    return compared


def _same_in_pandas(value: Any, stored: Any, kind: str) -> bool:
    import pandas as pd

    if value is pd.NA or value is None or stored is None:
        return (value is pd.NA or value is None) and stored is None
    if kind == "boolean":
        return isinstance(value, bool) and int(value) == stored
    if kind == "date":
        return value.isoformat() == stored
    if kind == "number":
        return float(value) == stored
    return value == stored


def _read_back_xlsx(path: Path, stored: list[tuple[Any, ...]]) -> int:
    """Every cell of the spreadsheet download `path` (if there is one) as pandas.read_excel
    gives it, through openpyxl and through calamine, against SQLite's `stored` rows; 0 when
    the table has no XLSX. Integers past Excel's 15 digits are text, as written."""
    import pandas as pd

    if not path.is_file():
        return 0
    compared = 0
    for engine in ("openpyxl", "calamine"):
        frame = pd.read_excel(path, engine=engine, dtype=object, keep_default_na=False)
        assert len(frame) == len(stored), (path.name, engine, len(frame), len(stored))
        for n, (row, expected) in enumerate(
            zip(frame.itertuples(index=False), stored, strict=True)
        ):
            for value, want in zip(row, expected, strict=True):
                if want is None:
                    ok = value == "" or value is None
                elif isinstance(want, int) and abs(want) >= 10**15:
                    ok = value == str(want)
                elif isinstance(want, float | int):
                    ok = isinstance(value, float | int) and float(value) == float(want)
                else:
                    ok = value == want
                assert ok, (path.name, engine, n + 2, value, want)
                compared += 1
    return compared
