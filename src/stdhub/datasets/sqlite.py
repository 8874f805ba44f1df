"""Load a checked package into one SQLite file: typed columns, keys, code tables, indexes, search.

- Column types come from the Table Schema (a division code is a `string`, so TEXT with
  its leading zeros); `required` becomes NOT NULL; the primary key is declared.
- Each column coded by a data standard gets a foreign key to a table named after its code
  list (`code` TEXT PRIMARY KEY, `name` TEXT), which is what Datasette shows as the label.
  An open code list gets its foreign key only when every value is listed.
- Foreign keys between resources are declared when they point at a primary key.
- Indexes go on the columns people filter and group by: coded and foreign-key columns and
  dates/months, unless the primary key already leads with them.
- Text columns that are not codes get a contentless FTS5 table (`<table>_fts`) filled
  with `stdhub.fts.index_text`, so two-character Chinese queries work.

The file is written for reading: no journal while loading, large pages, and the whole
load in one transaction.
"""

from __future__ import annotations

import sqlite3
from itertools import chain
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from stdhub import fts
from stdhub.datasets import sqlnames
from stdhub.datasets.check import CheckedPackage, dependency_order
from stdhub.standards.model import CodeList

SQLITE_TYPES = {
    "string": "TEXT",
    "integer": "INTEGER",
    "number": "REAL",
    "boolean": "INTEGER",
    "date": "TEXT",
    "datetime": "TEXT",
    "time": "TEXT",
    "year": "INTEGER",
    "yearmonth": "TEXT",
}
BATCH = 50_000
ROWS_PER_STATEMENT = 20
LARGE_ROWS = 200_000  # above this, 64 KiB pages: faster to write and to scan
_DATE_TYPES = {"date", "datetime", "year", "yearmonth"}
_DATE_SUFFIXES = ("_month", "_date", "_year", "_time")


def q(name: str) -> str:
    """A quoted SQLite identifier."""
    return '"' + name.replace('"', '""') + '"'


def _list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _fields(cp: CheckedPackage, name: str) -> list[dict[str, Any]]:
    """The descriptor's fields, or what frictionless read (an inferred or external schema)."""
    fields = (cp.schemas.get(name) or {}).get("fields")
    typed = cp.resources[name].typed
    if isinstance(fields, list) and [f.get("name") for f in fields if isinstance(f, dict)] == list(
        typed
    ):
        return fields
    return [{"name": n, "type": k} for n, k in cp.resources[name].kinds.items()]


def _primary_key(cp: CheckedPackage, name: str) -> list[str]:
    return _list((cp.schemas.get(name) or {}).get("primaryKey"))


def _coded(cp: CheckedPackage, name: str) -> dict[str, CodeList]:
    """Coded columns that can have a foreign key to their code list table."""
    out = {}
    typed = cp.resources[name].typed
    for column, cl in cp.conformance.code_lists.get(name, {}).items():
        if column not in typed:
            continue
        if not cl.closed:
            listed = pa.array([c.code for c in cl.codes], pa.string())
            values = pc.unique(typed[column]).drop_null()
            if values.type != pa.string() or not pc.all(pc.is_in(values, value_set=listed)).as_py():
                continue
        out[column] = cl
    return out


def _resource_fks(cp: CheckedPackage, name: str) -> list[dict[str, Any]]:
    """Foreign keys between resources that SQLite can declare (to a primary key)."""
    out = []
    for fk in (cp.schemas.get(name) or {}).get("foreignKeys") or []:
        target = fk["reference"].get("resource") or name
        if target not in cp.resources:
            continue
        columns = _list(fk["reference"]["fields"])
        if _primary_key(cp, target) == columns:
            out.append({"fields": _list(fk["fields"]), "table": target, "columns": columns})
    return out


def _search_columns(cp: CheckedPackage, name: str, keyed: set[str]) -> list[str]:
    out = []
    for f in _fields(cp, name):
        cons = f.get("constraints") or {}
        if f.get("type", "string") not in ("string", "any") or f["name"] in keyed:
            continue
        if "pattern" in cons or "enum" in cons:
            continue
        out.append(f["name"])
    return out


