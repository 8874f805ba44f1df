"""What readers see is derived from the typed status and the dates."""

from __future__ import annotations

import datetime as dt

import pytest

from stdhub.standards.model import Dates, Standard, series_of, slug, year_of


def _std(status: str, **dates: str) -> Standard:
    return Standard.from_dict(
        {
            "id": "HNMZ/T 0001-2024",
            "title": "示例",
            "kind": "管理标准",
            "level": "本单位规范",
            "nature": "推荐",
            "status": status,
            "domains": ["综合"],
            "responsible_unit": "湖南省民政厅",
            "dates": dates,
            "history": [{"date": "2024-01-01", "event": "立项"}],
        },
        "x.yaml",
    )


@pytest.mark.parametrize(
    ("status", "dates", "today", "shown"),
    [
        ("已批准", {"issued": "2026-10-01", "effective": "2027-03-01"}, "2026-11-28", "即将实施"),
        ("已批准", {"issued": "2026-10-01", "effective": "2027-03-01"}, "2027-03-01", "现行"),
        ("现行", {"issued": "2024-01-01", "effective": "2024-03-01"}, "2026-11-28", "现行"),
        (
            "征求意见",
            {"consultation_start": "2026-11-10", "consultation_end": "2026-12-31"},
            "2026-11-28",
            "征求意见中",
        ),
        (
            "征求意见",
            {"consultation_start": "2026-11-10", "consultation_end": "2026-12-31"},
            "2027-01-01",
            "征求意见已截止",
        ),
        (
            "征求意见",
            {"consultation_start": "2026-12-10", "consultation_end": "2026-12-31"},
            "2026-11-28",
            "即将征求意见",
        ),
        ("草案", {}, "2026-11-28", "草案"),
        ("废止", {"withdrawn": "2025-01-01"}, "2026-11-28", "废止"),
    ],
)
def test_display_status(status: str, dates: dict, today: str, shown: str) -> None:
    assert _std(status, **dates).display_status(dt.date.fromisoformat(today)) == shown


def test_ids_give_file_names_series_and_years() -> None:
    assert slug("GB/T 2261.1-2003") == "GB-T-2261.1-2003"
    assert series_of("GB/T 2261.1-2003") == "GB/T 2261.1"
    assert year_of("GB/T 2261.1-2003") == "2003"
    assert series_of("CL-XB") == "CL-XB" and year_of("CL-XB") is None
    std = _std("草案")
    assert (std.series, std.version) == ("HNMZ/T 0001", "2024")


def test_dates_parse() -> None:
    assert Dates.from_dict({"issued": "2024-02-29"}).issued == dt.date(2024, 2, 29)


def test_catalogue_queries_answer_as_a_scan_would_from_one_index(repo, monkeypatch) -> None:
    """The cross-references of the shipped catalogue, from indexes built once."""
    from stdhub.project import load_catalogue
    from stdhub.standards import model

    cat, report = load_catalogue(repo / "standards", today=dt.date(2026, 11, 28), base=repo)
    assert report.ok, report.as_text()
    built = []
    real = model._Indexes
    monkeypatch.setattr(model, "_Indexes", lambda c: built.append(1) or real(c))
    cat._cache = None
    stds = list(cat.standards.values())
    for std in stds:
        versions = [s for s in stds if s.series == std.series]
        assert sorted(s.id for s in cat.versions(std.series)) == sorted(s.id for s in versions)
        issued = [s.dates.issued or dt.date.max for s in cat.versions(std.series)]
        assert issued == sorted(issued)
        assert cat.referenced_by(std.id) == sorted(
            (s for s in stds if std.id in s.references), key=lambda s: s.id
        )
        assert cat.governed_items(std.id) == [
            (lst, item)
            for lst in cat.lists.values()
            for item in lst.items
            if std.id in item.governed_by
        ]
        latest = cat.latest(std.series)
        assert latest.status.published or not any(s.status.published for s in versions)
    for cl in cat.code_lists:
        assert cat.code_list_users(cl) == [
            (s, e) for s in stds for e in s.data_elements if e.code_list == cl
        ]
    assert len(built) == 1
    assert any(cat.referenced_by(s.id) for s in stds)
    assert any(len(cat.versions(s.series)) > 1 for s in stds)


def test_supersession_cycles_each_once_from_their_first_standard() -> None:
    from pathlib import Path

    from stdhub.standards.checks import supersession_cycles
    from stdhub.standards.model import Catalogue

    def std(n: str, *supersedes: str) -> Standard:
        s = _std("现行")
        s.id, s.supersedes = n, list(supersedes)
        return s

    cat = Catalogue(root=Path())
    # A → B → C → A, and D ↔ E, and F supersedes itself; G → A is no cycle
    for s in (std("A", "B"), std("B", "C"), std("C", "A"), std("D", "E"), std("E", "D")):
        cat.standards[s.id] = s
    cat.standards["F"] = std("F", "F")
    cat.standards["G"] = std("G", "A", "X")
    cycles = sorted(supersession_cycles(cat))
    assert cycles == [["A", "B", "C", "A"], ["D", "E", "D"], ["F", "F"]]


def test_resources_in_dependency_order() -> None:
    from stdhub.datasets.check import dependency_order

    def res(name: str, *targets: str) -> dict:
        fks = [{"fields": ["x"], "reference": {"resource": t, "fields": ["y"]}} for t in targets]
        return {"name": name, "schema": {"fields": [], "foreignKeys": fks}}

    def order(*resources: dict) -> list[str]:
        return [r["name"] for r in dependency_order(list(resources))]

    assert order(res("a", "c"), res("b"), res("c", "d"), res("d")) == ["d", "c", "a", "b"]
    assert order(res("a"), res("b", "c"), res("c"), res("d", "c")) == ["a", "c", "b", "d"]
    assert order(res("a", "b"), res("b", "a")) == ["a", "b"]
    assert order(res("a", ""), res("b", "a")) == ["a", "b"]


def test_a_catalogue_reprs_as_a_line_not_its_content(repo) -> None:
    """Tracebacks and Hypothesis' example reports show the catalogue as one short line."""
    from stdhub.project import load_catalogue

    cat, _ = load_catalogue(repo / "standards", today=dt.date(2026, 11, 28), base=repo)
    shown = repr(cat)
    assert len(shown) < 300 and f"{len(cat.standards)} standards" in shown
