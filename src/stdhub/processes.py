"""Start the servers `stdhub serve` runs: the static site and Datasette.

Datasette runs as its own process: `start_datasette` runs
`python -m datasette serve build/datasette --cors`, exactly as production runs it (the
nginx recipe, the tests, the benchmark); `stdhub serve` runs the same through
`python -m stdhub.handover` (`HandoverProcess`) on a socket it keeps open, so a new build's
process takes over without refusing a connection. The static site is served by a thread
of the stdhub process. Both bind the host the user chose.

No server writes into a pipe nobody reads: a full pipe blocks the writer, and a server
blocked on printing a traceback answers nobody. Datasette's output (stdout and stderr)
goes to a log file; the site server's error lines go to another.
"""

from __future__ import annotations

import functools
import os
import select
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from stdhub.errors import ServeError

# Types the site publishes that Python's mimetypes table does not know.
EXTRA_TYPES = {
    ".jsonld": "application/ld+json",
    ".ttl": "text/turtle; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".webmanifest": "application/manifest+json",
}


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


def default_log(config_dir: Path, port: int) -> Path:
    """Where Datasette's output goes when the caller names no file: beside its folder."""
    return config_dir.resolve().parent / "logs" / f"datasette-{port}.log"


def start_datasette(
    config_dir: Path,
    host: str,
    port: int,
    *,
    timeout: float = 60,
    log: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.Popen:
    """Start Datasette and return once it answers; raise ServeError if it cannot start.

    Its stdout and stderr are appended to `log` (default: `default_log`); the returned
    process carries the path as `proc.log`. `env` adds to the environment (for example
    `STDHUB_SLOTS`, `STDHUB_MAX_WAIT` of `stdhub.datasette.admission`).
    """
    ensure_free(host, port)
    log = log or default_log(config_dir, port)
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:  # the child keeps its own descriptor
        proc = subprocess.Popen(
            datasette_command(config_dir, host, port),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )
    proc.log = log  # type: ignore[attr-defined]
    try:
        wait_until_up(f"http://{_connect_host(host)}:{port}/-/versions.json", proc, timeout)
    except BaseException:
        stop(proc)
        raise
    return proc


def listen(host: str, port: int, backlog: int = 1024) -> socket.socket:
    """A listening TCP socket on host:port for `HandoverProcess`es to share; ServeError
    when the address is taken. Connections wait in its queue (`backlog`) while no process
    accepts."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ServeError(
            f"无法使用 {host}:{port}（{exc.strerror}）；换一个端口：stdhub serve --port …"
        ) from None
    sock.listen(backlog)
    return sock


class HandoverProcess:
    """Datasette run by `python -m stdhub.handover` on a socket this process keeps open.

    Created, it has started and answered a first request in-process but accepts nothing;
    `go()` makes it accept; `drain()` makes it stop accepting and exit once the requests
    it has are answered (see `stdhub.handover`). Several may share one socket: `stdhub
    serve` drains the old process before the new one goes, so no connection is refused
    and no client sees the new build before the old. Raises ServeError (with the end of
    its log) when it cannot start or does not answer a command within `timeout` seconds.
    """

    def __init__(
        self, config_dir: Path, listener: socket.socket, log: Path, *, timeout: float = 60
    ) -> None:
        from stdhub import handover

        log.parent.mkdir(parents=True, exist_ok=True)
        status_read, status_write = os.pipe()
        fds = (listener.fileno(), status_write)
        env = {
            **os.environ,
            handover.LISTEN_FD: str(listener.fileno()),
            handover.STATUS_FD: str(status_write),
        }
        command = [sys.executable, "-m", "stdhub.handover", "serve", str(config_dir), "--cors"]
        with log.open("ab") as out:
            self.proc = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT,
                pass_fds=fds, env=env,
            )  # fmt: skip
        os.close(status_write)
        self.proc.log = log  # type: ignore[attr-defined]
        self.folder = config_dir
        self._status = status_read
        self._pending = b""
        try:
            self._expect("ready", timeout)
        except BaseException:
            self.stop()
            raise

    def go(self, timeout: float = 10) -> None:
        self._send("go")
        self._expect("serving", timeout)

    def drain(self, timeout: float = 10) -> None:
        self._send("drain")
        self._expect("draining", timeout)

    def poll(self) -> int | None:
        return self.proc.poll()

    def stop(self) -> None:
        """At once (uvicorn's own graceful shutdown on SIGTERM), e.g. when serve ends."""
        stop(self.proc)
        if self._status >= 0:
            os.close(self._status)
            self._status = -1

    def _send(self, command: str) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(f"{command}\n".encode())
            self.proc.stdin.flush()
        except OSError:
            pass  # it has exited: `_expect` says so with its log

    def _expect(self, word: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            line, _, rest = self._pending.partition(b"\n")
            if _:
                self._pending = rest
                if line.decode() == word:
                    return
                continue
            left = deadline - time.monotonic()
            readable, _w, _x = select.select([self._status], [], [], max(0.0, left))
            chunk = os.read(self._status, 1024) if readable else b""
            if not chunk:
                code = self.proc.poll()
                state = f"退出码 {code}" if code is not None else f"{timeout:.0f} 秒内没有回应"
                raise ServeError(
                    f"Datasette 没有进入“{word}”状态（{state}）：{log_tail(self.proc)}"
                )
            self._pending += chunk


def log_tail(proc: subprocess.Popen, chars: int = 2000) -> str:
    """The end of a process's log file ('' when it has none)."""
    log = getattr(proc, "log", None)
    if log is None or not Path(log).exists():
        return ""
    with Path(log).open("rb") as f:
        f.seek(0, 2)
        f.seek(max(0, f.tell() - chars))
        return f.read().decode("utf-8", "replace").strip()


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = log_tail(proc) or (proc.stderr.read() if proc.stderr else "")
            raise ServeError(f"Datasette 启动失败（退出码 {proc.returncode}）：{err}")
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
    extensions_map = {  # noqa: RUF012 (an instance attribute of the base class, overridden)
        **SimpleHTTPRequestHandler.extensions_map,
        **EXTRA_TYPES,
    }

    def log_message(self, format: str, *args: object) -> None:
        pass  # one line per request would be noise; errors go to the log (log_error)

    def log_error(self, format: str, *args: object) -> None:
        self.server.log_line(f"{self.address_string()} {format % args}")  # type: ignore[attr-defined]

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        """No directory listings, as in production: a folder without a page is not found."""
        self.send_error(404)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A missing page gets the site's own 404.html (zh-CN), not Python's error page."""
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: Any, log: Path | None) -> None:
        super().__init__(address, handler)
        self.log = log
        self._lock = threading.Lock()

    def log_line(self, line: str) -> None:
        if self.log is None:
            return
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
        with self._lock, self.log.open("a", encoding="utf-8") as f:
            f.write(f"{stamp} {line}\n")

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up mid-answer (or any handler error): one log line, no
        traceback on the terminal."""
        exc = sys.exc_info()[1]
        self.log_line(f"{client_address[0]} {type(exc).__name__}: {exc}")


def start_site(root: Path, host: str, port: int, *, log: Path | None = None) -> ThreadingHTTPServer:
    """Serve the built static site from a background thread; error lines go to `log`."""
    ensure_free(host, port)
    if log is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(_SiteHandler, directory=str(root))
    server = _SiteServer((host, port), handler, log)
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
