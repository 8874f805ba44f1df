"""The second site builder, Zensical: the shipped content built once by it (`zensical_site`)
gives the same pages as MkDocs (`shipped_site`): the same files, the same heading ids, tables
and rows in every page's content, the same 意见反馈 footer links; and a representative
subset of the site tests passes on it too (the file checks of the shipped site, the
no-request check, one browser test over every page type at phone width).

Not run on Zensical: the tests that read Material's search index (Zensical's is its own:
stdhub's search entries and worker fix are Material's) and the tests of the small fixture
project (one Zensical build only, to keep the suite fast).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import test_site_anchors as anchors
import test_site_build as build
import test_site_feed as feed
import test_site_phone as phone
import test_site_records_lists as records

ARTICLE = re.compile(r"<article[^>]*>(.*)</article>", re.S)
ID = re.compile(r'\sid="([^"]+)"')
FOOTER = re.compile(r'<a class="stdhub-feedback-footer"[^>]*>')
SKIP_LINK = '<a id="__skip" tabindex="-1"></a>'  # Zensical's "skip to content" target


def _content(page: Path) -> str:
    found = ARTICLE.search(page.read_text(encoding="utf-8"))
    return found.group(1).replace(SKIP_LINK, "") if found else ""


def test_zensical_builds_the_same_pages(shipped_site: Path, zensical_site: Path) -> None:
    mkdocs = {p.relative_to(shipped_site) for p in shipped_site.rglob("*.html")}
    zensical = {p.relative_to(zensical_site) for p in zensical_site.rglob("*.html")}
    assert mkdocs == zensical
    assert len(mkdocs) > 300
    sites = (shipped_site, zensical_site)
    for rel in sorted(mkdocs):
        a, b = _content(shipped_site / rel), _content(zensical_site / rel)
        assert ID.findall(a) == ID.findall(b), rel
        for tag in ("<table", "<tr", "<td", "<th", "<a "):
            assert a.count(tag) == b.count(tag), (rel, tag)
        footers = [FOOTER.findall((site / rel).read_text("utf-8")) for site in sites]
        assert footers[0] == footers[1] and len(footers[0]) == 1, rel
    for name in ("catalogue.json", "catalogue.csv", "changes/feed.xml"):
        assert (shipped_site / name).read_bytes() == (zensical_site / name).read_bytes(), name


@pytest.mark.parametrize(
    "check",
    [
        anchors.test_chinese_headings_are_anchored_by_their_text,
        feed.test_every_page_links_the_feed,
        feed.test_a_standard_page_links_its_own_feed,
        feed.test_the_archive_reaches_the_first_entry,
        records.test_a_department_standard_has_the_national_platforms_record,
        records.test_a_superseded_standard_says_when_and_by_what,
        records.test_national_standards_link_to_their_official_full_text,
        records.test_the_catalogue_data_carries_the_record,
        records.test_the_public_service_list_shows_its_categories,
        records.test_related_items_link_to_each_other_both_ways,
        records.test_open_data_is_linked_to_the_datasets,
        records.test_every_policy_leads_to_its_text_or_official_source,
        build.test_no_request_leaves_the_site,
    ],
    ids=lambda check: check.__name__.removeprefix("test_"),
)
def test_the_site_tests_pass_on_zensical(zensical_site: Path, check) -> None:
    check(zensical_site)


@pytest.mark.browser
def test_every_page_type_fits_a_phone_on_zensical(
    browser, zensical_site, zensical_url, screenshots
) -> None:
    phone.test_every_page_type_fits_a_phone(browser, zensical_site, zensical_url, screenshots)
