"""The feedback service on a real uvicorn in a thread of the test (service tests), and the
reading of its pages."""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import httpx
import uvicorn
from netutil import free_port

from stdhub.feedback import service, store

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent


def w004_project(root: Path) -> Path:
    """A project in `root`: the standards of the W004 case (a standard in force whose
    consultation closed in 2023), the repository's docs and mkdocs.yml (its hook by path)."""
    shutil.copytree(TESTS / "cases" / "W004" / "standards", root / "standards")
    shutil.copytree(REPO / "docs", root / "docs")
    hook = REPO / "src" / "stdhub" / "site" / "mkdocs_hook.py"
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        config.replace("src/stdhub/site/mkdocs_hook.py", str(hook)), encoding="utf-8"
    )
    return root


SITE = "http://site.stdhub.test/"
DATA = "http://data.stdhub.test/"


@dataclass
class Running:
    base: str  # http://127.0.0.1:PORT/feedback/
    project: Path

    @property
    def store(self) -> Path:
        return self.project / store.DEFAULT_PATH

    def comments(self) -> list[dict[str, str]]:
        conn = store.connect(self.store)
        conn.row_factory = lambda cur, row: {
            d[0]: v for d, v in zip(cur.description, row, strict=True)
        }
        try:
            return conn.execute("SELECT * FROM comments ORDER BY received, id").fetchall()
        finally:
            conn.close()


@contextmanager
def running(
    project: Path, limits: service.Limits | None = None, proxy: str = ""
) -> Iterator[Running]:
    """The service for `project` (its store and key under `project/var/`), on a free port;
    `proxy="127.0.0.1"` makes the test a trusted proxy (its X-Forwarded-For is believed)."""
    settings = service.Settings.for_project(project, SITE, DATA, limits, proxy)
    port = free_port()
    config = uvicorn.Config(
        service.create_app(settings),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        proxy_headers=False,  # as the service runs itself
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the service did not start"
        time.sleep(0.02)
    try:
        yield Running(f"http://127.0.0.1:{port}{service.PREFIX}", project)
    finally:
        server.should_exit = True
        thread.join(10)


class _Form(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input" and a.get("name"):
            self.fields[a["name"] or ""] = a.get("value") or ""
        if tag == "textarea":
            self._textarea = a.get("name")
            self.fields[self._textarea or ""] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None


def form_fields(html: str) -> dict[str, str]:
    """The fields of the page's form as a browser would send them (entities decoded)."""
    parser = _Form()
    parser.feed(html)
    return parser.fields


def visible_text(html: str) -> str:
    """What a person reads: tags, styles and attribute values left out."""
    html = re.sub(r"<style.*?</style>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def open_form(client: httpx.Client, base: str, **about: str) -> dict[str, str]:
    page = client.get(base + "new", params=about)
    assert page.status_code == 200, page.text
    return form_fields(page.text)


def post(client: httpx.Client, base: str, fields: dict[str, str], **headers: str) -> httpx.Response:
    return client.post(base + "new", data=fields, headers=headers)


# -- `stdhub serve` on a copy of the project ------------------------------------------------


@dataclass
class Served:
    root: Path
    proc: object
    lines: list[str]

    def address(self, name: str) -> str:
        return next(line.split(": ", 1)[1] for line in self.lines if line.startswith(name + ":"))


def three_free_ports() -> int:
    """A port P with P + 1 and P + 2 free too (site, Datasette, feedback service)."""
    while True:
        port = free_port()
        if port >= 65000:
            continue
        try:
            for extra in (1, 2):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port + extra))
        except OSError:
            continue
        return port


def serve(root: Path, today: str, timeout: float = 900, port: int | None = None) -> Served:
    """Run `stdhub serve` on `root` as a person would (on `port`, default three free ones);
    return once it printed its addresses."""
    import os
    import queue
    import subprocess
    import sys

    port = port or three_free_ports()
    cmd = [sys.executable, "-m", "stdhub", "serve", "--project", str(root),
           "--port", str(port), "--today", today]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=root
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in proc.stdout:  # type: ignore[union-attr]
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    served = Served(root, proc, [])
    while not any(line.startswith("logs:") for line in served.lines):
        line = lines.get(timeout=timeout)
        if line is None:
            raise RuntimeError(f"stdhub serve stopped: {proc.stderr.read()[-3000:]}")  # type: ignore[union-attr]
        served.lines.append(line)
    return served


def stop(served: Served) -> None:
    import subprocess

    proc = served.proc
    assert isinstance(proc, subprocess.Popen)
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    for stream in (proc.stdout, proc.stderr):
        if stream:
            stream.close()
