"""Downloads of an open dataset, exported from its published SQLite file.

What a user downloads is exactly what Datasette serves. For each 无条件开放 dataset:

    <table>.csv          UTF-8, a header row of field names, one file per table
    <table>.json         an array of objects, one file per table
    <table>.xlsx         for spreadsheets (tables up to XLSX_MAX_ROWS rows): every text
                         cell a text cell, so codes keep their leading zeros, Chinese
                         needs no encoding guess, and a cell such as `=1+1` is never a
                         formula; numbers beyond 15 digits are text too
    <code table>.csv     the code lists its coded columns refer to
    datapackage.json     a Frictionless Data Package that links the CSV files by path
    <dataset>.zip        the same package in one file

The machine CSV is byte for byte what the database holds, formulas included: the XLSX
is the one to open in Excel. Rows are streamed from SQLite to disk, never held in memory. 有条件开放 datasets have no
downloads at all (`write_downloads` refuses them).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datasette.utils import escape_sqlite

from stdhub.addresses import csv_file, resource_name
from stdhub.datasets import categories, published
from stdhub.datasets.csvshape import FORMULA_STARTS
from stdhub.datasets.manifest import CodeTable, Dataset, Table
from stdhub.errors import NotPublishable

BATCH = 5000
XLSX_MAX_ROWS = 100_000  # larger tables take minutes to write as XLSX; their CSV serves
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_EXACT_IN_EXCEL = 10**15  # Excel keeps 15 significant digits
DateTime = tuple[int, int, int, int, int, int]


@dataclass(frozen=True)
class DownloadFile:
    file: str  # the name inside the downloads folder
    title: str
    media_type: str
    size: int
    table: str | None = None


def write_downloads(dataset: Dataset, db: Path, out: Path) -> list[DownloadFile]:
    """Write every download of `dataset` into `out`; return them in the order to list them."""
    if not dataset.is_open:
        raise NotPublishable(f"{dataset.name} 是{dataset.access}数据集，不提供数据下载")
    out.mkdir(parents=True, exist_ok=True)
    files: list[DownloadFile] = []
    when = archive_date(dataset)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        for t in dataset.tables:
            columns = [f.name for f in t.fields]
            files.append(_csv(conn, t.name, columns, f"{t.title}（CSV）", out, t.name))
            files.append(_json(conn, t.name, columns, f"{t.title}（JSON）", out, t.name))
            rows = t.rows if t.rows is not None else _count(conn, t.name)
            if rows <= XLSX_MAX_ROWS:
                headers = [f.title or f.name for f in t.fields]
                title = f"{t.title}（Excel 表格）"
                files += _xlsx(conn, t.name, columns, headers, title, out, when=when)
        for c in dataset.code_tables:
            columns = ["code", c.label_column]
            files.append(_csv(conn, c.name, columns, f"代码表：{c.title}（CSV）", out))
            title = f"代码表：{c.title}（Excel 表格）"
            files += _xlsx(conn, c.name, columns, ["代码", "名称"], title, out, ref=None, when=when)
    finally:
        conn.close()
    csvs = [f.file for f in files if f.file.endswith(".csv")]
    text = json.dumps(data_package(dataset), ensure_ascii=False, indent=2) + "\n"
    (out / "datapackage.json").write_text(text, encoding="utf-8")
    files.append(
        _info(out, "datapackage.json", "数据包描述（datapackage.json）", "application/json")
    )
    zip_name = f"{dataset.name}.zip"
    with _DatedZip(out / zip_name, when) as zf:
        zf.write(out / "datapackage.json", "datapackage.json")
        for name in csvs:
            zf.write(out / name, name)
    files.append(_info(out, zip_name, "完整数据包（ZIP：描述文件和全部 CSV）", "application/zip"))
    return files


def archive_date(dataset: Dataset) -> DateTime:
    """The date of every member of the ZIP and XLSX downloads, so that the same sources give
    the same bytes: `SOURCE_DATE_EPOCH` when set (reproducible-builds.org), else the
    package's `updated`, else 1980-01-01 (the earliest date a ZIP can hold)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        when = dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    elif dataset.last_updated:
        when = dt.datetime.combine(dataset.last_updated, dt.time())
    else:
        return (1980, 1, 1, 0, 0, 0)
    return max((1980, 1, 1, 0, 0, 0), when.timetuple()[:6])


