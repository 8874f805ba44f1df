"""Which columns a table page sorts by, and the indexes that keep those sorts cheap.

A small table (fewer than `SORT_ALL_BELOW` rows) sorts by every column: sorting it whole
costs milliseconds. A large one sorts by the columns an index leads with: those the data
step indexed (codes, dates; `Table.indexes`), the first primary-key column, and its
measures (`roles.measures`: 保障人数, 支出资金 …), which people rank by ("the villages
with the most persons"). The data step does not index measures — nothing filters by
them — so `write_sort_indexes` adds a one-column index per measure to the published
database: `ORDER BY persons DESC LIMIT 51` then reads 51 index entries instead of
sorting 900,000 rows, and Datasette's next page (`persons < v OR persons = v AND key > …`)
is a range of the same index. One column, not the measure and the key: a quarter of the
size (34 MB instead of 91 MB for three measures of 906,000 rows) for next pages of 17 ms
instead of 1 ms. Rates (元/人·月) and coordinates are not measures and stay unsorted on
large tables: they are the same for many rows (a county's standard) or mean nothing in
order. docs/datasette-settings.md gives the measurements.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from datasette.utils import escape_sqlite

from stdhub.datasets.manifest import Table
from stdhub.datasets.sqlnames import index_name
from stdhub.datasette.roles import roles

# Sorting a large table by a column without an index sorts every row on every request.
SORT_ALL_BELOW = 100_000


def is_large(t: Table) -> bool:
    return t.rows is None or t.rows >= SORT_ALL_BELOW


def sort_indexes(t: Table) -> dict[str, list[str]]:
    """The indexes `write_sort_indexes` adds to a large table: name -> columns."""
    if not is_large(t):
        return {}
    leading = {index[0] for index in t.indexes if index}
    leading.update(t.primary_key[:1])
    return {
        index_name(t.name, m.name): [m.name] for m in roles(t).measures if m.name not in leading
    }


def sortable_columns(t: Table) -> list[str]:
    """Every column of a small table; on a large one, those an index leads with."""
    if not is_large(t):
        return [f.name for f in t.fields]
    leading = {index[0] for index in t.indexes if index}
    leading.update(t.primary_key[:1])
    leading.update(columns[0] for columns in sort_indexes(t).values())
    return [f.name for f in t.fields if f.name in leading]


def write_sort_indexes(db: Path, tables: list[Table]) -> list[str]:
    """Create the sort indexes of `tables` in `db` (those it lacks; `ANALYZE`d); their names.

    Raises sqlite3.Error when the database cannot be written.
    """
    wanted = {name: (t.name, cols) for t in tables for name, cols in sort_indexes(t).items()}
    if not wanted:
        return []
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        have = {n for (n,) in conn.execute("select name from sqlite_master where type='index'")}
        missing = {n: v for n, v in wanted.items() if n not in have}
        if missing:
            conn.execute("begin")
            for name, (table, cols) in missing.items():
                columns = ", ".join(escape_sqlite(c) for c in cols)
                conn.execute(
                    f"create index {escape_sqlite(name)} on {escape_sqlite(table)} ({columns})"
                )
            for name in missing:
                conn.execute(f"analyze {escape_sqlite(name)}")
            conn.execute("commit")
    finally:
        conn.close()
    return list(wanted)
