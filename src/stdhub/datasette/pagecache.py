"""Remember whole responses of read-only pages: the databases never change once built.

Datasette recomputes every page on every request; a table page with two facets over a
million rows costs hundreds of milliseconds of SQLite work. Because the databases are
immutable, a page's bytes depend only on its address, so the first response is kept and
served again. Concurrent first requests for one address wait for a single computation.
The bound (`max_bytes`) counts what an entry costs: its body, its headers, its key (the
address with its query string) and a fixed overhead per entry.

What is never kept: anything but GET/HEAD answered 200, responses marked `private` or
`no-store` (Datasette marks responses that set cookies so), requests that carry a login
cookie, bodies above `max_item_bytes` (downloads, streamed CSV) and pages whose facets
timed out (a slow moment must not be frozen into the cache).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

# A timed-out facet shows as this class in HTML and as a non-empty list in JSON.
_TIMED_OUT_MARKERS = (b'class="facets-timed-out"', b'"facets_timed_out": ["')
_LOGIN_COOKIE = b"ds_actor"
CACHE_HEADER = b"x-stdhub-cache"


@dataclass
class Stored:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers)


@dataclass
class Stats:
    hits: int = 0
    misses: int = 0
    stored: int = 0
    bytes: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


class PageCache:
    """ASGI middleware keeping whole responses, least recently used out first."""

    def __init__(
        self,
        app: App,
        *,
        max_bytes: int = 256 * 1024 * 1024,
        max_item_bytes: int = 4 * 1024 * 1024,
        cacheable: Callable[[str], bool] = lambda path: True,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_item_bytes = max_item_bytes
        self.cacheable = cacheable
        self.stats = Stats()
        self._items: OrderedDict[tuple, Stored] = OrderedDict()
        self._pending: dict[tuple, asyncio.Future[Stored | None]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = self._key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        stored = self._items.get(key)
        if stored is not None:
            self._items.move_to_end(key)
            self.stats.hits += 1
            await self._replay(stored, scope, send, b"hit")
            return
        if scope["method"] == "HEAD":  # a HEAD answer has no body to keep
            await self.app(scope, receive, send)
            return
        pending = self._pending.get(key)
        if pending is not None:
            stored = await asyncio.shield(pending)
            if stored is not None:
                self.stats.hits += 1
                await self._replay(stored, scope, send, b"hit")
                return
            await self.app(scope, receive, send)
            return
        self.stats.misses += 1
        future: asyncio.Future[Stored | None] = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        stored = None
        try:
            stored = await self._record(scope, receive, send)
        finally:
            del self._pending[key]
            future.set_result(stored)  # waiters compute for themselves when this is None
        if stored is not None:
            self._put(key, stored)

    def _key(self, scope: Scope) -> tuple | None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return None
        path = scope.get("path", "")
        if not self.cacheable(path):
            return None
        headers = dict(scope.get("headers") or [])
        if _LOGIN_COOKIE in headers.get(b"cookie", b""):
            return None
        # Facet and pagination links are absolute, so the host and scheme are part of a page.
        # HEAD is answered from a kept GET.
        return (
            scope.get("scheme", "http"),
            headers.get(b"host", b""),
            scope.get("raw_path") or path.encode(),
            scope.get("query_string", b""),
        )

    async def _record(self, scope: Scope, receive: Receive, send: Send) -> Stored | None:
        """Pass the response through while keeping a copy, unless it must not be kept."""
        start: Message = {}
        chunks: list[bytes] = []
        keep = True
        size = 0

        async def tee(message: Message) -> None:
            nonlocal keep, size
            if message["type"] == "http.response.start":
                start.update(message)
                reason = _refuse(message)
                if reason:
                    keep = False
                    self.stats.skip(reason)
                message = {
                    **message,
                    "headers": [*message.get("headers", []), (CACHE_HEADER, b"miss")],
                }
            elif message["type"] == "http.response.body" and keep:
                body = message.get("body", b"")
                size += len(body)
                if size > self.max_item_bytes:
                    keep = False
                    chunks.clear()
                    self.stats.skip("too large")
                else:
                    chunks.append(body)
            await send(message)

        await self.app(scope, receive, tee)
        if not keep or not start:
            return None
        body = b"".join(chunks)
        if any(marker in body for marker in _TIMED_OUT_MARKERS):
            self.stats.skip("facet timed out")
            return None
        return Stored(start["status"], list(start.get("headers", [])), body)

    def _put(self, key: tuple, stored: Stored) -> None:
        size = stored.size + key_size(key)
        if size > self.max_item_bytes or key in self._items:
            return
        self._items[key] = stored
        self.stats.stored += 1
        self.stats.bytes += size
        while self.stats.bytes > self.max_bytes and self._items:
            old_key, old = self._items.popitem(last=False)
            self.stats.bytes -= old.size + key_size(old_key)

    @staticmethod
    async def _replay(stored: Stored, scope: Scope, send: Send, state: bytes) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": stored.status,
                "headers": [*stored.headers, (CACHE_HEADER, state)],
            }
        )
        body = b"" if scope["method"] == "HEAD" else stored.body
        await send({"type": "http.response.body", "body": body})


# What Python spends on an entry beyond its bytes: the key tuple, the Stored object, the
# header tuples and the ordered dict's slot (about 1 KB; a test measures it).
ENTRY_OVERHEAD = 1024


def key_size(key: tuple) -> int:
    """The bytes an entry's key holds (a long query string is as costly as a page), plus
    the fixed overhead of an entry."""
    return ENTRY_OVERHEAD + sum(len(part) for part in key)


def _refuse(start: Message) -> str:
    """Why a response must not be kept, or '' when it may."""
    if start.get("status") != 200:
        return "status"
    for name, value in start.get("headers", []):
        lname = name.lower()
        if lname == b"set-cookie":
            return "cookie"
        if lname == b"cache-control" and (b"private" in value or b"no-store" in value):
            return "private"
    return ""
