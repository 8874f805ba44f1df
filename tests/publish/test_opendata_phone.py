"""The open-data section on a phone, as `stdhub serve` serves it: no page scrolls sideways,
and the dataset catalogue and each dataset's schema and downloads reflow into cards whose
cells are labelled by their columns (issue 13: the schema table's links wrapped one
character per line; the catalogue hid 5 of 8 columns behind a sideways scroll).
Screenshots go to build/screenshots/opendata-phone-*.png."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DATASETS = (
    "dibao-village-monthly",
    "assistance-cases",  # 有条件开放: no data, how to apply
    "hunan-divisions",
    "elderly-care-institutions",
)


def _fits(page) -> tuple[int, list[str]]:
    width = page.evaluate("document.documentElement.scrollWidth")
    hidden = page.locator("article .md-typeset__scrollwrap").evaluate_all(
        "ws => ws.filter(w => w.scrollWidth > w.clientWidth + 1)"
        ".map(w => w.querySelector('th, td')?.textContent)"
    )
    return width, hidden


@pytest.mark.parametrize("path", ["opendata/", *(f"opendata/{d}/" for d in DATASETS)])
def test_opendata_pages_fit_a_phone(browser, served, screenshots, path) -> None:
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    assert page.goto(served.site + path).status == 200
    assert _fits(page) == (PHONE["width"], [])
    # the schema's links no longer wrap one character per line: two lines at most
    heights = page.locator(".stdhub-schema a").evaluate_all(
        "ls => ls.map(l => l.getBoundingClientRect().height)"
    )
    assert all(h < 60 for h in heights), max(heights)
    name = path.strip("/").replace("/", "-")
    page.screenshot(path=str(screenshots / f"opendata-phone-{name}.png"), full_page=True)
    context.close()


@pytest.mark.parametrize(
    ("path", "columns"),
    [
        ("opendata/", ("领域", "开放属性", "最近更新", "记录数", "质量")),
        ("opendata/dibao-village-monthly/", ("中文名", "类型", "说明", "数据元")),
    ],
)
def test_opendata_tables_reflow_on_a_phone(browser, served, path, columns) -> None:
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(served.site + path)
    for column in columns:
        cells = page.locator(f".stdhub-reflow tbody td[data-label='{column}']")
        assert cells.count() >= 1, column
        seen = cells.evaluate_all(
            """cs => cs.filter(c => c.textContent.trim()).map(c => {
                const r = c.getBoundingClientRect();
                return [getComputedStyle(c, '::before').content,
                        r.left >= 0 && r.right <= innerWidth && r.width > 0];
            })"""
        )
        assert seen and all(s == [f'"{column}"', True] for s in seen), (column, seen[:3])
    context.close()
