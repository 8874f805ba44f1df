"""Every series, every date: at most one edition in force, exactly one where one should
be, and every surface that shows a status (catalogue page, catalogue JSON and CSV, the
series' pages, the 复审 view, the lists) says the same on that day."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from timeline_helpers import (
    GONE,
    IN_FORCE,
    catalogue_csv,
    catalogue_json,
    catalogue_page,
    list_marks,
    make_project,
    oracle,
    page_status,
)

from stdhub import addresses
from stdhub.config import Config
from stdhub.feedback.review import OWN_LEVELS, review_list
from stdhub.project import load_catalogue
from stdhub.site.context import SiteContext
from stdhub.site.sections.catalogue import catalogue_section
from stdhub.site.sections.lists import lists_section
from stdhub.site.sections.standards import standard_files
from stdhub.standards.model import Catalogue

DAYS = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2032, 12, 31))
# the days around every date the catalogue records: where a reading can change
AROUND = "effective", "withdrawn", "consultation_start", "consultation_end", "issued"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("over-time"))


@pytest.fixture(scope="module")
def catalogue(project: Path) -> Catalogue:
    cat, report = load_catalogue(project / "standards", today=dt.date(2026, 12, 6), base=project)
    assert report.ok, report.as_text()
    return cat


def _changing_series(cat: Catalogue) -> list[str]:
    """Series whose reading changes with the day beyond taking effect: several editions,
    or an end recorded."""
    return sorted(
        s
        for s in {std.series for std in cat.standards.values()}
        if len(cat.versions(s)) > 1 or any(v.ending(cat.successor(v)) for v in cat.versions(s))
    )


def _key_days(cat: Catalogue) -> list[dt.date]:
    days = set()
    for std in cat.standards.values():
        for name in AROUND:
            if d := getattr(std.dates, name):
                days |= {d - dt.timedelta(days=1), d, d + dt.timedelta(days=1)}
        days |= {e.date for e in std.history}
    return sorted(days)


def _check_day(project: Path, cat: Catalogue, day: dt.date) -> None:
    ctx = SiteContext(cat, Config(), day, project)
    files = catalogue_section(ctx).files
    surfaces = {
        "catalogue page": catalogue_page(str(files[addresses.docs_path(addresses.CATALOGUE)])),
        "catalogue.json": catalogue_json(str(files[addresses.CATALOGUE_JSON])),
        "catalogue.csv": catalogue_csv(str(files[addresses.CATALOGUE_CSV])),
    }
    assert set(surfaces["catalogue page"]) == set(cat.standards)
    for series in _changing_series(cat):
        versions = cat.versions(series)
        expected = oracle([v.raw for v in versions], day)
        pages = {v.id: page_status(standard_files(ctx, v)[0]) for v in versions}
        for name, shown in [*surfaces.items(), ("the series' pages", pages)]:
            in_force = [v.id for v in versions if shown[v.id] == IN_FORCE]
            assert in_force == ([expected] if expected else []), (series, day, name, shown)
        assert all(pages[v.id] == surfaces["catalogue.json"][v.id] for v in versions)
    # the 复审 view lists exactly the department's own editions in force
    due = {d.id for d in review_list(cat, day)}
    own = {
        s.id
        for s in cat.standards.values()
        if s.level in OWN_LEVELS
        and s.dates.effective
        and surfaces["catalogue.json"][s.id] == IN_FORCE
    }
    assert due == own, day
    # the lists mark a governing standard exactly when it no longer applies
    marks: dict[str, str] = {}
    for path, text in lists_section(ctx).files.items():
        if path.endswith(".md"):
            for slug, mark in list_marks(str(text)).items():
                marks[slug] = marks.get(slug) or mark
    by_slug = {s.slug: s for s in cat.standards.values()}
    assert marks
    for slug, mark in marks.items():
        status = surfaces["catalogue.json"][by_slug[slug].id]
        assert bool(mark) == (status in GONE), (slug, day, mark, status)
        assert not mark or mark.startswith(f"（已{status}")


@pytest.fixture(scope="module")
def check(project: Path, catalogue: Catalogue) -> Callable[[dt.date], None]:
    """`_check_day` on the module's project (Hypothesis reports only the day)."""
    return lambda day: _check_day(project, catalogue, day)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(day=DAYS)
def test_one_edition_in_force_per_series_on_any_day(
    check: Callable[[dt.date], None], day: dt.date
) -> None:
    check(day)


def test_one_edition_in_force_around_every_recorded_date(
    project: Path, catalogue: Catalogue
) -> None:
    """The days a reading changes, one by one (the day before, the day, the day after)."""
    days = [d for d in _key_days(catalogue) if d.year >= 2019]
    assert len(days) > 50
    for day in days[:: max(1, len(days) // 60)]:
        _check_day(project, catalogue, day)


def test_the_overlay_series_change_on_their_dates(catalogue: Catalogue) -> None:
    """future-supersession and future-withdrawal, read through the model on each side of
    their dates (the pages are read in test_cases_over_time.py)."""
    status = catalogue.status
    old, new = catalogue.standards["HNMZ/T 0207-2020"], catalogue.standards["HNMZ/T 0207-2026"]
    gone = catalogue.standards["HNMZ/T 0038-2021"]
    readings = defaultdict(list)
    for day in ("2026-12-06", "2026-12-30", "2026-12-31", "2027-02-28", "2027-03-01"):
        d = dt.date.fromisoformat(day)
        readings[day] = [status(old, d), status(new, d), status(gone, d)]
    assert readings == {
        "2026-12-06": ["现行", "即将实施", "现行"],
        "2026-12-30": ["现行", "即将实施", "现行"],
        "2026-12-31": ["现行", "即将实施", "废止"],
        "2027-02-28": ["现行", "即将实施", "废止"],
        "2027-03-01": ["被代替", "现行", "废止"],
    }
