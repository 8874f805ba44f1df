"""行政区划 on the site: the tree with search and a page per prefecture and county, made from
the shipped crosswalk CW-HNMZ-0101 and its code lists; readable on a phone."""

from __future__ import annotations

import pytest
from site_helpers import REPO

from stdhub.config import Config
from stdhub.project import load_catalogue
from stdhub.site.context import SiteContext
from stdhub.site.sections.divisions import divisions_section

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    import datetime as dt

    catalogue, report = load_catalogue(REPO / "standards", base=REPO)
    assert report.ok, report.as_text()
    section = divisions_section(SiteContext(catalogue, Config(), dt.date(2026, 11, 28), REPO))
    return {k: str(v) for k, v in section.files.items()}


def test_a_page_per_prefecture_and_county_level_unit(files) -> None:
    pages = {k.split("/")[1] for k in files if k.startswith("divisions/") and k.count("/") == 2}
    assert len([p for p in pages if p.endswith("00")]) == 14
    assert {"430182", "430124", "430671", "430101"} <= pages
    assert "divisions/index.md" in files


def test_an_abolished_county_names_its_successor_and_its_history(files) -> None:
    page = files["divisions/430124/index.md"]
    assert "<strong>已停用</strong>（2017-04-10 撤县设市，改用 " in page
    assert '<a href="../430182/">430182 宁乡市</a>' in page
    assert "<strong>2017-04-10 撤县设市</strong>：430124 宁乡县 → 430182 宁乡市" in page


def test_a_county_lists_its_townships_and_villages(files) -> None:
    page = files["divisions/430112/index.md"]  # 望城区: 白马街道 changed its code
    assert "白马街道 <code>430112017</code>" in page
    assert "<del>白马街道</del> <code>430112014</code>" in page
    assert "2023-06-30 变更代码</strong>：430112014 白马街道 → 430112017 白马街道" in page
    # its villages, under their township
    assert page.count("<li>") >= 50


def test_a_split_township_names_every_successor(files) -> None:
    page = files["divisions/430821/index.md"]  # 慈利县: 零阳镇 split into two 街道 (2023)
    assert "<del>零阳镇</del> <code>430821100</code>" in page
    assert "拆分 → 430821001、430821002</span>" in page


@pytest.mark.browser
def test_the_tree_filters_on_a_phone(page, shipped_url, screenshots) -> None:
    page.set_viewport_size(PHONE)
    page.goto(shipped_url + "divisions/")
    page.fill("#division-filter", "宁乡")
    assert page.locator("#division-count").inner_text() == "找到 2 个县级区划"
    visible = page.locator(".stdhub-tree li li:not([hidden]) a").all_inner_texts()
    assert sorted(visible) == ["宁乡县", "宁乡市"]
    page.fill("#division-filter", "㮾梨")  # a township's name finds its county
    assert page.locator(".stdhub-tree li li:not([hidden]) a").all_inner_texts() == ["长沙县"]
    page.screenshot(path=str(screenshots / "site-divisions.png"))
    page.get_by_role("link", name="长沙县").click()
    page.wait_for_url("**/divisions/430121/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(screenshots / "site-division.png"), full_page=False)
