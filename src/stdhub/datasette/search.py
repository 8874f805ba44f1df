"""The query side of Chinese full-text search: Datasette's `escape_fts(:search)`, and the
canned query that lists a table's hits by relevance."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from datasette.utils import escape_sqlite, tilde_encode
from markupsafe import Markup, escape

from stdhub import fts
from stdhub.datasets.manifest import Table
from stdhub.datasette.queries import coded_select, column_alias

NOTHING = '""'  # an empty phrase: valid FTS5 that matches no row


def match_expression(query: str | None) -> str:
    """What the user typed, split exactly as the index was (`stdhub.fts`)."""
    return fts.match_expression(query or "") or NOTHING


# The column of a search hit that links to its record (see `record_link`).
RECORD = "记录"
# The most hits the relevance search lists (Datasette's `max_returned_rows` caps it too).
SEARCH_LIMIT = 500


def search_query_name(table: str) -> str:
    return f"{table}_search"


def search_query(table: Table) -> dict[str, Any] | None:
    """The canned query listing a table's full-text hits by relevance (FTS5 `rank`, i.e.
    bm25: the best match first), with Chinese column titles and each code's name; None
    for a table without a full-text index.

    Datasette 0.65's table page can only order search hits by a column; the canned query
    is Datasette's documented way to order them by relevance. `:q` is what the user typed,
    split by `escape_fts` as the index was. The first column (`RECORD`) names each hit's
    table and key as a JSON array, which `record_link` makes a link to its row page.
    """
    if not table.fts_table:
        return None
    fts = escape_sqlite(table.fts_table)
    keys = ", ".join(f"t.{escape_sqlite(k)}" for k in table.primary_key or ("rowid",))
    select = [f"json_array({_string(table.name)}, {keys}) as {column_alias(RECORD)}"]
    joins: list[str] = []
    for i, f in enumerate(table.fields):
        if f.code_list and table.code_table(f.name):
            cols, join = coded_select(table, f, f"c{i}")
            select += cols
            joins.append(join)
        else:
            select.append(f"t.{escape_sqlite(f.name)} as {column_alias(f.title or f.name)}")
    lines = [
        "select",
        "  " + ",\n  ".join(select),
        f"from {fts}",
        f"join {escape_sqlite(table.name)} t on t.rowid = {fts}.rowid",
        *joins,
        f"where {fts} match escape_fts(:q)",
        f"order by {fts}.rank",
        f"limit {SEARCH_LIMIT}",
    ]
    return {
        "title": f"{table.title}：全文搜索（按相关度排列）",
        "description": (
            f"在{table.title}的文字字段（{'、'.join(_titles(table))}）中搜索，"
            f"最相关的排在最前（最多 {SEARCH_LIMIT} 条）。要和筛选条件一起用，请在表页上搜索。"
        ),
        "sql": "\n".join(lines),
        "hide_sql": True,
    }


def _titles(table: Table) -> list[str]:
    return [(f.title if (f := table.field(c)) else c) for c in table.fts_columns]


def _string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def record_link(value: Any, row_url: Callable[[str, str], str]) -> Markup | None:
    """The `RECORD` cell of a search hit (`["institutions", "1243…"]`) as a link to its row
    page; `row_url(table, path)` is Datasette's `urls.row` for the database. None if the
    value is not such an array."""
    try:
        parts = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return None
    if (
        not isinstance(parts, list)
        or len(parts) < 2
        or not all(isinstance(p, str | int) for p in parts)
    ):
        return None
    path = ",".join(tilde_encode(str(p)) for p in parts[1:])
    text = ",".join(str(p) for p in parts[1:])
    return Markup(f'<a href="{escape(row_url(str(parts[0]), path))}">{escape(text)}</a>')
