"""关怀模式 (issue 24) on Datasette's pages as `stdhub serve` runs them: the switch in the
bar above every page turns on the same mode as on the site (stdhub/datasette/templates/
base.html). Screenshots go to build/screenshots/care-mode-data-*.png."""

from __future__ import annotations

import json

import pytest
from care_measure import assert_care_measures, measure

pytestmark = pytest.mark.browser

DATASET = "dibao-village-monthly"
INSTITUTIONS = "elderly-care-institutions"
SWITCH = ".stdhub-care__switch"
# the bar, Datasette's header and the page's own links and controls
TARGETS = (
    ".stdhub-bar a, .stdhub-bar button, header a, header summary, main a, main button,"
    " main select, main input:not([type=hidden]), main summary"
)
PARAGRAPHS = "main p"


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize(
    "address",
    ["", INSTITUTIONS, f"{INSTITUTIONS}/institutions", f"{DATASET}/monthly/2025-06,430102001001"],
    ids=["index", "database", "table", "row"],
)
def test_care_mode_on_datasette_pages(browser, served, screenshots, axe, address, width):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    assert page.goto(served.data + address).status == 200
    switch = page.locator(SWITCH)
    assert switch.get_attribute("aria-pressed") == "false"
    before = measure(page, TARGETS, PARAGRAPHS)
    assert before["tiny"] or before["small"], before  # the normal mode is smaller
    switch.click()
    assert page.evaluate("document.documentElement.getAttribute('data-care')") == "1"
    assert switch.get_attribute("aria-pressed") == "true"
    assert switch.inner_text() == "退出关怀模式"
    assert page.locator(".stdhub-care__link:visible").count() == 0  # the links are for no scripts
    measured = measure(page, TARGETS, PARAGRAPHS)
    where = f"Datasette {address or 'index'} at {width} px"
    print(where, json.dumps({k: v for k, v in measured.items() if k != "text"}, ensure_ascii=False))
    name = address.split("/")[-1].split(",")[0] or "index"
    page.screenshot(path=str(screenshots / f"care-mode-data-{name}-{width}.png"))
    assert_care_measures(measured, where)
    assert axe(page, moderate=True) == []
    page.reload()  # remembered
    assert page.locator(SWITCH).get_attribute("aria-pressed") == "true"
    context.close()


def test_care_mode_on_datasette_from_the_address_without_scripts(browser, served):
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.goto(served.data + INSTITUTIONS)
    assert not page.locator(SWITCH).is_visible()
    assert measure(page, TARGETS, PARAGRAPHS)["tiny"]
    page.get_by_role("link", name="关怀模式", exact=True).click()
    page.wait_for_url("**#care")
    assert_care_measures(measure(page, TARGETS, PARAGRAPHS), "Datasette from #care")
    context.close()
