"""`stdhub serve`: build what is stale, then serve the site, Datasette and the feedback
service side by side.

The site is built for the addresses it is served at (`site_url`, `data_url` of the
configuration are replaced by `http://HOST:PORT/` and `http://HOST:PORT+1/`, and every
意见反馈 link opens the form of the feedback service at `http://HOST:PORT+2/feedback/`), so
every link between them works. A build is stale when any input changed since the last one
— the YAML, the data packages, the hand-written docs, `mkdocs.yml`, stdhub's own code —
or when it was made for other addresses; an up-to-date build starts in about a second.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import astuple, replace
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol

from stdhub import atomic, handover, processes
from stdhub.config import Config, load_config, with_service
from stdhub.errors import ServeError, StdhubError
from stdhub.feedback import service as feedback

STAMP = Path("build") / ".serve-stamp.json"
INPUTS = ("standards", "datasets", "docs", "feedback", "mkdocs.yml")
PACKAGE = Path(__file__).resolve().parent.parent  # src/stdhub: its code shapes the output
OUTPUTS = (Path("build/site/index.html"), Path("build/datasette/metadata.json"))


def local_config(project: Path, host: str, port: int) -> Config:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    config = replace(
        load_config(project),
        site_url=f"http://{shown}:{port}/",
        data_url=f"http://{shown}:{port + 1}/",
    )
    return with_service(config, f"http://{shown}:{port + 2}{feedback.PREFIX}")


def _files(project: Path) -> Iterator[tuple[str, Path]]:
    """Every input file, with the name it is reported by (`standards/…`, `stdhub/…`)."""
    for name in INPUTS:
        path = project / name
        if path.is_file():
            yield name, path
        elif path.is_dir():
            for p in path.rglob("*"):
                if p.is_file():
                    yield p.relative_to(project).as_posix(), p
    for p in PACKAGE.rglob("*"):
        if p.is_file() and "__pycache__" not in p.parts:
            yield "stdhub/" + p.relative_to(PACKAGE).as_posix(), p


def inputs(project: Path, config: Config, today: dt.date) -> dict[str, Any]:
    """What a build is made from: the configuration (addresses, 意见反馈 links), the day,
    and every input file's size and modification time."""
    files = {}
    for name, path in sorted(_files(project)):
        stat = path.stat()
        files[name] = [stat.st_size, stat.st_mtime_ns]
    return {"config": [str(v) for v in astuple(config)], "day": today.isoformat(), "files": files}


def _digest(made_from: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(made_from, sort_keys=True).encode()).hexdigest()


def fingerprint(project: Path, config: Config, today: dt.date) -> str:
    """A hash of `inputs`: equal when nothing a build is made from changed."""
    return _digest(inputs(project, config, today))


def published(project: Path) -> list[list[int]]:
    """Which build is published: each folder's inode and change time (a new build's folders
    are new ones, so a `stdhub build` run in between makes the serve stamp stale)."""
    found = []
    for name in atomic.NAMES:
        try:
            stat = (project / "build" / name).stat()
        except FileNotFoundError:
            return []
        found.append([stat.st_ino, stat.st_ctime_ns])
    return found


