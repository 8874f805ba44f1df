"""Helpers for the dataset tests: CSV text, a clean descriptor, the codes in a report."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from stdhub.datasets.tableschema import schema_for
from stdhub.problems import Report
from stdhub.standards.model import Catalogue

# reference data from elsewhere, copied into the repository (sources and licences in its README)
REFERENCE = Path(__file__).resolve().parents[1] / "fixtures" / "reference"
REPO_STANDARDS = Path(__file__).resolve().parents[2] / "standards"


def csv_text(header: list[str], rows: list[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


MARRIAGE_HEADER = ["stat_month", "county_code", "registration_type_code", "cases"]
MARRIAGE_ROWS = [
    ["2025-01", "430102", "1", 120],
    ["2025-01", "430102", "2", 31],
    ["2025-01", "430121", "1", 95],
    ["2025-02", "430121", "1", 60],
]


def marriage_descriptor(catalogue: Catalogue, **extra: Any) -> dict[str, Any]:
    """A complete, clean package descriptor conforming to HNMZ/T 0105-2025."""
    schema = schema_for(catalogue, "HNMZ/T 0105-2025", "HYDJTJ")
    return {
        "name": "marriage-test",
        "title": "婚姻登记月度统计（测试）",
        "description": "测试用的婚姻登记月度统计：按县（市、区）和月份统计结婚登记和离婚登记的件数，数据为测试用的虚构数字，不是民政厅的统计数据。",
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "keywords": ["婚姻登记"],
        "publisher": "湖南省民政厅社会事务处",
        "contact": {"name": "联系人", "email": "hunyin@mz.example.gov.cn"},
        "domain": "婚姻登记",
        "update_frequency": "每月",
        "temporal": {"start": "2025-01", "end": "2025-02"},
        "spatial": "430000",
        "conforms_to": ["HNMZ/T 0105-2025"],
        "access": "无条件开放",
        "updated": "2025-03-01",
        **extra,
        "resources": [
            {
                "name": "monthly",
                "title": "月度统计",
                "path": "data/monthly.csv",
                "format": "csv",
                "schema": schema,
            }
        ],
    }


def codes(report: Report) -> list[str]:
    return sorted({p.code for p in report.problems})
