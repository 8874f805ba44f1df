"""Round trips over generated descriptors with reading options: whatever lexical form the
source uses (decimal and group characters, currency around numbers, yes/no words, date
formats, offsets and `Z` on datetimes, missing-value markers), the published package is
valid and frictionless reads back through it exactly what SQLite holds. Each example is a
real build, so there are few of them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from roundtrip import Quiet, publish, read_back_with_pandas, round_trip

NUMBER_STYLES = [  # (decimalChar, groupChar, bareNumber, prefix, suffix)
    (".", "", True, "", ""),
    (",", ".", True, "", ""),
    (".", ",", True, "", ""),
    (",", " ", True, "", ""),
    (".", "", False, "", "元"),
    (".", ",", False, "￥", ""),
]
DATE_FORMATS = ["default", "%Y/%m/%d", "%d.%m.%Y", "%Y年%m月%d日"]
DATETIME_FORMATS = ["default", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M"]
ZONES = [None, dt.UTC, dt.timezone(dt.timedelta(hours=8)), dt.timezone(dt.timedelta(hours=-5))]
BOOLEANS = [(["是"], ["否"]), (["Y", "y"], ["N", "n"]), (["true"], ["false"]), (["1"], ["0"])]


def _number(value: Decimal, style: tuple) -> str:
    decimal_char, group_char, _, prefix, suffix = style
    text = f"{abs(value):,.2f}" if group_char else f"{abs(value):.2f}"
    text = text.replace(",", "\0").replace(".", decimal_char).replace("\0", group_char)
    return prefix + ("-" if value < 0 else "") + text + suffix  # frictionless: sign after ￥


def _datetime(value: dt.datetime, fmt: str, zone: dt.tzinfo | None) -> str:
    if fmt != "default":
        return value.strftime(fmt)
    stamped = value.replace(tzinfo=zone)
    text = stamped.isoformat()
    return text.replace("+00:00", "Z") if zone is dt.UTC else text


@st.composite
def packages(draw):
    n = draw(st.integers(1, 6))
    style = draw(st.sampled_from(NUMBER_STYLES))
    unit = draw(st.sampled_from(["", "人"]))  # frictionless 5 has no groupChar for integers
    date_format = draw(st.sampled_from(DATE_FORMATS))
    datetime_format = draw(st.sampled_from(DATETIME_FORMATS))
    zone = draw(st.sampled_from(ZONES))
    yes, no = draw(st.sampled_from(BOOLEANS))
    marker = draw(st.sampled_from(["", "NA", "-"]))
    amounts = st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False)
    whole = st.integers(-(10**7), 10**7)
    days = st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31))
    minutes = st.datetimes(dt.datetime(1970, 1, 1), dt.datetime(2099, 1, 1)).map(
        lambda t: t.replace(second=0 if datetime_format.endswith("%M") else t.second, microsecond=0)
    )
    fields = [
        {"name": "id", "type": "integer"},
        {"name": "amount", "type": "number", "decimalChar": style[0]},
        {"name": "count", "type": "integer"},
        {"name": "flag", "type": "boolean", "trueValues": yes, "falseValues": no},
        {"name": "day", "type": "date", "format": date_format},
        {"name": "stamp", "type": "datetime", "format": datetime_format},
        {"name": "note", "type": "string"},
    ]
    if style[1]:
        fields[1]["groupChar"] = style[1]
    if not style[2]:
        fields[1]["bareNumber"] = False
    if unit:
        fields[2]["bareNumber"] = False
    rows = []
    for i in range(n):
        cells = [
            str(i + 1),
            draw(st.none() | amounts),
            draw(st.none() | whole),
            draw(st.none() | st.booleans()),
            draw(st.none() | days),
            draw(st.none() | minutes),
            draw(st.none() | st.text("甲乙丙 ab,\"'", max_size=6).filter(lambda s: s.strip())),
        ]
        rendered = [cells[0]]
        rendered.append(marker if cells[1] is None else _number(cells[1], style))
        rendered.append(marker if cells[2] is None else f"{cells[2]}{unit}")
        rendered.append(marker if cells[3] is None else (yes if cells[3] else no)[0])
        day = cells[4]
        rendered.append(
            marker
            if day is None
            else day.isoformat()
            if date_format == "default"
            else day.strftime(date_format)
        )
        rendered.append(marker if cells[5] is None else _datetime(cells[5], datetime_format, zone))
        rendered.append(marker if cells[6] is None else cells[6])
        rows.append(rendered)
    schema = {"fields": fields, "primaryKey": ["id"], "missingValues": list({"", marker})}
    return schema, rows


@pytest.fixture(scope="module")
def quiet_catalogue(catalogue):
    return Quiet(catalogue)


@settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=(Phase.explicit, Phase.generate),  # no shrinking: every step is a build
)
@given(package=packages())
def test_generated_packages_round_trip(package, quiet_catalogue, tmp_path_factory) -> None:
    schema, rows = package
    tmp = tmp_path_factory.mktemp("generated")
    folder = tmp / "source" / "gen"
    folder.mkdir(parents=True)
    descriptor = {
        "name": "gen",
        "title": "生成的数据集",
        "access": "无条件开放",
        "updated": "2026-01-15",
        "licenses": [
            {"name": "CC0-1.0", "path": "https://creativecommons.org/publicdomain/zero/1.0/"}
        ],
        "resources": [{"name": "t", "path": "t.csv", "schema": schema}],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), "utf-8")
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows([[f["name"] for f in schema["fields"]], *rows])
    (folder / "t.csv").write_text(text.getvalue(), encoding="utf-8")
    manifest = publish([folder], tmp, quiet_catalogue.value)
    (d,) = manifest.open_datasets
    assert d.tables[0].rows == len(rows)
    cells = len(rows) * len(schema["fields"])
    assert round_trip(d, tmp) == cells
    assert read_back_with_pandas(d, tmp) == cells * 3  # the CSV, and the XLSX read twice
