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
