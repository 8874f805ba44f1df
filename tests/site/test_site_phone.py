"""Finding and reading on a phone, in a real headless Chromium: the home page's finder and
its guides by life event, catalogue filters that live in the address, every page type at
390 px without sideways scrolling, tables that reflow into labelled cards, an in-page
contents on narrow screens, and the site's Chinese 404 under `mkdocs serve`.

Screenshots go to build/screenshots/site-*.png.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from netutil import free_port
from site_helpers import REPO, TODAY, make_project

from stdhub.project import load_catalogue
from stdhub.site.reflow import label_cells
from stdhub.site.sections.home import LIFE_EVENTS, life_events

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _context(browser, width: int, **options):
    size = PHONE if width == PHONE["width"] else DESKTOP
    mobile = {"is_mobile": True, "has_touch": True} if width == PHONE["width"] else {}
    return browser.new_context(locale="zh-CN", viewport=size, **mobile, **options)


def _shot(page, screenshots, name: str, full: bool = False) -> None:
    page.screenshot(path=str(screenshots / f"site-{name}.png"), full_page=full)


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def _address(page) -> str:
    """The address as the page has it now (history.pushState reaches `page.url` later)."""
    return page.evaluate("location.href")


# ---------------------------------------------------------------- the home page's finder


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_the_home_page_starts_with_finding(browser, shipped_url, screenshots, width) -> None:
    context = _context(browser, width)
    page = context.new_page()
    page.goto(shipped_url)
    box = page.get_by_role("searchbox", name="查找标准和办事指南")
    assert box.is_visible()
    # the search box is on the first screen, before the introduction
    assert box.bounding_box()["y"] + box.bounding_box()["height"] < page.viewport_size["height"]
    assert page.get_by_label("状态").locator("option").first.inner_text() == "全部状态"
    assert "现行" in page.get_by_label("状态").locator("option").all_inner_texts()
    assert "办事指南" in page.get_by_label("类别").locator("option").all_inner_texts()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    _shot(page, screenshots, f"home-finder-{width}")
    _shot(page, screenshots, f"home-finder-{width}-full", full=True)

    # a text alone: the site's own search opens with it, the guide first
    box.fill("低保")
    box.press("Enter")
    page.wait_for_function(
        "document.querySelector('.md-search-result__meta')?.textContent.includes('结果')",
        timeout=15000,
    )
    assert page.locator("input.md-search__input").input_value() == "低保"
    first = page.locator(".md-search-result__item > a").first.get_attribute("href")
    assert urlsplit(first).path.endswith("/standards/HNMZ-T-0031-2024/")
    _shot(page, screenshots, f"home-finder-search-{width}")
    context.close()


@pytest.mark.browser
def test_the_finder_with_filters_opens_the_filtered_catalogue(page, shipped_url) -> None:
    page.goto(shipped_url)
    page.get_by_label("状态").select_option("现行")
    page.get_by_label("类别").select_option("办事指南")
    page.get_by_role("searchbox", name="查找标准和办事指南").fill("婚姻")
    page.get_by_role("button", name="查找").click()
    page.wait_for_url("**/catalogue/?**")
    assert _query(page.url) == {"text": ["婚姻"], "status": ["现行"], "kind": ["办事指南"]}
    visible = page.locator("#stdhub-catalogue tbody tr:not([hidden])")
    rows = visible.evaluate_all(
        "rs => rs.map(r => [r.dataset.kind, r.dataset.status, r.cells[1].textContent])"
    )
    assert rows and all(k == "办事指南" and s == "现行" and "婚" in t for k, s, t in rows)
    assert page.locator("#filter-text").input_value() == "婚姻"
    assert page.locator("#filter-kind").input_value() == "办事指南"


@pytest.mark.browser
def test_without_javascript_the_finder_goes_to_the_catalogue(browser, shipped_url) -> None:
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.goto(shipped_url)
    page.get_by_role("searchbox", name="查找标准和办事指南").fill("结婚")
    page.get_by_role("button", name="查找").click()
    page.wait_for_url("**/catalogue/?**")
    assert _query(page.url)["text"] == ["结婚"]
    rows = page.locator("#stdhub-catalogue tbody tr")
    assert rows.count() > 20 and rows.last.is_visible()  # the whole catalogue, readable
    assert page.get_by_text("本浏览器未运行脚本").is_visible()  # and why it is not filtered
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_guides_by_life_event(browser, shipped_url, screenshots, width) -> None:
    context = _context(browser, width)
    page = context.new_page()
    page.goto(shipped_url)
    events = page.locator(".stdhub-event")
    names = events.locator("h3").all_inner_texts()
    assert names[:6] == ["救助", "婚姻", "养老", "殡葬", "社会组织", "残疾人"]
    marriage = page.locator("#event-marriage").get_by_role("link").all_inner_texts()
    assert set(marriage) == {"内地居民结婚登记办事指南", "内地居民离婚登记办事指南"}
    assert "基本殡葬服务费用减免服务规范" in page.locator("#event-funeral").inner_text()
    assert "特困人员认定办事指南" in page.locator("#event-rescue").inner_text()
    # every shipped guide is under some event, and each link opens a guide
    shipped = {
        p.stem for p in (REPO / "standards" / "service").glob("*.yaml")
    }  # file names are the ids' slugs
    linked = set()
    for href in events.get_by_role("link").evaluate_all("ls => ls.map(l => l.href)"):
        linked.add(urlsplit(href).path.rstrip("/").rsplit("/", 1)[-1])
    assert shipped <= linked, shipped - linked
    page.locator("#event-disability").get_by_role("link").last.click()
    page.wait_for_url("**/standards/HNMZ-T-0039-2022/")
    assert page.get_by_role("heading", name="申请材料").count() == 1
    page.goto(shipped_url + "#life-events")
    _shot(page, screenshots, f"home-life-events-{width}")
    context.close()


def test_life_events_come_from_the_guides_domains() -> None:
    """No applicable guide is lost: each is under the events of its domains, or under
    其他事项; a superseded or withdrawn version is not offered."""
    catalogue, report = load_catalogue(REPO / "standards", today=TODAY, base=REPO)
    assert report.ok
    events = life_events(catalogue, TODAY)
    domains = {name: set(ds) for name, _, ds in LIFE_EVENTS}
    placed = {g.id for e in events for g in e.guides}
    applicable = {
        s.id
        for s in catalogue.standards.values()
        if s.service and s.status not in ("被代替", "废止", "草案")
    }
    assert placed == applicable and len(placed) >= 12
    for event in events:
        for guide in event.guides:
            if event.name in domains:
                assert set(guide.domains) & domains[event.name], (event.name, guide.id)
            else:
                assert not any(set(guide.domains) & ds for ds in domains.values())


# ---------------------------------------------------------------- filters in the address


@pytest.mark.browser
def test_catalogue_filters_live_in_the_address(page, shipped_url, screenshots) -> None:
    page.goto(shipped_url + "catalogue/?kind=办事指南&status=现行")
    assert page.locator("#filter-kind").input_value() == "办事指南"
    assert page.locator("#filter-status").input_value() == "现行"
    visible = page.locator("#stdhub-catalogue tbody tr:not([hidden])")
    guides = visible.count()
    assert guides and set(visible.evaluate_all("rs => rs.map(r => r.dataset.kind)")) == {"办事指南"}

    page.locator("#filter-domain").select_option("婚姻登记")
    assert _query(_address(page))["domain"] == ["婚姻登记"]
    married = visible.count()
    assert 0 < married < guides
    page.locator("#filter-text").fill("离婚")
    assert _query(_address(page))["text"] == ["离婚"]
    assert visible.count() == 1

    page.reload()  # a shared or reloaded address shows the same view
    assert page.locator("#filter-text").input_value() == "离婚" and visible.count() == 1
    page.go_back()  # back before the text: the domain alone
    assert page.locator("#filter-text").input_value() == ""
    assert visible.count() == married and "text" not in _query(_address(page))
    page.go_back()  # back before the domain
    assert page.locator("#filter-domain").input_value() == ""
    assert visible.count() == guides

    page.locator("#filter-text").fill("低保")  # a keyword, not in the title
    assert visible.count() == 1 and "最低生活保障" in visible.first.inner_text()

    page.goto(shipped_url + "catalogue/?text=没有这个名称的标准")
    count = page.locator(".stdhub-count")
    assert visible.count() == 0
    assert count.inner_text().startswith("没有符合条件的项")
    assert count.is_visible()
    _shot(page, screenshots, "catalogue-empty")
    page.get_by_role("button", name="清除筛选").click()
    assert visible.count() == page.locator("#stdhub-catalogue tbody tr").count()
    assert urlsplit(_address(page)).query == ""


@pytest.mark.browser
def test_a_list_filter_lives_in_the_address_too(page, shipped_url) -> None:
    page.goto(shipped_url + "lists/power-list/")
    select = page.locator(".stdhub-facets select").first
    value = select.locator("option").nth(1).get_attribute("value")
    select.select_option(value)
    key = select.get_attribute("data-key")
    assert _query(_address(page))[key] == [value]
    page.goto(shipped_url + "lists/power-list/?text=没有这一项")
    assert page.locator("#stdhub-list tbody tr:not([hidden])").count() == 0
    assert page.locator(".stdhub-count").inner_text().startswith("没有符合条件的项")


# ---------------------------------------------------------------- every page type on a phone


def _page_types(site: Path) -> list[str]:
    """One page of every kind the site has: the first page of each folder of pages (so a
    new kind of page is checked without being listed here), and a standard of each kind."""
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    first: dict[str, str] = {}
    for rel in pages:
        parts = [] if rel == "." else rel.split("/")
        # a section's own page (catalogue/, lists/) is a kind; deeper, a folder of pages is
        first.setdefault(rel if len(parts) < 2 else "/".join(parts[:-1]) + "/*", rel)
    chosen = {"" if r == "." else r + "/" for r in first.values()}
    chosen |= {
        "standards/HNMZ-T-0031-2024/",  # 办事指南
        "standards/HNMZ-T-0043-2023/",  # 服务标准
        "standards/HNMZ-T-0201-2022/",  # 数据标准 with data elements
        "standards/HNMZ-T-0102-2025/",  # statistics
        "standards/HNMZ-T-0003-2024/",  # 管理标准 with clauses
        "standards/HNMZ-T-0010-2016/",  # withdrawn
        "standards/GB-T-2260-2002/",  # superseded
        "codelists/CL-HNMZ-0107/",  # a long code list
        "lists/power-list/",  # the four lists, each of its own shape
        "lists/public-service-list/",
        "lists/responsibility-list/",
        "lists/policies/",
        "lists/policies/ZC-001/",
        "404.html",
    }
    return sorted(chosen)


@pytest.mark.browser
def test_every_page_type_fits_a_phone(browser, shipped_site, shipped_url, screenshots) -> None:
    """At 390 px no page scrolls sideways; on a generated page no table scrolls sideways
    in its wrapper either (a hand-written page of docs/ may have a wide Markdown table)."""
    handwritten = {p.stem for p in (REPO / "docs").iterdir()} - {"index"}
    context = _context(browser, 390, device_scale_factor=1)
    page = context.new_page()
    paths = _page_types(shipped_site)
    assert len(paths) >= 30, paths
    wide = []
    for path in paths:
        page.goto(shipped_url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        hidden = page.locator("article .md-typeset__scrollwrap").evaluate_all(
            "ws => ws.filter(w => w.scrollWidth > w.clientWidth + 1)"
            ".map(w => w.querySelector('th, td')?.textContent)"
        )
        if width > 390 or (hidden and path.split("/")[0] not in handwritten):
            wide.append((path, width, hidden))
        assert page.locator("h1").first.is_visible(), path
        name = path.strip("/").replace("/", "-").replace(".html", "") or "home"
        _shot(page, screenshots, f"phone-all-{name}")
    context.close()
    assert wide == []


# ---------------------------------------------------------------- tables that reflow


@pytest.mark.browser
@pytest.mark.parametrize(
    ("path", "table", "column"),
    [
        ("standards/HNMZ-T-0031-2024/", "#service-materials ~ .stdhub-reflow", "是否必需"),
        ("standards/HNMZ-T-0031-2024/", "#service-materials ~ .stdhub-reflow", "说明"),
        ("catalogue/", ".stdhub-reflow", "实施日期"),
        ("standards/HNMZ-T-0201-2022/", ".stdhub-reflow", "类型和格式"),
        ("codelists/CL-GB-T-2261.1/", ".stdhub-reflow", "名称"),
        ("standards/HNMZ-T-0003-2024/", ".stdhub-diff", "说明"),  # changes since the last version
        ("codelists/", ".stdhub-reflow", "来源标准"),
        ("lists/power-list/", ".stdhub-reflow", "相关标准"),
        ("lists/public-service-list/", ".stdhub-reflow", "相关标准"),
        ("consultations/", ".stdhub-reflow", "意见处理结果"),
    ],
)
def test_tables_reflow_into_labelled_cards(
    browser, shipped_url, screenshots, path, table, column
) -> None:
    """At 390 px every column is shown, each cell under its column's name; at 1280 px the
    same table is a table with its header row."""
    context = _context(browser, 390)
    page = context.new_page()
    page.goto(shipped_url + path)
    wrapper = page.locator(table).first
    cells = wrapper.locator(f"tbody td[data-label='{column}']")
    assert cells.count() >= 1
    seen = cells.evaluate_all(
        """cs => cs.filter(c => c.textContent.trim()).map(c => {
            const r = c.getBoundingClientRect();
            return [getComputedStyle(c, '::before').content, r.left >= 0 && r.right <= innerWidth,
                    r.width > 0];
        })"""
    )
    assert seen, f"no {column} cell with text on {path}"
    assert all(s == [f'"{column}"', True, True] for s in seen), seen[:3]
    assert not wrapper.locator("thead").first.is_visible() or (
        wrapper.locator("thead").first.bounding_box()["width"] <= 1
    )
    cells.first.scroll_into_view_if_needed()
    _shot(page, screenshots, f"reflow-{path.strip('/').replace('/', '-')}-{column}")
    context.close()

    context = _context(browser, 1280)
    page = context.new_page()
    page.goto(shipped_url + path)
    header = page.locator(table).first.locator("thead th", has_text=column).first
    assert header.is_visible()
    cell = page.locator(table).first.locator(f"tbody td[data-label='{column}']").first
    assert page.evaluate("c => getComputedStyle(c).display", cell.element_handle()) == "table-cell"
    context.close()


def test_cells_are_labelled_by_their_column() -> None:
    page = (
        '<div class="md-typeset__scrollwrap stdhub-reflow"><table><thead><tr>'
        '<th scope="col">名称</th><th colspan="2">日期 &amp; 状态</th><th><span class="x">'
        "意见</span></th></tr></thead><tbody>"
        '<tr><td class="t" data-label="">甲</td><td>2024</td><td><b>现行</b></td><td>a</td></tr>'
        "</tbody></table></div><table><thead><tr><th>不动</th></tr></thead>"
        "<tbody><tr><td>x</td></tr></tbody></table>"
    )
    out = label_cells(page)
    assert '<td class="t" data-label="">甲</td>' in out  # a label given stays
    assert '<td data-label="日期 &amp; 状态">2024</td>' in out
    assert '<td data-label="日期 &amp; 状态"><b>现行</b></td>' in out
    assert '<td data-label="意见">a</td>' in out
    assert out.endswith("<tbody><tr><td>x</td></tr></tbody></table>")  # not marked: unchanged
    assert label_cells("<table></table>") == "<table></table>"


# ---------------------------------------------------------------- in-page contents


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize(
    ("path", "heading", "anchor"),
    [
        ("standards/HNMZ-T-0031-2024/", "申请材料", "service-materials"),
        ("standards/HNMZ-T-0003-2024/", "条款", "clauses"),
    ],
)
def test_long_pages_have_contents_on_a_phone(
    browser, shipped_url, screenshots, width, path, heading, anchor
) -> None:
    context = _context(browser, width)
    page = context.new_page()
    page.goto(shipped_url + path)
    contents = page.locator("details.stdhub-toc")
    if width == 1280:  # the theme's contents sidebar is there
        assert not contents.is_visible()
        assert page.locator(".md-sidebar--secondary .md-nav").first.is_visible()
        context.close()
        return
    assert contents.is_visible()
    assert contents.bounding_box()["y"] < PHONE["height"]  # on the first screen
    assert not contents.get_by_role("link", name=heading).is_visible()  # closed at first
    contents.locator("summary").click()
    _shot(page, screenshots, f"phone-contents-{path.strip('/').replace('/', '-')}")
    contents.get_by_role("link", name=heading, exact=True).click()
    page.wait_for_url(f"**#{anchor}")
    top = page.locator(f"#{anchor}").bounding_box()["y"]
    assert 0 <= top < PHONE["height"] / 2
    context.close()


# ---------------------------------------------------------------- accessibility


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_the_new_views_pass_axe(browser, shipped_url, axe, width) -> None:
    """axe-core finds nothing serious in the finder, an empty filtered catalogue with its
    clear button, an opened in-page contents and the reflowed cards."""
    context = _context(browser, width)
    page = context.new_page()
    page.goto(shipped_url)
    page.get_by_label("类别").select_option("办事指南")
    assert axe(page) == []
    page.goto(shipped_url + "catalogue/?text=没有这个名称的标准&kind=办事指南")
    assert page.get_by_role("button", name="清除筛选").is_visible()
    assert axe(page) == []
    page.goto(shipped_url + "standards/HNMZ-T-0031-2024/")
    if width == PHONE["width"]:
        page.locator("details.stdhub-toc summary").click()
    assert axe(page) == []
    context.close()


# ---------------------------------------------------------------- mkdocs serve


@pytest.fixture(scope="module")
def mkdocs_served(tmp_path_factory):
    """`mkdocs serve` run straight from a project folder (the hook generates the pages)."""
    project = make_project(tmp_path_factory.mktemp("mkdocs-serve"))
    port = free_port()
    log = project / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "serve",
                "--no-livereload",
                "-a",
                f"127.0.0.1:{port}",
                "-f",
                str(project / "mkdocs.yml"),
            ],
            cwd=project,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "STDHUB_TODAY": TODAY.isoformat()},
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 300
        while True:
            assert proc.poll() is None, log.read_text(encoding="utf-8")[-3000:]
            try:
                if httpx.get(url, timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8")[-3000:]
            time.sleep(1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_mkdocs_serve_shows_the_sites_chinese_404(
    browser, mkdocs_served, screenshots, width
) -> None:
    answer = httpx.get(mkdocs_served + "standards/no-such-standard/")
    assert answer.status_code == 404
    assert "找不到这个页面" in answer.text and "404 - Not found" not in answer.text
    context = _context(browser, width)
    page = context.new_page()
    assert page.goto(mkdocs_served + "no/such/page/").status == 404
    assert page.locator("h1").inner_text() == "找不到这个页面"
    assert page.locator(".md-header").is_visible()  # the site's chrome, styled
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    _shot(page, screenshots, f"mkdocs-serve-404-{width}")
    page.get_by_role("link", name="标准目录").last.click()
    page.wait_for_url("**/catalogue/")
    context.close()
