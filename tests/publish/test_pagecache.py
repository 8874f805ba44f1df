"""The page cache in front of Datasette: what it keeps, what it refuses, one computation per page."""

from __future__ import annotations

import asyncio
import tracemalloc
from concurrent.futures import ThreadPoolExecutor

from stdhub.datasette.admission import Admission
from stdhub.datasette.pagecache import ENTRY_OVERHEAD, PageCache


class Counting:
    """A small real ASGI app: answers `body` for each path, counting how often it computed."""

    def __init__(self, status=200, headers=None, body=b"page", delay=0.0, chunks=1):
        self.calls = 0
        self.status = status
        self.headers = headers or [(b"content-type", b"text/html")]
        self.body = body
        self.delay = delay
        self.chunks = chunks

    async def __call__(self, scope, receive, send):
        self.calls += 1
        await asyncio.sleep(self.delay)
        await send({"type": "http.response.start", "status": self.status, "headers": self.headers})
        part = len(self.body) // self.chunks or len(self.body)
        for i in range(0, len(self.body), part):
            more = i + part < len(self.body)
            await send(
                {"type": "http.response.body", "body": self.body[i : i + part], "more_body": more}
            )


def scope(path="/db/table", query=b"", method="GET", cookie=b""):
    headers = [(b"host", b"127.0.0.1:8001")]
    if cookie:
        headers.append((b"cookie", cookie))
    return {
        "type": "http",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "headers": headers,
    }


async def fetch(app, s):
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    await app(s, receive, send)
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], dict(start["headers"]), body


def run(coro):
    """Run on a loop of its own (the browser tests keep Playwright's loop in this thread)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def test_second_request_is_served_from_the_cache():
    app = Counting(body=b"<p>facets</p>")
    cache = PageCache(app)

    async def go():
        first = await fetch(cache, scope(query=b"_facet=a"))
        second = await fetch(cache, scope(query=b"_facet=a"))
        other = await fetch(cache, scope(query=b"_facet=b"))
        return first, second, other

    first, second, other = run(go())
    assert first[1][b"x-stdhub-cache"] == b"miss"
    assert second[1][b"x-stdhub-cache"] == b"hit"
    assert first[2] == second[2] == b"<p>facets</p>"
    assert other[1][b"x-stdhub-cache"] == b"miss"
    assert app.calls == 2


def test_concurrent_first_requests_compute_once():
    app = Counting(delay=0.05)
    cache = PageCache(app)

    async def go():
        return await asyncio.gather(*(fetch(cache, scope()) for _ in range(20)))

    results = run(go())
    assert app.calls == 1
    assert all(r[2] == b"page" for r in results)
    assert sorted(r[1][b"x-stdhub-cache"] for r in results).count(b"miss") == 1


def test_head_is_answered_from_a_kept_get_without_body():
    app = Counting()
    cache = PageCache(app)

    async def go():
        await fetch(cache, scope())
        return await fetch(cache, scope(method="HEAD"))

    status, headers, body = run(go())
    assert (status, headers[b"x-stdhub-cache"], body) == (200, b"hit", b"")
    assert app.calls == 1


def test_refuses_errors_private_responses_cookies_and_timed_out_facets():
    cases = {
        "status": Counting(status=400),
        "private": Counting(headers=[(b"cache-control", b"private, no-store")]),
        "cookie": Counting(headers=[(b"set-cookie", b"ds_csrftoken=x")]),
        "timed out html": Counting(body=b'<p class="facets-timed-out">x</p>'),
        "timed out json": Counting(body=b'{"facets_timed_out": ["county_code"]}'),
    }
    for reason, app in cases.items():
        cache = PageCache(app)

        async def go(cache=cache):
            await fetch(cache, scope())
            return await fetch(cache, scope())

        _, headers, _ = run(go())
        assert headers[b"x-stdhub-cache"] == b"miss", reason
        assert app.calls == 2, reason


def test_json_without_timeouts_is_kept():
    app = Counting(body=b'{"facets_timed_out": [], "rows": []}')
    cache = PageCache(app)

    async def go():
        await fetch(cache, scope())
        return await fetch(cache, scope())

    assert run(go())[1][b"x-stdhub-cache"] == b"hit"


def test_login_cookie_and_post_and_excluded_paths_bypass_the_cache():
    app = Counting()
    cache = PageCache(app, cacheable=lambda path: not path.startswith("/-/"))

    async def go():
        for s in (
            scope(cookie=b"ds_actor=abc"),
            scope(method="POST"),
            scope(path="/-/versions.json"),
        ):
            await fetch(cache, s)
            await fetch(cache, s)

    run(go())
    assert app.calls == 6
    assert cache.stats.stored == 0


def test_large_bodies_stream_through_and_are_not_kept():
    body = b"x" * 10_000
    app = Counting(body=body, chunks=10)
    cache = PageCache(app, max_item_bytes=4_000)

    async def go():
        first = await fetch(cache, scope())
        second = await fetch(cache, scope())
        return first, second

    first, second = run(go())
    assert first[2] == second[2] == body
    assert app.calls == 2
    assert cache.stats.skipped == {"too large": 2}


def test_least_recently_used_pages_leave_first_when_full():
    app = Counting(body=b"y" * 1000)
    cache = PageCache(app, max_bytes=2500 + 2 * ENTRY_OVERHEAD)

    async def go():
        for q in (b"a", b"b", b"a", b"c"):  # a is used again, so b is the one to go
            await fetch(cache, scope(query=q))
        return [
            (await fetch(cache, scope(query=q)))[1][b"x-stdhub-cache"] for q in (b"a", b"c", b"b")
        ]

    assert run(go()) == [b"hit", b"hit", b"miss"]
    assert cache.stats.bytes <= 2500 + 2 * ENTRY_OVERHEAD


def _held_by_cache(bound: int, queries: list[bytes], body: bytes) -> tuple[PageCache, int]:
    """Fill a cache bounded at `bound` bytes; (the cache, the bytes Python holds for it)."""
    cache = PageCache(Counting(body=body), max_bytes=bound)

    async def go():
        for q in queries:
            await fetch(cache, scope(query=q))

    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        run(go())
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    return cache, held


def test_long_unique_addresses_count_against_the_bound():
    """12,000 unique 30 KB query strings once grew the process by 200 MB while the cache
    counted 3 MB: the keys were not counted. Scaled down: 300 of them, bound 1 MB."""
    bound = 1_000_000
    queries = [f"{i:05d}&".encode() + b"x" * 30_000 for i in range(300)]
    cache, held = _held_by_cache(bound, queries, b"small page")
    assert cache.stats.bytes <= bound
    assert cache.stats.stored == 300 and len(cache._items) <= bound // 30_000
    assert held <= bound * 1.1, f"the cache holds {held:,} bytes for a bound of {bound:,}"


def test_many_small_entries_count_their_overhead():
    bound = 1_000_000
    cache, held = _held_by_cache(bound, [f"q={i}".encode() for i in range(5000)], b"p")
    assert cache.stats.bytes <= bound and len(cache._items) < 5000
    assert held <= bound * 1.1, f"the cache holds {held:,} bytes for a bound of {bound:,}"


# The admission line under the page cache (stdhub.datasette.admission).


class Busy:
    """A real ASGI app taking `delay` seconds a page, recording how many run at once."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.running = 0
        self.most = 0
        self.order: list[str] = []

    async def __call__(self, scope, receive, send):
        counted = not scope["path"].startswith("/-/")  # Datasette's own paths skip the line
        self.running += counted
        self.most = max(self.most, self.running)
        self.order.append(scope["path"])
        try:
            await asyncio.sleep(self.delay)
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"page"})
        finally:
            self.running -= counted


