"""The site in a real headless Chromium: navigation, Chinese search, feedback links, filters,
accessibility (axe-core), phone width, no JavaScript, no requests to other hosts.

Screenshots go to build/screenshots/site-*.png.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from site_helpers import REPO

from stdhub.config import load_config

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
CST = dt.timezone(dt.timedelta(hours=8))


def _reader(browser, day: str, width: int = 1280):
    """A page in a browser whose clock says `day` (noon in China)."""
    size = PHONE if width == PHONE["width"] else {"width": width, "height": 900}
    context = browser.new_context(locale="zh-CN", viewport=size)
    context.clock.set_fixed_time(dt.datetime.fromisoformat(day).replace(hour=12, tzinfo=CST))
    return context, context.new_page()


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
    page.fill("#filter-text", "没有这个名称")
    assert page.locator(".stdhub-count").inner_text().startswith("没有符合条件的项")
    assert visible.count() == 0
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
def test_no_serious_accessibility_violations(browser, shipped_url, path, width, axe) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(shipped_url + path)
    serious = axe(page)
    context.close()
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
        ("lists/public-service-list/", "service-list"),
        ("lists/policies/ZC-001/", "list-item"),
        ("consultations/", "consultations"),
        ("codelists/CL-GB-T-2261.1/", "codelist"),
        ("changes/", "changes"),
        ("about/", "about"),
        ("standards/HNMZ-T-0102-2025/", "statistics-standard"),
        ("standards/GB-T-2260-2002/", "superseded"),
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


@pytest.mark.parametrize("width", [1280, 390])
def test_a_consultation_closes_at_its_deadline_on_the_readers_day(
    browser, shipped_url, screenshots, width
) -> None:
    """The site was built on 2026-11-28; HNMZ/T 0012-2026 is open until 2026-12-31."""
    url = shipped_url + "standards/HNMZ-T-0012-2026/"
    seen = {}
    for day in ("2026-11-28", "2026-12-31", "2027-01-01"):
        context, page = _reader(browser, day, width)
        page.goto(url)
        call, closed = (
            page.locator(".stdhub-consult"),
            page.get_by_text("截止，正在处理意见"),
        )
        seen[day] = (
            page.locator(".stdhub-status .stdhub-badge").inner_text(),
            call.inner_text() if call.is_visible() else None,
            closed.is_visible(),
        )
        _shot(page, screenshots, f"live-consultation-{day}-{width}")
        context.close()
    assert seen["2026-11-28"][0] == "征求意见中" and "（还有 33 天）" in seen["2026-11-28"][1]
    assert not seen["2026-11-28"][2]
    assert seen["2026-12-31"][0] == "征求意见中" and "（今天截止）" in seen["2026-12-31"][1]
    assert seen["2027-01-01"] == ("征求意见已截止", None, True)

    context, page = _reader(browser, "2027-01-01", width)
    page.goto(shipped_url + "consultations/")
    card = page.locator(".stdhub-cards li", has_text="HNMZ/T 0012-2026")
    assert card.locator(".stdhub-badge").inner_text() == "征求意见已截止"
    assert not card.get_by_role("link", name="提出意见").is_visible()
    assert "还有" not in card.inner_text()
    _shot(page, screenshots, f"live-consultations-2027-01-01-{width}")
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_an_approved_standard_turns_current_on_its_effective_date(
    browser, shipped_url, screenshots, width
) -> None:
    """HNMZ/T 0206-2026 was approved and takes effect on 2027-01-01."""
    for day, status in (("2026-12-31", "即将实施"), ("2027-01-01", "现行")):
        context, page = _reader(browser, day, width)
        page.goto(shipped_url + "standards/HNMZ-T-0206-2026/")
        assert page.locator(".stdhub-status .stdhub-badge").inner_text() == status
        record = page.locator(".stdhub-record tr", has_text="状态")
        assert record.locator("td").inner_text() == status
        banner = page.locator(".admonition", has_text="将于 2027-01-01 起实施")
        assert banner.is_visible() == (status == "即将实施")
        _shot(page, screenshots, f"live-effective-{day}-{width}")
        page.goto(shipped_url + "catalogue/")
        row = page.locator("#stdhub-catalogue tbody tr", has_text="HNMZ/T 0206-2026")
        assert row.locator(".stdhub-badge").inner_text() == status
        page.select_option("#filter-status", status)
        assert row.is_visible()
        option = page.locator("#filter-status option", has_text=status).inner_text()
        rows = page.locator("#stdhub-catalogue tbody tr:not([hidden])").count()
        assert option == f"{status}（{rows}）"
        context.close()


def test_without_javascript_the_build_day_status_stands(browser, shipped_url) -> None:
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.goto(shipped_url + "standards/HNMZ-T-0206-2026/")
    assert page.locator(".stdhub-status .stdhub-badge").inner_text() == "即将实施"
    page.goto(shipped_url + "standards/HNMZ-T-0012-2026/")
    assert "（还有 33 天）" in page.locator(".stdhub-consult").inner_text()
    assert not page.get_by_text("截止，正在处理意见").is_visible()
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_withdrawn_and_superseded_standards_say_so(browser, shipped_url, screenshots, width):
    context, page = _reader(browser, "2026-11-28", width)
    page.goto(shipped_url + "standards/GB-T-2260-2002/")
    banner = page.locator(".stdhub-banner:visible")  # the one of the reader's day
    assert banner.locator(".admonition-title").inner_text() == "本标准已被代替"
    assert (
        "自 2008-02-01 起被 GB/T 2260-2007 中华人民共和国行政区划代码 代替" in banner.inner_text()
    )
    banner.get_by_role("link", name="GB/T 2260-2007 中华人民共和国行政区划代码").click()
    page.wait_for_url("**/standards/GB-T-2260-2007/")
    _shot(page, screenshots, f"superseded-successor-{width}")
    page.goto(shipped_url + "standards/GB-T-2260-2002/")
    ceased = page.locator(".stdhub-record tr", has_text="被代替日期").inner_text()
    assert " ".join(ceased.split()) == "被代替日期 2008-02-01"
    assert page.locator("a.stdhub-fb").count() == 0  # no comments on its data elements
    _shot(page, screenshots, f"superseded-{width}")

    page.goto(shipped_url + "standards/HNMZ-T-0010-2016/")
    banner = page.locator(".stdhub-banner:visible")
    assert banner.locator(".admonition-title").inner_text() == "本标准已废止"
    assert "本标准已于 2021-06-30 废止" in banner.inner_text()
    assert page.get_by_role("heading", name="5 财务管理").is_visible()  # still readable
    assert page.get_by_text("对本条提出意见").count() == 0
    _shot(page, screenshots, f"withdrawn-{width}")
    context.close()


def test_feedback_links_name_what_they_show(page, shipped_url) -> None:
    """WCAG 2.5.3: the accessible name of each data element's 反馈 link starts with 反馈."""
    page.goto(shipped_url + "standards/HNMZ-T-0201-2022/")
    links = page.locator("a.stdhub-fb")
    assert links.count() >= 8
    for i in range(links.count()):
        # what shows is the link's own text; its accessible name adds a visually hidden part
        visible, name = links.nth(i).evaluate(
            "e => [e.firstChild.textContent, e.getAttribute('aria-label') || e.textContent]"
        )
        assert visible == "反馈" and name.startswith(visible) and len(name) > len(visible)
    name = re.compile(r"^(✉\s*)?反馈\s*对数据元 GMSFHM 公民身份号码 的意见$")
    assert page.get_by_role("link", name=name).count() == 1


