"""资金信息 (issue 28) through `stdhub serve`: what Datasette serves adds up (every fund and
year, allocations = the documents' totals), each fund page's county amounts are what
Datasette answers for that county, and the section reads in Chromium at 1280 and 390 px
(charts named, no sideways scrolling, axe-core clean). Screenshots in build/screenshots/."""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

import httpx
import pytest

from stdhub.opendata.funds import FUNDS, category_page, fund_page

DATASET = "fund-allocations"


def _all(url: str, **params: str) -> list[dict]:
    """Every row of a Datasette table, following `next`."""
    params = {"_shape": "objects", "_size": "max", **params}
    rows: list[dict] = []
    with httpx.Client(timeout=60) as client:
        while True:
            body = client.get(url, params=params).raise_for_status().json()
            rows += body["rows"]
            if not body.get("next"):
                return rows
            params["_next"] = body["next"]


@pytest.fixture(scope="module")
def served_funds(served):
    docs = _all(f"{served.data}{DATASET}/documents.json")
    allocations = _all(f"{served.data}{DATASET}/allocations.json")
    return served, docs, allocations


def test_every_fund_and_year_adds_up_in_what_datasette_serves(served_funds) -> None:
    _, docs, allocations = served_funds
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    by_doc: dict[str, Decimal] = defaultdict(Decimal)
    for d in docs:
        totals[(d["fund_code"], d["budget_year"])] += Decimal(str(d["total_yuan"]))
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for a in allocations:
        sums[(a["fund_code"], a["budget_year"])] += Decimal(str(a["amount_yuan"]))
        by_doc[a["doc_number"]] += Decimal(str(a["amount_yuan"]))
    assert len(totals) >= 25  # five funds over five years
    assert sums == totals
    assert {d["doc_number"]: Decimal(str(d["total_yuan"])) for d in docs} == dict(by_doc)


def _values(html: str) -> dict[str, float]:
    return {
        c: float(v) for c, v in re.findall(r'data-county="(\d{6})" data-value="([0-9.]+)"', html)
    }


def test_each_fund_page_shows_what_datasette_answers_for_each_county(served_funds) -> None:
    served, docs, allocations = served_funds
    funds = sorted({d["fund_code"] for d in docs})
    latest = max(d["budget_year"] for d in docs)
    checked = 0
    for fund in funds:
        page = httpx.get(served.site + fund_page(fund), timeout=60)
        assert page.status_code == 200, fund
        shown = _values(page.text)
        want: dict[str, float] = defaultdict(float)
        for a in allocations:
            if a["fund_code"] == fund and a["budget_year"] == latest:
                want[a["county_code"]] += a["amount_yuan"]
        assert set(shown) == set(want), fund
        for county, value in shown.items():
            assert value == pytest.approx(want[county], abs=0.006), (fund, county)
            checked += 1
        # and each county's "分配明细" link asks Datasette the same question
        one = next(iter(shown))
        rows = _all(
            f"{served.data}{DATASET}/allocations.json",
            fund_code=fund,
            budget_year=latest,
            county_code=one,
        )
        assert sum(r["amount_yuan"] for r in rows) == pytest.approx(shown[one], abs=0.006)
    assert checked >= 122 * 4  # the funds that reach every county


def _pages(served) -> list[str]:
    index = httpx.get(served.site + FUNDS, timeout=60).text
    found = [FUNDS]
    found += sorted(set(re.findall(r'href="(?:\.\./)*(\d\d)/"', index)), key=str)
    pages = [FUNDS] + [fund_page(c) for c in found[1:]]
    pages += [category_page(c) for c in sorted(set(re.findall(r'href="projects-(\d)/"', index)))]
    return pages


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_the_funds_pages_read_on_a_computer_and_a_phone(
    browser, served, screenshots, axe, width
) -> None:
    pages = _pages(served)
    assert len(pages) >= 1 + 5 + 3, pages  # the index, five funds, three project categories
    for path in pages:
        context = browser.new_context(
            locale="zh-CN", viewport={"width": width, "height": 900}, java_script_enabled=False
        )
        page = context.new_page()
        assert page.goto(served.site + path).status == 200, path
        wide = page.evaluate("document.documentElement.scrollWidth")
        names = page.evaluate(
            """() => [...document.querySelectorAll("figure.stdhub-chart svg")].map(s =>
                 (s.getAttribute("aria-labelledby") || "").split(" ")
                   .map(id => (document.getElementById(id) || {}).textContent || "").join(""))"""
        )
        name = path.strip("/").replace("/", "-")
        page.screenshot(path=str(screenshots / f"{name}-{width}.png"), full_page=True)
        context.close()
        assert wide <= width, (path, width, wide)  # no sideways scrolling
        assert all(names), (path, names)
        if path == FUNDS or "projects" not in path:
            assert names, path  # the index and each fund draw their figures
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(served.site + path)
        found = axe(page, moderate=True)
        context.close()
        assert found == [], (path, width, found)


def test_each_division_page_shows_the_funds_datasette_answers_for_it(served_funds) -> None:
    """Every county's (and each prefecture's) 资金和项目: each fund, each year."""
    from stdhub import addresses

    served, _, allocations = served_funds
    want: dict[str, dict[tuple[str, str], float]] = defaultdict(lambda: defaultdict(float))
    for a in allocations:
        key = (a["fund_code"], a["budget_year"])
        for code in (a["county_code"], a["county_code"][:4] + "00"):
            want[code][key] += a["amount_yuan"]
    pattern = re.compile(r'data-fund="(\d\d)" data-year="(\d{4})" data-value="([0-9.]+)"')
    checked = 0
    with httpx.Client(timeout=60) as client:
        for code, amounts in sorted(want.items()):
            page = client.get(served.site + addresses.division(code))
            if page.status_code == 404:  # a code only of earlier years (431121 祁阳县)
                continue
            shown = {(f, y): float(v) for f, y, v in pattern.findall(page.text)}
            assert set(shown) == set(amounts), code
            for key, value in shown.items():
                assert value == pytest.approx(amounts[key], abs=0.006), (code, key)
            checked += 1
    assert checked >= 122 + 14
