"""Long work shows its progress (stdhub.progress): `stdhub build` without a terminal and in a
pseudo-terminal announces every step before it starts and summarises it when it ends, and
nothing else reaches the screen; `stdhub serve` after a fresh build for its addresses
reuses it, and says which input changed when it rebuilds while serving."""

from __future__ import annotations

import io
import os
import pty
import queue
import re
import select
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stdhub.progress import Steps

REPO = Path(__file__).resolve().parents[1]
TODAY = "2026-11-28"
DATASET = "elderly-care-institutions"  # small, no generator
STEPS = (
    "检查标准",
    "生成示例数据",
    "检查数据",
    "装入数据库",
    "生成下载文件",
    "生成网站",
    "准备数据服务",
    "检查发布内容",
)
OURS = re.compile(r"^(开始 .+ …|完成 .+，\d+\.\d 秒|总结 summary:|  .+)$")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")
CHATTER = ("Building prefix dict", "Loading model", "Prefix dict", "Traceback", "DEBUG", "INFO")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(alphabet="检查数据生成网站装入", min_size=1, max_size=6),
            st.one_of(st.none(), st.integers(0, 5)),
        ),
        max_size=6,
    )
)
def test_plain_lines_announce_each_step_then_end_it(plan: list[tuple[str, int | None]]) -> None:
    out = io.StringIO()
    steps = Steps("plain", out)
    for name, total in plan:
        with steps.step(name, total=total, unit="个") as step:
            for _ in range(total or 0):
                step.advance()
    steps.summary(["一件事"])
    lines = out.getvalue().splitlines()
    assert all(OURS.match(line) for line in lines), lines
    assert len(lines) == 2 * len(plan) + 3
    for i, (name, total) in enumerate(plan):
        work = f"（共 {total} 个）" if total is not None else ""
        assert lines[2 * i] == f"开始 {name}{work} …"
        assert lines[2 * i + 1].startswith(f"完成 {name}，")
    assert lines[-3:-1] == ["总结 summary:", "  一件事"]
    assert all(f"{name} " in lines[-1] for name, _ in plan)


def test_quiet_prints_nothing() -> None:
    out = io.StringIO()
    steps = Steps.for_terminal(quiet=True, stream=out)
    with steps.step("检查数据", total=1) as step:
        step.advance()
    steps.summary(["x"])
    assert out.getvalue() == ""


def _free_port() -> int:
    """A port whose next two are free too (site, Datasette, feedback)."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        if port > 64000:
            continue
        try:
            for extra in (1, 2):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port + extra))
            return port
        except OSError:
            continue


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The shipped standards and docs with one small dataset; its mkdocs.yml sets the
    addresses `stdhub serve --port PORT` serves at, feedback service included."""
    root = tmp_path_factory.mktemp("progress")
    for name in ("standards", "docs"):
        shutil.copytree(REPO / name, root / name)
    shutil.copytree(REPO / "datasets" / DATASET, root / "datasets" / DATASET)
    port = _free_port()
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    for rel in ("src/stdhub/site/mkdocs_hook.py", "src/stdhub/site/theme"):
        config = config.replace(rel, str(REPO / rel))
    config = config.replace("http://127.0.0.1:8000/", f"http://127.0.0.1:{port}/")
    config = config.replace("http://127.0.0.1:8001/", f"http://127.0.0.1:{port + 1}/")
    service = f"    feedback_service: http://127.0.0.1:{port + 2}/feedback/\n"
    config = config.replace("  stdhub:\n", "  stdhub:\n" + service, 1)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root, port


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return {**env, "STDHUB_TODAY": TODAY, "PYTHONUNBUFFERED": "1"}


def _announced_then_done(text: str) -> None:
    for name in STEPS:
        started, done = text.find(name), text.find(f"完成 {name}")
        assert 0 <= started < done, (name, text[-2000:])
    summary = text[text.index("总结 summary:") :]
    assert f"{DATASET}）：956 行" in summary
    assert re.search(r"网站 .+：\d{3,} 个页面", summary)
    assert all(f"{name} " in summary for name in STEPS)
    for chatter in CHATTER:
        assert chatter not in text, chatter


