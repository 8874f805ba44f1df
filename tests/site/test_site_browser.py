"""The site in a real headless Chromium: navigation, Chinese search, feedback links, filters,
accessibility (axe-core), phone width, no JavaScript, no requests to other hosts.

Screenshots go to build/screenshots/site-*.png.
"""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from site_helpers import REPO

from stdhub.config import load_config

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _shot(page, screenshots, name: str, full: bool = False) -> None:
    page.screenshot(path=str(screenshots / f"site-{name}.png"), full_page=full)


def test_home_to_a_standard(page, shipped_url, screenshots) -> None:
    page.goto(shipped_url)
    assert page.title() == "湖南省民政标准化信息平台"
    assert page.locator("h1").first.inner_text().removesuffix("¶") == "湖南省民政标准化信息平台"
    _shot(page, screenshots, "home")
    page.locator(".md-tabs").get_by_role("link", name="标准目录").click()
    page.wait_for_url("**/catalogue/")
    _shot(page, screenshots, "catalogue")
    page.get_by_role("link", name="HNMZ/T 0031-2024", exact=True).click()
    page.wait_for_url("**/standards/HNMZ-T-0031-2024/")
    assert "最低生活保障审核确认办事指南" in page.locator("h1").inner_text()
    badge = page.locator(".stdhub-status .stdhub-badge")
    assert badge.inner_text() == "现行" and badge.is_visible()
    for heading in ("解读", "实施方案", "受理条件", "申请材料", "办理流程", "历史", "下载"):
        assert page.get_by_role("heading", name=heading).count() == 1, heading
    _shot(page, screenshots, "standard")
    _shot(page, screenshots, "standard-full", full=True)


def _search(page, base: str, query: str) -> list[str]:
    """Type a query into the site's search; return the addresses of the results, best first."""
    page.goto(base)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")  # the theme searches on key events, which fill() does not send
    page.wait_for_function(
        "document.querySelector('.md-search-result__meta')?.textContent.includes('结果')",
        timeout=15000,
    )
    links = page.locator(".md-search-result__item > a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    return [urlsplit(h).path.removeprefix(urlsplit(base).path) for h in links]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("低保", {"standards/HNMZ-T-0031-2024/"}),
        (
            "养老",
            {
                "standards/HNMZ-T-0003-2024/",
                "standards/HNMZ-T-0003-2019/",
                "standards/HNMZ-T-0038-2021/",
            },
        ),
        (
            "婚姻登记",
            {
                "standards/HNMZ-T-0008-2025/",
                "standards/HNMZ-T-0034-2025/",
                "standards/HNMZ-T-0035-2025/",
            },
        ),
        ("公民身份号码", {"standards/GB-11643-1999/"}),  # a data element's name
        ("性别代码", {"standards/GB-T-2261.1-2003/", "codelists/CL-GB-T-2261.1/"}),
        ("2261.1", {"standards/GB-T-2261.1-2003/"}),  # a standard's number
        ("HNMZ/T 0031", {"standards/HNMZ-T-0031-2024/"}),
    ],
)
def test_chinese_search_finds_the_right_page_near_the_top(
    page, shipped_url, screenshots, query, expected
) -> None:
    results = _search(page, shipped_url, query)
    assert results, f"no results for {query}"
    assert expected & set(results[:3]), (query, results[:5])
    if query == "低保":
        _shot(page, screenshots, "search-dibao")


def test_feedback_link_address(page, shipped_url) -> None:
    page.goto(shipped_url + "standards/HNMZ-T-0031-2024/")
    href = page.locator("a.stdhub-feedback").get_attribute("href")
    config = load_config(REPO)
    assert href == config.feedback_link(
        id="HNMZ/T 0031-2024",
        title="最低生活保障审核确认办事指南",
        version="2024",
        url=config.site_url + "standards/HNMZ-T-0031-2024/",
    )
    parts = urlsplit(href)
    assert parts.scheme == "mailto" and unquote(parts.path) == "mzbz@example.gov.cn"
    query = parse_qs(parts.query)
    assert query["subject"] == ["意见反馈：HNMZ/T 0031-2024 最低生活保障审核确认办事指南"]
    assert "位置：http://127.0.0.1:8000/standards/HNMZ-T-0031-2024/" in query["body"][0]


