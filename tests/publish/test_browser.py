"""In a real browser, between the site and Datasette as `stdhub serve` runs them: from a
dataset page into a table, a facet, a Chinese search, a canned query and back; every link
between the two answers. Screenshots go to build/screenshots/opendata-*.png."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

pytestmark = pytest.mark.browser

DATASET = "dibao-village-monthly"


def shot(page, screenshots, name):
    page.screenshot(path=str(screenshots / f"opendata-{name}.png"), full_page=True)


def test_from_the_site_into_datasette_and_back(page, served, screenshots):
    page.goto(served.site + "opendata/")
    shot(page, screenshots, "1-catalogue")
    page.get_by_role("link", name="城乡低保月度统计（按社区、村）").click()
    page.wait_for_url(f"{served.site}opendata/{DATASET}/")
    assert page.locator("script[type='application/ld+json']").count() == 1
    shot(page, screenshots, "2-dataset")

    # into the villages table in Datasette
    page.locator("#table-villages ~ p a.stdhub-datasette-table").first.click()
    page.wait_for_url(f"{served.data}{DATASET}/villages")
    assert page.locator("h1").inner_text() == "社区（村）名录"
    total = _count(page)
    shot(page, screenshots, "3-table")

    # a facet: one county
    facet = page.locator("#facet-county_code li a").first
    label = facet.inner_text()
    facet.click()
    page.wait_for_url(re.compile(r".*county_code=43\d{4}.*"))
    code = re.search(r"county_code=(\d+)", page.url).group(1)
    assert f"县级行政区划代码 = {code}" in page.locator("h3.stdhub-count").inner_text()
    assert page.locator("#facet-county_code li").first.inner_text().startswith(label)
    in_county = _count(page)
    assert 0 < in_county < total
    shot(page, screenshots, "4-facet")

    # a Chinese search from Datasette's own search box (the facet stays applied)
    page.locator("#_search").fill("社区")
    page.locator("form.filters input[type=submit]").click()
    page.wait_for_url(re.compile(r".*_search=.*"))
    found = _count(page)
    names = page.locator("td.col-village_name").all_inner_texts()
    assert names and all("社区" in n for n in names)
    assert 0 < found <= in_county
    assert page.locator("#_search").input_value() == "社区"
    shot(page, screenshots, "5-search")

    # a canned query, from the database page
    page.locator("p.crumbs a").nth(1).click()
    page.wait_for_url(f"{served.data}{DATASET}")
    page.get_by_role("link", name="社区（村）低保月度统计：按行政区划和月份统计").click()
    page.locator("#qp1").fill("2025-06")
    page.locator("form.sql input[type=submit]").click()
    page.wait_for_url(re.compile(r".*month=2025-06.*"))
    months = set(page.locator("table.rows-and-columns tbody td:first-child").all_inner_texts())
    assert months == {"2025-06"}
    assert page.locator("table.rows-and-columns tbody tr").count() == 122
    shot(page, screenshots, "6-canned-query")

    # and back to the site
    page.locator("a.stdhub-dataset-page").click()
    page.wait_for_url(f"{served.site}opendata/{DATASET}/")
    assert page.locator("h1").inner_text().startswith("城乡低保月度统计（按社区、村）")


def _count(page) -> int:
    text = page.locator("h3.stdhub-count").inner_text()
    return int(re.search(r"共 ([\d,]+) 条", text).group(1).replace(",", ""))


def _links(page, prefix: str) -> set[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    return {h for h in hrefs if h.startswith(prefix)}


def test_every_link_from_the_site_into_datasette_answers(page, served):
    page.goto(served.site + "opendata/")
    pages = sorted(_links(page, served.site + "opendata/"))
    datasets = [p for p in pages if p.count("/") == 5 and p.endswith("/") and "#" not in p]
    assert len(datasets) == 7
    seen: set[str] = set()
    for url in datasets:
        page.goto(url)
        seen |= _links(page, served.data)
    assert len(seen) > 30
    for url in sorted(seen):
        response = page.goto(url)
        assert response.status == 200, url
        assert page.locator("a.stdhub-feedback").count() >= 1, url


def test_every_link_from_datasette_back_to_the_site_answers(page, served, screenshots):
    page.goto(served.data)
    databases = sorted(_links(page, served.data))
    back: set[str] = set()
    for url in databases:
        page.goto(url)
        back |= _links(page, served.site)
        for table in list(_links(page, url + "/"))[:3]:
            page.goto(table)
            back |= _links(page, served.site)
    assert any("/standards/" in u for u in back) and any("/opendata/" in u for u in back)
    for url in sorted(back):
        response = page.goto(url)
        assert response.status == 200, url
        if "#" in url:  # an anchor (a data element, a section) must exist on the page
            anchor = unquote(url.split("#", 1)[1])
            assert page.locator(f"[id='{anchor}']").count() == 1, url
    # the first real community of 芙蓉区 (文艺路街道 识字里社区), NBS 2021
    page.goto(served.data + f"{DATASET}/monthly/2025-06,430102001001")
    shot(page, screenshots, "7-row")
    assert "意见反馈" in page.locator("a.stdhub-feedback").inner_text()


def test_schema_fields_link_to_their_data_elements(page, served):
    page.goto(served.site + f"opendata/{DATASET}/")
    links = page.eval_on_selector_all("a.stdhub-element", "els => els.map(e => e.href)")
    assert len(links) == 5 + 9
    for url in sorted(set(links)):
        page.goto(url)
        anchor = url.split("#", 1)[1]
        assert page.locator(f"tr[id='{anchor}']").count() == 1, url


def test_catalogue_filters(page, served, screenshots):
    page.goto(served.site + "opendata/")
    rows = page.locator("#stdhub-datasets tbody tr")
    assert rows.count() == 7
    page.locator("#filter-access").select_option("有条件开放")
    assert [r for r in rows.all() if r.is_visible()].__len__() == 1
    page.locator("#filter-access").select_option("")
    page.locator("#filter-domain").select_option("社会救助")
    visible = [r.locator("td").nth(1).inner_text() for r in rows.all() if r.is_visible()]
    assert visible and set(visible) == {"社会救助"}
    page.locator("#filter-frequency").select_option("每月")
    shot(page, screenshots, "8-catalogue-filtered")
    assert all(r.locator("td").nth(4).inner_text() == "每月" for r in rows.all() if r.is_visible())


@pytest.mark.parametrize("width", [1280, 390])
def test_a_missing_page_under_serve_is_the_sites_404(browser, served, screenshots, width):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 844})
    page = context.new_page()
    answer = page.goto(served.site + "standards/no-such-standard/")
    assert answer.status == 404
    assert page.locator("h1").inner_text() == "找不到这个页面"
    assert page.locator(".md-header").is_visible()  # the site's chrome, styled
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(screenshots / f"opendata-404-{width}.png"))
    page.get_by_role("link", name="标准目录").last.click()
    page.wait_for_url(served.site + "catalogue/")
    context.close()


@pytest.mark.parametrize(
    "address", ["hunan-divisions/divisions/430182", "hunan-divisions/divisions", "hunan-divisions"]
)
def test_datasette_pages_fit_a_phone(browser, served, screenshots, address):
    """A long licence or source address (a third party's repository) wraps instead of
    pushing the page sideways at 390 px."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    assert page.goto(served.data + address).status == 200
    assert "MIT" in page.inner_text("body")  # the licence of the division codes is shown
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshots / f"opendata-phone-{address.replace('/', '-')}.png"))
    context.close()
