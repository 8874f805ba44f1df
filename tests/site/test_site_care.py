"""适老化 and 无障碍 (issue 24), in a real headless Chromium over the shipped content built
once: a 办事指南 gives the answer first (what to bring, where to go, how long, whom to call)
before its catalogue record, 解读 and 实施方案.

Screenshots go to build/screenshots/care-*.png.
"""

from __future__ import annotations

import pytest

PHONE = {"width": 390, "height": 844}
GUIDE = "standards/HNMZ-T-0031-2024/"  # 最低生活保障审核确认办事指南
FIRST_SCREENS = 1700  # two phone screens


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
