"""Bound the queue of pages Datasette must compute, so cheap pages never wait behind them.

One Datasette process computes pages on one Python thread (its event loop); SQL runs in
a few threads beside it. Under a flood of pages nobody asked before, every request used
to get a share of that thread: each page took as long as the whole flood, a cached page
queued behind it (39 s was measured), and nothing stopped the queue from growing.

`Admission` sits under the page cache (`stdhub.datasette.pagecache`), so it sees only the
requests the cache cannot answer, and lets at most `slots` of them into Datasette at once;
the others wait in line, first come first served. A page already kept by the cache, or
being computed for another client, never waits here, and neither do Datasette's own
`/-/` addresses (static files, `versions.json`). When the expected wait — the requests
ahead divided by the slots, times the recent mean time a page takes — would exceed
`max_wait` seconds, the request is answered at once with 503, a `Retry-After` header and
a Chinese page; one that waited `max_wait` without a slot gets the same. A client so
refused should come back later, and nginx in front may try the other process
(`stdhub.deploy`).

`STDHUB_SLOTS` and `STDHUB_MAX_WAIT` in Datasette's environment override the defaults.
"""

from __future__ import annotations

import asyncio
import math
import os
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from stdhub.datasette.guard import error_response
from stdhub.datasette.pagecache import App, Receive, Scope, Send

SLOTS = 2  # one computing in Python while another waits for SQLite in a thread
MAX_WAIT = 10.0  # seconds; well below nginx's 30 s proxy_read_timeout
FIRST_ESTIMATE = 0.05  # seconds a page takes, until measured
SMOOTHING = 0.2  # weight of the latest page in the running mean

Reject = Callable[[Scope, Send, int], Awaitable[None]]


def from_environment() -> tuple[int, float]:
    """(slots, max_wait) from `STDHUB_SLOTS` / `STDHUB_MAX_WAIT`, else the defaults."""
    slots = int(os.environ.get("STDHUB_SLOTS") or SLOTS)
    max_wait = float(os.environ.get("STDHUB_MAX_WAIT") or MAX_WAIT)
    return max(1, slots), max(0.0, max_wait)


class Admission:
    """ASGI middleware: at most `slots` requests inside `app`, a bounded line for the rest.

    `passes(path)` names requests that skip the line; `reject(scope, send, retry_after)`
    answers one that is refused (retry_after in whole seconds).
    """

    def __init__(
        self,
        app: App,
        reject: Reject,
        *,
        slots: int = SLOTS,
        max_wait: float = MAX_WAIT,
        passes: Callable[[str], bool] = lambda path: path.startswith("/-/"),
    ) -> None:
        self.app = app
        self.reject = reject
        self.slots = slots
        self.max_wait = max_wait
        self.passes = passes
        self.active = 0
        self.waiting: deque[asyncio.Future[None]] = deque()
        self.seconds_per_page = FIRST_ESTIMATE
        self.refused = 0

    def expected_wait(self) -> float:
        """Seconds a request arriving now would wait for a slot."""
        if self.active < self.slots and not self.waiting:
            return 0.0
        return (len(self.waiting) + 1) / self.slots * self.seconds_per_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.passes(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        wait = self.expected_wait()
        if wait > self.max_wait or not await self._acquire():
            self.refused += 1
            await self.reject(scope, send, max(1, math.ceil(wait or self.max_wait)))
            return
        start = time.monotonic()
        try:
            await self.app(scope, receive, send)
        finally:
            taken = time.monotonic() - start
            self.seconds_per_page += SMOOTHING * (taken - self.seconds_per_page)
            self._release()

    async def _acquire(self) -> bool:
        """Take a slot, waiting in line up to `max_wait` seconds; False when none came."""
        if self.active < self.slots and not self.waiting:
            self.active += 1
            return True
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiting.append(turn)
        try:
            await asyncio.wait_for(asyncio.shield(turn), self.max_wait)
        except TimeoutError:
            if turn.done():  # the slot was handed over just as the time ran out
                return True
            self.waiting.remove(turn)
            return False
        except BaseException:  # cancelled (the client went away): pass a given slot on
            if turn.done() and not turn.cancelled():
                self._release()
            else:
                self.waiting.remove(turn)
            raise
        return True

    def _release(self) -> None:
        """Hand the slot to the first in line (it stays taken), or free it."""
        while self.waiting:
            turn = self.waiting.popleft()
            if not turn.done():
                turn.set_result(None)
                return
        self.active -= 1


def busy_message(retry_after: int) -> str:
    return (
        f"服务器正忙：正在计算的查询太多，请 {retry_after} 秒后再试。"
        "已经有人打开过的页面不受影响；整张表可以在网站的数据集页面下载。"
    )


def datasette_reject(datasette: Any) -> Reject:
    """503 with `Retry-After` and Datasette's Chinese error page (JSON for `.json`)."""

    async def reject(scope: Scope, send: Send, retry_after: int) -> None:
        page = error_response(datasette, scope["path"], 503, busy_message(retry_after))
        response = await page()
        response.headers.update({"retry-after": str(retry_after), "cache-control": "no-store"})
        await response.asgi_send(send)

    return reject
