"""stdhub.charts: SVG a browser, a screen reader and a printer read alike, for any data."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stdhub import charts

SVG = "{http://www.w3.org/2000/svg}"
values = st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False)
signed = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)
labels = st.text(
    alphabet=st.sampled_from("长沙市湘西土家族苗族自治州<>&\"'ab 1"), min_size=1, max_size=12
)


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # well-formed XML whatever the labels hold
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None and title.text and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "<script" not in svg and "href" not in svg  # nothing to run, nothing to fetch
    return root


def _box(root: ET.Element) -> tuple[float, float]:
    _, _, w, h = (float(v) for v in root.get("viewBox", "").split())
    return w, h


def _points(root: ET.Element) -> list[tuple[float, float]]:
    found = []
    for line in root.iter(f"{SVG}polyline"):
        found += [tuple(float(c) for c in p.split(",")) for p in line.get("points", "").split()]
    found += [(float(c.get("cx")), float(c.get("cy"))) for c in root.iter(f"{SVG}circle")]
    return found  # type: ignore[return-value]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.none(), signed), min_size=1, max_size=70), st.integers(1, 3))
def test_every_known_value_is_drawn_inside_the_plot(vals, n) -> None:
    periods = [f"P{i}" for i in range(len(vals))]
    series = [charts.Series(f"s{k}", tuple(vals)) for k in range(n)]
    root = _parse(charts.trend(periods, series, unit="人", id="t", title="趋势"))
    w, h = _box(root)
    points = _points(root)
    assert len(points) == n * sum(v is not None for v in vals)
    assert all(0 <= x <= w and 0 <= y <= h for x, y in points)
    # y falls as the value rises: values in ascending order meet the ys in descending order,
    # so equal values must have been drawn at one height
    known = sorted([v for v in vals if v is not None] * n)
    ys = sorted((y for _, y in points), reverse=True)
    for (v1, y1), (v2, y2) in pairwise(zip(known, ys, strict=True)):
        if v1 == v2:
            assert y1 == pytest.approx(y2, abs=0.11)
    runs = [r for r in "".join("x" if v is not None else " " for v in vals).split() if len(r) > 1]
    assert len(list(root.iter(f"{SVG}polyline"))) == n * len(runs)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(labels, signed), min_size=1, max_size=20))
def test_bars_are_proportional_and_labelled_with_the_exact_value(items) -> None:
    items = sorted(items, key=lambda i: -i[1])
    root = _parse(charts.bars(items, unit="元", id="b", title="排名"))
    w, _ = _box(root)
    rects = list(root.iter(f"{SVG}rect"))
    assert len(rects) == len(items)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for label, v in items:
        assert label in texts and charts.number(v, "元") in texts
    top = max(v for _, v in items)
    for rect, (_, v) in zip(rects, items, strict=True):
        x, width = float(rect.get("x")), float(rect.get("width"))
        assert x + width <= w
        if top > 0:  # the longest bar sets the scale; a negative value is a hairline
            assert width == pytest.approx(
                max(float(rects[0].get("width")) * max(v, 0) / top, 0.5), abs=0.11
            )


@given(st.one_of(values, st.integers(0, 10**13).map(float)))
def test_a_shown_number_reads_back_as_the_value(v) -> None:
    shown = charts.number(v, "元")
    assert shown.endswith(" 元")
    assert float(shown.removesuffix(" 元").replace(",", "")) == pytest.approx(
        round(v, 2), abs=0.006
    )


def test_the_same_data_draws_the_same_bytes() -> None:
    s = [charts.Series("保障人数", (3.0, None, 5.0))]
    first = charts.trend(["2025-01", "2025-02", "2025-03"], s, unit="人", id="x", title="t")
    assert first == charts.trend(["2025-01", "2025-02", "2025-03"], s, unit="人", id="x", title="t")


def test_the_summary_says_first_last_highest_and_lowest() -> None:
    s = [charts.Series("保障人数", (100.0, None, 150.0, 90.0))]
    text = charts.trend_summary(["2025-01", "2025-02", "2025-03", "2025-04"], s, "人")
    assert "2025-01 为 100 人" in text and "2025-04 为 90 人" in text
    assert (
        "减少 10.0%" in text
        and "最高 150 人（2025-03）" in text
        and "最低 90 人（2025-04）" in text
    )
    assert charts.bars_summary([("长沙市", 30.0), ("株洲市", 10.0)], "人") == (
        "共 2 项，长沙市最多（30 人），株洲市最少（10 人）；合计 40 人。"
    )


def test_axis_labels_are_round_and_short() -> None:
    assert charts.short(12_300_000) == "1,230万" and charts.short(350_000_000) == "3.5亿"
    small = _parse(
        charts.trend(["a", "b"], [charts.Series("x", (0.0, 1.0))], unit="个", id="z", title="t")
    )
    assert [t.text for t in small.iter(f"{SVG}text")][:5] == ["0", "0.25", "0.5", "0.75", "1"]
    root = _parse(
        charts.trend(
            ["a", "b"], [charts.Series("x", (0.0, 987654.0))], unit="元", id="y", title="t"
        )
    )
    ticks = [
        t.text for t in root.iter(f"{SVG}text") if t.text and re.fullmatch(r"[\d,.]+万?", t.text)
    ]
    assert ticks[0] == "0" and len(ticks) >= 4


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError):
        charts.trend([], [charts.Series("x", ())], unit="", id="a", title="t")
    with pytest.raises(ValueError):
        charts.trend(["a"], [charts.Series("x", (1.0, 2.0))], unit="", id="a", title="t")
    with pytest.raises(ValueError):
        charts.bars([], unit="", id="a", title="t")
