"""The names a package takes in its SQLite database, and the ones SQLite will not accept.

One table per resource (named as the resource), one per code list (its id), for a
resource with text to search a `<resource>_fts` FTS5 table (which creates five shadow
tables of its own), and one index `<resource>_<column>` per indexed column. SQLite
compares names without regard to case, and `rowid`, `oid` and `_rowid_` name a table's
own row id: a column of that name hides it (Datasette and the full-text index rely on
it). `clashes()` finds every name a package would have to share, so validate can report
it at the descriptor line instead of the build failing inside SQLite.
"""

from __future__ import annotations

RESERVED_COLUMNS = ("rowid", "oid", "_rowid_")
_FTS_SHADOWS = ("", "_data", "_idx", "_content", "_docsize", "_config")


def fts_table(table: str) -> str:
    return f"{table}_fts"


def index_name(table: str, column: str) -> str:
    return f"{table}_{column}"


def _generated(table: str, columns: list[str]) -> list[str]:
    """Names the loader may create for `table` besides the table itself."""
    names = [fts_table(table) + suffix for suffix in _FTS_SHADOWS]
    return names + [index_name(table, c) for c in columns]


def clashes(
    tables: dict[str, list[str]], code_tables: set[str]
) -> list[tuple[str, int | None, str]]:
    """(table, column index or None for the table itself, message) for every name SQLite
    would refuse or confuse. `tables`: each resource's name and its column names, in order."""
    out: list[tuple[str, int | None, str]] = []
    owners: dict[str, str] = {cl.lower(): f"代码表 {cl}" for cl in code_tables}
    for table in tables:
        for other, columns_of_other in tables.items():
            if other != table:
                for name in _generated(other, columns_of_other):
                    owners.setdefault(name.lower(), f"资源 {other} 的全文索引或索引 {name}")
    seen_tables: dict[str, str] = {}
    for table, columns in tables.items():
        key = table.lower()
        if key.startswith("sqlite_"):
            out.append((table, None, f"资源名 “{table}” 以 sqlite_ 开头，SQLite 保留这类名称"))
        elif key in seen_tables:
            out.append(
                (table, None, f"资源名 “{table}” 与资源 “{seen_tables[key]}” 只有大小写不同")
            )
        elif key in owners:
            out.append((table, None, f"资源名 “{table}” 与{owners[key]}重名"))
        seen_tables.setdefault(key, table)
        seen_columns: dict[str, str] = {}
        for i, column in enumerate(columns):
            lower = column.lower()
            if lower in RESERVED_COLUMNS:
                out.append(
                    (
                        table,
                        i,
                        f"字段名 “{column}” 是 SQLite 保留的行号名（rowid、oid、_rowid_），"
                        "会遮住表的行号",
                    )
                )
            elif lower in seen_columns:
                out.append(
                    (
                        table,
                        i,
                        f"字段名 “{column}” 与字段 “{seen_columns[lower]}” 只有大小写不同，"
                        "数据库中不能并存",
                    )
                )
            seen_columns.setdefault(lower, column)
    return out
