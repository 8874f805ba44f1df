"""Three of Datasette 0.65's per-request costs, made cheap with the same answers.

Profiling the public service under a mixed load (`scripts/bench_serve.py --only mixed`,
py-spy on the Datasette process) showed its event-loop thread busy ~95 % of the time, and
costs that grow with what we publish rather than with the request:

- `Datasette._table_permission_allows(database, table)` deep-copies the whole metadata
  (80 KB of titles, column descriptions and queries) for every `view-table` check, several
  times per page: ~9 % of a table page. Its result depends only on the metadata, which is
  read once at start-up (configuration directory, no `get_metadata` plugin), so each
  (database, table) is computed once and remembered.
- `Datasette.absolute_url(request, path)` is `urllib.parse.urljoin(request.url, path)` for
  every facet value's toggle link (up to 30 per facet, three or four facets a page): ~75 %
  of computing the facets. For the paths Datasette passes (absolute, no `//`, `.` or `..`
  segments, no tab or line break) and an ordinary Host, `urljoin` returns
  `scheme://host` + path; anything else still goes through `urljoin`. A test compares the
  two over generated paths and hosts.
- `Datasette.refresh_schemas()` runs before every page: a `PRAGMA schema_version` per
  database, each a trip through the SQL thread pool where it queues behind the pages'
  queries. An immutable database's schema cannot change, so once every database served
  is immutable and has been read, it returns at once (until a database is added).

`install` is called from the plugin's `startup` hook; all are per-instance attributes, so a
bare `datasette` in the same environment is unaffected.
"""

from __future__ import annotations

import re
from typing import Any

from stdhub.datasette import state

# A Host header urlparse keeps whole as the netloc: a name or IPv4 address and a port.
_PLAIN_HOST = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]+)?")
_UNSAFE = frozenset("\t\r\n")


def install(datasette: Any) -> None:
    """Replace the three methods on this Datasette instance (idempotent)."""
    kept = state.of(datasette)
    if kept.fastpath:
        return
    kept.fastpath = True
    original_allows = datasette._table_permission_allows
    allows: dict[tuple[str, str], Any] = {}

    def table_permission_allows(database: str, table: str) -> Any:
        key = (database, table)
        if key not in allows:
            allows[key] = original_allows(database, table)
        return allows[key]

    original_url = datasette.absolute_url

    def absolute_url(request: Any, path: str) -> str:
        # Datasette's paths are `PrefixedUrlString`s, whose every method call goes through
        # a Python `__getattribute__`: work on a plain copy.
        joined = plain_join(request.scheme, request.host, str.__str__(path))
        return original_url(request, path) if joined is None else _https(datasette, joined)

    original_refresh = datasette.refresh_schemas
    refreshed: set[str] = set()

    async def refresh_schemas() -> None:
        names = set(datasette.databases)
        if names == refreshed or datasette._refresh_schemas_lock.locked():
            return  # nothing new; or another request is refreshing (Datasette's own rule)
        await original_refresh()
        served = (db for name, db in datasette.databases.items() if name != "_internal")
        if all(not db.is_mutable for db in served):
            refreshed.clear()
            refreshed.update(names)

    datasette._table_permission_allows = table_permission_allows
    datasette.absolute_url = absolute_url
    datasette.refresh_schemas = refresh_schemas


def plain_join(scheme: str, host: str, path: str) -> str | None:
    """`scheme://host` + `path` when that is exactly what `urljoin` gives; None otherwise."""
    if not (path.startswith("/") and not path.startswith("//") and scheme in ("http", "https")):
        return None
    if _UNSAFE.intersection(path) or not _PLAIN_HOST.fullmatch(host):
        return None
    head, hash_mark, fragment = path.partition("#")
    part, question_mark, query = head.partition("?")
    if (hash_mark and not fragment) or (question_mark and not query) or ";" in part:
        return None  # urljoin drops an empty query or fragment and moves `;params`
    segments = part.split("/")
    if "" in segments[1:-1] or "." in segments or ".." in segments:
        return None  # urljoin would drop empty segments and resolve dot segments
    return f"{scheme}://{host}{path}"


def _https(datasette: Any, url: str) -> str:
    if url.startswith("http://") and datasette.setting("force_https_urls"):
        return "https://" + url[len("http://") :]
    return url
