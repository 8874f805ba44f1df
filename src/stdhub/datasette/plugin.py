"""The Datasette plugin: Chinese search, links back to the site, feedback links, page cache.

Datasette loads it from the `plugins/` folder of the generated configuration directory
(see `stdhub.datasette.configdir`), so a plain `datasette` in the same environment — the
benchmark's bare instance, for one — is not affected. Everything it needs comes from the
`plugins.stdhub` section of the generated `metadata.json`; without that section every
hook does nothing.
"""

from __future__ import annotations

from typing import Any

from datasette import hookimpl
from datasette.utils import tilde_decode
from markupsafe import Markup, escape

from stdhub.datasette import search, zh
from stdhub.datasette.links import PageLinks, PluginSettings, settings_table
from stdhub.datasette.pagecache import PageCache

PLUGIN = "stdhub"
# The hooks; the generated plugins/stdhub_plugin.py imports exactly these.
__all__ = [
    "asgi_wrapper",
    "extra_template_vars",
    "prepare_connection",
    "prepare_jinja2_environment",
    "render_cell",
]


def _settings(datasette: Any) -> PluginSettings | None:
    cached = getattr(datasette, "_stdhub_settings", False)
    if cached is False:
        raw = datasette.plugin_config(PLUGIN)
        cached = PluginSettings.from_dict(raw) if raw else None
        datasette._stdhub_settings = cached
    return cached


@hookimpl(trylast=True)
def prepare_connection(conn: Any, datasette: Any) -> None:
    """Replace Datasette's `escape_fts` (registered before ours) with the Chinese splitter.

    Datasette's search box sends `?_search=`, which it turns into
    `MATCH escape_fts(:search)`; the FTS tables hold text pre-split into words, so the
    query must be split the same way. The box keeps showing what the user typed.
    """
    if _settings(datasette) is not None:
        conn.create_function("escape_fts", 1, search.match_expression, deterministic=True)


@hookimpl
def extra_template_vars(request: Any, datasette: Any) -> dict[str, Any]:
    settings = _settings(datasette)
    if settings is None or request is None:
        return {}
    url_vars = request.url_vars or {}
    return {
        "stdhub": PageLinks.for_page(
            settings,
            database=_decoded(url_vars.get("database")),
            table=_decoded(url_vars.get("table")),
            row=_decoded(url_vars.get("pks")),
            path=request.path,
            query_string=request.query_string,
        )
    }


@hookimpl
def asgi_wrapper(datasette: Any):
    settings = _settings(datasette)
    if settings is None or not settings.cache_mb:
        return None

    def wrap(app):
        cache = PageCache(
            app,
            max_bytes=settings.cache_mb * 1024 * 1024,
            cacheable=lambda path: not path.startswith("/-/"),
        )
        datasette._stdhub_cache = cache
        return cache

    return wrap


def _decoded(value: str | None) -> str | None:
    return tilde_decode(value) if value else None


@hookimpl
def prepare_jinja2_environment(env: Any, datasette: Any) -> None:
    env.filters["zh_lookup"] = zh.lookup
    env.filters["zh_description"] = zh.description


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str, datasette: Any):
    """Amounts with their unit as the standard writes it (`2,125.5 元`, `520 元/人·月`).

    Datasette's own unit display would scale with SI prefixes (`2.1 k元`).
    """
    if table is None or isinstance(value, bool) or not isinstance(value, int | float):
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
