"""In a real browser, between the site and Datasette as `stdhub serve` runs them: from a
dataset page into a table, a facet, a Chinese search, a canned query and back; every link
between the two answers. Screenshots go to build/screenshots/opendata-*.png."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from stdhub.datasets.manifest import read_manifest
from stdhub.datasette.settings import SETTINGS

pytestmark = pytest.mark.browser

DATASET = "dibao-village-monthly"


def _published(served) -> int:
    """How many datasets the served build publishes (each has a page)."""
    return len(read_manifest(served.root / "build" / "data").datasets)


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
    assert f"县级行政区划代码 = {code}" in page.locator("h2.stdhub-count").inner_text()
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
    text = page.locator("h2.stdhub-count").inner_text()
    return int(re.search(r"共 ([\d,]+) 条", text).group(1).replace(",", ""))


def _links(page, prefix: str) -> set[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    return {h for h in hrefs if h.startswith(prefix)}


def test_every_link_from_the_site_into_datasette_answers(page, served):
    page.goto(served.site + "opendata/")
    pages = sorted(_links(page, served.site + "opendata/"))
    datasets = [
        p
        for p in pages
        if p.count("/") == 5 and p.endswith("/") and "#" not in p and not p.endswith("/api/")
    ]
    assert len(datasets) == _published(served) >= 7
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
        if "/downloads/" in url:  # a file (the whole table's CSV), which a browser downloads
            assert page.request.get(url).status == 200, url
            continue
        address, _, anchor = url.partition("#")
        if page.url.partition("#")[0] != address:
            # a jump within the page already shown is no navigation (Playwright answers None)
            response = page.goto(address)
            assert response.status == 200, url
        if anchor:  # an anchor (a data element, a comment, a section) must exist on the page
            anchor = unquote(anchor)
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
    assert rows.count() == _published(served) >= 7
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


INSTITUTIONS = "elderly-care-institutions"
WIDTHS = [1280, 390]


def _context(browser, width):
    return browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})


def _json(page, url):
    return page.request.get(url).json()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_row_page_is_titled_by_its_name_and_labels_its_codes(browser, served, screenshots, width):
    context = _context(browser, width)
    page = context.new_page()
    first = _json(
        page, served.data + f"{INSTITUTIONS}/institutions.json?_shape=objects&_size=1&_labels=on"
    )
    row = first["rows"][0]
    county, kind = row["county_code"], row["institution_type_code"]  # {"value", "label"}
    assert county["label"] != county["value"] and kind["label"] != kind["value"]
    page.goto(served.data + f"{INSTITUTIONS}/institutions/{row['institution_code']}")
    assert page.locator("h1").inner_text() == row["institution_name"]
    assert page.title().startswith(row["institution_name"])
    cell = page.locator("td.col-county_code")
    assert county["label"] in cell.inner_text() and county["value"] in cell.inner_text()
    assert kind["label"] in page.locator("td.col-institution_type_code").inner_text()
    header = page.locator("tr:has(td.col-county_code) th")
    assert header.is_visible() and header.inner_text().startswith("县级行政区划代码")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(screenshots / f"opendata-row-{width}.png"), full_page=True)
    # a record of a table with a compound key is named by its key, codes labelled
    page.goto(served.data + f"{DATASET}/monthly/2025-06,430102001001")
    assert page.locator("h1").inner_text() == "2025-06 · 识字里社区居委会"
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_table_columns_are_titled_in_chinese_at_every_width(browser, served, screenshots, width):
    context = _context(browser, width)
    page = context.new_page()
    page.goto(served.data + f"{INSTITUTIONS}/institutions")
    titles = {
        name: text.split("：", 1)[0]
        for name, text in _json(page, served.data + "-/metadata.json")["databases"][INSTITUTIONS][
            "tables"
        ]["institutions"]["columns"].items()
    }
    cells = page.locator("table.rows-and-columns tbody tr").first.locator("td")
    shown = cells.evaluate_all(
        "tds => tds.map(td => [td.className.split(' ')[0].slice(4),"
        " getComputedStyle(td, '::before').content, td.offsetParent !== null])"
    )
    headers = page.locator("table.rows-and-columns thead th")
    if width == 390:  # Datasette's stacked cards: each value labelled by ::before
        assert headers.first.bounding_box()["x"] < 0  # Datasette moves the header row away
        for column, before, _ in shown:
            assert before == f'"{titles[column]}"', column
    else:
        assert [h.replace("\xa0", " ").strip(" ▲▼") for h in headers.all_inner_texts()] == [
            titles[c] for c, _, _ in shown
        ]
        for column, before, _ in shown:
            assert before in ("none", "normal"), column
        # the column menu (Datasette's table.js) speaks Chinese too
        page.locator("th.col-beds svg.dropdown-menu-icon").click()
        menu = page.locator(".dropdown-menu")
        assert menu.is_visible() and "降序排列" in menu.inner_text()
        assert "Sort" not in menu.inner_text() and "Type" not in menu.inner_text()
        page.screenshot(path=str(screenshots / "opendata-table-menu.png"))
        page.keyboard.press("Escape")
    page.screenshot(path=str(screenshots / f"opendata-table-{width}.png"))
    context.close()


def test_sort_by_a_measure(page, served):
    import sqlite3

    page.goto(served.data + f"{DATASET}/monthly")
    page.locator("th.col-persons a").click()
    page.wait_for_url(re.compile(r".*_sort=persons.*"))
    page.locator("th.col-persons a").click()  # again: most first
    page.wait_for_url(re.compile(r".*_sort_desc=persons.*"))
    cells = page.locator("td.col-persons").all_inner_texts()
    values = [int(v.split()[0].replace(",", "")) for v in cells]
    page_size = SETTINGS["default_page_size"].value
    assert len(values) == page_size and values == sorted(values, reverse=True)
    db = served.root / "build" / "data" / f"{DATASET}.db"
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    assert values[0] == conn.execute("select max(persons) from monthly").fetchone()[0]
    conn.close()
    assert "按 保障人数 降序" in page.locator("h2.stdhub-count").inner_text()


def test_search_hits_are_listed_by_relevance(page, served, screenshots):
    import sqlite3

    from stdhub import fts

    page.goto(served.data + f"{INSTITUTIONS}/institutions")
    page.locator("#_search").fill("敬老院")
    page.locator("form.filters input[type=submit]").click()
    page.wait_for_url(re.compile(r".*/institutions_search\?q=.*"))
    column = page.locator("table.rows-and-columns thead th").all_inner_texts().index("机构名称")
    names = page.locator(
        f"table.rows-and-columns tbody td:nth-child({column + 1})"
    ).all_inner_texts()
    db = served.root / "build" / "data" / f"{INSTITUTIONS}.db"
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    ranked = conn.execute(
        "select t.institution_name from institutions_fts f join institutions t"
        " on t.rowid = f.rowid where institutions_fts match ? order by f.rank limit 500",
        [fts.match_expression("敬老院")],
    ).fetchall()
    by_key = conn.execute(
        "select institution_name from institutions where rowid in (select rowid from"
        " institutions_fts where institutions_fts match ?) order by institution_code limit 500",
        [fts.match_expression("敬老院")],
    ).fetchall()
    conn.close()
    assert names == [n for (n,) in ranked] and names != [n for (n,) in by_key]
    assert "敬老院" in names[0]
    shot(page, screenshots, "search-relevance")


def test_whole_table_csv_is_the_published_file(page, served):
    page.goto(served.data + f"{DATASET}/villages")
    link = page.locator("a.stdhub-csv").get_attribute("href")
    assert link == served.site + f"opendata/{DATASET}/downloads/villages.csv"
    published = page.request.get(link)
    assert published.status == 200
    streamed = page.request.get(served.data + f"{DATASET}/villages.csv?_stream=on&_labels=on")
    assert streamed.url == link and streamed.body() == published.body()
    on_disk = served.root / "build" / "site" / "opendata" / DATASET / "downloads" / "villages.csv"
    assert published.body() == on_disk.read_bytes()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "address",
    [
        "",
        INSTITUTIONS,
        f"{INSTITUTIONS}/institutions",
        f"{DATASET}/monthly?county_code=430102&_sort_desc=persons&_facet=area_type_code",
        f"{INSTITUTIONS}/institutions/124301024PPC70WK2B",
        f"{DATASET}/monthly/2025-06,430102001001",
        f"{DATASET}/monthly_by_division_month?month=2025-06",
        f"{INSTITUTIONS}/institutions_search?q=敬老院",
    ],
)
def test_datasette_pages_have_no_accessibility_violations(browser, served, axe, address, width):
    """axe-core finds nothing moderate or worse: one main landmark, every part of the page
    in a landmark, headings in order (issue 24)."""
    context = _context(browser, width)
    page = context.new_page()
    assert page.goto(served.data + address).status == 200
    assert axe(page, moderate=True) == []
    assert page.locator("main").count() == 1
    context.close()
