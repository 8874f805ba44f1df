"""适老化 and 无障碍 (issue 24), in a real headless Chromium over the shipped content built
once: a 办事指南 gives the answer first (what to bring, where to go, how long, whom to call)
before its catalogue record, 解读 and 实施方案; and the 关怀模式 (elder-friendly mode) on
every page: larger text and targets, 7:1 colours, a large cursor, no motion, 朗读.

Screenshots go to build/screenshots/care-*.png.
"""

from __future__ import annotations

import json

import pytest
from care_measure import assert_care_measures, measure

PHONE = {"width": 390, "height": 844}
GUIDE = "standards/HNMZ-T-0031-2024/"  # 最低生活保障审核确认办事指南
FIRST_SCREENS = 1700  # two phone screens
DESKTOP = {"width": 1280, "height": 900}
# one page of every type: home, a data standard, a 办事指南, a list, the catalogue
CARE_PAGES = ["", "standards/HNMZ-T-0201-2022/", GUIDE, "lists/power-list/", "catalogue/"]
SWITCH = ".stdhub-care__switch"
READ = ".stdhub-care__read"

# the site's targets: header, tabs, sidebars, the switch bar and the article
TARGETS = (
    "header a, header button, header input, header label.md-header__button, .md-tabs a,"
    " .md-sidebar a, .md-sidebar label.md-nav__link, .stdhub-care a, .stdhub-care button,"
    " article a, article button, article select, article input, article summary"
)


def _measure(page) -> dict:
    return measure(page, TARGETS, "article p")


@pytest.mark.browser
def test_a_guide_gives_the_answer_first_on_a_phone(browser, shipped_url, screenshots, axe) -> None:
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(shipped_url + GUIDE)
    first = page.locator("#service-first + .stdhub-first")
    labels = first.locator("dt").all_inner_texts()
    assert labels == ["带什么材料", "去哪里办", "多长时间", "问谁"]
    bottoms = first.locator("dd").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().bottom + scrollY)"
    )
    print(f"guide at 390 px: materials, place, time limit, phone end at {bottoms} px")
    assert max(bottoms) <= FIRST_SCREENS
    answer = first.inner_text()
    assert "身份证" in answer and "电话" in answer and "工作日" in answer
    top = first.evaluate("e => e.getBoundingClientRect().top")
    for later in ("#record", "#interpretation", "#implementation-plan", "#service"):
        if page.locator(later).count():
            assert page.locator(later).evaluate("e => e.getBoundingClientRect().top") > top
    # every link in the answer leads somewhere on the page
    for href in first.locator("a[href^='#']").evaluate_all("els => els.map(e => e.hash)"):
        assert page.locator(href).count() == 1, href
    page.screenshot(path=str(screenshots / "care-guide-390.png"))
    assert axe(page, moderate=True) == []
    context.close()


def _care_context(browser, viewport=DESKTOP, **kwargs):
    return browser.new_context(locale="zh-CN", viewport=viewport, **kwargs)


def _is_on(page) -> bool:
    return page.evaluate("document.documentElement.getAttribute('data-care')") == "1"


def _name(path: str) -> str:
    return path.strip("/").replace("/", "-").replace(".html", "") or "home"


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
@pytest.mark.parametrize("path", CARE_PAGES, ids=_name)
def test_care_mode_on_every_page_type(browser, shipped_url, screenshots, axe, path, viewport):
    """The switch turns the mode on; then the text, spacing, colours, targets, cursor and
    motion are what the mode promises, and axe finds nothing, at 1280 and 390 px."""
    context = _care_context(browser, viewport)
    page = context.new_page()
    page.goto(shipped_url + path)
    switch = page.locator(SWITCH)
    assert not _is_on(page)
    assert switch.get_attribute("aria-pressed") == "false"
    assert switch.inner_text() == "关怀模式"
    before = _measure(page)
    # the measures tell the modes apart: the normal mode has smaller text or targets
    assert min(t[0] for t in before["text"]) < 18 or before["small"], before
    switch.click()
    assert _is_on(page)
    assert switch.get_attribute("aria-pressed") == "true"
    assert switch.inner_text() == "退出关怀模式"
    assert page.locator(".stdhub-care__link:visible").count() == 0  # the links are for no scripts
    assert page.locator(READ).is_visible()  # Chromium has speechSynthesis
    where = f"{path or 'home'} at {viewport['width']} px"
    measured = _measure(page)
    print(where, json.dumps({k: v for k, v in measured.items() if k != "text"}, ensure_ascii=False))
    assert_care_measures(measured, where)
    page.screenshot(path=str(screenshots / f"care-mode-{_name(path)}-{viewport['width']}.png"))
    assert axe(page, moderate=True) == []
    context.close()


