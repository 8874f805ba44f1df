"""The feedback service as `stdhub serve` runs it, on a small project: the store private,
no forwarded header believed, a `stdhub build` beside it keeps the form, and after
`kill -9` of serve the service goes with it and the next serve starts on the same ports."""

from __future__ import annotations

import os
import re
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fb_helpers import Served, form_fields, serve, stop, w004_project

from stdhub.feedback import service, settings, store
from stdhub.serving import RECORD

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
TODAY = "2026-11-28"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("fb-serve")
    w004_project(root)
    running = serve(root, TODAY)
    yield running
    stop(running)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_spoofed_forwarded_for_is_not_believed_and_the_store_is_private(served: Served) -> None:
    base = served.address("feedback")
    with httpx.Client(timeout=20) as client:
        forms = [form_fields(client.get(base + "new").text) for _ in range(7)]
        time.sleep(service.Limits().min_fill + 0.3)
        statuses = [
            client.post(
                base + "new",
                data={**f, "text": f"第 {i} 条意见"},
                headers={"X-Forwarded-For": f"198.51.100.{i}", "X-Real-IP": f"198.51.100.{i}"},
            ).status_code
            for i, f in enumerate(forms)
        ]
    limit = service.Limits().per_client[0][0]
    assert statuses == [200] * limit + [429] * (7 - limit)  # one address: the real one
    path = served.root / store.DEFAULT_PATH
    assert _mode(path.parent) == 0o700
    for private in (
        path,
        Path(f"{path}-wal"),
        Path(f"{path}-shm"),
        served.root / settings.SECRET_PATH,
    ):
        assert _mode(private) == 0o600, private


def test_a_build_beside_serve_keeps_the_form(served: Served) -> None:
    feedback = served.address("feedback")
    before = (served.root / "build" / "site" / "index.html").stat().st_ino
    built = subprocess.run(
        [sys.executable, "-m", "stdhub", "build", "--project", str(served.root), "--today", TODAY],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    assert "stdhub serve" in built.stderr and feedback in built.stderr
    assert (served.root / "build" / "site" / "index.html").stat().st_ino != before  # a new build
    home = httpx.get(served.address("site"), timeout=20).text  # what serve serves now
    links = re.findall(r'href="([^"]*)"[^>]*>[^<]*意见反馈', home)
    assert links and all(link.startswith(feedback + "new?") for link in links), links


def _free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def test_after_kill_9_the_service_goes_and_the_next_serve_starts(served: Served) -> None:
    feedback = served.address("feedback")
    port = int(feedback.split(":")[2].split("/")[0])
    assert isinstance(served.proc, subprocess.Popen)
    os.kill(served.proc.pid, signal.SIGKILL)
    served.proc.wait(timeout=10)
    deadline = time.monotonic() + 15
    while not all(_free(p) for p in (port - 2, port - 1, port)):
        assert time.monotonic() < deadline, "a child of the killed serve still holds its ports"
        time.sleep(0.2)
    assert (served.root / RECORD).exists()  # left by kill -9, ignored: nobody answers there
    again = serve(served.root, TODAY, timeout=300, port=port - 2)
    try:
        assert again.address("feedback") == feedback
        form = httpx.get(feedback + "new", timeout=20)
        assert form.status_code == 200 and "提出意见" in form.text
    finally:
        stop(again)
    assert not (served.root / RECORD).exists()  # a serve that stops removes its record
