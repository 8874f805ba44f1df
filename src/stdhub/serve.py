"""`stdhub serve`: build what is stale, then serve the site and Datasette side by side.

The site is built for the addresses it is served at (`site_url`, `data_url` of the
configuration are replaced by `http://HOST:PORT/` and `http://HOST:PORT+1/`), so every
link between the two works. A build is stale when any input changed since the last one
— the YAML, the data packages, the hand-written docs, `mkdocs.yml`, stdhub's own code —
or when it was made for other addresses; an up-to-date build starts in about a second.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from stdhub import processes
from stdhub.config import Config, load_config

STAMP = Path("build") / ".serve-stamp.json"
INPUTS = ("standards", "datasets", "docs", "mkdocs.yml")
PACKAGE = Path(__file__).resolve().parent.parent  # src/stdhub: its code shapes the output
OUTPUTS = (Path("build/site/index.html"), Path("build/datasette/metadata.json"))


def local_config(project: Path, host: str, port: int) -> Config:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    return replace(
        load_config(project),
        site_url=f"http://{shown}:{port}/",
        data_url=f"http://{shown}:{port + 1}/",
    )


def _files(project: Path) -> Iterator[Path]:
    for name in INPUTS:
        path = project / name
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from (p for p in path.rglob("*") if p.is_file())
    yield from (p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def fingerprint(project: Path, config: Config, today: dt.date) -> str:
    """A hash of every input's path, size and modification time, the addresses and the day."""
    h = hashlib.sha256(json.dumps([config.site_url, config.data_url, today.isoformat()]).encode())
    for path in sorted(_files(project)):
        stat = path.stat()
        h.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return h.hexdigest()


def is_stale(project: Path, stamp: str) -> bool:
    path = project / STAMP
    if any(not (project / out).exists() for out in OUTPUTS) or not path.exists():
        return True
    return json.loads(path.read_text(encoding="utf-8")).get("fingerprint") != stamp


def ensure_built(
    project: Path, config: Config, today: dt.date, build: Callable[[], object]
) -> bool:
    """Run `build` unless the last build is up to date; True when it ran."""
    stamp = fingerprint(project, config, today)
    if not is_stale(project, stamp):
        return False
    build()
    # Fingerprint again: a build may generate inputs (large sample data files).
    after = fingerprint(project, config, today)
    (project / STAMP).write_text(json.dumps({"fingerprint": after}), encoding="utf-8")
    return True


def serve(
    project: Path,
    host: str,
    port: int,
    config: Config,
    *,
    say: Callable[[str], None] = print,
    stop: threading.Event | None = None,
) -> None:
    """Serve `build/site/` and `build/datasette/` until interrupted (or `stop` is set)."""
    site = processes.start_site(project / "build" / "site", host, port)
    try:
        datasette = processes.start_datasette(project / "build" / "datasette", host, port + 1)
    except BaseException:
        site.shutdown()
        site.server_close()
        raise
    stop = stop or threading.Event()
    previous = signal.getsignal(signal.SIGTERM)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        say(f"site: {config.site_url}")
        say(f"data: {config.data_url}")
        while not stop.wait(0.5):
            if datasette.poll() is not None:
                raise processes.ServeError(f"Datasette 意外退出（退出码 {datasette.returncode}）")
    except KeyboardInterrupt:
        pass
    finally:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, previous)
        processes.stop(datasette)
        site.shutdown()
        site.server_close()
