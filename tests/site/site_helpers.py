"""Shared by the site tests: where things are, the fixed day, a project folder, a server."""

from __future__ import annotations

import datetime as dt
import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 28)  # the same day as tests/conftest.py's `today`
FIXTURE = Path(__file__).parent / "fixture"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve_directory(root: Path) -> tuple[str, ThreadingHTTPServer]:
    """Serve `root` over real HTTP on a free loopback port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


def make_project(root: Path, standards: Path = FIXTURE / "standards") -> Path:
    """A project folder: the given standards with the repository's docs and mkdocs.yml."""
    shutil.copytree(standards, root / "standards")
    shutil.copytree(REPO / "docs", root / "docs")
    hook = REPO / "src" / "stdhub" / "site" / "mkdocs_hook.py"
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        config.replace("src/stdhub/site/mkdocs_hook.py", str(hook)), encoding="utf-8"
    )
    return root
