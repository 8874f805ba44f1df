"""The change feed lasts (issue: feeds for harvesters): every page says where it is, its
archive (RFC 5005) reaches the first entry, and its ids do not depend on the site's address.

Read back with feedparser, the library feed readers are built on."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from site_helpers import REPO, TODAY

from stdhub import addresses
from stdhub.config import Config
from stdhub.project import load_catalogue
from stdhub.site import feed
from stdhub.site.context import SiteContext
from stdhub.site.sections.changes import changes_section
from stdhub.standards.model import Event

ARCHIVE = "http://purl.org/syndication/history/1.0"


def _read(site: Path, url: str, base: str) -> feedparser.FeedParserDict:
    return feedparser.parse((site / url.removeprefix(base)).read_bytes())


def _links(parsed, rel: str) -> list[str]:
    return [link["href"] for link in parsed.feed.get("links", []) if link.get("rel") == rel]


def test_every_page_links_the_feed(shipped_site: Path) -> None:
    pages = list(shipped_site.rglob("index.html"))
    assert len(pages) > 100
    for page in pages:
        html = page.read_text(encoding="utf-8")
        found = re.findall(
            r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', html
        )
        assert found, page
        for href in found:  # each link leads to a feed that exists
            assert (page.parent / href).resolve().is_file(), (page, href)


def test_a_standard_page_links_its_own_feed(shipped_site: Path) -> None:
    catalogue, _ = load_catalogue(REPO / "standards", today=TODAY, base=REPO)
    for std in catalogue.standards.values():
        own = feedparser.parse((shipped_site / addresses.standard_feed(std)).read_bytes())
        assert not own.bozo, std.id
        expected = {feed.Change(e.date, e, std).id for e in std.history if e.date <= TODAY}
        assert {e.id for e in own.entries} >= expected, std.id
        html = (shipped_site / addresses.standard(std) / "index.html").read_text("utf-8")
        assert 'title="本标准的动态" href="feed.xml"' in html


def test_the_archive_reaches_the_first_entry(shipped_site: Path) -> None:
    """From the current feed back through prev-archive to the oldest page: every change is
    there once, the archived pages say so (<fh:archive/>), each links back to the current."""
    catalogue, _ = load_catalogue(REPO / "standards", today=TODAY, base=REPO)
    expected = [c.id for c in feed.changes(catalogue, TODAY)]
    assert len(expected) > feed.ARCHIVE_PAGE  # the shipped history needs an archive
    base = Config().site_url
    current = _read(shipped_site, base + addresses.FEED, base)
    assert not current.bozo and len(current.entries) == feed.ARCHIVE_PAGE
    seen = [e.id for e in current.entries]
    url = (_links(current, "prev-archive") or [""])[0]
    pages = 0
    while url:
        page = _read(shipped_site, url, base)
        raw = (shipped_site / url.removeprefix(base)).read_text(encoding="utf-8")
        assert f'xmlns:fh="{ARCHIVE}"' in raw and "<fh:archive" in raw
        assert _links(page, "current") == [base + addresses.FEED]
        seen += [e.id for e in page.entries]
        pages += 1
        url = (_links(page, "prev-archive") or [""])[0]
    assert pages == len(expected) // feed.ARCHIVE_PAGE
    assert set(seen) == set(expected)
    assert expected[-1] in seen  # the very first entry


def _ids(site_url: str) -> dict[str, set[str]]:
    catalogue, _ = load_catalogue(REPO / "standards", today=TODAY, base=REPO)
    ctx = SiteContext(catalogue, Config(site_url=site_url), TODAY, REPO)
    files = changes_section(ctx).files
    ids = {}
    for name, body in files.items():
        if name.endswith(".xml"):
            parsed = feedparser.parse(body)
            ids[name] = {parsed.feed.id} | {e.id for e in parsed.entries}
    return ids


def test_ids_stay_when_the_site_moves() -> None:
    here = _ids("http://127.0.0.1:8000/")
    moved = _ids("https://biaozhun.mzt.hunan.gov.cn/new/")
    assert here == moved
    assert all(i.startswith("urn:uuid:") for ids in here.values() for i in ids)


@pytest.fixture(scope="module")
def shipped_catalogue():
    catalogue, _ = load_catalogue(REPO / "standards", today=TODAY, base=REPO)
    return catalogue


@settings(max_examples=30, deadline=None)
@given(n=st.integers(min_value=0, max_value=4 * feed.ARCHIVE_PAGE + 7))
def test_archive_pages_keep_every_entry_once_and_full_pages_fixed(
    shipped_catalogue, n: int
) -> None:
    """Any history length: pages are complete, oldest first, and adding entries never
    changes a complete page (what RFC 5005 asks of archived documents)."""
    std = next(iter(shipped_catalogue.standards.values()))
    day = dt.date(2000, 1, 1)
    items = [
        feed.Change(day + dt.timedelta(days=i), Event(day + dt.timedelta(days=i), "修订", ""), std)
        for i in range(n)
    ][::-1]
    pages = feed.archive_pages(items)
    assert all(len(p) == feed.ARCHIVE_PAGE for p in pages)
    archived = [c.id for p in pages for c in p]
    assert len(set(archived)) == len(archived)
    assert len(archived) + min(n, feed.ARCHIVE_PAGE) >= n  # the rest is in the current feed
    later = [
        feed.Change(day + dt.timedelta(days=n + i), Event(day, "修订", str(i)), std)
        for i in range(feed.ARCHIVE_PAGE)
    ][::-1] + items
    assert feed.archive_pages(later)[: len(pages)] == pages


@pytest.mark.parametrize("page", ["index.html", "catalogue/index.html"])
def test_the_feed_link_is_in_the_head(shipped_site: Path, page: str) -> None:
    html = (shipped_site / page).read_text(encoding="utf-8")
    head = html.split("</head>", 1)[0]
    assert 'rel="alternate" type="application/atom+xml" title="民政标准化动态"' in head
