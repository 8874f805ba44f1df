"""The shipped site: standards recorded like the national platform, with their full text,
and public lists whose items link to each other, to the datasets and to their sources.

Browser checks run in real headless Chromium at 1280 and 390 px; screenshots go to
build/screenshots/site-records-*.png and site-lists-*.png.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from site_helpers import REPO


class _Links(HTMLParser):
    """Every `<a href>` of a page's article, with its text."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "a":
            self._href, self._text = dict(attrs).get("href"), []

    def handle_data(self, data) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text).strip()))
            self._href = None


def _article(site: Path, address: str) -> str:
    html = (site / address / "index.html").read_text(encoding="utf-8")
    return html[html.index("<article") : html.index("</article>")]


def _links(site: Path, address: str) -> list[tuple[str, str]]:
    parser = _Links()
    parser.feed(_article(site, address))
    return parser.links


def _target(address: str, href: str) -> str:
    """The site address a relative link on page `address` points at (without fragment)."""
    return urlsplit(urljoin("http://site/" + address, href)).path.lstrip("/")


def _row(html: str, label: str) -> str:
    m = re.search(rf'<th scope="row">{re.escape(label)}</th><td>(.*?)</td></tr>', html, re.S)
    assert m, label
    return m[1]


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).strip()


# --- standards ---------------------------------------------------------------------------


def test_a_department_standard_has_the_national_platforms_record(shipped_site: Path) -> None:
    source = yaml.safe_load(
        (REPO / "standards/management/HNMZ-T-0003-2024.yaml").read_text(encoding="utf-8")
    )
    page = _article(shipped_site, "standards/HNMZ-T-0003-2024/")
    assert _text(_row(page, "中国标准分类号")) == source["ccs"]
    assert _text(_row(page, "国际标准分类号")) == source["ics"]
    assert _text(_row(page, "起草人")) == "、".join(source["drafters"])
    assert _text(_row(page, "起草单位")) == "、".join(source["drafting_units"])
    assert _text(_row(page, "发布日期")) == source["dates"]["issued"].isoformat()
    assert _text(_row(page, "代替标准")) == "HNMZ/T 0003-2019 养老机构服务质量规范"
    assert 'href="../HNMZ-T-0003-2019/"' in _row(page, "代替标准")
    assert 'href="full-text/"' in _row(page, "全文")


def test_a_superseded_standard_says_when_and_by_what(shipped_site: Path) -> None:
    page = _article(shipped_site, "standards/GB-T-2260-2002/")
    status = page[page.index('<div class="stdhub-status"') :]
    status = status[: status.index("</div>")]
    assert '被代替日期 <time datetime="2008-02-01">2008-02-01</time>' in status
    assert _text(_row(page, "被代替日期")) == "2008-02-01"
    assert _text(_row(page, "被代替标准")) == "GB/T 2260-2007 中华人民共和国行政区划代码"
    new = _article(shipped_site, "standards/GB-T-2260-2007/")
    assert "GB/T 2260-2002" in _text(_row(new, "代替标准"))


def test_national_standards_link_to_their_official_full_text(shipped_site: Path) -> None:
    page = _article(shipped_site, "standards/GB-T-3304-1991/")
    assert (
        'href="https://openstd.samr.gov.cn/bzgk/gb/newGbInfo?hcno=E5C3271B62636C5DA6853A0DA23EBBA9"'
        in _row(page, "全文")
    )
    page = _article(shipped_site, "standards/GB-T-2261.1-2003/")
    assert 'href="https://std.samr.gov.cn/search/std?q=GB%2FT%202261.1-2003"' in _row(page, "全文")
    # no print view of a standard whose text is not ours
    assert not (shipped_site / "standards/GB-T-2261.1-2003/full-text").exists()


def test_the_full_text_view_has_every_clause_in_order(shipped_site: Path) -> None:
    from stdhub.project import load_catalogue

    cat, _ = load_catalogue(REPO / "standards", base=REPO)
    own = [s for s in cat.standards.values() if not s.is_national]
    assert own
    for std in own:
        address = f"standards/{std.slug}/full-text/"
        page = _article(shipped_site, address)
        numbers = [c.number for top in std.clauses for c in top.walk()]
        found = re.findall(r'<h\d id="clause-([0-9A-Z-]+)"', page)
        assert found == [n.replace(".", "-") for n in numbers], std.id
        assert "对本条提出意见" not in page and "stdhub-fb" not in page
        assert std.title in page and std.id in page
        for d in std.drafters:
            assert f"本标准起草人：{d}" in page
        if std.service:
            assert 'id="service"' in page
        if std.data_elements:
            assert all(f'id="de-{e.id}"' in page for e in std.data_elements)
        # it is not in the search index twice
        meta = (shipped_site / address / "index.html").read_text(encoding="utf-8")
        assert address not in (shipped_site / "search/search_index.json").read_text("utf-8")
        assert "<title>" in meta


