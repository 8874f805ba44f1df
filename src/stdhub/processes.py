"""Start the two servers `stdhub serve` runs: the static site and Datasette.

Datasette runs as its own process (`python -m datasette serve build/datasette --cors`),
exactly as production runs it; the static site is served by a thread of the stdhub
process. Both bind the host the user chose.
"""

from __future__ import annotations

import functools
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

from stdhub.errors import StdhubError

# Types the site publishes that Python's mimetypes table does not know.
EXTRA_TYPES = {
    ".jsonld": "application/ld+json",
    ".ttl": "text/turtle; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".webmanifest": "application/manifest+json",
}


class ServeError(StdhubError):
    """A server could not start (port taken, Datasette refused its configuration)."""


def datasette_command(config_dir: Path, host: str, port: int) -> list[str]:
    """The command line that serves the configuration directory (also the production one)."""
    return [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        str(config_dir),
        "--host",
        host,
        "--port",
        str(port),
        "--cors",
    ]


def start_datasette(
    config_dir: Path, host: str, port: int, *, timeout: float = 60
) -> subprocess.Popen:
    """Start Datasette and return once it answers; raise ServeError if it cannot start."""
    ensure_free(host, port)
    proc = subprocess.Popen(
        datasette_command(config_dir, host, port),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_up(f"http://{_connect_host(host)}:{port}/-/versions.json", proc, timeout)
    except BaseException:
        stop(proc)
        raise
    return proc


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read() if proc.stderr else ""
            raise ServeError(
                f"Datasette 启动失败（退出码 {proc.returncode}）：{err.strip()[-2000:]}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise ServeError(f"Datasette 在 {timeout:.0f} 秒内没有响应：{url}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream:
            stream.close()


class _SiteHandler(SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        **EXTRA_TYPES,
    }

    def log_message(self, format: str, *args: object) -> None:
        pass


def start_site(root: Path, host: str, port: int) -> ThreadingHTTPServer:
    """Serve the built static site from a background thread."""
    ensure_free(host, port)
    handler = functools.partial(_SiteHandler, directory=str(root))
    server = ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, name="stdhub-site", daemon=True).start()
    return server


def ensure_free(host: str, port: int) -> None:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers do: TIME_WAIT is fine
        try:
            s.bind((host, port))
        except OSError as exc:
            raise ServeError(
                f"无法使用 {host}:{port}（{exc.strerror}）；换一个端口：stdhub serve --port …"
            ) from None


def _connect_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "") else host
