"""Shared by the tests of standards over time: a project with the two overlay cases, and
readers of what each surface (catalogue page, JSON, CSV, a standard's page, the lists,
the 复审 view) shows, from the HTML the build writes (the same snippets are in the
generated Markdown, so a reader works on either)."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import re
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CASES = Path(__file__).resolve().parents[1] / "fixtures" / "cases"
OVERLAYS = ("future-supersession", "future-withdrawal")
IN_FORCE = "现行"
GONE = ("被代替", "废止")


def make_project(root: Path, *, overlays: tuple[str, ...] = OVERLAYS) -> Path:
    """A copy of the shipped project (standards, feedback, docs, mkdocs.yml; no datasets:
    they have their own tests and the million-row one would take minutes), with the overlay
    cases copied over it as the cases' README says."""
    for name in ("standards", "feedback", "docs"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    hook = REPO / "src" / "stdhub" / "site" / "mkdocs_hook.py"
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        config.replace("src/stdhub/site/mkdocs_hook.py", str(hook)), encoding="utf-8"
    )
    for case in overlays:
        shutil.copytree(CASES / case, root, dirs_exist_ok=True, ignore=_readme)
    return root


def _readme(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if n == "README.md" and Path(folder).name in OVERLAYS]


def oracle(editions: list[dict], day: dt.date) -> str | None:
    """Which edition of a series is in force on `day`, read from the YAML alone (not the
    model): the approved edition that took effect last on or before `day`, unless its
    withdrawal or its 被代替 event has come."""
    started = [
        e
        for e in editions
        if e["status"] not in ("草案", "征求意见")
        and e.get("dates", {}).get("effective")
        and dt.date.fromisoformat(str(e["dates"]["effective"])) <= day
    ]
    if not started:
        return None
    newest = max(started, key=lambda e: str(e["dates"]["effective"]))
    ends = [str(ev["date"]) for ev in newest["history"] if ev["event"] in ("被代替", "废止")]
    withdrawn = newest.get("dates", {}).get("withdrawn")
    ends += [str(withdrawn)] if withdrawn else []
    if any(dt.date.fromisoformat(d) <= day for d in ends):
        return None
    return str(newest["id"])


_ROW = re.compile(
    r'<tr [^>]*?data-status="([^"]*)"[^>]*><td class="stdhub-nowrap"[^>]*><a href="[^"]*">([^<]+)</a>'
)
_BADGE = re.compile(r'class="stdhub-badge stdhub-badge--[\w-]+"[^>]*>([^<]+)<')
_BANNER = re.compile(
    r'<div class="admonition[^"]*"([^>]*)>\s*<p class="admonition-title">([^<]*)</p>\s*<p>(.*?)</p>',
    re.S,
)
_GOVERNING = re.compile(
    r'class="stdhub-governing"[^>]*>\s*<a [^>]*?href="([^"]*)"[^>]*>[^<]*</a>'
    r'(?:<span class="stdhub-gone" data-stdhub-show="[^"]*"( hidden)?>(.*?)</span>)?'
)


def catalogue_page(text: str) -> dict[str, str]:
    """Standard id -> the status its row of the catalogue page shows."""
    return {sid: status for status, sid in _ROW.findall(text)}


def catalogue_json(text: str) -> dict[str, str]:
    return {r["id"]: r["status"] for r in json.loads(text)["standards"]}


def catalogue_csv(text: str) -> dict[str, str]:
    return {r["id"]: r["status"] for r in csv.DictReader(io.StringIO(text))}


def page_status(text: str) -> str:
    """The status badge at the top of a standard's page."""
    found = _BADGE.search(text)
    assert found, "no status badge"
    return found[1]


def banners(text: str) -> list[str]:
    """The banners a reader sees on a page (title：text, tags removed), hidden ones left out."""
    return [
        f"{title}：{re.sub(r'<[^>]+>', '', body)}"
        for attrs, title, body in _BANNER.findall(text)
        if " hidden" not in attrs
    ]


def list_marks(text: str) -> dict[str, str]:
    """Governing standard (its page's name, e.g. `HNMZ-T-0038-2021`) -> the mark shown
    beside it in a list or an item's page ('' when none shows)."""
    marks: dict[str, str] = {}
    for href, hidden, mark in _GOVERNING.findall(text):
        slug = href.rstrip("/").rsplit("/", 1)[-1]
        shown = "" if hidden or not mark else re.sub(r"<[^>]+>", "", mark)
        marks[slug] = marks.get(slug) or shown
    return marks


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve_directory(root: Path) -> tuple[str, ThreadingHTTPServer]:
    """Serve `root` over real HTTP on a free loopback port; returns (base URL, server)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server
