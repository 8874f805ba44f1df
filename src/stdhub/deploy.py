"""`stdhub deploy nginx`: an nginx configuration for the site and N Datasette processes.

One nginx address serves both parts, told apart by host name (`site_url` and `data_url`
of the configuration): the static site from `build/site/` with long-lived cache headers
for its assets, and Datasette through a proxy cache in front of N processes that serve
the same immutable `build/datasette/` folder. nginx bounds what a client may send and ask
(`limit_req` per address, body and header sizes), compresses text and keeps connections
to the processes open. With a feedback service (`stdhub.feedback.service`), its form at
`/feedback/new` on the site's host name is proxied to it, under a stricter request rate and
a small body limit of its own (the static help page `/feedback/` stays the site's). The in-process page cache of the plugin stays for the one-command
local use (`stdhub serve`); behind nginx both apply.

The file is complete (`events`, `http`, temporary paths under `prefix`), so it runs as
`nginx -p PREFIX -c PREFIX/nginx.conf` without touching the system's nginx.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from stdhub.atomic import link_or_copy
from stdhub.config import Config
from stdhub.errors import UsageError

NGINX_TEMPLATE = "nginx.conf.jinja"  # in stdhub/templates/
LIMITS: dict[str, Any] = {
    "rate": "20r/s",  # per client address, sustained
    "burst": 200,  # a browser opening a page with its assets, a script's quick run
    "conn": 16,  # data requests in progress at once per client address (a browser uses 6)
    "body": "16k",  # the service is read-only: nothing to upload
    "header_buffers": "4 16k",  # request line and each header at most 16 KB
    "feedback_rate": "20r/m",  # the form and its submission, per client address
    "feedback_burst": 10,  # a few forms opened at once; the service limits comments itself
    "feedback_body": "40k",  # the service refuses bodies over 32 KB itself, with a message
}


# What every upstream is told about the request: nginx's own view, never the client's. A
# client's `X-Forwarded-Proto: https` would otherwise make Datasette write https links into
# a page the cache (keyed on nginx's $scheme) then serves to everyone; forwarded host names
# would do the same to every absolute link.
FORWARDED = """\
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host "";
            proxy_set_header X-Forwarded-Port "";
            proxy_set_header X-Forwarded-Server "";
            proxy_set_header X-Real-IP "";
            proxy_set_header Forwarded "";"""


def host_names(config: Config) -> tuple[str, str]:
    """The site's and the data's host names (`site_url`, `data_url`). nginx tells its two
    servers apart by host name alone, so one name for both is refused (UsageError): nginx
    would drop the data server with a warning and answer every data request with the
    site's 404."""
    site_host = urlsplit(config.site_url).hostname or "_"
    data_host = urlsplit(config.data_url).hostname or "_"
    if site_host == data_host:
        raise UsageError(
            f"mkdocs.yml: extra.stdhub.site_url（{config.site_url}）和 data_url"
            f"（{config.data_url}）的主机名都是 {site_host}：nginx 按主机名区分网站和开放数据，"
            "两者须用不同的主机名（端口不同不行）。请把 data_url 改为另一个主机名，如 "
            "https://data.biaozhun.example.gov.cn/，并为它配置域名解析后重新运行 stdhub deploy nginx"
        )
    return site_host, data_host


def find_nginx() -> str | None:
    """The nginx program: on PATH, or where Debian puts it (/usr/sbin, often not on a
    user's PATH); None when not installed."""
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None


