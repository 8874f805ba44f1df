"""The nginx recipe tells every upstream nginx's own view of a request, never the client's
(`deploy.FORWARDED`), and refuses one host name for the site and the data. Under Debian's
real nginx, with real HTTP upstreams that answer with the headers they received."""

from __future__ import annotations

import json
import os
import pwd
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from netutil import free_port

from stdhub.cli import cli
from stdhub.config import Config
from stdhub.deploy import find_nginx, host_names, write_nginx
from stdhub.errors import UsageError

SITE, DATA = "site.stdhub.test", "data.stdhub.test"
SPOOFED = {
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "evil.example",
    "X-Forwarded-Port": "443",
    "X-Forwarded-Server": "evil.example",
    "X-Real-IP": "203.0.113.5",
    "Forwarded": "for=203.0.113.5;proto=https;host=evil.example",
    "X-Forwarded-For": "203.0.113.5",
}


class _Echo(BaseHTTPRequestHandler):
    """An upstream that answers with the headers it received (and counts its requests)."""

    def _answer(self) -> None:
        self.server.hits += 1  # type: ignore[attr-defined]
        length = int(self.headers.get("content-length") or 0)
        self.rfile.read(length)
        body = json.dumps({k.lower(): v for k, v in self.headers.items()}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


def _echo() -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _Echo)
    server.hits = 0  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def nginx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict]]:
    program = find_nginx()
    if program is None:
        if os.environ.get("STDHUB_REQUIRE_NGINX"):
            pytest.fail("nginx is required here (STDHUB_REQUIRE_NGINX): apt-get install nginx")
        pytest.skip("nginx is not installed")
    root = tmp_path_factory.mktemp("fwd-nginx")
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("<html>首页</html>", encoding="utf-8")
    data, feedback = _echo(), _echo()
    config = Config(site_url=f"http://{SITE}/", data_url=f"http://{DATA}/")
    listen = free_port()
    user = pwd.getpwuid(os.getuid()).pw_name
    conf = write_nginx(
        config, root / "site", [f"127.0.0.1:{data.server_address[1]}"], root / "nginx",
        f"127.0.0.1:{listen}", user, feedback=f"127.0.0.1:{feedback.server_address[1]}",
    )  # fmt: skip
    checked = subprocess.run(
        [program, "-t", "-p", str(root / "nginx"), "-c", str(conf)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
    assert "conflicting server name" not in checked.stderr  # two names, two servers
    proc = subprocess.Popen(
        [program, "-p", str(root / "nginx"), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{listen}"
    try:
        deadline = time.monotonic() + 20
        while True:
            assert proc.poll() is None, (root / "nginx" / "error.log").read_text()
            try:
                httpx.get(base + "/", headers={"host": SITE})
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        yield base, {"data": data, "feedback": feedback}
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        for server in (data, feedback):
            server.shutdown()
            server.server_close()


def _seen(answer: httpx.Response) -> dict[str, str]:
    assert answer.status_code == 200, answer.text
    return answer.json()


def _told_only_what_nginx_saw(seen: dict[str, str]) -> None:
    assert seen["x-forwarded-proto"] == "http"  # nginx's $scheme, not the client's https
    assert seen["x-forwarded-for"] == "127.0.0.1"  # the address nginx saw, alone
    for cleared in ("x-forwarded-host", "x-forwarded-port", "x-forwarded-server"):
        assert cleared not in seen
    assert "x-real-ip" not in seen and "forwarded" not in seen


def test_a_clients_forwarded_headers_never_reach_datasette_or_its_cache(nginx) -> None:
    base, upstreams = nginx
    first = httpx.get(base + "/db/table", headers={"host": DATA, **SPOOFED})
    _told_only_what_nginx_saw(_seen(first))
    # the next reader gets the cached page: the same page, made from nginx's view
    second = httpx.get(base + "/db/table", headers={"host": DATA})
    assert second.headers["x-proxy-cache"] == "HIT" and second.json() == first.json()
    assert upstreams["data"].hits == 1


def test_the_feedback_service_is_told_only_what_nginx_saw(nginx) -> None:
    base, _ = nginx
    form = httpx.get(base + "/feedback/new", headers={"host": SITE, **SPOOFED})
    _told_only_what_nginx_saw(_seen(form))
    sent = httpx.post(base + "/feedback/new", data={"text": "x"}, headers={"host": SITE, **SPOOFED})
    _told_only_what_nginx_saw(_seen(sent))


@pytest.mark.parametrize(
    ("site", "data"),
    [
        ("http://127.0.0.1:8000/", "http://127.0.0.1:8001/"),  # the shipped mkdocs.yml's
        ("https://biaozhun.example.gov.cn/", "https://BIAOZHUN.example.gov.cn:8443/"),
    ],
)
def test_one_host_name_for_site_and_data_is_refused(tmp_path: Path, site: str, data: str) -> None:
    with pytest.raises(UsageError, match="主机名"):
        host_names(Config(site_url=site, data_url=data))
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: x\nextra:\n  stdhub:\n    site_url: {site}\n    data_url: {data}\n",
        encoding="utf-8",
    )
    out = tmp_path / "nginx"
    result = CliRunner().invoke(
        cli, ["deploy", "nginx", "--project", str(tmp_path), "--out", str(out)]
    )
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "不同的主机名" in result.output and "data_url" in result.output
    assert not out.exists()  # nothing written