def test_the_catalogue_data_carries_the_record(shipped_site: Path) -> None:
    rows = {
        r["id"]: r for r in json.loads((shipped_site / "catalogue.json").read_text())["standards"]
    }
    own = rows["HNMZ/T 0003-2024"]
    assert (own["ccs"], own["ics"]) == ("A12", "03.080")
    assert own["drafters"] == ["湖南省民政厅养老服务处标准起草组"]
    assert own["drafting_units"] == ["湖南省民政厅养老服务处", "湖南省民政厅信息中心"]
    assert own["full_text"].endswith("/standards/HNMZ-T-0003-2024/full-text/")
    assert rows["GB/T 3304-1991"]["full_text"].startswith("https://openstd.samr.gov.cn/")
    assert rows["GB/T 2260-2002"]["withdrawn"] == "2008-02-01"
    table = list(csv.DictReader(io.StringIO((shipped_site / "catalogue.csv").read_text())))
    by_id = {r["id"]: r for r in table}
    assert (
        by_id["HNMZ/T 0003-2024"]["drafting_units"] == "湖南省民政厅养老服务处;湖南省民政厅信息中心"
    )
    assert by_id["HNMZ/T 0003-2024"]["ics"] == "03.080"
    assert by_id["GB/T 2261.1-2003"]["full_text"].startswith("https://std.samr.gov.cn/search/")


# --- lists -------------------------------------------------------------------------------


def _list_rows(site: Path, list_id: str) -> dict[str, str]:
    page = _article(site, f"lists/{list_id}/")
    return dict(re.findall(r'<tr id="([A-Z0-9-]+)"[^>]*>(.*?)</tr>', page, re.S))


def test_the_public_service_list_shows_its_categories(shipped_site: Path) -> None:
    data = yaml.safe_load((REPO / "standards/lists/public-service-list.yaml").read_text("utf-8"))
    rows = _list_rows(shipped_site, "public-service-list")
    assert len(rows) == len(data["items"])
    for item in data["items"]:
        cell = re.search(r'<td data-label="类别">(.*?)</td>', rows[item["id"]])
        assert cell and cell[1] == item["category"], item["id"]
    page = _article(shipped_site, "lists/public-service-list/")
    assert '<select id="filter-category"' in page


def test_related_items_link_to_each_other_both_ways(shipped_site: Path) -> None:
    """Every related link on every item page leads to a page that links back."""
    lists = sorted((shipped_site / "lists").glob("*/*/index.html"))
    pages = {str(p.parent.relative_to(shipped_site)) + "/": p for p in lists}
    edges = set()
    for address in pages:
        page = _article(shipped_site, address)
        m = re.search(r'<th scope="row">相关事项</th><td>(.*?)</td></tr>', page, re.S)
        if not m:
            continue
        for href in re.findall(r'href="([^"]+)"', m[1]):
            target = _target(address, href)
            assert target in pages, (address, href)
            edges.add((address, target))
    assert len(edges) >= 40
    assert all((b, a) in edges for a, b in edges)
    assert ("lists/public-service-list/GG-005/", "lists/policies/ZC-008/") in edges


def test_open_data_is_linked_to_the_datasets(shipped_site: Path) -> None:
    data = yaml.safe_load((REPO / "standards/lists/public-service-list.yaml").read_text("utf-8"))
    named = [i for i in data["items"] if i.get("datasets")]
    assert named
    rows = _list_rows(shipped_site, "public-service-list")
    for item in named:
        address = f"lists/public-service-list/{item['id']}/"
        page = _article(shipped_site, address)
        cell = _row(page, "本厅开放数据")
        targets = [_target(address, h) for h in re.findall(r'href="([^"]+)"', cell)]
        assert targets == [f"opendata/{name}/" for name in item["datasets"]]
        row_targets = re.findall(r'href="\.\./\.\./(opendata/[^"]+)"', rows[item["id"]])
        assert row_targets == [f"opendata/{name}/" for name in item["datasets"]]


