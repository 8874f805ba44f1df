"""The catalogue and the public lists printed on A4 (issue 24): every column on the page,
in a real headless Chromium laying the page out for print, in both reading modes.

A4 is 210 mm wide; with 15 mm margins each side 180 mm are printed, 680 CSS pixels
(96 px to the inch). The PDFs go to build/screenshots/print-*.pdf.
"""

from __future__ import annotations

import pytest

A4_MM, MARGIN_MM = 210, 15
PRINTED = round((A4_MM - 2 * MARGIN_MM) / 25.4 * 96)  # CSS px across the printed width
PAGES = [
    "catalogue/",
    "lists/power-list/",
    "lists/responsibility-list/",
    "lists/public-service-list/",
    "lists/policies/",
]


@pytest.mark.browser
@pytest.mark.parametrize("care", [False, True], ids=["normal", "care"])
@pytest.mark.parametrize("path", PAGES)
def test_tables_print_whole_on_a4(browser, shipped_url, screenshots, path, care) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": PRINTED, "height": 1100})
    page = context.new_page()
    page.goto(shipped_url + path + ("#care" if care else ""))
    page.emulate_media(media="print")
    tables = page.evaluate(
        """() => [...document.querySelectorAll('article table')].map(t => {
            const edge = document.querySelector('article').getBoundingClientRect().right;
            const heads = [...t.rows[0].cells];
            return {
              columns: heads.length,
              shown: heads.filter(c => c.getBoundingClientRect().width > 0).length,
              beyond: heads.filter(c => c.getBoundingClientRect().right > edge + 1)
                           .map(c => c.innerText),
              wider: t.scrollWidth - t.parentElement.clientWidth,
            };
        })"""
    )
    assert tables, f"{path}: no table"
    for t in tables:
        assert t["columns"] >= 2
        assert t["shown"] == t["columns"], t  # no column hidden for print
        assert t["beyond"] == [], t  # none past the printed width
        assert t["wider"] <= 1, t  # nothing to scroll on paper
    name = path.strip("/").replace("/", "-") + ("-care" if care else "")
    pdf = page.pdf(
        path=str(screenshots / f"print-{name}.pdf"),
        format="A4",
        margin=dict.fromkeys(("top", "right", "bottom", "left"), f"{MARGIN_MM}mm"),
    )
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 1
    context.close()