# An index pays where a filter picks out few rows. A filter on a column of fewer codes than
# this reads at least a sixteenth of the table, where a scan is as fast (and the planner,
# with its statistics, takes the scan); such an index only costs load time (0.2 s on a
# million rows, `scripts/bench_data.py`).
MIN_INDEXED_CODES = 16


def _index_columns(
    fields: list[dict[str, Any]], keyed: list[str], pk: list[str], few: set[str]
) -> list[str]:
    """The columns to index: the keyed and the dated, except the first of the primary key
    (its own index serves) and the columns of `few` codes."""
    dated = [
        f["name"]
        for f in fields
        if f.get("type") in _DATE_TYPES or f["name"].endswith(_DATE_SUFFIXES)
    ]
    wanted = list(dict.fromkeys([*keyed, *dated]))
    return [c for c in wanted if not (pk and pk[0] == c) and c not in few]


def _create_table(con: sqlite3.Connection, name: str, fields, pk, fks) -> None:
    columns = []
    for f in fields:
        sql_type = SQLITE_TYPES.get(f.get("type", "any"), "TEXT")
        cons = f.get("constraints") or {}
        extra = (" NOT NULL" if cons.get("required") else "") + (
            " UNIQUE" if cons.get("unique") else ""
        )
        columns.append(f"{q(f['name'])} {sql_type}{extra}")
    if pk:
        columns.append(f"PRIMARY KEY ({', '.join(map(q, pk))})")
    for fk in fks:
        columns.append(
            f"FOREIGN KEY ({', '.join(map(q, fk['fields']))}) "
            f"REFERENCES {q(fk['table'])} ({', '.join(map(q, fk['columns']))})"
        )
    con.execute(f"CREATE TABLE {q(name)} (\n  " + ",\n  ".join(columns) + "\n)")


