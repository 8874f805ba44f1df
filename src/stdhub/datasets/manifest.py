"""`build/data/manifest.json`: what the data step published, for Datasette and the site.

The contract with the publishing side (issue 5). One SQLite file per dataset,
`build/data/<dataset name>.db`, one table per resource (table name = resource name),
one table per code list used by a coded column (table name = code list id, e.g.
`CL-HNMZ-0101`, columns `code` TEXT PRIMARY KEY and `name` TEXT, so Datasette shows
the name as the label of a foreign key), and the manifest:

```json
{
  "format": "stdhub-data-manifest/1",
  "fts": {"tokenize": "unicode61 remove_diacritics 2",
          "index_function": "stdhub.fts.index_text",
          "query_function": "stdhub.fts.match_expression"},
  "datasets": [{
    "name": "hunan-divisions",            # folder name under datasets/, = package name
    "title": "湖南省行政区划代码", "description": "…",
    "access": "无条件开放",                 # or "有条件开放"
    "access_conditions": "…",             # 有条件开放: how to apply (else null)
    "db": "hunan-divisions.db",           # null for 有条件开放: no rows anywhere
    "source": "datasets/hunan-divisions/datapackage.yaml",
    "conforms_to": ["HNMZ/T 0101-2025"],
    "last_updated": "2025-12-31",         # the descriptor's `updated` (or null)
    "metadata": {"publisher": "…", "contact": {…}, "licenses": […], "keywords": […],
                 "domain": "区划地名", "update_frequency": "每年",
                 "temporal": {"start": "…", "end": "…"}, "spatial": "430000",
                 "sources": […], "sample": false, "homepage": null},
    "validation": {"errors": 0, "warnings": 1, "rows_checked": 137,
                   "engine": {"divisions": "columnar"}},
    "quality": {"score": 100, "missing": []},   # 0-100, from metadata completeness
    "descriptor": {…},                    # the datapackage as checked (JSON), for downloads
    "tables": [{
      "name": "divisions", "title": "…", "description": "…",
      "rows": 137,                        # null for 有条件开放
      "primary_key": ["division_code"],
      "fields": [{"name": "division_code", "title": "行政区划代码", "type": "string",
                  "sqlite_type": "TEXT", "description": "…", "unit": null,
                  "code_list": "CL-HNMZ-0101", "element": "HNMZ/T 0101-2025#XZQHDM"}],
      "foreign_keys": [{"fields": ["division_code"], "table": "CL-HNMZ-0101",
                        "columns": ["code"]}],
      "indexes": [["level_code"]],
      "fts": {"table": "divisions_fts", "columns": ["division_name"]}   # or null
    }],
    "code_tables": [{"name": "CL-HNMZ-0101", "title": "…", "rows": 137,
                     "label_column": "name"}]
  }]
}
```

Full-text search tables are contentless FTS5 tables (`content=''`) holding
`stdhub.fts.index_text(value)` per searched column, rowid = the row's rowid; search with
`rowid IN (SELECT rowid FROM <fts table> WHERE <fts table> MATCH match_expression(q))`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from stdhub import fts
from stdhub.errors import ManifestError
from stdhub.vocab import Access

FORMAT = "stdhub-data-manifest/1"
FILE_NAME = "manifest.json"


# The typed manifest: the data step builds these objects and `write` serialises them;
# `read_manifest` gives them back to the publishing side (Datasette's metadata, the site's
# open-data pages, DCAT): everything published about a dataset is derived from them.


@dataclass(frozen=True)
class Field:
    name: str
    title: str
    type: str
    sqlite_type: str = ""
    description: str = ""
    unit: str | None = None
    code_list: str | None = None
    element: str | None = None  # "HNMZ/T 0101-2025#XZQHDM": the data element it conforms to
    format: str = ""  # the Table Schema `format` as written ("uri", "%d/%m/%Y"), "" for default
    # the field exactly as the descriptor (or its external schema file) wrote it
    written: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def standard_id(self) -> str | None:
        return self.element.split("#", 1)[0] if self.element else None

    @property
    def element_id(self) -> str | None:
        return self.element.split("#", 1)[1] if self.element and "#" in self.element else None


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    table: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    fields: tuple[Field, ...]
    description: str = ""
    rows: int | None = None
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    indexes: tuple[tuple[str, ...], ...] = ()
    fts_table: str | None = None
    fts_columns: tuple[str, ...] = ()

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def code_table(self, column: str) -> str | None:
        """The code-list table a column refers to, if it has a foreign key."""
        return next((fk.table for fk in self.foreign_keys if fk.fields == (column,)), None)


@dataclass(frozen=True)
class CodeTable:
    name: str
    title: str
    rows: int | None = None
    label_column: str = "name"


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    access: Access
    tables: tuple[Table, ...]
    db: str | None = None
    access_conditions: str | None = None
    source: str = ""
    conforms_to: tuple[str, ...] = ()
    last_updated: dt.date | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    validation: dict[str, Any] = field(default_factory=dict)
    quality: dict[str, Any] = field(default_factory=dict)
    code_tables: tuple[CodeTable, ...] = ()
    # the package descriptor as checked (external schema files in place, inferred schemas
    # added), JSON-safe: what the republished datapackage.json is derived from
    descriptor: dict[str, Any] = field(default_factory=dict)

    @property
    def is_open(self) -> bool:
        """Only 无条件开放 datasets with a database show rows, anywhere."""
        return self.access == Access.OPEN and self.db is not None

    @property
    def publisher(self) -> str:
        return self.metadata.get("publisher") or ""

    @property
    def domain(self) -> str:
        return self.metadata.get("domain") or ""

    @property
    def update_frequency(self) -> str:
        return self.metadata.get("update_frequency") or ""

    @property
    def keywords(self) -> list[str]:
        return list(self.metadata.get("keywords") or [])

    @property
    def licenses(self) -> list[dict[str, Any]]:
        return list(self.metadata.get("licenses") or [])

    @property
    def rows(self) -> int | None:
        total = 0
        for t in self.tables:
            if t.rows is None:
                return None
            total += t.rows
        return total

    def table(self, name: str) -> Table | None:
        return next((t for t in self.tables if t.name == name), None)


@dataclass(frozen=True)
class Manifest:
    datasets: tuple[Dataset, ...]

    def dataset(self, name: str) -> Dataset | None:
        return next((d for d in self.datasets if d.name == name), None)

    @property
    def open_datasets(self) -> tuple[Dataset, ...]:
        return tuple(d for d in self.datasets if d.is_open)


def parse_date(value: object) -> dt.date | None:
    """A descriptor's `updated` (YYYY-MM-DD text or a YAML date); None if absent or invalid."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def write(out_dir: Path, m: Manifest) -> Path:
    """Write `out_dir/manifest.json` (the format in this module's docstring); its path."""
    document = {
        "format": FORMAT,
        "fts": {
            "tokenize": fts.TOKENIZE,
            "index_function": "stdhub.fts.index_text",
            "query_function": "stdhub.fts.match_expression",
        },
        "datasets": [_dataset_json(d) for d in m.datasets],
    }
    path = out_dir / FILE_NAME
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def _dataset_json(d: Dataset) -> dict[str, Any]:
    document = asdict(d)  # nested objects become mappings, tuples arrays
    document["last_updated"] = d.last_updated.isoformat() if d.last_updated else None
    document["tables"] = [_table_json(t) for t in d.tables]
    return document