def test_search_ranks_like_a_person_expects(page, shipped_url, screenshots) -> None:
    """Each query's expected page comes first; the table is written beside the screenshots."""
    from search_queries import QUERIES

    rows, wrong = [], []
    for query, expected in QUERIES:
        results = list(dict.fromkeys(r.split("#")[0] for r in _search(page, shipped_url, query)))
        rank = results.index(expected) + 1 if expected in results else None
        rows.append(f"| {query} | {results[0] if results else '—'} | {rank or '—'} |")
        if rank != 1:
            wrong.append((query, expected, results[:3]))
        if query == "行政区划":  # the whole phrase is highlighted, not one character of it
            marks = page.locator(".md-search-result__item mark").all_inner_texts()
            assert marks and all(m.startswith("行政区划") for m in marks), marks
    table = "| query | first result | rank of expected |\n|---|---|---|\n" + "\n".join(rows)
    (screenshots / "search-table.md").write_text(table + "\n", encoding="utf-8")
    assert len(QUERIES) >= 30
    assert wrong == [], table


@pytest.mark.parametrize("width", [1280, 390])
def test_a_guide_calls_and_prints(browser, shipped_url, screenshots, width) -> None:
    """Its phone numbers are tel: links; printed, it is the guide without the site around it."""
    context, page = _reader(browser, "2026-11-28", width)
    page.goto(shipped_url + "standards/HNMZ-T-0031-2024/")
    # each number once in 办事要点 (the answer first) and once in the full guide
    for number in ("0731-80003101", "12345"):  # 咨询电话; the hotline in 监督投诉
        links = page.locator(f"a[href='tel:{number}']")
        assert links.count() == 2, number
        assert page.locator(f".stdhub-first a[href='tel:{number}']").count() == 1, number
    consult = page.locator("a[href='tel:0731-80003101']")
    assert consult.all_inner_texts() == ["0731-8000 3101"] * 2
    consult.last.scroll_into_view_if_needed()
    _shot(page, screenshots, f"tel-{width}")
    if width == PHONE["width"]:  # paper is as wide as a desktop page, not a phone
        context.close()
        return
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".stdhub-feedback", ".md-footer"):
        assert not page.locator(chrome).first.is_visible(), chrome
    assert page.get_by_role("heading", name="申请材料").is_visible()
    # every table shows whole: nothing hidden behind a sideways scroll
    clipped = page.locator("article table").evaluate_all(
        "ts => ts.filter(t => t.getBoundingClientRect().right > "
        "document.querySelector('article').getBoundingClientRect().right + 1).length"
    )
    assert clipped == 0
    _shot(page, screenshots, "print", full=True)
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_search_ranking_tags_are_not_shown(browser, shipped_url, screenshots, width) -> None:
    """The ranking tags (every phrase of a name) stay hidden in the results. With the real
    clock (a frozen one keeps the results panel closed, where nothing can be visible), the
    query typed key by key as a person does, the panel open and its first result shown."""
    size = PHONE if width == PHONE["width"] else {"width": width, "height": 900}
    context = browser.new_context(locale="zh-CN", viewport=size)
    page = context.new_page()
    page.goto(shipped_url)
    if width == PHONE["width"]:  # the header's search button opens the search
        page.locator("label.md-header__button[for='__search']").click()
    else:
        page.locator("input.md-search__input").click()
    # typed once the index is loaded (the theme says 正在初始化搜索引擎 until then)
    page.wait_for_function(
        "(m => m && m.textContent.trim() && !m.textContent.includes('初始化'))"
        "(document.querySelector('.md-search-result__meta'))",
        timeout=30000,
    )
    box = page.locator("input.md-search__input")
    box.press_sequentially("最低生活保障", delay=50)
    box.press("End")  # one more key event once all is typed, as the theme searches on them
    first = page.locator(".md-search-result__item").first
    first.wait_for(state="visible", timeout=30000)
    assert page.locator(".md-search-result__list").is_visible()
    tags = page.locator(".md-search-result__item .md-tag")
    assert tags.count() > 0  # the tags are in the results' markup…
    shown = tags.evaluate_all("ts => ts.filter(t => t.checkVisibility()).map(t => t.textContent)")
    assert shown == [], shown[:10]  # …and none of them is visible
    height = first.evaluate("e => e.getBoundingClientRect().height")
    _shot(page, screenshots, f"search-no-tags-{width}")
    assert height < 400, height  # a result is a title and a few lines, not a wall of chips
    context.close()
