"""Load test of the feedback service: N concurrent submitters on loopback for S seconds.

    python scripts/bench_feedback.py [--submitters 32] [--seconds 20] [--limits lifted|default]

Starts the service as production runs it (`python -m stdhub.feedback.service`, uvicorn, one
process) on a fresh store in a temporary project. Each submitter does what a browser does,
in a loop: open the form (GET, with a clause of a standard as its target), then submit a
comment of its own (POST with the form's token). With `--limits lifted` (the default) the
rate limits and the minimum fill time are off, so every comment is meant to be accepted;
with `--limits default` each submitter has an address of its own (X-Forwarded-For, which
the service trusts from loopback as it trusts nginx) and the real limits apply.

It checks that every request was answered (no connection error, no time-out) and that no
accepted comment was lost: the number of confirmation pages equals the number of rows in
the store. It prints requests a second, accepted comments a second, p50 and p99 of the
form and of the submission, the statuses seen, and exits 1 if a request went unanswered
or a comment was lost.
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

SITE = "http://127.0.0.1:8000/"
TARGET = {
    "id": "HNMZ/T 0101-2026",
    "version": "2026",
    "title": "养老机构服务质量评价规范",
    "url": SITE + "standards/HNMZ-T-0101-2026/",
    "anchor": "clause-5-4",
}
_HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)">')


@dataclass
class Tally:
    forms: list[float] = field(default_factory=list)  # seconds
    posts: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    accepted: int = 0
    unanswered: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(project: Path, port: int, lifted: bool) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "stdhub.feedback.service", "--project", str(project),
           "--port", str(port), "--site-url", SITE]  # fmt: skip
    if lifted:
        cmd.append("--lifted-limits")
    with (project / "service.log").open("ab") as log:  # the child keeps its own descriptor
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError((project / "service.log").read_text(errors="replace"))
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/feedback/", timeout=2):
                return proc
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the feedback service did not start in 30 s")


def submitter(n: int, base: str, until: float, tally: Tally, lifted: bool) -> None:
    headers = {} if lifted else {"X-Forwarded-For": f"10.{n // 250}.{n % 250}.1"}
    i = 0
    with httpx.Client(timeout=30, headers=headers) as client:
        while time.monotonic() < until:
            i += 1
            try:
                t0 = time.perf_counter()
                form = client.get(base + "new", params=TARGET)
                t1 = time.perf_counter()
                fields = dict(_HIDDEN.findall(form.text))
                fields["text"] = f"提交者 {n} 的第 {i} 条意见：建议补充评价指标。"
                answer = client.post(base + "new", data=fields)
                t2 = time.perf_counter()
            except httpx.HTTPError as exc:
                with tally.lock:
                    tally.unanswered += 1
                    tally.errors.append(f"{type(exc).__name__}: {exc}")
                continue
            with tally.lock:
                tally.forms.append(t1 - t0)
                tally.posts.append(t2 - t1)
                tally.statuses[f"GET {form.status_code}"] += 1
                tally.statuses[f"POST {answer.status_code}"] += 1
                if answer.status_code == 200 and "您的意见已收到" in answer.text:
                    tally.accepted += 1


def _pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] * 1000


def run(submitters: int, seconds: float, *, lifted: bool = True) -> dict:
    """Load a fresh service; the figures as a dict (times in ms)."""
    with tempfile.TemporaryDirectory(prefix="bench-feedback-") as tmp:
        project = Path(tmp)
        port = _free_port()
        proc = start(project, port, lifted)
        tally = Tally()
        try:
            base = f"http://127.0.0.1:{port}/feedback/"
            start_time = time.monotonic()
            until = start_time + seconds
            threads = [
                threading.Thread(target=submitter, args=(n, base, until, tally, lifted))
                for n in range(submitters)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.monotonic() - start_time
        finally:
            proc.terminate()
            proc.wait(timeout=20)
        conn = sqlite3.connect(project / "var" / "feedback" / "feedback.sqlite3")
        stored = conn.execute("SELECT count(*) FROM comments").fetchone()[0]
        conn.close()
    requests = len(tally.forms) + len(tally.posts)
    return {
        "submitters": submitters,
        "seconds": round(elapsed, 1),
        "limits": "lifted" if lifted else "default",
        "requests": requests,
        "req_per_s": round(requests / elapsed, 1),
        "accepted": tally.accepted,
        "accepted_per_s": round(tally.accepted / elapsed, 1),
        "stored": stored,
        "lost": tally.accepted - stored,
        "unanswered": tally.unanswered,
        "statuses": dict(sorted(tally.statuses.items())),
        "form_p50_ms": round(_pct(tally.forms, 50), 1),
        "form_p99_ms": round(_pct(tally.forms, 99), 1),
        "post_p50_ms": round(_pct(tally.posts, 50), 1),
        "post_p99_ms": round(_pct(tally.posts, 99), 1),
        "errors": tally.errors[:5],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submitters", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--limits", choices=("lifted", "default"), default="lifted")
    args = parser.parse_args()
    figures = run(args.submitters, args.seconds, lifted=args.limits == "lifted")
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    return 1 if figures["unanswered"] or figures["lost"] else 0


if __name__ == "__main__":
    sys.exit(main())
