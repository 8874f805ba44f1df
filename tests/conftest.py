"""Shared fixtures: the repo, a fixed today, a real headless Chromium, a static HTTP server."""

from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from netutil import free_port

REPO = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 28)
CST = dt.timezone(dt.timedelta(hours=8))  # China Standard Time, the day the site's dates are in
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def today() -> dt.date:
    return TODAY


def _need_browser() -> None:
    """Skip without Chromium locally; in CI (STDHUB_REQUIRE_BROWSER=1) a skip is a failure."""
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("STDHUB_REQUIRE_BROWSER"):
        pytest.fail(f"Chromium is required here but {CHROMIUM} is missing")
    pytest.skip("Debian's chromium is not installed (apt-get install chromium fonts-noto-cjk)")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """A real headless Debian Chromium driven by Playwright, one per test module.

    Playwright's sync API keeps an asyncio loop running in this thread while it lives;
    ending it with the module lets later tests call `asyncio.run` (Datasette, ASGI).
    """
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    # the pages derive statuses from the reader's day (stdhub.js): read them on TODAY, the
    # day the test sites are built for
    context.clock.set_fixed_time(dt.datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=CST))
    pg = context.new_page()
    yield pg
    context.close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve_directory(root: Path) -> tuple[str, ThreadingHTTPServer]:
    """Serve `root` over real HTTP on a free loopback port; returns (base URL, server)."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


AXE_VERSION = "4.14.1"
AXE_SCRIPT = REPO / "tests" / "vendor" / "axe-core" / "axe.min.js"


def axe_serious(page, *, moderate: bool = False) -> list[tuple[str, str, str]]:
    """axe-core's serious and critical violations (with `moderate`, moderate ones too) on
    `page` as (rule, impact, first node's HTML): the vendored current release
    (tests/vendor/axe-core/), not the older copy that axe-playwright-python bundles."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe.from_file(AXE_SCRIPT)
    results = axe.run(page).response
    assert results["testEngine"]["version"] == AXE_VERSION
    return [
        (v["id"], v["impact"], v["nodes"][0]["html"][:160])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical") or (moderate and v["impact"] == "moderate")
    ]


@pytest.fixture
def axe():
    """`axe_serious`, as a fixture."""
    return axe_serious


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where browser tests save what they saw (look at them)."""
    out = REPO / "build" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    return out
