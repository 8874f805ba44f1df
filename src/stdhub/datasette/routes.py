"""Requests a person is better served elsewhere, and an honest end to a cut CSV stream.

ASGI middleware between the guard and the page cache (`plugin.asgi_wrapper`):

- a table page searched by words alone (`/db/table?_search=养老`, no other filter, no
  sort) is answered by the table's relevance search (`/db/table_search?q=养老`, see
  `stdhub.datasette.search.search_query`): hits best first, not in key order;
- "export all" of a whole table as CSV (`/db/table.csv?_stream=on` without filters) is
  the file the open-data section publishes, byte for byte and complete: 302 to it;
- a filtered CSV stream stays Datasette's, bounded by `max_csv_mb`; when it is cut,
  Datasette ends it with an English line (`CSV contains more than 52428800 bytes`), which
  becomes a Chinese one saying the file is incomplete and where the whole table is.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

from datasette.utils import tilde_decode, tilde_encode

from stdhub.datasette.links import PluginSettings, settings_table
from stdhub.datasette.pagecache import App, Receive, Scope, Send

_TABLE = re.compile(r"^/(?P<database>[^/.]+)/(?P<table>[^/]+?)(\.(?P<format>\w+))?$")
_CUT = re.compile(rb"^CSV contains more than (\d+) bytes$")
# Arguments that shape a page but do not choose its rows.
# `_sort_by_desc` alone (the phone form's 降序 box, no column chosen) sorts nothing.
_SHAPE = {
    *("_stream", "_dl", "_labels", "_size", "_nofacet", "_nocount", "_header", "_facet"),
    "_sort_by_desc",
}


def truncated_note(limit_bytes: int, csv_url: str) -> str:
    """The last line of a cut CSV stream."""
    mb = limit_bytes // (1024 * 1024)
    whole = f"；整表的完整 CSV 文件：{csv_url}" if csv_url else ""
    return (
        f"# 导出不完整：CSV 超过 {mb} MB，后面的记录没有导出。请缩小筛选范围后分次导出{whole}\r\n"
    )


class Routes:
    def __init__(self, app: App, settings: PluginSettings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        m = _TABLE.match(scope.get("path", "")) if scope["type"] == "http" else None
        if m is None:
            await self.app(scope, receive, send)
            return
        database, table = tilde_decode(m["database"]), tilde_decode(m["table"])
        info = settings_table(self.settings, database, table)
        args = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        if info is None:
            await self.app(scope, receive, send)
            return
        chooses = [k for k, v in args if k not in _SHAPE and v != ""]
        if m["format"] is None and info.search and chooses == ["_search"]:
            words = next(v for k, v in args if k == "_search")
            target = f"/{m['database']}/{quote(tilde_encode(info.search))}?"
            await _redirect(send, target + urlencode({"q": words}))
            return
        stream = any(k == "_stream" and v not in ("", "0", "off") for k, v in args)
        if m["format"] == "csv" and stream and not chooses and info.csv:
            await _redirect(send, info.csv)
            return
        if m["format"] == "csv" and stream:
            await self.app(scope, receive, _noting_cut(send, info.csv))
            return
        await self.app(scope, receive, send)


async def _redirect(send: Send, location: str) -> None:
    headers = [(b"location", location.encode("latin-1", "replace")), (b"content-length", b"0")]
    headers.append((b"cache-control", b"max-age=600"))
    await send({"type": "http.response.start", "status": 302, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


def _noting_cut(send: Send, csv_url: str) -> Send:
    async def wrapped(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.body":
            cut = _CUT.match(message.get("body", b""))
            if cut:
                note = truncated_note(int(cut[1]), csv_url).encode("utf-8")
                message = {**message, "body": note}
        await send(message)

    return wrapped
