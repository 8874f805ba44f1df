"""Names beside codes, where Datasette 0.65 shows only the code.

Every coded column has a foreign key to its code table (or to the table it refers to),
whose `label_column` names the code (`芙蓉区（县级 · 长沙市）`); Datasette's table page
shows those labels, its row page and its filter sentence do not. These helpers look the
labels up the way Datasette does (`Datasette.expand_foreign_keys`) for:

- a record's cells (`code_cell`, from the `render_cell` hook);
- the codes named in a table page's filters (`filter_labels`);
- a record's title (`record_title`): its name column, else its key with code labels.

Each label is a row of a small indexed table, looked up when asked (not cached).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from datasette.utils import escape_sqlite
from markupsafe import Markup, escape

from stdhub.datasette import state

# Datasette's table page shows a label as `<a>label</a>&nbsp;<em>code</em>`; the same here.
_LINK = '<a href="{href}">{label}</a>&nbsp;<em>{code}</em>'
# The most codes one filter sentence labels (an `in` list can be long).
MAX_FILTER_CODES = 50


async def _foreign_keys(datasette: Any, database: str, table: str) -> dict[str, str]:
    """column -> the table its foreign key refers to (kept per process: the files are
    immutable, and `render_cell` asks for every text cell of a page)."""
    cache = state.of(datasette).foreign_keys
    if (database, table) not in cache:
        db = datasette.get_database(database)
        fks = await db.foreign_keys_for_table(table)
        cache[(database, table)] = {fk["column"]: fk["other_table"] for fk in fks}
    return cache[(database, table)]


async def _labels(
    datasette: Any, database: str, table: str, column: str, values: Iterable[str]
) -> dict[str, str]:
    """code -> label for the `values` of `column` that have a label other than the code."""
    values = [str(v) for v in values]
    if not values:
        return {}
    found = await datasette.expand_foreign_keys(database, table, column, values)
    return {str(v): str(label) for (_, v), label in found.items() if str(label) != str(v)}


async def code_cell(
    datasette: Any, database: str, table: str, column: str, value: Any
) -> Markup | None:
    """A coded cell as Datasette's table page shows it, or None if it is not a coded cell."""
    if not isinstance(value, str | int) or isinstance(value, bool) or value == "":
        return None
    other = (await _foreign_keys(datasette, database, table)).get(column)
    if other is None:
        return None
    label = (await _labels(datasette, database, table, column, [str(value)])).get(str(value))
    if label is None:
        return None
    href = datasette.urls.row(database, other, str(value))
    return Markup(_LINK.format(href=escape(href), label=escape(label), code=escape(value)))


def _filter_values(column: str, key: str, value: str) -> list[str] | None:
    """The codes a query-string argument names for `column` (`county_code=430102`,
    `county_code__in=430102,430121`, `county_code__not=…`), or None if it is not one."""
    name, _, lookup = key.partition("__")
    if name != column or lookup not in ("", "exact", "not", "in", "notin"):
        return None
    if lookup in ("in", "notin"):
        if value.startswith("["):
            try:
                return [str(v) for v in json.loads(value)]
            except (ValueError, TypeError):
                return []
        return [v.strip() for v in value.split(",")]
    return [value]


async def filter_labels(
    datasette: Any, database: str, table: str, args: list[tuple[str, str]]
) -> dict[str, dict[str, str]]:
    """column -> {code: label} for the codes the filters (`args`, the query string) name."""
    out: dict[str, dict[str, str]] = {}
    if not args:
        return out
    for column in await _foreign_keys(datasette, database, table):
        codes: list[str] = []
        for key, value in args:
            codes += _filter_values(column, key, value) or []
        codes = list(dict.fromkeys(codes))[:MAX_FILTER_CODES]
        labels = await _labels(datasette, database, table, column, codes)
        if labels:
            out[column] = labels
    return out


async def record_title(
    datasette: Any, database: str, table: str, pk_values: list[str], label_column: str
) -> str:
    """What a record is called: its name (`label_column`), else its key values with the
    label of each coded one (`2025-06 · 识字里社区`); "" if there is no such record."""
    db = datasette.get_database(database)
    pks = await db.primary_keys(table) or ["rowid"]
    if len(pks) != len(pk_values):
        return ""
    where = " and ".join(f"{escape_sqlite(pk)} = :p{i}" for i, pk in enumerate(pks))
    params = {f"p{i}": v for i, v in enumerate(pk_values)}
    if label_column:
        sql = f"select {escape_sqlite(label_column)} from {escape_sqlite(table)} where {where}"
        row = (await db.execute(sql, params)).first()
        if row is not None and row[0] not in (None, ""):
            return str(row[0])
    fks = await _foreign_keys(datasette, database, table)
    parts = []
    for pk, value in zip(pks, pk_values, strict=True):
        label = None
        if pk in fks:
            label = (await _labels(datasette, database, table, pk, [value])).get(value)
        parts.append(label or value)
    return " · ".join(parts)
