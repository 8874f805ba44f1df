"""Downloads of an open dataset, exported from its published SQLite file.

What a user downloads is exactly what Datasette serves. For each 无条件开放 dataset:

    <table>.csv          UTF-8, a header row of field names, one file per table
    <table>.json         an array of objects, one file per table
    <code table>.csv     the code lists its coded columns refer to
    datapackage.json     a Frictionless Data Package that links the CSV files by path
    <dataset>.zip        the same package in one file

Rows are streamed from SQLite to disk, never held in memory. 有条件开放 datasets have no
downloads at all (`write_downloads` refuses them).
"""

from __future__ import annotations

import csv
import json
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datasette.utils import escape_sqlite

from stdhub.datasets.manifest import CodeTable, Dataset, Table
from stdhub.errors import StdhubError

BATCH = 5000


@dataclass(frozen=True)
class DownloadFile:
    file: str  # the name inside the downloads folder
    title: str
    media_type: str
    size: int
    table: str | None = None


class NotPublishable(StdhubError):
    """A dataset without published rows (有条件开放) was asked for downloads."""


def resource_name(table: str) -> str:
    """Data Package resource names are lower case (`CL-HNMZ-0101` -> `cl-hnmz-0101`)."""
    return table.lower()


def write_downloads(dataset: Dataset, db: Path, out: Path) -> list[DownloadFile]:
    """Write every download of `dataset` into `out`; return them in the order to list them."""
    if not dataset.is_open:
        raise NotPublishable(f"{dataset.name} 是{dataset.access}数据集，不提供数据下载")
    out.mkdir(parents=True, exist_ok=True)
    files: list[DownloadFile] = []
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        for t in dataset.tables:
            columns = [f.name for f in t.fields]
            files.append(_csv(conn, t.name, columns, f"{t.title}（CSV）", out, t.name))
            files.append(_json(conn, t.name, columns, f"{t.title}（JSON）", out, t.name))
        for c in dataset.code_tables:
            columns = ["code", c.label_column]
            files.append(_csv(conn, c.name, columns, f"代码表：{c.title}（CSV）", out))
    finally:
        conn.close()
    csvs = [f.file for f in files if f.file.endswith(".csv")]
    text = json.dumps(data_package(dataset), ensure_ascii=False, indent=2) + "\n"
    (out / "datapackage.json").write_text(text, encoding="utf-8")
    files.append(
        _info(out, "datapackage.json", "数据包描述（datapackage.json）", "application/json")
    )
    zip_name = f"{dataset.name}.zip"
    with zipfile.ZipFile(out / zip_name, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(out / "datapackage.json", "datapackage.json")
        for name in csvs:
            zf.write(out / name, name)
    files.append(_info(out, zip_name, "完整数据包（ZIP：描述文件和全部 CSV）", "application/zip"))
    return files


def _info(
    out: Path, name: str, title: str, media_type: str, table: str | None = None
) -> DownloadFile:
    return DownloadFile(name, title, media_type, (out / name).stat().st_size, table)


def _batches(conn: sqlite3.Connection, table: str, columns: list[str]):
    """The rows of `columns`, in table order, a batch at a time."""
    names = ", ".join(escape_sqlite(c) for c in columns)
    cursor = conn.execute(f"select {names} from {escape_sqlite(table)} order by rowid")
    return iter(lambda: cursor.fetchmany(BATCH), [])


def _csv(
    conn: sqlite3.Connection,
    table: str,
    columns: list[str],
    title: str,
    out: Path,
    ref: str | None = None,
) -> DownloadFile:
    name = f"{table}.csv"
    batches = _batches(conn, table, columns)
    with (out / name).open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        for batch in batches:
            writer.writerows(batch)
    return _info(out, name, title, "text/csv", ref)


def _json(
    conn: sqlite3.Connection, table: str, columns: list[str], title: str, out: Path, ref: str
) -> DownloadFile:
    name = f"{table}.json"
    batches = _batches(conn, table, columns)
    with (out / name).open("w", encoding="utf-8") as f:
        f.write("[")
        first = True
        for batch in batches:
            for row in batch:
                f.write("\n" if first else ",\n")
                f.write(json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False))
                first = False
        f.write("\n]\n")
    return _info(out, name, title, "application/json", ref)


def data_package(dataset: Dataset) -> dict[str, Any]:
    """The Data Package descriptor of the downloads: resources link the CSV files by path."""
    meta = dataset.metadata
    package: dict[str, Any] = {
        "name": dataset.name,
        "title": dataset.title,
        "description": dataset.description,
        "resources": [_table_resource(t, dataset) for t in dataset.tables]
        + [_code_resource(c) for c in dataset.code_tables],
    }
    for key in ("version", "homepage", "licenses", "sources", "keywords", "contributors"):
        if meta.get(key):
            package[key] = meta[key]
    if dataset.last_updated:
        package["updated"] = dataset.last_updated.isoformat()
    if dataset.conforms_to:
        package["conforms_to"] = list(dataset.conforms_to)
    return package


def _resource(name: str, title: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": resource_name(name),
        "title": title,
        "path": f"{name}.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


def _table_resource(t: Table, dataset: Dataset) -> dict[str, Any]:
    codes = {c.name for c in dataset.code_tables}
    schema: dict[str, Any] = {
        "fields": [
            {
                k: v
                for k, v in (
                    ("name", f.name),
                    ("title", f.title),
                    ("type", f.type),
                    ("description", f.description),
                )
                if v
            }
            for f in t.fields
        ]
    }
    if t.primary_key:
        schema["primaryKey"] = list(t.primary_key)
    fks = [
        {
            "fields": list(fk.fields),
            "reference": {"resource": resource_name(fk.table), "fields": list(fk.columns)},
        }
        for fk in t.foreign_keys
        if fk.table in codes
    ]
    if fks:
        schema["foreignKeys"] = fks
    resource = _resource(t.name, t.title, schema)
    if t.description:
        resource["description"] = t.description
    return resource


def _code_resource(c: CodeTable) -> dict[str, Any]:
    schema = {
        "fields": [
            {"name": "code", "title": "代码", "type": "string"},
            {"name": c.label_column, "title": "名称", "type": "string"},
        ],
        "primaryKey": ["code"],
    }
    return _resource(c.name, c.title, schema)
