"""What the site draws from the open data: a chart for every canned statistic, and each
division's key figures.

Read at build time from the staged databases (the data step's `build/data/*.db`), so a
page shows what Datasette answers to the same question:

- `statistic_charts`: for each canned statistic (`stdhub.datasette.queries`), one chart
  read from its summary table — the monthly trend of the province's total (by division
  and month), the latest month by city (by city and month), the ranking of codes (by a
  category or status, at most `TOP` bars), the trend by year (totals per year). A
  register (a table dated by a date, not a statistical month: institutions, social
  organisations) is ranked over all its rows instead of by month.
- `division_figures`: for every table keyed by a county-level division code (any
  conforming dataset, found by its roles, `stdhub.datasette.roles`), the figures of each
  county, prefecture and the province: the latest month's measures (a register: its
  record count and measures over all rows), split by its first status or category of at
  most `SPLIT` codes, its trend, and its rank among its siblings.

The primary measure of a table is its first measure counted in 人, else its first
measure, else the record count (记录数).
"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from datasette.utils import escape_sqlite

from stdhub import charts
from stdhub.datasets.manifest import Dataset, Field, Table
from stdhub.datasette.queries import MONTH, YEAR, Query, column_title, per, table_queries
from stdhub.datasette.roles import Roles, roles

TOP = 15  # bars in a ranking; the rest are counted, and are in Datasette
SPLIT = 4  # a status or category of at most this many codes splits a division's figures
COUNT = "记录数"


@dataclass(frozen=True)
class Measure:
    """A column a figure adds up: a measure field, or the record count (`field` None)."""

    title: str
    unit: str
    field: Field | None = None

    @property
    def key(self) -> str:
        return self.field.name if self.field else "count"

    @property
    def heading(self) -> str:
        """Its column in a summary table: `保障人数（人）`, `记录数（条）`."""
        return column_title(self.title, self.unit)


def measures(r: Roles) -> list[Measure]:
    """The record count, then each measure of the table."""
    return [Measure(COUNT, "条"), *(Measure(m.title, m.unit or "", m) for m in r.measures)]


def primary(r: Roles) -> Measure:
    """The measure a chart shows: the first counted in 人, else the first, else the count."""
    found = measures(r)
    return next((m for m in found[1:] if m.unit == "人"), found[1] if len(found) > 1 else found[0])


@dataclass(frozen=True)
class Chart:
    """One canned statistic drawn: its SVG, the sentence that says it, and the drawn data
    as (label, value) pairs under `header` (also its CSV download `file`)."""

    query: Query
    title: str
    svg: str
    summary: str
    header: tuple[str, str]
    points: tuple[tuple[str, float | None], ...]
    unit: str
    more: int = 0

    @property
    def file(self) -> str:
        return f"{self.query.name}.csv"

    def csv(self) -> bytes:
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\r\n")
        w.writerow(self.header)
        w.writerows([(label, "" if v is None else plain(v)) for label, v in self.points])
        return out.getvalue().encode("utf-8-sig")


def plain(v: float) -> str:
    """A number as a CSV or attribute writes it: `12`, `1234.5`."""
    return str(int(v)) if float(v).is_integer() else repr(round(v, 2))


def _q(name: str) -> str:
    return escape_sqlite(name)


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"pragma table_info({_q(table)})")]


def statistic_charts(db: Path, table: Table) -> list[Chart]:
    """A chart for each canned statistic of `table` whose summary table has data, read
    from `db`. Raises sqlite3.Error when the database cannot be read."""
    r = roles(table)
    m = primary(r)
    found = []
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        for q in table_queries(table):
            cols = _columns(conn, q.summary)
            if m.heading not in cols:
                continue
            chart = _chart(conn, q, cols, table, r, m)
            if chart is not None:
                found.append(chart)
    finally:
        conn.close()
    return found


def _label_column(cols: list[str], code_title: str) -> str:
    """The name column beside a code column of a summary (`市州名称`), else the code."""
    name = code_title.removesuffix("代码") + "名称"
    return name if name in cols else code_title


def _chart(
    conn: sqlite3.Connection, q: Query, cols: list[str], table: Table, r: Roles, m: Measure
) -> Chart | None:
    s, v = _q(q.summary), _q(m.heading)
    what = f"{m.title}（{m.unit}）"
    if q.kind in ("division_month", "city_month", "division_year", "city_year"):
        p = per(r)
        col = _q(p.title)
        code = "市州代码" if q.kind.startswith("city") else cols[1]
        label = _q(_label_column(cols, code))
        if r.interval is not None and q.kind.startswith("division"):
            rows = conn.execute(
                f"select {col}, sum({v}) from {s} where coalesce({col}, '') <> '' "
                "group by 1 order by 1"
            ).fetchall()
            each = "各月" if p is MONTH else "各年度"
            return _trend(q, f"{table.title}：{what}，全省{each}合计", (p.title, what), rows, m)
        if r.interval is not None:
            latest = conn.execute(f"select max({col}) from {s}").fetchone()[0]
            rows = conn.execute(
                f"select {label}, {v} from {s} where {col} = ? order by 2 desc, 1", (latest,)
            ).fetchall()
            title = f"{table.title}：{latest} 各市州{what}"
        else:
            rows = conn.execute(
                f"select {label}, sum({v}) from {s} group by {_q(code)} order by 2 desc, 1"
            ).fetchall()
            level = "市州" if q.kind.startswith("city") else r.division.title.removesuffix("代码")  # type: ignore[union-attr]
            title = f"{table.title}：各{level}{what}（全部记录）"
        return _bars(q, title, (code.removesuffix("代码") or "区划", what), rows, m)
    if q.kind == "division_category_year":  # the latest year, by the category
        code = next(c for c in cols[1:] if c.endswith("代码") and "行政区划" not in c)
        label = _q(_label_column(cols, code))
        year = _q(YEAR.title)
        latest = conn.execute(f"select max({year}) from {s}").fetchone()[0]
        rows = conn.execute(
            f"select {label}, sum({v}) from {s} where {year} = ? group by {_q(code)} "
            "order by 2 desc, 1",
            (latest,),
        ).fetchall()
        title = f"{table.title}：{latest} 年度按{code.removesuffix('代码')}的{what}（全省）"
        return _bars(q, title, (code.removesuffix("代码"), what), rows, m)
    if q.kind == "year":
        rows = conn.execute(
            f"select 年份, {v} from {s} where coalesce(年份, '') <> '' order by 1"
        ).fetchall()
        return _trend(q, f"{table.title}：{what}，按年份", ("年份", what), rows, m)
    code = cols[0]
    label = _q(_label_column(cols, code))
    rows = conn.execute(f"select {label}, {v} from {s} order by 2 desc, 1").fetchall()
    title = f"{table.title}：按{code.removesuffix('代码')}的{what}"
    return _bars(q, title, (code.removesuffix("代码"), what), rows, m)


def _trend(
    q: Query, title: str, header: tuple[str, str], rows: list[tuple], m: Measure
) -> Chart | None:
    points = tuple((str(p), None if v is None else float(v)) for p, v in rows)
    if not points:
        return None
    periods = [p for p, _ in points]
    series = [charts.Series(m.title, tuple(v for _, v in points))]
    svg = charts.trend(periods, series, unit=m.unit, id=f"chart-{q.name}", title=title)
    return Chart(
        q, title, svg, charts.trend_summary(periods, series, m.unit), header, points, m.unit
    )


def _bars(
    q: Query, title: str, header: tuple[str, str], rows: list[tuple], m: Measure
) -> Chart | None:
    drawn = [
        (str(label) if label not in (None, "") else "（空）", float(v or 0)) for label, v in rows
    ]
    if not drawn:
        return None
    shown, more = drawn[:TOP], max(len(drawn) - TOP, 0)
    svg = charts.bars(shown, unit=m.unit, id=f"chart-{q.name}", title=title, more=more)
    return Chart(
        q, title, svg, charts.bars_summary(shown, m.unit, more), header, tuple(shown), m.unit, more
    )


# ---- each division's figures -------------------------------------------------------


@dataclass
class TableFigures:
    """The figures of one table, by division, period and split code.

    `cells[code][(period, split)]` holds the record count and each measure's sum, in the
    order of `measures`, of the rows that count towards `code`: a county's own rows, a
    prefecture's (`430100`) with its counties', the province's (`430000`) all. `period` is the statistical month
    or year (`monthly`: a table counted by period) or, for a register, the year of its date;
    `split` is "" without a split."""

    dataset: Dataset
    table: Table
    division: Field
    period: Field | None
    monthly: bool
    measures: list[Measure]
    primary: Measure  # what the rank and a monthly trend go by (`primary`)
    split: Field | None = None
    split_names: dict[str, str] = field(default_factory=dict)
    cells: dict[str, dict[tuple[str, str], list[float]]] = field(default_factory=dict)
    periods: list[str] = field(default_factory=list)
    splits: list[str] = field(default_factory=list)

    def add(self, code: str, period: str, split: str, values: list[float]) -> None:
        """One row of the GROUP BY: counted for the division, its prefecture and province."""
        for target in dict.fromkeys((code, code[:4] + "00", code[:2] + "0000")):
            kept = self.cells.setdefault(target, {}).setdefault(
                (period, split), [0.0] * len(values)
            )
            kept[:] = [a + b for a, b in zip(kept, values, strict=True)]

    @property
    def latest(self) -> str:
        return self.periods[-1] if self.monthly and self.periods else ""

    def total(self, code: str, period: str = "", split: str | None = None) -> list[float]:
        """The count and measures of `code` in `period` (a monthly table: "" is the latest
        month; a register: "" is all years) and `split` (None: every split)."""
        want = period or self.latest
        sums = [0.0] * len(self.measures)
        for (p, s), values in self.cells.get(code, {}).items():
            if (not want or p == want) and (split is None or s == split):
                sums = [a + b for a, b in zip(sums, values, strict=True)]
        return sums


def figure_tables(data_dir: Path, datasets: Iterable[Dataset]) -> list[TableFigures]:
    """Every open table keyed by a division code (not a parent's) that has a period or a
    measure, with its figures read from its database in `data_dir`. Raises sqlite3.Error."""
    found = []
    for d in datasets:
        if not d.db:
            continue
        for t in d.tables:
            r = roles(t)
            div = r.division
            if div is None or div.title.startswith("上级") or not (r.period or r.measures):
                continue
            found.append(_read_figures(data_dir / d.db, d, t, r, div))
    return found


def _read_figures(db: Path, d: Dataset, t: Table, r: Roles, div: Field) -> TableFigures:
    fig = TableFigures(d, t, div, r.period, r.interval is not None, measures(r), primary(r))
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        table = _q(t.name)
        for f in (*r.statuses, *r.categories):
            n = conn.execute(f"select count(distinct {_q(f.name)}) from {table}").fetchone()[0]
            if n <= SPLIT:
                fig.split = f
                break
        period = "''"
        if r.interval is not None:
            period = _q(r.interval.name)
        elif r.date is not None:
            period = f"substr({_q(r.date.name)}, 1, 4)"
        split = _q(fig.split.name) if fig.split else "''"
        sums = ", ".join(f"sum({_q(m.field.name)})" for m in fig.measures if m.field)
        rows = conn.execute(
            f"select {_q(div.name)}, coalesce({period}, ''), coalesce({split}, ''), count(*)"
            f"{', ' + sums if sums else ''} from {table} where {_q(div.name)} is not null "
            "group by 1, 2, 3"
        ).fetchall()
        for code, p, s, *values in rows:
            fig.add(str(code), str(p), str(s), [float(v or 0) for v in values])
        fig.periods = sorted({p for _, p, _, *_ in rows if p})
        fig.splits = sorted({str(s) for _, _, s, *_ in rows}) if fig.split else [""]
        if fig.split is not None and (code_table := t.code_table(fig.split.name)):
            fig.split_names = dict(conn.execute(f"select code, name from {_q(code_table)}"))
    finally:
        conn.close()
    return fig


def siblings(code: str, codes: Iterable[str]) -> list[str]:
    """The divisions `code` is ranked among: a prefecture among the province's
    prefectures, a county among its prefecture's counties (of those in `codes`)."""
    if code.endswith("0000"):
        return [code]
    if code.endswith("00"):
        return sorted({c[:4] + "00" for c in codes if c[:2] == code[:2] and not c.endswith("0000")})
    return sorted({c for c in codes if c[:4] == code[:4] and not c.endswith("00")})


def rank(fig: TableFigures, code: str) -> tuple[int, int] | None:
    """(place, of how many) of `code` among its siblings by the primary measure, or None."""
    group = siblings(code, fig.cells)
    if len(group) < 2 or code not in group:
        return None
    i = fig.measures.index(fig.primary)
    value = {c: fig.total(c)[i] for c in group}
    ordered = sorted(group, key=lambda c: (-value[c], c))
    return ordered.index(code) + 1, len(group)


def trend(fig: TableFigures, code: str) -> tuple[list[str], list[charts.Series]]:
    """The primary measure of `code` per period (a register: new records per year), one
    series per split code (at most three), else the total (a register's: 新增<table>)."""
    i = fig.measures.index(fig.primary) if fig.monthly else 0
    periods = fig.periods
    keys: list[str | None] = list(fig.splits) if fig.split and len(fig.splits) <= 3 else [None]
    series = []
    for s in keys:
        values = tuple(fig.total(code, p, s)[i] for p in periods)
        name = (
            fig.split_names.get(s, s)
            if s is not None
            else (fig.primary.title if fig.monthly else f"新增{fig.table.title}")
        )
        series.append(charts.Series(name or "（空）", values))
    return periods, series
