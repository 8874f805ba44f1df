"""Charts as SVG text, drawn at build time: a trend over periods and a ranking of bars.

    trend(["2025-01", …], [Series("保障人数", (4051, …))], unit="人", id="c1", title=…)
    bars([("长沙市", 123456.0), …], unit="人", id="c2", title=…)

Each returns one `<svg>` element to put inline in a page: `role="img"`, named by its
`<title>` and described by its `<desc>` (the same sentence as `trend_summary` /
`bars_summary`, which pages also show as the caption); text is real text in the page's
font and colour (`fill="currentColor"`), so 关怀模式, print and the reader's own colours
apply; the viewBox is 300 units wide, less than a phone's width, so its 11-unit text is
about 13 px on a phone (and at most about 18 px where the chart is 26rem wide); no script,
no external reference.

Drawn here rather than by a chart library because what pages need of a chart is what
the libraries leave out: the same bytes on every build (pygal writes random ids,
matplotlib a date and hashed ids), text the page can restyle, and an accessible name.
Values are plain floats; `None` is a gap in a trend. Units are the data standard's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 300
FONT = 11  # user units; the viewBox is drawn at about the phone's width
DASHES = ("", "6 3", "2 3")  # series differ by line style, not by colour alone


@dataclass(frozen=True)
class Series:
    """One line of a trend: its name and a value (or None) for each period."""

    name: str
    values: tuple[float | None, ...]


def number(value: float | None, unit: str = "") -> str:
    """`1234567.5, "元"` → `1,234,567.5 元`: exact, with thousands separators."""
    if value is None:
        return "—"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")
    return f"{text} {unit}".strip() if unit else text


def short(value: float) -> str:
    """An axis label: `12300000` → `1,230万`, `350000000` → `3.5亿`."""
    v = abs(value)
    if v >= 1e8:
        text = f"{value / 1e8:,.1f}".removesuffix(".0") + "亿"
    elif v >= 1e4:
        text = f"{value / 1e4:,.1f}".removesuffix(".0") + "万"
    else:  # a step of 0.25 reads 0.25, not 0.2
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text


def _ticks(low: float, top: float) -> list[float]:
    """Round gridline values from `low` (at most 0: the axis starts at zero, or below it
    for a negative value such as a refund) up to at least `top`."""
    if top - low < 1e-6:  # nothing (or next to nothing) to scale: a unit axis
        return [low, low + 1.0]
    raw = (top - low) / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step + 1e-9) * step
    count = max(math.ceil((top - start) / step - 1e-9), 1)
    return [start + i * step for i in range(count + 1)]


def _text_width(text: str) -> float:
    """Rough width in user units: a CJK character is one em, others about half."""
    return sum(FONT if ord(ch) > 0x2E7F else FONT * 0.58 for ch in text)


def _f(v: float) -> str:
    return f"{v:.1f}".removesuffix(".0")


def _svg(id: str, title: str, desc: str, height: float, body: list[str]) -> str:
    return "\n".join(
        [
            f'<svg class="stdhub-chart-svg" xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="0 0 {WIDTH} {_f(height)}" role="img" '
            f'aria-labelledby="{id}-t {id}-d" font-size="{FONT}">',
            f'<title id="{id}-t">{escape(title)}</title>',
            f'<desc id="{id}-d">{escape(desc)}</desc>',
            *body,
            "</svg>",
        ]
    )


def trend_summary(periods: Sequence[str], series: Sequence[Series], unit: str) -> str:
    """The trend in one sentence per series: first, last, highest and lowest value."""
    parts = []
    for s in series:
        known = [(p, v) for p, v in zip(periods, s.values, strict=True) if v is not None]
        if not known:
            parts.append(f"{s.name}：无数据。")
            continue
        (p0, v0), (p1, v1) = known[0], known[-1]
        hi = max(known, key=lambda pv: pv[1])
        lo = min(known, key=lambda pv: pv[1])
        change = ""
        if v0:
            pct = (v1 - v0) / abs(v0) * 100
            change = f"，{'增加' if pct >= 0 else '减少'} {abs(pct):.1f}%"
        parts.append(
            f"{s.name}：{p0} 为 {number(v0, unit)}，{p1} 为 {number(v1, unit)}{change}；"
            f"最高 {number(hi[1], unit)}（{hi[0]}），最低 {number(lo[1], unit)}（{lo[0]}）。"
        )
    return "".join(parts)


def trend(
    periods: Sequence[str], series: Sequence[Series], *, unit: str, id: str, title: str
) -> str:
    """A line per series (at most three, told apart by line style and a legend) over
    `periods`, from a zero baseline. Raises ValueError on no periods or a length mismatch."""
    if not periods or not series or len(series) > len(DASHES):
        raise ValueError("a trend needs periods and one to three series")
    if any(len(s.values) != len(periods) for s in series):
        raise ValueError("every series needs a value (or None) for each period")
    known = [v for s in series for v in s.values if v is not None]
    ticks = _ticks(min(0.0, *known) if known else 0.0, max(known, default=0.0))
    left = max(_text_width(short(t)) for t in ticks) + 6
    top, bottom, right = (10 + FONT * 1.6 * len(series)), 24.0, 10.0
    height = 200.0
    plot_w, plot_h = WIDTH - left - right, height - top - bottom

    def x(i: int) -> float:
        return left + (plot_w * i / (len(periods) - 1) if len(periods) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h - plot_h * (v - ticks[0]) / (ticks[-1] - ticks[0])

    body = ['<g class="stdhub-chart-grid" stroke="#8a8a8a" stroke-width="0.5">']
    body += [
        f'<line x1="{_f(left)}" x2="{_f(WIDTH - right)}" y1="{_f(y(t))}" y2="{_f(y(t))}"/>'
        for t in ticks
    ]
    body.append("</g>")
    body.append('<g fill="currentColor" text-anchor="end">')
    body += [
        f'<text x="{_f(left - 4)}" y="{_f(y(t) + FONT * 0.35)}">{short(t)}</text>' for t in ticks
    ]
    body.append("</g>")
    shown = (
        sorted({0, len(periods) // 2, len(periods) - 1})
        if len(periods) > 2
        else range(len(periods))
    )
    anchors = {0: "start", len(periods) - 1: "end"}
    body.append('<g fill="currentColor">')
    for i in shown:
        body.append(
            f'<text x="{_f(x(i))}" y="{_f(height - 8)}" '
            f'text-anchor="{anchors.get(i, "middle") if len(periods) > 1 else "middle"}">'
            f"{escape(periods[i])}</text>"
        )
    body.append("</g>")
    for n, s in enumerate(series):
        dash = f' stroke-dasharray="{DASHES[n]}"' if DASHES[n] else ""
        runs: list[list[str]] = [[]]
        for i, v in enumerate(s.values):
            if v is None:
                runs.append([])
            else:
                runs[-1].append(f"{_f(x(i))},{_f(y(v))}")
        for run in runs:
            if len(run) > 1:
                body.append(
                    f'<polyline class="stdhub-chart-s{n}" fill="none" stroke="#1f5fa8" '
                    f'stroke-width="2"{dash} points="{" ".join(run)}"/>'
                )
            elif run:
                cx, cy = run[0].split(",")
                body.append(
                    f'<circle class="stdhub-chart-s{n}" fill="#1f5fa8" cx="{cx}" cy="{cy}" r="2.5"/>'
                )
        ly = 8 + FONT * 1.6 * n + FONT * 0.6
        body.append(
            f'<line class="stdhub-chart-s{n}" x1="{_f(left)}" x2="{_f(left + 24)}" '
            f'y1="{_f(ly)}" y2="{_f(ly)}" stroke="#1f5fa8" stroke-width="2"{dash}/>'
            f'<text fill="currentColor" x="{_f(left + 30)}" y="{_f(ly + FONT * 0.35)}">'
            f"{escape(s.name)}（{escape(unit)}）</text>"
        )
    return _svg(id, title, trend_summary(periods, series, unit), height, body)


def bars_summary(items: Sequence[tuple[str, float]], unit: str, more: int = 0) -> str:
    """The ranking in one sentence: the largest, the smallest shown, and the total."""
    if not items:
        return "无数据。"
    total = sum(v for _, v in items)
    first, last = items[0], items[-1]
    text = f"共 {len(items)} 项，{first[0]}最多（{number(first[1], unit)}）"
    if len(items) > 1:
        text += f"，{last[0]}最少（{number(last[1], unit)}）"
    text += f"；合计 {number(total, unit)}。"
    if more:
        text = f"前 {len(items)} 项（另有 {more} 项未画出）：" + text.removeprefix(
            f"共 {len(items)} 项，"
        )
    return text


def bars(
    items: Sequence[tuple[str, float]], *, unit: str, id: str, title: str, more: int = 0
) -> str:
    """A horizontal bar per (label, value), in the order given, each labelled with its
    exact value; `more` says how many further items were left out. Bars start at zero: a
    negative value (a refund) is a hairline with its value beside it. Raises ValueError on
    no items."""
    if not items:
        raise ValueError("a bar chart needs items")
    label_w = min(max(_text_width(label) for label, _ in items) + 6, 140)
    value_w = max(_text_width(number(v, unit)) for _, v in items) + 6
    row = FONT * 2.1
    height = row * len(items) + 6
    span = max(WIDTH - label_w - value_w - 4, 40)
    top = max(max(v for _, v in items), 0) or 1
    body = ['<g fill="currentColor">']
    for i, (label, v) in enumerate(items):
        y = 3 + row * i
        w = span * max(v, 0) / top
        body.append(
            f'<text x="{_f(label_w - 6)}" y="{_f(y + row * 0.62)}" text-anchor="end">'
            f"{escape(label)}</text>"
            f'<rect class="stdhub-chart-bar" fill="#1f5fa8" x="{_f(label_w)}" y="{_f(y + row * 0.18)}" '
            f'width="{_f(max(w, 0.5))}" height="{_f(row * 0.64)}"/>'
            f'<text x="{_f(label_w + w + 4)}" y="{_f(y + row * 0.62)}">{escape(number(v, unit))}</text>'
        )
    body.append("</g>")
    return _svg(id, title, bars_summary(items, unit, more), height, body)
