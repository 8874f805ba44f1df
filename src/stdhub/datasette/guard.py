"""Answer a client's mistakes with 4xx and a Chinese page before Datasette sees them.

Datasette 0.65 answers several malformed requests with 500 and prints a traceback for
each (with every local variable): an unsupported method (`TRACE`, `POST` to a table), an
absolute-form request target (`GET http://host/path`), `_sort` on a column that is not
sortable, a row address with the wrong number of key values. This ASGI middleware
checks those requests first:

- methods: GET, HEAD and OPTIONS (CORS) only — the service is read-only — else 405;
- request target: absolute-form (`http://host/path`, which HTTP/1.1 servers must accept)
  is served as its path; anything else not starting with `/` is 400;
- table pages: `_sort` / `_sort_desc` must name a sortable column, and only one of them
  be given, else 400; `_timelimit` a positive integer, `_through` a table with a foreign
  key to this one, a filter on a column with a unit a quantity, else 400;
- row pages: as many comma-separated key values as the table has key columns, else 400.

It also mends one wrong answer. Datasette 0.65 orders the first page of a sorted table
by the sort column alone and every next page by the column and the primary key, so a
client paging `?_sort=county_code` through `_next` gets rows twice and misses others
wherever the column has ties (8,542 rows, 7,543 distinct, for 8,179 allocations sorted by
budget year). A sorted first page is therefore asked as a next page from before the first
row (`first_page_token`), ordered by the column and the key like the pages after it.

Errors are rendered with Datasette's own `error.html` (the Chinese template), or as JSON
`{"ok": false, "error": …, "status": …}` for `.json` addresses, as Datasette does.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from datasette.utils import tilde_decode, tilde_encode, urlsafe_components
from datasette.utils.asgi import Response

from stdhub.datasette.pagecache import App, Receive, Scope, Send

ALLOWED = ("GET", "HEAD", "OPTIONS")
# Datasette 0.65's routes for table and row pages (datasette/app.py).
_TABLE = re.compile(r"^/(?P<database>[^/.]+)/(?P<table>[^/]+?)(\.(?P<format>\w+))?$")
_ROW = re.compile(r"^/(?P<database>[^/.]+)/(?P<table>[^/]+?)/(?P<pks>[^/]+?)(\.(?P<format>\w+))?$")


# Before every value in SQLite's order (numbers, then text): the smallest 64-bit integer for a
# key column with integer affinity (and rowid), the empty string for a text key (keys are
# never empty: required by the data checks); after every value: text of the last code point.
_LOWEST_INTEGER = str(-(2**63))
_AFTER_EVERY_VALUE = "\U0010ffff" * 4


async def first_page_token(db: Any, table: str, *, descending: bool) -> str:
    """A `_next` token from before the first row of `table` sorted by any column: for an
    ascending sort `$null` (Datasette then takes every non-null value, and the nulls after
    the key), for a descending one a value after every value; then the lowest key."""
    pks = await db.primary_keys(table)
    if pks:
        types = {c.name: (c.type or "").upper() for c in await db.table_column_details(table)}
        lowest = [_LOWEST_INTEGER if _numeric(types.get(pk, "")) else "" for pk in pks]
    else:
        lowest = [_LOWEST_INTEGER]  # rowid
    first = tilde_encode(_AFTER_EVERY_VALUE) if descending else "$null"
    return ",".join([first, *(tilde_encode(v) for v in lowest)])


def _numeric(declared: str) -> bool:
    """Does a column of this declared type have numeric affinity (SQLite's rules, §3.1)?"""
    if "INT" in declared:
        return True
    text_or_none = any(t in declared for t in ("CHAR", "CLOB", "TEXT", "BLOB"))
    return not (text_or_none or not declared)  # REAL, FLOA, DOUB, NUMERIC, DECIMAL …


class ClientError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


class Guard:
    """ASGI middleware in front of Datasette (and of the page cache)."""

    def __init__(self, app: App, datasette: Any) -> None:
        self.app = app
        self.datasette = datasette

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            scope = origin_form(scope)
            if scope["method"] not in ALLOWED:
                raise ClientError(
                    405,
                    f"不支持 {scope['method']} 请求：开放数据查询服务只读，"
                    "只接受 GET、HEAD 和 OPTIONS。",
                    {"allow": ", ".join(ALLOWED)},
                )
            await self._check_table_or_row(scope)
        except ClientError as error:
            await self._answer(scope, send, error)
            return
        await self.app(scope, receive, send)

    async def _check_table_or_row(self, scope: Scope) -> None:
        path = scope["path"]
        if path.startswith("/-/"):
            return
        row = _ROW.match(path)
        if row:
            found = await self._table(row["database"], row["table"])
            if found is None:
                return  # Datasette's own 404
            db, table = found
            pks = await db.primary_keys(table) or ["rowid"]
            values = urlsafe_components(row["pks"])
            if len(values) != len(pks):
                raise ClientError(
                    400,
                    f"记录地址应有 {len(pks)} 个主键值（{'、'.join(pks)}，用英文逗号分隔），"
                    f"这里有 {len(values)} 个。",
                )
            return
        page = _TABLE.match(path)
        if not page:
            return
        pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"))
        query = dict(pairs)
        wanted = [query[k] for k in ("_sort", "_sort_desc") if query.get(k)]
        if len(wanted) == 2:
            raise ClientError(400, "_sort（升序）和 _sort_desc（降序）只能用一个。")
        limit = query.get("_timelimit")
        if limit is not None and not (limit.isascii() and limit.isdigit() and int(limit) > 0):
            raise ClientError(400, "_timelimit 应为正整数（毫秒）。")
        through = [v for k, v in pairs if k == "_through"]
        filters = [(k, v) for k, v in pairs if not (k.startswith("_") and "__" not in k)]
        if not (wanted or through or filters):
            return
        found = await self._table(page["database"], page["table"])
        if found is None:
            return
        db, table = found
        meta = self.datasette.table_metadata(db.name, table)
        for value in through:
            await _check_through(db, table, value)
        _check_units(filters, meta.get("units") or {})
        if not wanted:
            return
        sortable = set(meta.get("sortable_columns") or await db.table_columns(table))
        if not await db.primary_keys(table):  # a rowid table (views are left to Datasette)
            sortable.add("rowid")
        for column in wanted:
            if column not in sortable:
                shown = "、".join(sorted(sortable))
                raise ClientError(400, f"不能按“{column}”排序；可以排序的列：{shown}。")
        if "_next" not in query:
            token = await first_page_token(db, table, descending=bool(query.get("_sort_desc")))
            extra = urlencode({"_next": token}).encode("ascii")
            scope["query_string"] = b"&".join(q for q in (scope.get("query_string"), extra) if q)

    async def _table(self, database: str, table: str) -> tuple[Any, str] | None:
        try:
            db = self.datasette.get_database(tilde_decode(database))
        except KeyError:
            return None
        name = tilde_decode(table)
        if not await db.table_exists(name):
            return None
        return db, name

    async def _answer(self, scope: Scope, send: Send, error: ClientError) -> None:
        page = error_response(self.datasette, scope["path"], error.status, error.message)
        response = await page()
        response.headers.update(error.headers)
        await response.asgi_send(send)


async def _check_through(db: Any, table: str, value: str) -> None:
    """`_through={"table": …, "column": …, "value": …}` names a table with a foreign key to
    this one and one of its columns (Datasette answers anything else with 500)."""
    try:
        through = json.loads(value)
    except ValueError:
        through = None
    shape = isinstance(through, dict) and {"table", "column", "value"} <= set(through)
    other = through.get("table") if shape else None
    column = through.get("column") if shape else None
    if isinstance(other, str) and isinstance(column, str) and await db.table_exists(other):
        links = [fk for fk in await db.foreign_keys_for_table(other) if fk["other_table"] == table]
        if links and column in await db.table_columns(other):
            return
    raise ClientError(
        400,
        '_through 应为 {"table": 表名, "column": 列名, "value": 值}，'
        "其中的表有指向本表的外键，列是它的列。",
    )


def _check_units(filters: list[tuple[str, str]], units: dict[str, str]) -> None:
    """Filters on a column with a unit are read by Datasette as quantities (`10 kg`); a
    value it cannot read (`persons__gt=abc`) would be a 500."""
    from datasette.filters import Filters
    from datasette.views.base import ureg

    if not units or not any(k.split("__")[0] in units for k, _ in filters):
        return
    try:
        Filters(sorted(filters), units, ureg).build_where_clauses("t")
    except Exception:
        shown = sorted(units)
        raise ClientError(
            400, f"筛选条件的值应为数值（有单位的列：{'、'.join(shown)}），例如 {shown[0]}__gt=10。"
        ) from None


def error_response(datasette: Any, path: Any, status: int, message: str, title: str = ""):
    """An awaitable making Datasette's error page (`error.html`) or JSON for `.json`
    addresses; `path` may be the request (Datasette's `handle_exception` hook)."""
    path = getattr(path, "path", path) or ""

    async def inner() -> Response:
        headers = {"Access-Control-Allow-Origin": "*"}
        info = {"ok": False, "error": message, "status": status, "title": title or None}
        if path.endswith(".json"):
            return Response.json(info, status=status, headers=headers)
        template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
        context = {
            **info,
            "urls": datasette.urls,
            "app_css_hash": datasette.app_css_hash(),
            "menu_links": list,
        }
        html = await template.render_async(context)
        return Response.html(html, status=status, headers=headers)

    return inner


def origin_form(scope: Scope) -> Scope:
    """The scope with an absolute-form target (`http://host/path`) made a path; ClientError
    (400) for a target that is neither."""
    path = scope.get("path", "")
    if path.startswith("/"):
        return scope
    parts = urlsplit(path)
    if parts.scheme in ("http", "https") and parts.netloc:
        raw = scope.get("raw_path") or path.encode()
        raw_path = urlsplit(raw.decode("latin-1")).path or "/"
        return {**scope, "path": parts.path or "/", "raw_path": raw_path.encode("latin-1")}
    raise ClientError(400, "请求地址应以 / 开头（例如 GET /数据集/表 HTTP/1.1）。")