async def refuse(scope, send, retry_after):
    headers = [(b"retry-after", str(retry_after).encode())]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": b"busy"})


def test_admission_runs_at_most_its_slots_first_come_first_served():
    app = Busy(0.02)
    line = Admission(app, refuse, slots=2, max_wait=5)

    async def go():
        return await asyncio.gather(*(fetch(line, scope(f"/db/t{i}")) for i in range(10)))

    answers = run(go())
    assert [status for status, _, _ in answers] == [200] * 10
    assert app.most == 2
    assert app.order == [f"/db/t{i}" for i in range(10)]
    assert line.active == 0 and not line.waiting


def test_admission_refuses_what_would_wait_too_long_and_lets_datasettes_own_paths_pass():
    app = Busy(0.1)
    line = Admission(app, refuse, slots=1, max_wait=0.35)

    async def go():
        flood = [asyncio.create_task(fetch(line, scope(f"/db/t{i}"))) for i in range(12)]
        await asyncio.sleep(0.05)
        loop = asyncio.get_running_loop()
        start = loop.time()
        own = await fetch(line, scope("/-/versions.json"))
        own_took = loop.time() - start
        return await asyncio.gather(*flood), own, own_took

    answers, own, own_took = run(go())
    statuses = [status for status, _, _ in answers]
    assert statuses[:3] == [200, 200, 200] and 503 in statuses
    assert all(int(headers[b"retry-after"]) >= 1 for s, headers, _ in answers if s == 503)
    assert own[0] == 200 and own_took < 2 * app.delay  # its own time, not the line's
    assert app.most == 1 and line.active == 0 and not line.waiting


def test_admission_passes_the_slot_on_when_a_waiting_client_goes_away():
    app = Busy(0.05)
    line = Admission(app, refuse, slots=1, max_wait=5)

    async def go():
        first = asyncio.create_task(fetch(line, scope("/db/a")))
        await asyncio.sleep(0.01)
        gone = asyncio.create_task(fetch(line, scope("/db/gone")))
        await asyncio.sleep(0.01)
        gone.cancel()
        last = await fetch(line, scope("/db/c"))
        return await first, last

    first, last = run(go())
    assert first[0] == last[0] == 200
    assert "/db/gone" not in app.order and line.active == 0 and not line.waiting
