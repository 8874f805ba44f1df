"""A feed per open dataset: its page says where it is, feedparser reads it, and its ids
do not depend on the site's address."""

from __future__ import annotations

import re
from types import SimpleNamespace

import feedparser
import pytest
from serve_helpers import TODAY

from stdhub import addresses
from stdhub.config import Config
from stdhub.datasets.manifest import read_manifest
from stdhub.opendata.section import dataset_feed, dataset_items
from stdhub.project import load_catalogue
from stdhub.site import feed
from stdhub.site.context import SiteContext


@pytest.fixture(scope="module")
def shipped(served):
    catalogue, _ = load_catalogue(served.root / "standards", today=TODAY, base=served.root)
    return catalogue, read_manifest(served.root / "build/data")


def test_every_dataset_page_links_its_own_feed(served, shipped) -> None:
    catalogue, manifest = shipped
    site = served.root / "build/site"
    assert len(manifest.datasets) >= 7
    for d in manifest.datasets:
        page = (site / addresses.dataset(d.name) / "index.html").read_text("utf-8")
        head = page.split("</head>", 1)[0]
        found = re.findall(
            r'<link rel="alternate" type="application/atom\+xml" title="本数据集的动态" '
            r'href="([^"]+)"',
            head,
        )
        assert found == ["feed.xml"] or [f.rsplit("/", 1)[-1] for f in found] == ["feed.xml"]
        parsed = feedparser.parse((site / addresses.dataset_feed(d.name)).read_bytes())
        assert not parsed.bozo, d.name
        assert parsed.feed.id == feed.permanent_id("dataset", d.name)
        ids = [e.id for e in parsed.entries]
        assert len(ids) == len(set(ids)), d.name
        expected = {
            feed.Change(e.date, e, catalogue.standards[s]).id
            for s in d.conforms_to
            if s in catalogue.standards
            for e in catalogue.standards[s].history
            if e.date <= TODAY
        }
        assert expected <= set(ids), d.name  # the events of the standards it follows
        if d.last_updated:
            assert any(e.title.startswith("数据更新") for e in parsed.entries), d.name
        dates = [e.updated_parsed for e in parsed.entries]
        assert dates == sorted(dates, reverse=True), d.name


def test_dataset_feed_ids_stay_when_the_site_moves(shipped) -> None:
    catalogue, manifest = shipped
    od = SimpleNamespace(catalogue=catalogue)

    def ids(site_url: str) -> dict[str, set[str]]:
        ctx = SiteContext(catalogue, Config(site_url=site_url), TODAY, catalogue.root.parent)
        out = {}
        for d in manifest.datasets:
            parsed = feedparser.parse(dataset_feed(ctx, od, d))  # type: ignore[arg-type]
            out[d.name] = {parsed.feed.id} | {e.id for e in parsed.entries}
        return out

    here = ids("http://127.0.0.1:8000/")
    assert here == ids("https://biaozhun.mzt.hunan.gov.cn/new/")
    assert all(i.startswith("urn:uuid:") for found in here.values() for i in found)
    assert all(dataset_items(catalogue, d, TODAY) for d in manifest.datasets if d.conforms_to)
