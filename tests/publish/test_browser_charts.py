"""The charts (issue 24, item 1) as a reader sees them in Chromium, with scripts off: on
every open dataset page one chart per canned statistic that has data, and a trend on a
county's page; each with a text alternative and its data table, no sideways scrolling,
text no smaller than 12 px at 390 px, axe-core clean. Screenshots in build/screenshots/."""

from __future__ import annotations

import sqlite3

import pytest

from stdhub import addresses
from stdhub.datasets.manifest import read_manifest
from stdhub.datasette.queries import table_queries

pytestmark = pytest.mark.browser

MEASURE = """() => [...document.querySelectorAll("figure.stdhub-chart")].map(f => {
  const svg = f.querySelector("svg");
  const box = svg.getBoundingClientRect();
  const units = svg.viewBox.baseVal.width;
  const names = (svg.getAttribute("aria-labelledby") || "").split(" ")
    .map(id => (document.getElementById(id) || {}).textContent || "");
  return {id: f.id, width: box.width, right: box.right, visible: box.height > 20,
          font: parseFloat(svg.getAttribute("font-size")) * box.width / units,
          name: names.join(" ").trim(), caption: f.querySelector("figcaption").innerText,
          rows: f.querySelectorAll("details table tbody tr").length};
})"""


def _drawn(served) -> dict[str, list[str]]:
    """dataset -> the canned statistics whose summary tables have rows (each gets a chart)."""
    data = served.root / "build" / "data"
    found: dict[str, list[str]] = {}
    for d in read_manifest(data).open_datasets:
        if not d.db:
            continue
        conn = sqlite3.connect(data / d.db)
        names = []
        for t in d.tables:
            for q in table_queries(t):
                if conn.execute(f'select count(*) from "{q.summary}"').fetchone()[0]:
                    names.append(q.name)
        conn.close()
        found[d.name] = names
    return found


def _axe(browser, url: str, width: int, axe) -> list:
    """axe-core needs scripts: the same page in a context with them on."""
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(url)
    found = axe(page, moderate=True)
    context.close()
    return found


def _look(browser, url: str, width: int, screenshots, name: str):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": width, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    assert page.goto(url).status == 200
    charts = page.evaluate(MEASURE)
    wide = page.evaluate("document.documentElement.scrollWidth")
    if charts:
        page.locator("figure.stdhub-chart").first.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / f"charts-{name}-{width}.png"))
    return context, page, charts, wide


@pytest.mark.parametrize("width", [1280, 390])
def test_every_canned_statistic_is_drawn_on_its_dataset_page(
    browser, served, screenshots, axe, width
):
    drawn = _drawn(served)
    assert sum(len(v) for v in drawn.values()) >= 20
    for name, queries in drawn.items():
        url = served.site + addresses.dataset(name)
        context, _page, charts, wide = _look(browser, url, width, screenshots, name)
        where = f"{name} at {width} px"
        assert [c["id"] for c in charts] == queries, where
        assert wide <= width, where  # no sideways scrolling
        for c in charts:
            assert c["visible"] and c["right"] <= width and c["name"] and c["caption"], (where, c)
            assert c["rows"] >= 1, (where, c)  # the data drawn, as a table
            assert c["font"] >= (12 if width < 600 else 11), (where, c)
        context.close()
        assert _axe(browser, url, width, axe) == [], where


@pytest.mark.parametrize("width", [1280, 390])
def test_a_county_page_shows_its_trend(browser, served, screenshots, axe, width):
    url = served.site + addresses.division("430182")
    context, page, charts, wide = _look(browser, url, width, screenshots, "430182")
    assert len(charts) >= 4 and wide <= width
    assert all(c["name"] and c["font"] >= (12 if width < 600 else 11) for c in charts), charts
    assert page.locator("table [data-figure]").count() >= 10  # the figures, as text
    context.close()
    assert _axe(browser, url, width, axe) == []