def _stamp(project: Path) -> dict[str, Any]:
    try:
        kept = json.loads((project / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return kept if isinstance(kept, dict) else {}


def is_stale(project: Path, stamp: str) -> bool:
    if any(not (project / out).exists() for out in OUTPUTS):
        return True
    kept = _stamp(project)
    return bool(kept.get("fingerprint") != stamp or kept.get("published") != published(project))


def why_stale(project: Path, now: dict[str, Any]) -> str | None:
    """Why the published build does not match `now` (`inputs`), in Chinese; None when it does."""
    if any(not (project / out).exists() for out in OUTPUTS):
        return "还没有完整的构建（no build yet）"
    kept = _stamp(project)
    before = kept.get("inputs")
    if not isinstance(before, dict):
        return "没有上次构建的记录（no record of the last build）"
    if kept.get("published") != published(project):
        return "build/ 中的构建不是记录的那一次（replaced by another build）"
    reason = changes(before, now)
    if reason is None and kept.get("fingerprint") != _digest(now):
        return "输入已变化（inputs changed）"
    return reason


def changes(before: dict[str, Any], now: dict[str, Any]) -> str | None:
    """What differs between two `inputs`, in Chinese (at most three files named); None if
    nothing does."""
    if before.get("config") != now["config"]:
        return "网址或意见反馈链接与上次构建不同（other addresses or feedback links）"
    if before.get("day") != now["day"]:
        return f"日期从 {before.get('day')} 变为 {now['day']}（状态按日期推导）"
    old, new = before.get("files") or {}, now["files"]
    changed = [f"{name} 已修改" for name in new if name in old and old[name] != new[name]]
    changed += [f"{name} 是新文件" for name in new if name not in old]
    changed += [f"{name} 已删除" for name in old if name not in new]
    if not changed:
        return None
    more = f"（另有 {len(changed) - 3} 处变化）" if len(changed) > 3 else ""
    return "；".join(changed[:3]) + more


def record(project: Path, config: Config, today: dt.date) -> None:
    """Remember what the published build was made from (after `stdhub build` or a rebuild
    of `stdhub serve`), so that the next `stdhub serve` can reuse it."""
    # taken after the build: a build may generate inputs (large sample data files)
    made_from = inputs(project, config, today)
    entry = {
        "fingerprint": _digest(made_from),
        "published": published(project),
        "inputs": made_from,
    }
    (project / STAMP).write_text(json.dumps(entry), encoding="utf-8")


def ensure_built(
    project: Path,
    config: Config,
    today: dt.date,
    build: Callable[[], object],
    say: Callable[[str], None] | None = None,
) -> bool:
    """Run `build` unless the last build is up to date; True when it ran. `say` is told why.

    First finishes or clears what a killed build left (`stdhub.atomic.recover`)."""
    atomic.recover(project / "build")
    reason = why_stale(project, inputs(project, config, today))
    if reason is None:
        return False
    if say is not None:
        say(f"重新生成 rebuilding：{reason}")
    build()
    record(project, config, today)
    return True


class Rebuilder:
    """While `stdhub serve` runs: when an input changed since the build it serves (and stayed
    so for a second: editors save in several writes), say which and rebuild; the servers
    pick the new build up. A failed build is reported once and the last one goes on.
    A build published by `stdhub build` meanwhile is no reason to rebuild (DataServer
    switches to it)."""

    def __init__(
        self,
        project: Path,
        config: Config,
        today: dt.date,
        build: Callable[[], object],
        say: Callable[[str], None],
    ) -> None:
        self.project, self.config, self.today, self.build, self.say = (
            project, config, today, build, say
        )  # fmt: skip
        self.served = inputs(project, config, today)  # what the served build is made from
        self.pending: dict[str, Any] | None = None  # a change seen once, not yet settled

    def check(self) -> None:
        now = inputs(self.project, self.config, self.today)
        reason = changes(self.served, now)
        if reason is None or now != self.pending:
            self.pending = None if reason is None else now
            return
        self.pending = None
        self.say(f"重新生成 rebuilding：{reason}")
        try:
            self.build()
        except StdhubError as error:
            self.served = now  # not again until the next change
            self.say(f"{error}\n构建失败，仍在提供上一次的构建（the last build goes on）")
            return
        record(self.project, self.config, self.today)
        self.served = inputs(self.project, self.config, self.today)


class DataServer:
    """Datasette on a snapshot of `build/datasette/`, switched whole to each new build.

    A rebuild replaces `build/datasette/` while Datasette runs; Datasette opens database
    files by name, a connection at a time, so serving the folder itself would answer from
    old and new files at random. Each build is therefore served from its own snapshot
    `build/serve/<port>/<version>/` (hard links: no copy of the data) by its own process.

    The listening socket belongs to this object, open from `start` to `stop`; each
    process accepts on it (`stdhub.processes.HandoverProcess`). For a new build the new
    process starts beside the old one without accepting, the old one stops accepting
    (it finishes what it has and exits), then the new one begins: connections arriving
    in between wait in the socket's queue. A client sees old answers, then new ones,
    never a refused connection and never old after new.
    """

    label = "data"

    def __init__(self, project: Path, host: str, port: int, logs: Path, url: str = "") -> None:
        self.source = project / "build" / "datasette"
        self.root = project / "build" / "serve" / str(port)  # one per running serve
        self.host, self.port, self.log = host, port, logs / "datasette.log"
        self.url = url
        self.listener: socket.socket | None = None
        self.current: processes.HandoverProcess | None = None
        self.leaving: list[tuple[processes.HandoverProcess, float]] = []  # draining, since
        self.version = ""
        self._seen: tuple[int, int] | None = None

    def start(self) -> None:
        folder = self._snapshot()
        if folder is None:
            raise ServeError(f"{self.source} 不存在或正在替换；先运行 stdhub build")
        self.listener = processes.listen(self.host, self.port)
        try:
            self.current = processes.HandoverProcess(folder, self.listener, self.log)
            self.current.go()
        except BaseException:
            self.stop()
            raise
        self.version = folder.name
        self._clean()

    def check(self) -> str | None:
        """Switch to a new build if there is one; a line to print, or None."""
        self._reap()
        if self.current is not None and self.current.poll() is not None:
            raise ServeError(f"Datasette 意外退出（退出码 {self.current.poll()}），见 {self.log}")
        mark = self._mark()
        if mark is None or mark == self._seen or self.listener is None:
            return None
        folder = self._snapshot()
        if folder is None or folder.name == self.version:
            return None
        try:
            new = processes.HandoverProcess(folder, self.listener, self.log)
        except ServeError as error:  # the old build goes on serving
            return f"data: 新的构建无法启动，仍在提供旧的构建 {self.version}：{error}"
        old = self.current
        if old is not None:
            try:
                old.drain()
            except ServeError:
                old.stop()
            self.leaving.append((old, time.monotonic()))
        try:
            new.go()
        except ServeError:
            new.stop()
            raise
        self.current, self.version = new, folder.name
        return f"data: 已切换到新的构建 switched to build {self.version}"

    def stop(self) -> None:
        for proc in [self.current, *(p for p, _ in self.leaving)]:
            if proc is not None:
                proc.stop()
        self.current, self.leaving = None, []
        if self.listener is not None:
            self.listener.close()
            self.listener = None

    def _reap(self) -> None:
        """Forget processes that finished draining (stop those past their grace); then
        remove the snapshots nobody serves any more."""
        left = []
        for proc, since in self.leaving:
            if proc.poll() is None and time.monotonic() - since > handover.GRACE + 10:
                proc.stop()
            if proc.poll() is None:
                left.append((proc, since))
            else:
                proc.stop()  # closes its pipes
        changed = len(left) != len(self.leaving)
        self.leaving = left
        if changed or not left:
            self._clean()

    def _mark(self) -> tuple[int, int] | None:
        try:
            folder = self.source.resolve(strict=True)
            return folder.stat().st_ino, (folder / "inspect-data.json").stat().st_mtime_ns
        except OSError:
            return None

    def _snapshot(self) -> Path | None:
        """Copy the current build into `build/serve/<port>/<version>/`; None while replaced."""
        before = self._mark()
        if before is None:
            return None
        folder = self.source.resolve()
        staging = self.root / ".new"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        try:
            for item in folder.iterdir():
                if item.is_dir():
                    shutil.copytree(item, staging / item.name)
                elif item.suffix == ".db":
                    os.link(item, staging / item.name)
                else:
                    shutil.copy2(item, staging / item.name)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
            return None
        if self._mark() != before:  # replaced while copying: try again on the next tick
            shutil.rmtree(staging, ignore_errors=True)
            return None
        self._seen = before
        h = hashlib.sha256()
        for name in ("inspect-data.json", "metadata.json", "settings.json"):
            path = staging / name
            h.update(path.read_bytes() if path.exists() else b"")
        final = self.root / h.hexdigest()[:16]
        if final.exists():
            shutil.rmtree(staging)
        else:
            staging.rename(final)
        return final

    def _clean(self) -> None:
        """Remove snapshots that no running process serves (a draining one still reads its
        own: Datasette opens database connections and templates as it needs them)."""
        if not self.root.exists():
            return
        kept = {self.version, *(p.folder.name for p, _ in self.leaving)}
        for old in self.root.iterdir():
            if old.name not in kept and old.name != ".new":
                shutil.rmtree(old, ignore_errors=True)


class SiteServer:
    """The static site `build/site/`, from a thread of this process."""

    label = "site"

    def __init__(self, project: Path, host: str, port: int, logs: Path, url: str = "") -> None:
        self.root, self.host, self.port = project / "build" / "site", host, port
        self.log, self.url = logs / "site.log", url
        self.server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        self.server = processes.start_site(self.root, self.host, self.port, log=self.log)

    def check(self) -> str | None:
        return None  # serves whatever `build/site/` holds now: a new build shows at once

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


class Service(Protocol):
    """What `stdhub serve` runs: started in order, checked twice a second, stopped in
    reverse order. `label` and `url` make the line printed at start (`data: http://…`)."""

    label: str
    url: str

    def start(self) -> None:
        """Start serving; ServeError when it cannot."""

    def check(self) -> str | None:
        """Called twice a second: a line to print, or None; ServeError when it died."""

    def stop(self) -> None:
        """Stop; safe to call when `start` failed or was never called."""


class FeedbackServer:
    """The feedback service (`stdhub.feedback.service`) as a child process of its own,
    its output in `logs/feedback.log`; the comment store is `var/feedback/`, never `build/`."""

    label = "feedback"

    def __init__(self, project: Path, host: str, port: int, logs: Path, config: Config) -> None:
        self.project, self.host, self.port, self.logs, self.config = (
            project, host, port, logs, config
        )  # fmt: skip
        self.url = config.feedback_service or ""
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = feedback.start(
            self.project, self.host, self.port, self.config, log=self.logs / "feedback.log"
        )

    def check(self) -> str | None:
        if self.proc is not None and self.proc.poll() is not None:
            raise ServeError(
                f"意见反馈服务意外退出（退出码 {self.proc.returncode}），见 {self.logs}"
            )
        return None

    def stop(self) -> None:
        if self.proc is not None:
            processes.stop(self.proc)


def services(project: Path, host: str, port: int, config: Config, logs: Path) -> list[Service]:
    """Everything `stdhub serve` runs, in start order.

    To add a process: write a class with `label`,
    `url`, `start`, `check` and `stop` (see `Service`; `DataServer` runs a child process
    with its output in `logs`), and append it here. `serve` prints its line, checks it,
    and stops it with the others.
    """
    return [
        SiteServer(project, host, port, logs, config.site_url),
        DataServer(project, host, port + 1, logs, config.data_url),
        FeedbackServer(project, host, port + 2, logs, config),
    ]


def log_folder(project: Path) -> Path:
    """`build/logs/serve-YYYYMMDD-HHMMSS/`, named when `stdhub serve` starts."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = project / "build" / "logs" / f"serve-{stamp}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def serve(
    project: Path,
    host: str,
    port: int,
    config: Config,
    *,
    say: Callable[[str], None] = print,
    stop: threading.Event | None = None,
    watch: Callable[[], None] | None = None,
) -> None:
    """Serve `build/site/`, `build/datasette/` (`services`) and the feedback service
    (port + 2) until interrupted (or `stop` is set).

    The servers' output goes to `log_folder(project)`. A new build published while
    serving (`stdhub build`) is picked up within a second (`DataServer`); `watch` (a
    `Rebuilder.check`) is called every second to rebuild when an input changed.
    """
    logs = log_folder(project)
    running: list[Service] = []
    stop = stop or threading.Event()
    previous = signal.getsignal(signal.SIGTERM)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        for service in services(project, host, port, config, logs):
            running.append(service)
            service.start()
        for service in running:
            say(f"{service.label}: {service.url}")
        say(f"logs: {logs}")
        ticks = 0
        while not stop.wait(0.5):
            ticks += 1
            if watch is not None and ticks % 2 == 0:
                watch()
            for service in running:
                line = service.check()
                if line:
                    say(line)
    except KeyboardInterrupt:
        pass
    finally:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, previous)
        for service in reversed(running):
            service.stop()
