"""Pages built before the dates, read in a real Chromium whose clock is moved across the
effective and withdrawal dates (Playwright's `page.clock`): the page script derives the
statuses, banners and list marks of the reader's day, as the build would on that day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from timeline_helpers import REPO, make_project, serve_directory

from stdhub.project import load_catalogue
from stdhub.site import build_site

pytestmark = pytest.mark.browser

BUILT_ON = dt.date(2026, 12, 6)
CST = dt.timezone(dt.timedelta(hours=8))
OLD, NEW, GONE = "HNMZ-T-0207-2020", "HNMZ-T-0207-2026", "HNMZ-T-0038-2021"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = make_project(tmp_path_factory.mktemp("clock"))
    cat, report = load_catalogue(project / "standards", today=BUILT_ON, base=project)
    assert report.ok, report.as_text()
    out = project / "build" / "site"
    build_site(cat, project, out, today=BUILT_ON, work_dir=project / "build" / "src")
    url, server = serve_directory(out)
    yield url
    server.shutdown()
    server.server_close()


def _noon(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=12, tzinfo=CST)


def _reading(page) -> tuple[str, list[str]]:
    """The badge at the top of the page and the titles of the banners showing."""
    badge = page.locator(".stdhub-status .stdhub-badge").inner_text()
    titles = page.locator(".md-content .admonition:visible .admonition-title").all_inner_texts()
    return badge, titles


def test_statuses_follow_the_readers_clock(browser, site_url: str) -> None:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.clock.install(time=_noon("2026-12-06"))
    seen = {}
    for day in ("2026-12-06", "2026-12-30", "2026-12-31", "2027-02-28", "2027-03-01"):
        page.clock.set_system_time(_noon(day))  # the clock moves on; the pages stay as built
        row = []
        for slug in (OLD, NEW, GONE):
            page.goto(f"{site_url}standards/{slug}/")
            row.append(_reading(page))
        # the history marks the withdrawal recorded ahead 预定 until its day
        planned = page.locator(".stdhub-planned:visible").all_inner_texts()
        page.goto(f"{site_url}lists/power-list/")
        mark = page.locator(f'.stdhub-governing:has(a[href$="/{GONE}/"]) .stdhub-gone')
        row.append(mark.first.inner_text() if mark.first.is_visible() else "")
        row.append(len(planned))
        seen[day] = row
    context.close()
    before_withdrawal = [
        ("现行", ["将被代替"]),
        ("即将实施", ["即将实施"]),
        ("现行", ["将废止"]),
        "",
        1,
    ]
    after_withdrawal = [
        ("现行", ["将被代替"]),
        ("即将实施", ["即将实施"]),
        ("废止", ["本标准已废止"]),
        "（已废止）",
        0,
    ]
    assert seen == {
        "2026-12-06": before_withdrawal,
        "2026-12-30": before_withdrawal,
        "2026-12-31": after_withdrawal,
        "2027-02-28": after_withdrawal,
        "2027-03-01": [
            ("被代替", ["本标准已被代替"]),
            ("现行", []),
            ("废止", ["本标准已废止"]),
            "（已废止）",
            0,
        ],
    }


def test_the_catalogue_lists_what_was_in_force_on_a_day(browser, site_url: str) -> None:
    """?on=YYYY-MM-DD: the catalogue shows the editions in force that day, statuses of that
    day, whatever the reader's clock says; the date input sets it and keeps it in the address."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.clock.install(time=_noon("2026-12-06"))
    shown = {}
    for day in ("2020-06-01", "2026-12-06", "2027-03-01"):
        page.goto(f"{site_url}catalogue/?on={day}")
        rows = page.locator("#stdhub-catalogue tbody tr:visible")
        ids = rows.locator("td:first-child a").all_inner_texts()
        badges = rows.locator(".stdhub-badge").all_inner_texts()
        assert ids and set(badges) == {"现行"}, (day, badges)
        shown[day] = {i for i in ids if "0207" in i or "0038" in i}
    assert shown == {
        "2020-06-01": {"HNMZ/T 0207-2020"},
        "2026-12-06": {"HNMZ/T 0207-2020", "HNMZ/T 0038-2021"},
        "2027-03-01": {"HNMZ/T 0207-2026"},
    }
    page.goto(f"{site_url}catalogue/")
    page.locator("#filter-on").fill("2027-01-15")
    assert "on=2027-01-15" in page.url
    visible = page.locator("#stdhub-catalogue tbody tr:visible td:first-child a").all_inner_texts()
    assert "HNMZ/T 0207-2020" in visible and "HNMZ/T 0038-2021" not in visible
    context.close()


def test_the_script_derives_what_the_build_derives_on_every_key_day(browser, tmp_path) -> None:
    """Every standard of the shipped catalogue (with the overlays), on the day before, the
    day of and the day after each of its dates: stdhub.js on a reader's clock gives the
    status `Catalogue.status` gives for that day."""
    from stdhub.site.status import live_attrs

    project = make_project(tmp_path / "project")
    cat, report = load_catalogue(project / "standards", today=BUILT_ON, base=project)
    assert report.ok, report.as_text()
    stds = [s for s in cat.standards.values() if live_attrs(s, cat.successor(s))]
    spans = "\n".join(
        f'<p {live_attrs(s, cat.successor(s))}><span data-stdhub-live id="s{i}">?</span></p>'
        for i, s in enumerate(stds)
    )
    script = (REPO / "src/stdhub/site/assets/stdhub.js").read_text(encoding="utf-8")
    (tmp_path / "index.html").write_text(
        f'<!doctype html><meta charset="utf-8"><body>{spans}<script>{script}</script>',
        encoding="utf-8",
    )
    days = set()
    for s in stds:
        for d in (s.dates.effective, s.ceased_on(cat.successor(s)), s.dates.consultation_end):
            if d:
                days |= {d - dt.timedelta(days=1), d, d + dt.timedelta(days=1)}
    url, server = serve_directory(tmp_path)
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.clock.install(time=_noon("2026-12-06"))
    try:
        for day in sorted(days):
            page.clock.set_system_time(_noon(day.isoformat()))
            page.goto(url)
            shown = page.locator("[data-stdhub-live]").all_inner_texts()
            assert shown == [cat.status(s, day) for s in stds], day
    finally:
        context.close()
        server.shutdown()
        server.server_close()
