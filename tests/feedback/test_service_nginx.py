"""The feedback service behind Debian's nginx as `stdhub deploy nginx` configures it: the
form and its submission pass, the help page `/feedback/` stays the site's, big bodies and
floods stop at nginx."""

from __future__ import annotations

import hashlib
import hmac
import os
import pwd
import sqlite3
import subprocess
import time

import httpx
import pytest
from fb_helpers import form_fields
from netutil import free_port

from stdhub.config import Config
from stdhub.deploy import find_nginx, write_nginx
from stdhub.feedback import service, settings, store
from stdhub.processes import stop

SITE = "site.stdhub.test"


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    program = find_nginx()
    if program is None:
        if os.environ.get("STDHUB_REQUIRE_NGINX"):
            pytest.fail("nginx is required here (STDHUB_REQUIRE_NGINX): apt-get install nginx")
        pytest.skip("nginx is not installed")
    root = tmp_path_factory.mktemp("fb-nginx")
    site = root / "site"
    (site / "feedback").mkdir(parents=True)
    (site / "index.html").write_text("<html>首页</html>", encoding="utf-8")
    (site / "feedback" / "index.html").write_text("<html>怎样提意见</html>", encoding="utf-8")
    config = Config(site_url=f"http://{SITE}/", data_url="http://data.stdhub.test/")
    port = free_port()
    comments = service.start(root, "127.0.0.1", port, config, log=root / "feedback.log")
    listen = free_port()
    user = pwd.getpwuid(os.getuid()).pw_name
    conf = write_nginx(
        config, site, ["127.0.0.1:9"], root / "nginx", f"127.0.0.1:{listen}", user,
        feedback=f"127.0.0.1:{port}",
    )  # fmt: skip
    nginx = subprocess.Popen(
        [program, "-p", str(root / "nginx"), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            assert nginx.poll() is None, (root / "nginx" / "error.log").read_text()
            try:
                httpx.get(f"http://127.0.0.1:{listen}/", headers={"host": SITE})
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        with httpx.Client(base_url=f"http://127.0.0.1:{listen}", headers={"host": SITE}) as c:
            yield c, root
    finally:
        nginx.terminate()
        nginx.wait(timeout=20)
        stop(comments)


def test_through_nginx(proxy) -> None:
    client, root = proxy
    help_page = client.get("/feedback/")
    assert help_page.status_code == 200 and "怎样提意见" in help_page.text  # the site's page
    about = {"id": "HNMZ/T 0003-2024", "url": f"http://{SITE}/standards/HNMZ-T-0003-2024/"}
    form = client.get("/feedback/new", params=about)
    assert form.status_code == 200 and "提出意见" in form.text
    fields = {**form_fields(form.text), "text": "经过 nginx 的意见"}
    time.sleep(service.Limits().min_fill + 0.2)
    # a client's own X-Forwarded-For is replaced by nginx with its real address
    sent = client.post("/feedback/new", data=fields, headers={"X-Forwarded-For": "203.0.113.9"})
    assert sent.status_code == 200 and "您的意见已收到" in sent.text
    conn = sqlite3.connect(root / store.DEFAULT_PATH)
    (client_hash,) = conn.execute("SELECT client FROM comments").fetchone()
    conn.close()
    secret = (root / settings.SECRET_PATH).read_bytes()

    def hashed(address: str) -> str:
        return hmac.new(secret, f"client\0{address}".encode(), hashlib.sha256).hexdigest()[:32]

    assert client_hash == hashed("127.0.0.1") != hashed("203.0.113.9")
    big = client.post("/feedback/new", data={**fields, "text": "长" * 20_000})
    assert big.status_code == 413  # nginx's client_max_body_size, before the service
    put = client.put("/feedback/new", content=b"x")
    assert put.status_code == 403


def test_a_flood_meets_limit_req(proxy) -> None:
    client, _ = proxy
    statuses = [client.get("/feedback/new").status_code for _ in range(30)]
    assert statuses.count(429) >= 10 and set(statuses) <= {200, 429}
