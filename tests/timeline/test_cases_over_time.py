"""The cases future-supersession and future-withdrawal (tests/fixtures/cases/, overlays
copied over the shipped project): validate accepts the decisions as staff record them on
the day they take them, and `stdhub build --today D` reads each edition rightly on each
side of its dates: pages, catalogue JSON, the 复审 view and the lists."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from timeline_helpers import banners, catalogue_json, list_marks, make_project, page_status

from stdhub.cli import cli

OLD, NEW, GONE = "HNMZ-T-0207-2020", "HNMZ-T-0207-2026", "HNMZ-T-0038-2021"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("cases-over-time"))


@pytest.fixture(scope="module")
def built(project: Path) -> Callable[[str], Path]:
    """`stdhub build --today DAY` of the project; the site, kept per day."""
    sites: dict[str, Path] = {}

    def build(day: str) -> Path:
        if day not in sites:
            result = CliRunner().invoke(cli, ["build", "--project", str(project), "--today", day])
            assert result.exit_code == 0, result.output
            sites[day] = project.parent / f"site-{day}"
            (project / "build" / "site").rename(sites[day])
        return sites[day]

    return build


def _page(site: Path, slug: str) -> str:
    return (site / "standards" / slug / "index.html").read_text(encoding="utf-8")


def test_validate_accepts_the_decisions_on_the_day_they_are_taken(project: Path) -> None:
    for day in ("2026-12-06", "2026-12-28"):
        result = CliRunner().invoke(
            cli, ["validate", "--root", str(project / "standards"), "--today", day]
        )
        assert result.exit_code == 0, result.output
        assert " X0" not in result.output


@pytest.mark.parametrize(
    ("day", "old", "new", "gone"),
    [
        ("2026-12-06", "现行", "即将实施", "现行"),
        ("2026-12-31", "现行", "即将实施", "废止"),
        ("2027-03-01", "被代替", "现行", "废止"),
    ],
)
def test_each_edition_reads_rightly_on_its_dates(
    built: Callable[[str], Path], day: str, old: str, new: str, gone: str
) -> None:
    site = built(day)
    rows = catalogue_json((site / "catalogue.json").read_text(encoding="utf-8"))
    assert [rows["HNMZ/T 0207-2020"], rows["HNMZ/T 0207-2026"], rows["HNMZ/T 0038-2021"]] == [
        old,
        new,
        gone,
    ]
    assert [page_status(_page(site, s)) for s in (OLD, NEW, GONE)] == [old, new, gone]
    old_banners, gone_banners = banners(_page(site, OLD)), banners(_page(site, GONE))
    if old == "现行":
        assert old_banners == [
            "将被代替：本标准将于 2027-03-01 被 HNMZ/T 0207-2026 居家养老服务补贴办事指南 代替，在此之前继续执行。"
        ]
        assert 'href="../HNMZ-T-0207-2026/"' in _page(site, OLD)
    else:
        assert len(old_banners) == 1 and old_banners[0].startswith(
            "本标准已被代替：自 2027-03-01 起被 HNMZ/T 0207-2026"
        )
    assert banners(_page(site, NEW)) == (
        ["即将实施：本标准已批准发布，将于 2027-03-01 起实施。"] if new == "即将实施" else []
    )
    if gone == "现行":
        assert gone_banners[0].startswith("将废止：本标准将于 2026-12-31 废止，在此之前继续执行。")
    else:
        assert gone_banners[0].startswith("本标准已废止：本标准已于 2026-12-31 废止")
    assert len(gone_banners) == 1
    # the 复审 view holds the editions in force, the old one until its successor applies
    due = {
        d["id"]
        for d in json.loads((site / "review/due.json").read_text(encoding="utf-8"))["standards"]
    }
    assert ("HNMZ/T 0207-2020" in due, "HNMZ/T 0207-2026" in due) == (old == "现行", new == "现行")
    assert ("HNMZ/T 0038-2021" in due) == (gone == "现行")
    # every list that cites the withdrawn guide marks it from its date, never before
    for name in ("power-list", "responsibility-list", "public-service-list", "policies"):
        marks = list_marks((site / "lists" / name / "index.html").read_text(encoding="utf-8"))
        assert marks[GONE] == ("" if gone == "现行" else "（已废止）"), (name, day)