def test_catalogue_filters_and_sorts(page, shipped_url, screenshots) -> None:
    page.goto(shipped_url + "catalogue/")
    rows = page.locator("#stdhub-catalogue tbody tr")
    total = rows.count()
    assert page.locator(".stdhub-count").inner_text() == f"显示 {total} / {total} 项"
    page.select_option("#filter-kind", "办事指南")
    visible = page.locator("#stdhub-catalogue tbody tr:not([hidden])")
    kinds = visible.evaluate_all("rs => rs.map(r => r.dataset.kind)")
    assert kinds and set(kinds) == {"办事指南"} and len(kinds) < total
    label = page.locator("#filter-kind option:checked").inner_text()
    assert label == f"办事指南（{len(kinds)}）"
    page.fill("#filter-text", "婚姻")
    titles = visible.evaluate_all("rs => rs.map(r => r.cells[1].textContent)")
    assert titles and all("婚" in t for t in titles)
    _shot(page, screenshots, "catalogue-filtered")
    page.fill("#filter-text", "")
    page.select_option("#filter-kind", "")
    page.locator("#stdhub-catalogue th button", has_text="编号").click()
    ids = rows.evaluate_all("rs => rs.map(r => r.cells[0].textContent.trim())")
    assert page.locator("#stdhub-catalogue th").first.get_attribute("aria-sort") == "ascending"
    assert ids == sorted(ids, key=lambda s: s) or ids[0] <= ids[-1]


@pytest.mark.parametrize(
    "path",
    [
        "",
        "catalogue/",
        "standards/HNMZ-T-0031-2024/",
        "standards/HNMZ-T-0201-2022/",
        "lists/power-list/",
        "consultations/",
    ],
)
@pytest.mark.parametrize("width", [1280, 390])
def test_no_serious_accessibility_violations(browser, shipped_url, path, width) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(shipped_url + path)
    violations = Axe().run(page).response["violations"]
    context.close()
    serious = [
        (v["id"], v["impact"], v["nodes"][0]["html"][:120])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_phone_width(browser, shipped_url, screenshots) -> None:
    context = browser.new_context(
        locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = context.new_page()
    for path, name in (
        ("", "home"),
        ("catalogue/", "catalogue"),
        ("standards/HNMZ-T-0031-2024/", "standard"),
        ("standards/HNMZ-T-0201-2022/", "data-standard"),
        ("lists/power-list/", "list"),
    ):
        page.goto(shipped_url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (path, width)
        assert page.locator("h1").first.is_visible()
        _shot(page, screenshots, f"phone-{name}")
    page.goto(shipped_url + "standards/HNMZ-T-0031-2024/")
    page.locator("label.md-header__button[for='__drawer']").click()  # the menu opens
    page.wait_for_timeout(500)  # let it slide in
    assert page.locator(".md-nav--primary").get_by_role("link", name="标准目录").first.is_visible()
    _shot(page, screenshots, "phone-menu")
    context.close()


def test_pages_read_without_javascript(browser, shipped_url, screenshots) -> None:
    context = browser.new_context(
        locale="zh-CN", java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.goto(shipped_url + "standards/HNMZ-T-0201-2022/")
    assert "民政服务对象基础信息数据元" in page.locator("h1").inner_text()
    assert page.locator("#de-GMSFHM").is_visible()
    page.goto(shipped_url + "catalogue/")
    rows = page.locator("#stdhub-catalogue tbody tr")
    assert rows.count() > 20 and rows.last.is_visible()
    assert not page.locator(".stdhub-facets").is_visible()  # the filters need the script
    assert page.get_by_text("按类别").is_visible()  # the counts do not
    _shot(page, screenshots, "catalogue-nojs")
    context.close()


def test_no_request_leaves_the_site(page, shipped_url) -> None:
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(shipped_url) else outside.append(r.url))
    for path in ("", "catalogue/", "standards/HNMZ-T-0031-2024/", "lists/policies/", "about/"):
        page.goto(shipped_url + path)
        page.wait_for_load_state("networkidle")
    _search(page, shipped_url, "养老")
    assert outside == []


def test_a_title_with_script_is_text(page, fixture_url, screenshots) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(fixture_url + "standards/HNMZ-T-9003-2026/")
    page.wait_for_load_state("networkidle")
    assert (
        'HNMZ/T 9003-2026 测试<script>alert("title")</script>管理规范'
        in page.locator("h1").inner_text()
    )
    assert page.title().startswith('HNMZ/T 9003-2026 测试<script>alert("title")</script>')
    call = page.locator(".stdhub-consult")
    assert call.is_visible() and "2026-12-31" in call.inner_text()
    _search(page, fixture_url, "测试养老")
    page.goto(fixture_url + "standards/HNMZ-T-9001-2025/")
    assert dialogs == []
    _shot(page, screenshots, "xss-escaped")