def nginx_config(
    config: Config,
    site_root: Path,
    upstreams: list[str],
    prefix: Path,
    listen: str,
    user: str | None = None,
    *,
    rate: str = str(LIMITS["rate"]),
    conn: int = int(LIMITS["conn"]),
    release: str = "",
    feedback: str | None = None,
) -> str:
    """The text of nginx.conf. `upstreams`: Datasette addresses (`127.0.0.1:8101`, …);
    `listen`: nginx's own address (`0.0.0.0:80`); `prefix`: its folder (logs, cache);
    `user`: the account its workers run as when started by root (default: nginx's);
    `rate`, `conn`: requests a second and data requests at once per client address (a
    load test from one address lifts them); `release`: the release served (`release`),
    part of every proxy cache key so that a new release never answers from the old's;
    `feedback`: the feedback service's address (`127.0.0.1:8201`), if there is one."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    site_host, data_host = host_names(config)
    env = Environment(
        loader=PackageLoader("stdhub", "templates"),
        autoescape=False,  # nginx syntax, not HTML
        undefined=StrictUndefined,
        trim_blocks=True,
        keep_trailing_newline=True,
    )
    return env.get_template(NGINX_TEMPLATE).render(
        limits=LIMITS,
        forwarded=FORWARDED,
        site_host=site_host,
        data_host=data_host,
        site_root=site_root,
        upstreams=upstreams,
        prefix=prefix,
        listen=listen,
        user=user,
        rate=rate,
        conn=conn,
        release=release,
        feedback=feedback,
    )


def write_nginx(
    config: Config,
    site_root: Path,
    upstreams: list[str],
    prefix: Path,
    listen: str,
    user: str | None = None,
    **options: Any,
) -> Path:
    """Write `prefix/nginx.conf` (replaced whole: a reload never reads half a file) and
    the folders nginx needs; its path. `options`: those of `nginx_config` (rate, conn,
    release, feedback)."""
    for sub in ("tmp", "cache"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    path = prefix / "nginx.conf"
    text = nginx_config(
        config, site_root.resolve(), upstreams, prefix.resolve(), listen, user, **options
    )
    staged = path.with_name(".nginx.conf.new")
    staged.write_text(text, encoding="utf-8")
    staged.replace(path)
    return path


@dataclass(frozen=True)
class Release:
    """One build as production serves it: `folder` holds `site/` and `datasette/`;
    `ports` are its Datasette processes'; `previous` is the release it replaces (its
    processes stop once nginx has reloaded), or None for the first."""

    name: str
    folder: Path
    ports: list[int]
    previous: Release | None = None

    @property
    def site(self) -> Path:
        return self.folder / "site"

    @property
    def datasette(self) -> Path:
        return self.folder / "datasette"


def make_release(
    site: Path, datasette: Path, prefix: Path, processes: int, first_port: int, keep: int = 3
) -> Release:
    """Copy a build into `prefix/releases/<name>/` and give it the ports the current
    release does not use; record it as current (`prefix/current.json`).

    Files are hard links where possible (no copy of the data; the build's files are
    never changed in place, a new build writes new ones). Releases are named by time and
    content (`20261206-071500-3f2a…`); the `keep` newest stay, older ones are removed
    (never the current or the previous). Two sets of ports take turns: first_port … and
    first_port + processes …, so the new release's processes start beside the old ones.
    Raises OSError (disk full, build missing).
    """
    record = prefix / "current.json"
    previous = None
    if record.exists():
        kept = json.loads(record.read_text(encoding="utf-8"))
        previous = Release(kept["name"], Path(kept["folder"]), list(kept["ports"]))
    h = hashlib.sha256()
    for name in ("inspect-data.json", "metadata.json", "settings.json"):
        h.update((datasette / name).read_bytes() if (datasette / name).exists() else b"")
    for tree in (site, datasette):
        files = sorted(p for p in tree.rglob("*") if p.is_file())
        h.update(str([(str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files]).encode())
    releases = prefix / "releases"
    name = f"{dt.datetime.now():%Y%m%d-%H%M%S}-{h.hexdigest()[:8]}"
    for n in range(2, 100):  # the same build released again within the second
        if not (releases / name).exists():
            break
        name = f"{name.rsplit('.', 1)[0]}.{n}"
    folder = releases / name
    staging = releases / f".{name}"
    shutil.rmtree(staging, ignore_errors=True)
    for part, source in (("site", site), ("datasette", datasette)):
        shutil.copytree(source.resolve(), staging / part, copy_function=link_or_copy)
    staging.rename(folder)
    turn = 1 if previous and previous.ports[0] == first_port else 0
    start = first_port + turn * processes
    release = Release(name, folder.resolve(), list(range(start, start + processes)), previous)
    staged = record.with_name(".current.json.new")
    data = {"name": name, "folder": str(release.folder), "ports": release.ports}
    staged.write_text(json.dumps(data), encoding="utf-8")
    staged.replace(record)
    wanted = {name, previous.name if previous else ""}
    for old in sorted(p for p in releases.iterdir() if not p.name.startswith("."))[:-keep]:
        if old.name not in wanted:
            shutil.rmtree(old, ignore_errors=True)
    return release
