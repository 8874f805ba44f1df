"""The 主要数据 part of each division's page in the 行政区划 section: for every open table
keyed by a division code (`stdhub.opendata.statistics.figure_tables`), the division's
latest figures split by status or category, its rank among its siblings, its trend as a
chart with the data table, and the links to the same rows in Datasette.

`division_figures(od)` gives the divisions section (`stdhub.site.sections.divisions`) a
function `(code, page) -> Markdown` ("" for a division no table has rows of), so the site
needs no knowledge of datasets. Each figure is marked `data-figure` (the measure, or
`count`), `data-split` (the split code, "" for the total) and `data-value` (the plain
number) inside a block that names its dataset, table, division field and period, so a
reader (and the tests) can ask Datasette the same question.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from stdhub import addresses, charts
from stdhub.datasette.roles import is_month
from stdhub.opendata.funds import division_block
from stdhub.opendata.section import render
from stdhub.opendata.statistics import TableFigures, plain, rank, trend

if TYPE_CHECKING:
    from stdhub.opendata.prepare import OpenData

LEVELS = {"province": "全省", "city": "所属市州", "county": ""}


def level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    return "city" if code.endswith("00") else "county"


def division_figures(od: OpenData) -> Callable[[str, str], str]:
    """The function the divisions section calls for each division page."""

    def block(code: str, page: str) -> str:
        found = [_block(od, fig, code, page) for fig in od.figures if code in fig.cells]
        funds = division_block(od.funds, code, page, od.config.data_url) if od.funds else ""
        if not found and not funds:
            return ""
        figures = render("division_figures.md", blocks=found, level=level_of(code)) if found else ""
        return Markup(figures + funds)

    return block


def _heading(fig: TableFigures, key: str, title: str, unit: str) -> tuple[str, str]:
    """A figure's heading and unit; a register's record count is its number of records."""
    if key == "count":
        return f"{fig.table.title}数", "个"
    return title, unit


def _block(od: OpenData, fig: TableFigures, code: str, page: str) -> dict[str, Any]:
    d, t = fig.dataset, fig.table
    level = level_of(code)
    shown = (
        [m for m in fig.measures if m.field]
        if fig.monthly and len(fig.measures) > 1
        else fig.measures
    )
    splits = [s for s in fig.splits if s]
    measures = []
    for m in shown:
        i = fig.measures.index(m)
        title, unit = _heading(fig, m.key, m.title, m.unit)
        total = fig.total(code)[i]
        measures.append(
            {
                "key": m.key,
                "heading": f"{title}（{unit}）",
                "total": plain(total),
                "shown": charts.number(total),
                "splits": [
                    {"code": s, "value": plain(v), "shown": charts.number(v)}
                    for s in splits
                    for v in [fig.total(code, split=s)[i]]
                ],
            }
        )
    place = rank(fig, code)
    p_title, _ = _heading(fig, fig.primary.key, fig.primary.title, fig.primary.unit)
    rank_text = ""
    if place is not None:
        among = "全省" if level == "city" else "所属市州的"
        kind = "市州" if level == "city" else "县级区划"
        rank_text = f"{p_title}在{among} {place[1]} 个{kind}中排第 {place[0]} 位"
    periods, series = trend(fig, code)
    by_month = fig.period is not None and is_month(fig.period)
    step = "月份" if by_month else "年度"
    if fig.monthly:
        unit, what = fig.primary.unit, f"{fig.primary.title}逐{'月' if by_month else '年'}变化"
        when = f"{fig.period.title if fig.period else '统计' + step} {fig.latest}（最新一期）"
    else:
        unit, what = "个", f"每年新增{t.title}数"
        when = "全部记录" + (f"，数据更新于 {d.last_updated.isoformat()}" if d.last_updated else "")
    chart_id = f"trend-{d.name}-{t.name}"
    title = f"{t.title}：{what}"
    field = fig.division.name
    prefix = {"county": "", "city": code[:4], "province": code[:2]}[level]
    query = f"{field}__startswith={prefix}" if prefix else f"{field}={code}"
    if fig.monthly and fig.period:
        query += f"&{fig.period.name}={fig.latest}"
    return {
        "title": f"{d.title} · {t.title}" if t.title not in d.title else d.title,
        "anchor": f"{d.name}-{t.name}",
        "dataset": d.name,
        "table": t.name,
        "division_field": field,
        "period_field": fig.period.name if fig.period else "",
        "period": fig.latest,
        "split_field": fig.split.name if fig.split else "",
        "splits": [{"code": s, "name": fig.split_names.get(s, s)} for s in splits],
        "measures": measures,
        "when": when,
        "rank": rank_text,
        "query": addresses.datasette_table(od.config.data_url, d.name, t.name, query),
        "page": addresses.relative(addresses.dataset(d.name), page),
        "chart_id": chart_id,
        "chart_title": title,
        # a register without a date (or a table whose months are all blank) has no trend
        "chart_summary": charts.trend_summary(periods, series, unit) if periods else "",
        "chart_svg": (
            charts.trend(periods, series, unit=unit, id=chart_id, title=title) if periods else ""
        ),
        "chart_header": [
            step if fig.monthly else "年份",
            *(f"{s.name}（{unit}）" for s in series),
        ],
        "chart_rows": [
            [p, *(charts.number(s.values[i]) for s in series)] for i, p in enumerate(periods)
        ],
    }
