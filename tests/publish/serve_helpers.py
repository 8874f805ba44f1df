"""A copy of the project served by `stdhub serve` (shared by the serve and browser tests)."""

from __future__ import annotations

import datetime as dt
import os
import queue
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from netutil import free_port

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 28)
SOURCE = "datasets"
VILLAGES_PER_COUNTY = 2  # the ~1M-row dataset at 122 × 2 × 60 = 14,640 rows
START_TIMEOUT = 600


@dataclass
class Served:
    root: Path
    port: int
    proc: subprocess.Popen
    lines: list[str] = field(default_factory=list)

    @property
    def site(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def data(self) -> str:
        return f"http://127.0.0.1:{self.port + 1}/"


def copy_project(target: Path) -> Path:
    """standards/, feedback/, datasets/ (large files left to their generator), docs/,
    mkdocs.yml."""
    shutil.copytree(REPO / "standards", target / "standards")
    shutil.copytree(REPO / "feedback", target / "feedback")
    shutil.copytree(
        REPO / "datasets", target / "datasets", ignore=shutil.ignore_patterns("*.large.csv")
    )
    shutil.copytree(REPO / "docs", target / "docs")
    (target / "scripts").mkdir()
    shutil.copy(REPO / "scripts" / "gen_datasets.py", target / "scripts")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    for rel in ("src/stdhub/site/mkdocs_hook.py", "src/stdhub/site/theme"):
        config = config.replace(rel, str(REPO / rel))
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    large = target / "datasets" / "dibao-village-monthly" / "datapackage.yaml"
    text = large.read_text(encoding="utf-8")
    small = f"- dibao-village-monthly\n  - --villages-per-county\n  - '{VILLAGES_PER_COUNTY}'\n"
    large.write_text(text.replace("- dibao-village-monthly\n", small, 1), encoding="utf-8")
    return target


def two_free_ports() -> int:
    while True:
        port = free_port()
        if port < 65000:
            try:
                import socket

                with socket.socket() as s:
                    s.bind(("127.0.0.1", port + 1))
                return port
            except OSError:
                continue


def start(root: Path) -> Served:
    port = two_free_ports()
    cmd = [sys.executable, "-m", "stdhub", "serve", "--project", str(root),
           "--port", str(port), "--today", TODAY.isoformat()]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=root
    )
    served = Served(root, port, proc)
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in proc.stdout:  # type: ignore[union-attr]
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    while len(served.lines) < 2:
        try:
            line = lines.get(timeout=START_TIMEOUT)
        except queue.Empty:
            proc.kill()
            raise RuntimeError("stdhub serve printed nothing in time") from None
        if line is None:
            raise RuntimeError(f"stdhub serve stopped: {proc.stderr.read()[-3000:]}")  # type: ignore[union-attr]
        served.lines.append(line)
    return served


def stop(served: Served) -> None:
    served.proc.terminate()
    try:
        served.proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        served.proc.kill()
        served.proc.wait()
    for stream in (served.proc.stdout, served.proc.stderr):
        if stream:
            stream.close()