@pytest.mark.browser
def test_care_mode_is_remembered_and_in_the_address(browser, shipped_url) -> None:
    """The choice is kept across pages and reloads, applied before the page's own script
    runs (no flash); `#care` in the address turns it on in a fresh browser."""
    context = _care_context(browser)
    # the mode's attribute as the page is first parsed, before stdhub.js has run
    context.add_init_script(
        "document.addEventListener('readystatechange', () => { if (!window.__careAtStart)"
        " window.__careAtStart = document.documentElement.getAttribute('data-care') || 'off'; });"
    )
    page = context.new_page()
    page.goto(shipped_url)
    page.locator(SWITCH).click()
    page.goto(shipped_url + "catalogue/")
    assert _is_on(page)
    assert page.evaluate("window.__careAtStart") == "1"
    assert page.locator(SWITCH).get_attribute("aria-pressed") == "true"
    page.reload()
    assert _is_on(page)
    page.locator(SWITCH).click()
    page.goto(shipped_url + GUIDE)
    assert not _is_on(page)
    assert page.evaluate("window.__careAtStart") == "off"
    context.close()

    fresh = _care_context(browser, PHONE)
    page = fresh.new_page()
    page.goto(shipped_url + GUIDE + "#care")
    assert _is_on(page)
    assert page.evaluate("scrollY") == 0  # the address leaves the page at its top
    assert_care_measures(_measure(page), "guide from #care")
    page.goto(shipped_url + "catalogue/")
    assert _is_on(page)  # and remembered from there on
    # turned off while the address still says #care: off, and the address no longer says so
    page.goto(shipped_url + GUIDE + "#care")
    page.locator(SWITCH).click()
    assert not _is_on(page)
    assert page.evaluate("location.hash") == ""
    fresh.close()


@pytest.mark.browser
def test_care_mode_without_javascript(browser, shipped_url, screenshots) -> None:
    """Without scripts the page is as it was (no button that does nothing); a link to
    `#care` turns the mode on from the address alone, and a link turns it off again."""
    context = _care_context(browser, PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(shipped_url + GUIDE)
    assert not page.locator(SWITCH).is_visible() and not page.locator(READ).is_visible()
    plain = _measure(page)
    assert min(t[0] for t in plain["text"]) < 18
    on = page.get_by_role("link", name="关怀模式", exact=True)
    off = page.get_by_role("link", name="退出关怀模式")
    assert on.is_visible() and not off.is_visible()
    on.click()
    page.wait_for_url("**#care")
    # without scripts the theme's header title is 13 px wider than a phone in either mode
    # (html's overflow-x: hidden keeps it from scrolling): the mode adds nothing to that
    assert_care_measures(_measure(page), "guide without scripts", wide=plain["wide"])
    assert off.is_visible() and not on.is_visible()
    page.screenshot(path=str(screenshots / "care-mode-nojs-390.png"))
    # (axe needs scripts: the same styles pass it in test_care_mode_on_every_page_type)
    off.click()
    assert min(t[0] for t in _measure(page)["text"]) < 18
    context.close()


@pytest.mark.browser
def test_care_switch_by_keyboard(browser, shipped_url) -> None:
    """Tab reaches the switch with a visible outline of at least 3 px; Enter toggles it."""
    context = _care_context(browser)
    page = context.new_page()
    page.goto(shipped_url + GUIDE)
    focused = ""
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.className")
        if "stdhub-care__switch" in focused:
            break
    assert "stdhub-care__switch" in focused
    outline = (
        "e => [getComputedStyle(e).outlineStyle, parseFloat(getComputedStyle(e).outlineWidth)]"
    )
    style, width = page.locator(SWITCH).evaluate(outline)
    assert style != "none" and width >= 3, (style, width)
    page.keyboard.press("Enter")
    assert _is_on(page)
    assert page.locator(SWITCH).get_attribute("aria-pressed") == "true"
    style, width = page.locator(SWITCH).evaluate(outline)
    assert style != "none" and width >= 3, (style, width)
    # in the mode every next stop has the thick outline too: 朗读, then the page's links
    for _ in range(3):
        page.keyboard.press("Tab")
        style, width = page.evaluate(f"({outline})(document.activeElement)")
        assert style != "none" and width >= 3, page.evaluate("document.activeElement.outerHTML")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert "stdhub-care__switch" in page.evaluate("document.activeElement.className")
    page.keyboard.press("Enter")
    assert not _is_on(page)
    context.close()


# a stand-in for the browser's speech: what was asked to be read, in which language
FAKE_SPEECH = """
window.__spoken = []; window.__cancelled = 0;
Object.defineProperty(window, "speechSynthesis", { configurable: true, value: {
  speak: u => window.__spoken.push([u.lang, u.text]),
  cancel: () => { window.__cancelled += 1; },
} });
"""


@pytest.mark.browser
def test_care_mode_reads_the_article_aloud(browser, shipped_url) -> None:
    """朗读 reads the article in zh-CN, paragraph by paragraph; 停止朗读 stops; where the
    browser cannot speak there is no 朗读 button."""
    context = _care_context(browser)
    context.add_init_script(FAKE_SPEECH)
    page = context.new_page()
    page.goto(shipped_url + GUIDE + "#care")
    read = page.locator(READ)
    assert read.inner_text() == "朗读"
    read.click()
    assert read.inner_text() == "停止朗读"
    spoken = page.evaluate("window.__spoken")
    title = page.locator("article h1").inner_text().replace("¶", "").strip()
    assert {lang for lang, _ in spoken} == {"zh-CN"}
    assert any(title in text for _, text in spoken), spoken[:3]
    assert any("身份证" in text for _, text in spoken)
    assert not any("关怀模式" in text for _, text in spoken)  # the article, not the page's chrome
    read.click()
    assert read.inner_text() == "朗读"
    assert page.evaluate("window.__cancelled") >= 2
    context.close()

    mute = _care_context(browser)
    mute.add_init_script("delete Window.prototype.speechSynthesis; delete window.speechSynthesis;")
    page = mute.new_page()
    page.goto(shipped_url + GUIDE + "#care")
    assert _is_on(page)
    assert page.evaluate("'speechSynthesis' in window") is False
    assert not page.locator(READ).is_visible()
    mute.close()