def _table_json(t: Table) -> dict[str, Any]:
    document = asdict(t)
    del document["fts_table"], document["fts_columns"]
    document["fts"] = (
        {"table": t.fts_table, "columns": list(t.fts_columns)} if t.fts_table else None
    )
    return document


def read_manifest(data_dir: Path) -> Manifest:
    """Read `data_dir/manifest.json`; a clear error when it is missing or malformed."""
    path = data_dir / FILE_NAME
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{path} 不存在：先运行 `stdhub build` 生成开放数据") from None
    except (OSError, ValueError) as exc:
        raise ManifestError(f"{path} 无法读取：{exc}") from None
    return parse(raw, str(path))


def parse(raw: object, source: str = FILE_NAME) -> Manifest:
    """The typed manifest from its JSON document (`source` names it in errors)."""
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ManifestError(f"{source} 不是 {FORMAT} 格式")
    try:
        return Manifest(tuple(_dataset(d) for d in raw.get("datasets", [])))
    except (KeyError, TypeError, ValueError) as exc:
        raise ManifestError(f"{source} 内容不完整：{exc!r}") from None


def _dataset(d: dict[str, Any]) -> Dataset:
    return Dataset(
        name=d["name"],
        title=d["title"],
        description=d.get("description") or "",
        access=Access(d["access"]),
        access_conditions=d.get("access_conditions"),
        db=d.get("db"),
        source=d.get("source") or "",
        conforms_to=tuple(d.get("conforms_to") or ()),
        last_updated=dt.date.fromisoformat(d["last_updated"]) if d.get("last_updated") else None,
        metadata=dict(d.get("metadata") or {}),
        validation=dict(d.get("validation") or {}),
        quality=dict(d.get("quality") or {}),
        descriptor=dict(d.get("descriptor") or {}),
        tables=tuple(_table(t) for t in d.get("tables", [])),
        code_tables=tuple(
            CodeTable(
                c["name"],
                c.get("title") or c["name"],
                c.get("rows"),
                c.get("label_column") or "name",
            )
            for c in d.get("code_tables", [])
        ),
    )


def _table(t: dict[str, Any]) -> Table:
    fts = t.get("fts") or {}
    return Table(
        name=t["name"],
        title=t.get("title") or t["name"],
        description=t.get("description") or "",
        rows=t.get("rows"),
        primary_key=tuple(t.get("primary_key") or ()),
        fields=tuple(
            Field(
                name=f["name"],
                title=f.get("title") or f["name"],
                type=f.get("type") or "string",
                sqlite_type=f.get("sqlite_type") or "",
                description=f.get("description") or "",
                unit=f.get("unit"),
                code_list=f.get("code_list"),
                element=f.get("element"),
                format=f.get("format") or "",
                written=dict(f.get("written") or {}),
            )
            for f in t.get("fields", [])
        ),
        foreign_keys=tuple(
            ForeignKey(tuple(fk["fields"]), fk["table"], tuple(fk["columns"]))
            for fk in t.get("foreign_keys", [])
        ),
        indexes=tuple(tuple(i) for i in t.get("indexes", [])),
        fts_table=fts.get("table"),
        fts_columns=tuple(fts.get("columns") or ()),
    )
