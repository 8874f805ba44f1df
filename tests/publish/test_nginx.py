"""The production recipe: Debian's nginx in front of two Datasette processes on the same
immutable files and of the static site, one address (`stdhub deploy nginx`)."""

from __future__ import annotations

import os
import pwd
import re
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from netutil import free_port

from stdhub.config import Config
from stdhub.deploy import find_nginx, write_nginx
from stdhub.processes import start_datasette, stop

SITE, DATA = "site.stdhub.test", "data.stdhub.test"


@pytest.fixture(scope="module")
def proxy(served, tmp_path_factory):
    program = find_nginx()
    if program is None:
        if os.environ.get("STDHUB_REQUIRE_NGINX"):
            pytest.fail("nginx is required here (STDHUB_REQUIRE_NGINX): apt-get install nginx")
        pytest.skip("nginx is not installed")
    prefix = tmp_path_factory.mktemp("nginx")
    build = served.root / "build"
    ports = [free_port(), free_port()]
    procs = [
        start_datasette(build / "datasette", "127.0.0.1", p, log=prefix / f"ds-{p}.log")
        for p in ports
    ]
    port = free_port()
    config = Config(site_url=f"http://{SITE}/", data_url=f"http://{DATA}/")
    upstreams = [f"127.0.0.1:{p}" for p in ports]
    # the workers read pytest's private (0700) folders: run them as this user
    user = pwd.getpwuid(os.getuid()).pw_name
    conf = write_nginx(config, build / "site", upstreams, prefix, f"127.0.0.1:{port}", user)
    nginx = subprocess.Popen(
        [program, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if nginx.poll() is not None:
                pytest.fail((prefix / "error.log").read_text())
            try:
                httpx.get(f"http://127.0.0.1:{port}/", headers={"host": SITE})
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", procs
    finally:
        nginx.terminate()
        nginx.wait(timeout=20)
        for p in procs:
            stop(p)


def get(base, host, path, **kw):
    return httpx.get(base + path, headers={"host": host, **kw.pop("headers", {})}, **kw)


def test_site_and_data_through_one_address(proxy):
    base, _ = proxy
    page = get(base, SITE, "/opendata/social-assistance-monthly/")
    assert page.status_code == 200 and "<html" in page.text
    assert "max-age=600" in page.headers["cache-control"]
    asset = re.search(r'href="[^"]*?(assets/[^"]+\.css)"', page.text)[1]
    css = get(base, SITE, "/" + asset)
    assert css.status_code == 200 and "immutable" in css.headers["cache-control"], asset
    data = get(base, DATA, "/social-assistance-monthly/monthly.json?_size=5")
    assert data.status_code == 200 and len(data.json()["rows"]) == 5
    again = get(base, DATA, "/social-assistance-monthly/monthly.json?_size=5")
    assert again.headers["x-proxy-cache"] == "HIT" and again.json() == data.json()
    zipped = get(base, DATA, "/social-assistance-monthly/monthly?_size=50",
                 headers={"accept-encoding": "gzip"})  # fmt: skip
    assert zipped.headers["content-encoding"] == "gzip" and "<table" in zipped.text


def test_limits(proxy):
    base, _ = proxy
    assert httpx.post(base + "/social-assistance-monthly/monthly", headers={"host": DATA},
                      content=b"x" * 100).status_code == 403  # fmt: skip
    huge = get(base, DATA, "/", headers={"x-filler": "a" * 20_000})
    assert huge.status_code in (400, 431, 494)


def test_a_request_mix_is_shared_by_both_processes(proxy):
    base, procs = proxy
    paths = [f"/social-assistance-monthly/monthly.json?_size={n}" for n in range(1, 61)]
    paths += ["/social-assistance-monthly", "/-/versions.json"]

    def one(path):
        return get(base, DATA, path).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(one, paths * 2))
    assert set(statuses) == {200}
    site = [get(base, SITE, p).status_code for p in ("/", "/opendata/")]
    assert site == [200, 200]
    time.sleep(0.5)
    for p in procs:  # uvicorn logs each request it answers
        assert "GET /social-assistance-monthly/monthly.json" in p.log.read_text()


def test_a_new_release_replaces_the_old_without_mixing_or_failing(served, tmp_path):
    """`stdhub deploy nginx --release` in production: the new release's processes start
    beside the old ones, nginx reloads onto them, the old ones stop. Clients asking all
    through see old answers then new ones, none fails, and nothing is answered from the
    old release's proxy cache afterwards."""
    import shutil
    import sqlite3
    import threading

    from serve_helpers import two_free_ports

    from stdhub.deploy import make_release

    program = find_nginx()
    if program is None:
        pytest.skip("nginx is not installed")
    build, prefix = served.root / "build", tmp_path / "nginx"
    first_port, listen = two_free_ports(), free_port()
    config = Config(site_url=f"http://{SITE}/", data_url=f"http://{DATA}/")
    user = pwd.getpwuid(os.getuid()).pw_name
    base = f"http://127.0.0.1:{listen}"
    old = make_release(build / "site", build / "datasette", prefix, 1, first_port)
    changed = tmp_path / "changed"  # the next build: one value differs
    shutil.copytree(build / "datasette", changed)  # copies, not links: the build stays
    db = "social-assistance-monthly"
    with sqlite3.connect(changed / f"{db}.db") as conn:
        conn.execute("update monthly set persons = persons + 1000000 where rowid = 1")
    conn.close()
    procs = {}

    def start(release):
        for p in release.ports:
            procs[p] = start_datasette(release.datasette, "127.0.0.1", p, log=tmp_path / f"{p}.log")
        write_nginx(config, release.site, [f"127.0.0.1:{p}" for p in release.ports], prefix,
                    f"127.0.0.1:{listen}", user, release=release.name)  # fmt: skip

    start(old)
    conf = prefix / "nginx.conf"
    nginx = subprocess.Popen([program, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"])
    kept = f"/{db}/monthly.json?_shape=objects&_size=1"
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                before = get(base, DATA, kept).json()["rows"][0]["persons"]
                break
            except (httpx.TransportError, ValueError):
                time.sleep(0.1)
        assert get(base, DATA, kept).headers["x-proxy-cache"] == "HIT"
        seen: dict[int, list[str]] = {}
        timed: list[tuple[float, float, str]] = []  # (sent, answered, version) of each request
        failed: list[str] = []
        stop_asking = threading.Event()

        def ask(n: int) -> None:
            answers, i = seen.setdefault(n, []), 0
            while not stop_asking.is_set():
                i += 1
                sent = time.monotonic()
                try:  # a new connection each time: see docs/deploy.md on keep-alive
                    answer = get(base, DATA, f"{kept}&_n={n}-{i}", headers={"connection": "close"})
                    persons = answer.raise_for_status().json()["rows"][0]["persons"]
                except httpx.HTTPError as error:
                    failed.append(f"{type(error).__name__}: {error}")
                    continue
                version = "old" if persons == before else "new"
                timed.append((sent, time.monotonic(), version))
                if not answers or answers[-1] != version:
                    answers.append(version)

        def old_workers_left() -> bool:
            """Whether a worker of the old configuration is still finishing its requests."""
            for proc in Path("/proc").glob("[0-9]*"):
                try:
                    stat = (proc / "stat").read_text()
                    title = (proc / "cmdline").read_bytes()
                except OSError:  # gone meanwhile
                    continue
                if stat.rsplit(")", 1)[1].split()[1] == str(nginx.pid) and b"shutting" in title:
                    return True
            return False

        threads = [threading.Thread(target=ask, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        try:
            time.sleep(0.5)
            new = make_release(build / "site", changed, prefix, 1, first_port)
            assert new.previous is not None and new.previous.name == old.name
            assert new.ports != old.ports
            start(new)
            reloaded = time.monotonic()
            subprocess.run([program, "-p", str(prefix), "-c", str(conf), "-s", "reload"],
                           check=True)  # fmt: skip
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and (
                time.monotonic() < reloaded + 0.5 or old_workers_left()
            ):
                time.sleep(0.05)
            settled = time.monotonic()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not all(a[-1:] == ["new"] for a in seen.values()):
                time.sleep(0.2)
            for p in old.ports:
                stop(procs.pop(p))
            time.sleep(1)
        finally:
            stop_asking.set()
            for t in threads:
                t.join()
        # old before the reload, new once the old workers are gone; in between (nginx runs
        # old and new workers side by side for milliseconds) a new connection may reach either
        assert {v for _, answered, v in timed if answered < reloaded} == {"old"}
        assert {v for sent, _, v in timed if sent > settled} == {"new"}
        assert all(answers[0] == "old" and answers[-1] == "new" for answers in seen.values()), seen
        assert not failed, failed[:5]
        assert get(base, DATA, kept).json()["rows"][0]["persons"] == before + 1_000_000
    finally:
        nginx.terminate()
        nginx.wait(timeout=20)
        for proc in procs.values():
            stop(proc)