class _DatedZip(zipfile.ZipFile):
    """A new deflated ZIP file whose members all carry the date `when` (zipfile would take
    the clock or each file's modification time), readable by everyone (0644)."""

    def __init__(self, path: Path, when: DateTime) -> None:
        super().__init__(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self.when = when

    def _member(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=self.when)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        return info

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        path = Path(filename)
        member = self._member(str(arcname or path.name))
        large = path.stat().st_size > 2**31
        with path.open("rb") as src, self.open(member, "w", force_zip64=large) as dst:
            shutil.copyfileobj(src, dst, 1 << 20)

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = self._member(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)


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
    name = csv_file(table)
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
                f.write(
                    json.dumps(
                        dict(zip(columns, row, strict=True)), ensure_ascii=False, allow_nan=False
                    )
                )
                first = False
        f.write("\n]\n")
    return _info(out, name, title, "application/json", ref)


def _count(conn: sqlite3.Connection, table: str) -> int:
    return conn.execute(f"select count(*) from {escape_sqlite(table)}").fetchone()[0]


def _xlsx(
    conn: sqlite3.Connection,
    table: str,
    columns: list[str],
    headers: list[str],
    title: str,
    out: Path,
    ref: str | None = "",
    when: DateTime = (1980, 1, 1, 0, 0, 0),
) -> list[DownloadFile]:
    """`columns` of `table` as a spreadsheet under a row of `headers`; [] if a cell cannot
    be in XLSX (a control character). `ref`: the table the file belongs to ("" = `table`)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils.exceptions import IllegalCharacterError
    from openpyxl.writer.excel import ExcelWriter

    name = f"{table}.xlsx"
    book = Workbook(write_only=True)
    sheet = book.create_sheet(table[:31] if not set(table) & set("[]:*?/\\") else "data")

    def cell(value: Any) -> Any:
        if isinstance(value, int) and abs(value) >= _EXACT_IN_EXCEL:
            value = str(value)
        if not isinstance(value, str):
            return value
        text = WriteOnlyCell(sheet, value)
        text.data_type = "s"  # never a formula, whatever the text begins with
        if value[:1] in FORMULA_STARTS:
            text.quotePrefix = True  # and still text when edited in Excel
        return text

    try:
        sheet.append([cell(h) for h in headers])
        for batch in _batches(conn, table, columns):
            for row in batch:
                sheet.append([cell(v) for v in row])
    except IllegalCharacterError:  # a control character XLSX cannot hold: the CSV serves
        return []
    book.properties.created = book.properties.modified = dt.datetime(*when)
    with _DatedZip(out / name, when) as archive:
        ExcelWriter(book, archive).save()  # book.save() would stamp the time of saving
    return [_info(out, name, title, XLSX_TYPE, table if ref == "" else ref)]


# Properties of the source package that still describe the downloads (Data Package v1
# and v2, then the portal's own); `name`, `resources` and `updated` are written apart.
_PACKAGE_KEYS = (
    "$schema",
    "profile",
    "id",
    "title",
    "description",
    "homepage",
    "version",
    "created",
    "keywords",
    "image",
    "licenses",
    "sources",
    "contributors",
    "temporal",
    "spatial",
)
_RESOURCE_KEYS = ("$schema", "profile", "type", "title", "description", "sources", "licenses")
_SCHEMA_KEYS = ("$schema", "uniqueKeys")
_OFFICIAL = ("https://datapackage.org/", "https://specs.frictionlessdata.io/")


def data_package(dataset: Dataset) -> dict[str, Any]:
    """The Data Package descriptor of the downloads: the source's own properties that still
    hold, its resources linking the CSV files by path with the reading options of the
    published CSV (`stdhub.datasets.published`)."""
    source = dataset.descriptor
    package: dict[str, Any] = {"name": dataset.name}
    for key in _PACKAGE_KEYS:
        value = source.get(key)
        if value is not None and value != "" and _kept(key, value):
            package[key] = value
    package.setdefault("title", dataset.title)
    if dataset.description:
        package.setdefault("description", dataset.description)
    written = {r.get("name"): r for r in source.get("resources") or [] if isinstance(r, dict)}
    package["resources"] = [
        _table_resource(t, dataset, written.get(t.name) or {}) for t in dataset.tables
    ] + [_code_resource(c, _code_type(dataset, c.name)) for c in dataset.code_tables]
    if dataset.last_updated:
        package["updated"] = dataset.last_updated.isoformat()
    if dataset.conforms_to:
        package["conforms_to"] = list(dataset.conforms_to)
    return package


def _kept(key: str, value: Any) -> bool:
    """`$schema`/`profile` only when they name an official profile, `image` only as an
    address (a local file is not downloaded with the package)."""
    if key == "$schema":
        return isinstance(value, str) and value.startswith(_OFFICIAL)
    if key == "profile":
        return isinstance(value, str) and (value.startswith(_OFFICIAL) or "/" not in value)
    if key == "image":  # a file beside the source is not in the downloads
        return isinstance(value, str) and value.startswith(("https://", "http://"))
    return True


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


def _table_resource(t: Table, dataset: Dataset, written: dict[str, Any]) -> dict[str, Any]:
    codes = {c.name for c in dataset.code_tables}
    found = written.get("schema")
    source: dict[str, Any] = found if isinstance(found, dict) else {}
    schema: dict[str, Any] = {k: source[k] for k in _SCHEMA_KEYS if source.get(k)}
    schema["fields"] = [
        {  # the field as written (constraints …), read as the CSV holds it, published title
            **published.field(f.written),
            **{
                k: v
                for k, v in (
                    ("name", f.name),
                    ("title", f.title),
                    ("type", f.type),
                    ("description", f.description),
                )
                if v
            },
        }
        for f in t.fields
    ]
    if "missingValues" in source:
        schema["missingValues"] = published.missing_values(source["missingValues"])
    if t.primary_key:
        schema["primaryKey"] = list(t.primary_key)
    names = {x.name for x in dataset.tables}
    columns = {f.name for f in t.fields}
    fks = [
        fk
        for fk in source.get("foreignKeys") or []
        if isinstance(fk, dict)
        and set(_names(fk.get("fields"))) <= columns
        and (fk.get("reference") or {}).get("resource", "") in ("", *names)
    ]
    fks += [
        {
            "fields": list(fk.fields),
            "reference": {"resource": resource_name(fk.table), "fields": list(fk.columns)},
        }
        for fk in t.foreign_keys
        if fk.table in codes
        and all(_type(t, c) == _code_type(dataset, fk.table) for c in fk.fields)
    ]  # frictionless compares typed values: an integer column and text codes never match
    if fks:
        schema["foreignKeys"] = fks
    resource = _resource(t.name, t.title, schema)
    for key in _RESOURCE_KEYS:
        value = written.get(key)
        if value is not None and value != "" and _kept(key, value):
            resource[key] = value
    if resource.get("type") not in (None, "table"):
        del resource["type"]
    if t.description:
        resource["description"] = t.description
    return resource


def _type(t: Table, column: str) -> str:
    f = t.field(column)
    return f.type if f else "string"


def _names(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [v for v in value or [] if isinstance(v, str)]


def _code_type(dataset: Dataset, table: str) -> str:
    """The type of a code table's codes: text, except the categories of a field, typed as
    the field (`stdhub.datasets.categories`)."""
    for t in dataset.tables:
        for f in t.fields:
            if categories.list_id(t.name, f.name) == table:
                return f.type
    return "string"


def _code_resource(c: CodeTable, kind: str) -> dict[str, Any]:
    schema = {
        "fields": [
            {"name": "code", "title": "代码", "type": kind},
            {"name": c.label_column, "title": "名称", "type": "string"},
        ],
        "primaryKey": ["code"],
    }
    return _resource(c.name, c.title, schema)
