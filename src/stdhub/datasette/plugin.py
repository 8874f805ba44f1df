"""The Datasette plugin: Chinese search, links back to the site, feedback links, page cache.

Datasette loads it from the `plugins/` folder of the generated configuration directory
(see `stdhub.datasette.configdir`), so a plain `datasette` in the same environment — the
benchmark's bare instance, for one — is not affected. Everything it needs comes from the
`plugins.stdhub` section of the generated `metadata.json`; without that section every
hook does nothing.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from typing import Any

from datasette.hookspecs import hookimpl
from datasette.utils import tilde_decode, urlsafe_components
from markupsafe import Markup, escape

from stdhub.datasette import admission, fastpath, guard, labels, search, state, zh
from stdhub.datasette.guard import Guard
from stdhub.datasette.links import PageLinks, PluginSettings, settings_table
from stdhub.datasette.pagecache import PageCache
from stdhub.datasette.routes import Routes

PLUGIN = "stdhub"
# The longest string or blob a query may produce (bytes); the longest published cell is
# far shorter (a name, an address, a description).
MAX_VALUE_BYTES = 100_000
# The hooks; the generated plugins/stdhub_plugin.py imports exactly these.
__all__ = [
    "asgi_wrapper",
    "extra_template_vars",
    "forbidden",
    "handle_exception",
    "prepare_connection",
    "prepare_jinja2_environment",
    "render_cell",
    "startup",
]


def _settings(datasette: Any) -> PluginSettings | None:
    kept = state.of(datasette)
    if not kept.read:
        raw = datasette.plugin_config(PLUGIN)
        kept.settings = PluginSettings.from_dict(raw) if raw else None
        kept.read = True
    return kept.settings


@hookimpl(trylast=True)
def prepare_connection(conn: Any, datasette: Any) -> None:
    """Replace Datasette's `escape_fts` (registered before ours) with the Chinese splitter.

    Also caps the length of any string or blob at `MAX_VALUE_BYTES`.

    Datasette's search box sends `?_search=`, which it turns into
    `MATCH escape_fts(:search)`; the FTS tables hold text pre-split into words, so the
    query must be split the same way. The box keeps showing what the user typed.
    """
    if _settings(datasette) is not None:
        conn.create_function("escape_fts", 1, search.match_expression, deterministic=True)
        # No value SQLite makes (zeroblob, printf, group_concat) may exceed this.
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)


@hookimpl
def extra_template_vars(request: Any, datasette: Any) -> Any:
    settings = _settings(datasette)
    if settings is None or request is None:
        return {}
    url_vars = request.url_vars or {}
    database = _decoded(url_vars.get("database")) or ""
    table = _decoded(url_vars.get("table")) or ""
    row = url_vars.get("pks")
    page: dict[str, Any] = {
        "database": database,
        "table": table,
        "row": _decoded(row),
        "path": request.path,
        "query_string": request.query_string,
    }
    links = PageLinks.for_page(settings, **page)

    async def inner() -> dict[str, Any]:
        """The labels of the codes the page names (filters; a row page's record)."""
        published = links.dataset.tables if links.dataset else {}
        if not table or table not in published:  # not a table page (a query, the index …)
            return {"stdhub": links}
        args = [(k, v) for k in request.args for v in request.args.getlist(k)]
        found = await labels.filter_labels(datasette, database, table, args)
        record = ""
        if row:
            label = links.label_column(database, table)
            pk_values = urlsafe_components(row)
            record = await labels.record_title(datasette, database, table, pk_values, label)
        # the feedback link names the record as the page does, not by its key
        links_ = PageLinks.for_page(settings, **page, row_label=record) if record else links
        return {"stdhub": replace(links_, code_labels=found, record=record)}

    return inner


@hookimpl
def asgi_wrapper(datasette: Any):
    """The guard (client errors answered 4xx), the routes (relevance search, whole-table
    CSV; `stdhub.datasette.routes`), then the page cache, then the admission line (at
    most a few pages computed at once), then Datasette."""
    settings = _settings(datasette)
    if settings is None:
        return None

    def wrap(app):
        slots, max_wait = admission.from_environment()
        app = admission.Admission(
            app, admission.datasette_reject(datasette), slots=slots, max_wait=max_wait
        )
        if settings.cache_mb:
            app = PageCache(
                app,
                max_bytes=settings.cache_mb * 1024 * 1024,
                cacheable=lambda path: not path.startswith("/-/"),
            )
        return Guard(Routes(app, settings), datasette)

    return wrap


@hookimpl
def startup(datasette: Any) -> None:
    """Take Datasette's default exception handler out: it prints a traceback with every
    local variable for each error, a client's 404 included, and `handle_exception`
    below answers every exception itself. Install the fast paths (`fastpath`)."""
    from datasette.plugins import pm

    default = pm.get_plugin("datasette.handle_exception")
    if _settings(datasette) is not None and default is not None:
        pm.unregister(default)
    if _settings(datasette) is not None:
        fastpath.install(datasette)


@hookimpl(tryfirst=True)
def handle_exception(datasette: Any, request: Any, exception: Exception):
    """Errors Datasette raises: its own 4xx as they are, anything else one log line.

    Datasette's default handler prints a traceback with every local variable to its
    output for each; a client can cause that at will, so the process log would fill
    with pages of noise. A real fault still shows: one line naming the exception and
    the address, and a Chinese 500 page.
    """
    if _settings(datasette) is None:
        return None
    status = getattr(exception, "status", 500)
    if status >= 500:
        where = getattr(request, "path", "?")
        print(f"stdhub: 500 {where}: {type(exception).__name__}: {exception}", flush=True)
    title = getattr(exception, "title", None) or ""
    return guard.error_response(datasette, request, status, _message(exception, status), title)


@hookimpl(tryfirst=True)
def forbidden(datasette: Any, request: Any, message: str):
    """A refused permission in Chinese; `execute-sql` is arbitrary SQL, off in public."""
    if _settings(datasette) is None:
        return None
    text = (
        "本服务不开放自定义 SQL 查询（?sql=、_where=）：请使用数据库页上的统计查询和表的筛选，"
        "或在网站的数据集页面下载数据，在本地查询。"
        if message == "execute-sql"
        else f"没有权限（{message}）。"
    )
    return guard.error_response(datasette, request, 403, text)


# Datasette 0.65's messages for a client's mistakes, in Chinese (others are shown as they are).
ZH_MESSAGES = {
    "404": "找不到这个页面。",
    "Database not found": "找不到这个数据库。",
    "Table not found": "找不到这个表。",
    "Record not found": "找不到这条记录。",
    "No data": "没有数据。",
    "_size must be a positive integer": "_size 应为正整数。",
    "CSV streaming is disabled": "不提供流式 CSV 导出。",
    "_next not allowed for CSV streaming": "流式 CSV 导出不能和 _next 一起用。",
    "_facet= is not allowed": "不允许 _facet= 分面。",
    "Cannot search by that column": "不能按这一列搜索。",
    "_where= is not allowed": "本服务不开放 _where= 自定义条件：请用表页上的筛选。",
}


def _message(exception: Exception, status: int) -> str:
    if status >= 500:
        return "服务器内部错误。请稍后再试；如果一直出现，请通过“意见反馈”告诉我们出错的地址。"
    text = str(getattr(exception, "message", None) or (exception.args or [""])[0])
    if text.startswith("_size must be <="):
        return f"_size 最大为 {text.rsplit('=', 1)[-1].strip()}。"
    return ZH_MESSAGES.get(text, text)


def _decoded(value: str | None) -> str | None:
    return tilde_decode(value) if value else None


@hookimpl
def prepare_jinja2_environment(env: Any, datasette: Any) -> None:
    env.filters["zh_lookup"] = zh.lookup
    env.filters["zh_description"] = zh.description


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str, datasette: Any):
    """Amounts with their unit as the standard writes it (`2,125.5 元`, `520 元/人·月`);
    codes Datasette shows bare (row pages) with their label (`芙蓉区（…）&nbsp;430102`).

    Datasette's own unit display would scale with SI prefixes (`2.1 k元`).
    """
    if table is None and column == search.RECORD:  # a hit of a relevance search
        return search.record_link(value, lambda t, path: datasette.urls.row(database, t, path))
    if table is None or isinstance(value, bool):
        return None
    if isinstance(value, str):  # a code on a row page: its label beside it
        if _settings(datasette) is None:
            return None
        return labels.code_cell(datasette, database, table, column, value)
    if not isinstance(value, int | float):
        return None
    settings = _settings(datasette)
    info = settings_table(settings, database, table) if settings else None
    unit = info.units.get(column) if info else None
    if not unit:
        return None
    return Markup(f"{_number(value)}&nbsp;{escape(unit)}")


def _number(value: int | float) -> str:
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")