def _insert(
    con: sqlite3.Connection, name: str, columns: list[str], typed: dict[str, pa.Array]
) -> None:
    """Insert all rows, ROWS_PER_STATEMENT to a statement: a third faster than one by one."""
    one = "(" + ", ".join("?" * len(columns)) + ")"
    per = max(1, min(ROWS_PER_STATEMENT, 900 // max(1, len(columns))))
    many = f"INSERT INTO {q(name)} VALUES " + ", ".join([one] * per)
    arrays = [typed[c] for c in columns]
    total = len(arrays[0]) if arrays else 0
    step = per * len(columns)
    for start in range(0, total, BATCH):
        lists = [a.slice(start, BATCH).to_pylist() for a in arrays]
        n = len(lists[0])
        full = n - n % per
        cells = iter(
            list(chain.from_iterable(zip(*(values[:full] for values in lists), strict=True)))
        )
        con.executemany(many, zip(*[cells] * step, strict=False))  # `step` cells at a time
        if full < n:
            con.executemany(
                f"INSERT INTO {q(name)} VALUES {one}", zip(*(v[full:] for v in lists), strict=True)
            )


_AS = {"INTEGER": int, "REAL": float}


def _code_table(con: sqlite3.Connection, cl: CodeList, sql_type: str = "TEXT") -> dict[str, Any]:
    """`code`, `name`; a list with a hierarchy (divisions) adds `parent` and a `label` that
    Datasette shows beside each code: the name and its description (`芙蓉区（县级 · 长沙市）`).
    `sql_type`: the type of `code`, that of the coded column (Datasette matches the labels
    to the column's values by type: categories of an integer field are integers)."""
    if not any(c.parent for c in cl.codes):
        con.execute(f"CREATE TABLE {q(cl.id)} (code {sql_type} PRIMARY KEY, name TEXT NOT NULL)")
        rows = [(_AS.get(sql_type, str)(c.code), c.name) for c in cl.codes]
        con.executemany(f"INSERT INTO {q(cl.id)} VALUES (?, ?)", rows)
        return {"name": cl.id, "title": cl.title, "rows": len(cl.codes), "label_column": "name"}
    con.execute(
        f"CREATE TABLE {q(cl.id)} (code TEXT PRIMARY KEY, name TEXT NOT NULL, parent TEXT,"
        " label TEXT NOT NULL)"
    )
    labelled = [
        (
            c.code,
            c.name,
            c.parent or None,
            f"{c.name}（{c.description}）" if c.description else c.name,
        )
        for c in cl.codes
    ]
    con.executemany(f"INSERT INTO {q(cl.id)} VALUES (?, ?, ?, ?)", labelled)
    return {"name": cl.id, "title": cl.title, "rows": len(cl.codes), "label_column": "label"}


def _fts(con: sqlite3.Connection, name: str, columns: list[str]) -> dict[str, Any]:
    table = sqlnames.fts_table(name)
    con.execute(
        f"CREATE VIRTUAL TABLE {q(table)} USING fts5({', '.join(map(q, columns))}, "
        f"content='', tokenize='{fts.TOKENIZE}')"
    )
    values = ", ".join(f"stdhub_fts({q(c)})" for c in columns)
    con.execute(
        f"INSERT INTO {q(table)} (rowid, {', '.join(map(q, columns))}) SELECT rowid, {values} FROM {q(name)}"
    )
    return {"table": table, "columns": columns}


def write_database(
    path: Path, cp: CheckedPackage
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Write one package's database; (tables, code tables) as the manifest describes them."""
    con = sqlite3.connect(path, isolation_level=None)
    large = sum(c.rows for c in cp.resources.values()) > LARGE_ROWS
    pragmas = (
        f"page_size={65536 if large else 4096}",
        "journal_mode=OFF",
        "synchronous=OFF",
        "locking_mode=EXCLUSIVE",
        "cache_size=-262144",
        "foreign_keys=OFF",
    )
    try:
        for pragma in pragmas:
            con.execute(f"PRAGMA {pragma}")
        con.create_function("stdhub_fts", 1, fts.index_text, deterministic=True)
        con.execute("BEGIN")
        code_tables: dict[str, dict[str, Any]] = {}
        tables = []
        resources = [r for r in cp.package.resources if r.get("name") in cp.resources]
        for r in dependency_order(resources):
            name = r["name"]
            fields = _fields(cp, name)
            if not fields:
                continue  # nothing to load (frictionless accepted a table without fields)
            pk = _primary_key(cp, name)
            if not set(pk) <= {f["name"] for f in fields}:
                pk = []
            coded = _coded(cp, name)
            fks = [{"fields": [c], "table": cl.id, "columns": ["code"]} for c, cl in coded.items()]
            fks += _resource_fks(cp, name)
            kinds = {f["name"]: f.get("type", "any") for f in fields}
            for column, cl in coded.items():
                if cl.id not in code_tables:
                    own = (
                        cl.source == "categories"
                    )  # typed as its field: stdhub.datasets.categories
                    sql_type = SQLITE_TYPES.get(kinds.get(column, "any"), "TEXT") if own else "TEXT"
                    code_tables[cl.id] = _code_table(con, cl, sql_type)
            _create_table(con, name, fields, pk, fks)
            _insert(con, name, [f["name"] for f in fields], cp.resources[name].typed)
            keyed = [c for fk in fks for c in fk["fields"]]
            few = {c for c, cl in coded.items() if len(cl.codes) < MIN_INDEXED_CODES}
            indexes = _index_columns(fields, keyed, pk, few)
            for column in indexes:
                con.execute(
                    f"CREATE INDEX {q(sqlnames.index_name(name, column))} ON {q(name)} ({q(column)})"
                )
            search = _search_columns(cp, name, set(keyed) | set(pk))
            tables.append(
                {
                    "name": name,
                    "fields": fields,
                    "primary_key": pk,
                    "foreign_keys": fks,
                    "indexes": [[c] for c in indexes],
                    "fts": _fts(con, name, search) if search else None,
                    "rows": con.execute(f"SELECT count(*) FROM {q(name)}").fetchone()[0],
                }
            )
        # The planner's statistics: without them a filter on a county and a dated column
        # may take the wrong index. Sampled (analysis_limit): as good a choice between
        # indexes (rows per county within a tenth), in a fifth of the time on a million rows.
        con.execute("PRAGMA analysis_limit=100000")
        con.execute("ANALYZE")
        con.execute("COMMIT")
    finally:
        con.close()
    return tables, list(code_tables.values())