def test_every_policy_leads_to_its_text_or_official_source(shipped_site: Path) -> None:
    data = yaml.safe_load((REPO / "standards/lists/policies.yaml").read_text("utf-8"))
    rows = _list_rows(shipped_site, "policies")
    for item in data["items"]:
        cell = re.search(r'<td data-label="原文">(.*?)</td>', rows[item["id"]], re.S)
        assert cell, item["id"]
        if item.get("url"):
            assert f'href="{item["url"]}"' in cell[1]
        else:
            assert 'href="ZC-' in cell[1] and "#text" in cell[1]
            page = _article(shipped_site, f"lists/policies/{item['id']}/")
            assert 'id="text"' in page and item["text"].splitlines()[0] in page


# --- in Chromium -------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_standard_pages_in_a_browser(browser, shipped_url, screenshots, width) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(shipped_url + "standards/HNMZ-T-0003-2024/")
    record = page.locator("#record + div table")
    for label in ("中国标准分类号", "国际标准分类号", "起草人", "代替标准", "全文"):
        assert record.get_by_role("rowheader", name=label).is_visible(), label
    record.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / f"site-records-standard-{width}.png"))
    page.get_by_role("link", name="阅读全文（可打印）").first.click()
    page.wait_for_url("**/standards/HNMZ-T-0003-2024/full-text/")
    assert page.get_by_role("heading", name="4.2 生活照料").is_visible()
    # the page fits the phone: nothing scrolls sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(screenshots / f"site-records-full-text-{width}.png"))
    if width == 1280:
        page.emulate_media(media="print")
        for chrome in (".md-header", ".md-footer", ".stdhub-crumbs", ".stdhub-fulltext-note"):
            assert not page.locator(chrome).first.is_visible(), chrome
        assert page.get_by_role("heading", name="前言").is_visible()
        page.screenshot(path=str(screenshots / "site-records-full-text-print.png"), full_page=True)
        page.emulate_media(media="screen")
    page.goto(shipped_url + "standards/GB-T-2260-2002/")
    assert "被代替日期 2008-02-01" in page.locator(".stdhub-status").inner_text()
    page.screenshot(path=str(screenshots / f"site-records-superseded-{width}.png"))
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_lists_in_a_browser(browser, shipped_url, screenshots, width) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(shipped_url + "lists/public-service-list/")
    page.select_option("#filter-category", "查询服务")
    visible = page.locator("#stdhub-list tbody tr:not([hidden])")
    assert visible.count() == 5
    page.fill("#filter-text", "殡葬")  # no 查询服务 about funerals
    count = page.locator(".stdhub-count")
    assert visible.count() == 0
    assert count.is_visible() and count.inner_text().startswith("没有符合条件的项（共 10 项）")
    page.screenshot(path=str(screenshots / f"site-lists-empty-filter-{width}.png"))
    page.fill("#filter-text", "")
    page.select_option("#filter-category", "")
    assert visible.count() == 10
    page.goto(shipped_url + "lists/public-service-list/GG-005/")
    page.get_by_role("link", name="ZC-008 社会团体登记管理条例").click()
    page.wait_for_url("**/lists/policies/ZC-008/")
    back = page.get_by_role("link", name="GG-005 社会组织登记信息查询")
    assert back.is_visible()
    assert page.get_by_role("link", name="https://flk.npc.gov.cn/").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(screenshots / f"site-lists-policy-{width}.png"), full_page=True)
    back.click()
    page.wait_for_url("**/lists/public-service-list/GG-005/")
    page.get_by_role("link", name="social-organizations").click()
    assert urlsplit(page.url).path.endswith("/opendata/social-organizations/")
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    "path",
    [
        "standards/HNMZ-T-0003-2024/full-text/",
        "standards/HNMZ-T-0031-2024/full-text/",
        "lists/public-service-list/",
        "lists/public-service-list/GG-010/",
        "lists/policies/",
        "lists/policies/ZC-016/",
    ],
)
@pytest.mark.parametrize("width", [1280, 390])
def test_new_pages_have_no_serious_accessibility_violations(
    browser, shipped_url, path, width, axe
) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(shipped_url + path)
    serious = axe(page)
    context.close()
    assert serious == []