def test_build_without_a_terminal_prints_one_line_per_step_start_and_end(project) -> None:
    root, _ = project
    done = subprocess.run(
        [sys.executable, "-m", "stdhub", "build", "--project", str(root)],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stderr.splitlines()
    assert all(OURS.match(line) for line in lines), [x for x in lines if not OURS.match(x)]
    started = [re.match(r"开始 ([^（ ]+)", x) for x in lines]
    assert [m.group(1) for m in started if m] == list(STEPS)
    for name in STEPS:
        assert lines.index(next(x for x in lines if x.startswith(f"开始 {name}"))) < lines.index(
            next(x for x in lines if x.startswith(f"完成 {name}"))
        )
    _announced_then_done(done.stderr)
    assert "开始" not in done.stdout and done.stdout.rstrip().endswith(
        "site built: " + str(root / "build" / "site")
    )


def test_build_in_a_pseudo_terminal_draws_bars_and_nothing_else(project) -> None:
    root, _ = project
    primary, secondary = pty.openpty()
    env = {**_env(), "TERM": "xterm-256color", "COLUMNS": "160"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "stdhub", "build", "--project", str(root)],
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        env=env,
        close_fds=True,
    )
    os.close(secondary)
    chunks = []
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        ready, _, _ = select.select([primary], [], [], 1)
        if ready:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        elif proc.poll() is not None:
            break
    os.close(primary)
    assert proc.wait(timeout=60) == 0
    raw = b"".join(chunks).decode("utf-8", errors="replace")
    assert "\x1b[" in raw  # drawn live: cursor moves and colours
    assert "━" in raw  # rich's bar
    text = ANSI.sub("", raw)
    _announced_then_done(text)


def _reader(stream, into: queue.Queue[str]) -> None:
    for line in stream:
        into.put(line.rstrip("\n"))


def _wait_for(lines: queue.Queue[str], seen: list[str], pattern: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        seen.append(line)
        if re.search(pattern, line):
            return line
    raise AssertionError(f"no line like {pattern!r} in time: {seen[-40:]}")


def test_serve_reuses_a_fresh_build_and_says_why_it_rebuilds(project) -> None:
    """Runs after the builds above: the build is fresh and made for serve's addresses."""
    root, port = project
    proc = subprocess.Popen(
        [sys.executable, "-m", "stdhub", "serve", "--project", str(root), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    out: queue.Queue[str] = queue.Queue()
    err: queue.Queue[str] = queue.Queue()
    readers = [
        threading.Thread(target=_reader, args=(proc.stdout, out), daemon=True),
        threading.Thread(target=_reader, args=(proc.stderr, err), daemon=True),
    ]
    for reader in readers:
        reader.start()
    said: list[str] = []
    try:
        start = time.monotonic()
        _wait_for(err, said, "^已是最新", 120)
        assert not any(x.startswith(("重新生成", "开始")) for x in said), said
        _wait_for(out, [], "^logs: ", 120)
        assert time.monotonic() - start < 60  # no build: the servers start at once

        site = (root / "build" / "site").stat().st_ino
        target = root / "standards" / "service" / "HNMZ-T-0031-2024.yaml"
        with target.open("a", encoding="utf-8") as f:
            f.write("# 已编辑\n")
        reason = _wait_for(err, said, "^重新生成", 30)
        assert reason == "重新生成 rebuilding：standards/service/HNMZ-T-0031-2024.yaml 已修改"
        _wait_for(err, said, "^总结 summary:", 600)
        assert (root / "build" / "site").stat().st_ino != site  # a new build is published
        assert not any(c in line for line in said for c in CHATTER), said
    finally:
        _stop(proc, readers)
    # and a second serve now finds the build it made up to date
    with subprocess.Popen(
        [sys.executable, "-m", "stdhub", "serve", "--project", str(root), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    ) as again:
        try:
            first = again.stderr.readline().rstrip("\n") if again.stderr else ""
            assert first.startswith("已是最新"), first
        finally:
            _stop(again)


def _stop(proc: subprocess.Popen[str], readers: list[threading.Thread] | None = None) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    for reader in readers or []:
        reader.join(timeout=30)  # to the end of its stream, before the stream is closed
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()
