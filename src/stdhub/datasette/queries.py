"""The statistics the department reports, as Datasette canned queries, derived from roles.

For each data table (code tables excluded):

- by division and month (with an optional `month` parameter, blank for all months), and
  for county-level divisions also by city (市州) and month, rolled up by code prefix; a
  table counted by year (资金年度) instead of month has the same by year (`year`);
- by each category and status column (with the code's name beside it);
- totals per year (from the statistical month or the date).

Each counts the records and adds up every measure column (保障人数, 支出资金 …), with
Chinese column headings carrying the unit.

They are cheap by construction: `stdhub build` computes each (`Query.source`, a GROUP BY
over the whole table: over a second on a million rows) once into a summary table of the
same database (`Query.summary`, see `write_summaries`), and the canned query Datasette
runs (`Query.sql`) only reads that small table.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from datasette.utils import escape_sqlite

from stdhub.datasets.manifest import Field, Table
from stdhub.datasette.roles import Roles, roles


@dataclass(frozen=True)
class Query:
    """A canned statistic: `source` computes it from the data table (no parameters),
    `sql` reads it from the summary table (Datasette's canned query, maybe `:month`)."""

    name: str
    title: str
    description: str
    source: str
    order: str
    where: str = ""
    # what it counts by: "division_month", "city_month" (or "division_year", "city_year"
    # for a table counted by year), "category" (or status), "year"
    kind: str = "category"

    @property
    def summary(self) -> str:
        """The summary table `stdhub build` writes into the dataset's database."""
        return f"{self.name}_summary"

    @property
    def sql(self) -> str:
        lines = [f"select * from {_q(self.summary)}"]
        if self.where:
            lines.append(f"where {self.where}")
        lines.append(f"order by {self.order}")
        return "\n".join(lines)

    def as_metadata(self) -> dict[str, str]:
        return {"title": self.title, "description": self.description, "sql": self.sql}


def write_summaries(db: Path, tables: list[Table]) -> list[str]:
    """Write every canned statistic's summary table into `db` (those it lacks); their names.

    Raises sqlite3.Error when the database cannot be written.
    """
    queries = [q for t in tables for q in table_queries(t)]
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        have = {n for (n,) in conn.execute("select name from sqlite_master where type='table'")}
        missing = [q for q in queries if q.summary not in have]
        if missing:
            conn.execute("begin")
            for q in missing:
                conn.execute(f"create table {_q(q.summary)} as {q.source}")
            conn.execute("commit")
    finally:
        conn.close()
    return [q.summary for q in queries]


def _q(name: str) -> str:
    return escape_sqlite(name)


def column_title(title: str, unit: str | None = None) -> str:
    """A summary table's column heading: `保障人数（人）`, `月份`."""
    return f"{title}（{unit}）" if unit else title


def column_alias(title: str, unit: str | None = None) -> str:
    return '"' + column_title(title, unit).replace('"', '""') + '"'


def _aggregates(r: Roles) -> list[str]:
    cols = [f"count(*) as {column_alias('记录数', '条')}"]
    for m in r.measures:  # amounts in 元 to the fen, not float noise (63000.00000000006)
        total = f"sum(t.{_q(m.name)})" if m.type == "integer" else f"round(sum(t.{_q(m.name)}), 2)"
        cols.append(f"{total} as {column_alias(m.title, m.unit)}")
    return cols


def coded_select(table: Table, f: Field, alias: str) -> tuple[list[str], str]:
    """Select the code and, via its code table, its name; and the join that needs."""
    code_table = table.code_table(f.name)
    cols = [f"t.{_q(f.name)} as {column_alias(f.title)}"]
    if not code_table:
        return cols, ""
    cols.append(f"{alias}.name as {column_alias(f.title.removesuffix('代码') + '名称')}")
    join = f"left join {_q(code_table)} {alias} on {alias}.code = t.{_q(f.name)}"
    return cols, join


def _sql(table: Table, select: list[str], joins: list[str], group: list[str]) -> str:
    lines = ["select", "  " + ",\n  ".join(select), f"from {_q(table.name)} t"]
    lines += [j for j in joins if j]
    lines.append("group by " + ", ".join(group))
    return "\n".join(lines)


@dataclass(frozen=True)
class Per:
    """What a table's statistics go by: the month (`YYYY-MM`) or, counted by year, the year."""

    title: str  # 月份, 年度: the summary column
    key: str  # month, year: the query's name and parameter
    length: int  # of the ISO prefix

    @property
    def hint(self) -> str:
        if self.key == "month":
            return "月份参数填 YYYY-MM（如 2024-06）只看该月，留空看全部月份。"
        return "年度参数填四位年份（如 2024）只看该年，留空看全部年度。"


MONTH = Per("月份", "month", 7)
YEAR = Per("年度", "year", 4)


def per(r: Roles) -> Per:
    return YEAR if r.month is None and r.year is not None else MONTH


def _period_expr(r: Roles, length: int) -> str:
    """The month (7) or year (4) of a row; a `YYYY-MM` column is its own month, a year
    column its own year (and stays usable by an index)."""
    p = r.period
    assert p is not None
    if (length == 7 and p is r.month) or (length == 4 and p is r.year):
        return f"t.{_q(p.name)}"
    return f"substr(t.{_q(p.name)}, 1, {length})"


def is_county_level(f: Field) -> bool:
    """A county-level division code (GB/T 2260, six digits: 430102): the first four digits
    and `00` are its city or prefecture (430100), so its rows roll up to cities."""
    return f.title.startswith("县级") and "行政区划" in f.title


def _by_city(table: Table, r: Roles, month: str, summed: str) -> Query:
    assert r.division is not None
    p = per(r)
    city = f"substr(t.{_q(r.division.name)}, 1, 4) || '00'"
    cols = [f"{month} as {column_alias(p.title)}", f"{city} as {column_alias('市州代码')}"]
    code_table = table.code_table(r.division.name)
    joins = []
    if code_table:
        cols.append(f"c.name as {column_alias('市州名称')}")
        joins.append(f"left join {_q(code_table)} c on c.code = {city}")
    every = "每月" if p is MONTH else "每年度"
    return Query(
        f"{table.name}_by_city_{p.key}",
        f"{table.title}：按市州和{p.title}统计",
        f"每个市州{every}的{summed}（由县级行政区划汇总）。" + p.hint,
        _sql(table, [*cols, *_aggregates(r)], joins, ["1", "2"]),
        order=f"{column_alias(p.title)} desc, {column_alias('市州代码')}",
        where=f"(:{p.key} = '' or {column_alias(p.title)} = :{p.key})",
        kind=f"city_{p.key}",
    )


def _by_division_category(table: Table, r: Roles, year: str, summed: str) -> Query:
    """By division, the first category (资金项目) and year: how much of each fund reached
    each county in each year."""
    assert r.division is not None
    f = r.categories[0]
    div_cols, div_join = coded_select(table, r.division, "d")
    cat_cols, cat_join = coded_select(table, f, "c")
    what = f.title.removesuffix("代码")
    return Query(
        f"{table.name}_by_division_{f.name}_year",
        f"{table.title}：按行政区划、{what}和年度统计",
        f"每个{r.division.title.removesuffix('代码')}每年度每个{what}的{summed}。" + YEAR.hint,
        _sql(
            table,
            [f"{year} as {column_alias(YEAR.title)}", *div_cols, *cat_cols, *_aggregates(r)],
            [div_join, cat_join],
            ["1", f"t.{_q(r.division.name)}", f"t.{_q(f.name)}"],
        ),
        order=f"{column_alias(YEAR.title)} desc, {column_alias(r.division.title)}, "
        f"{column_alias(f.title)}",
        where=f"(:year = '' or {column_alias(YEAR.title)} = :year)",
        kind="division_category_year",
    )


def table_queries(table: Table) -> list[Query]:
    r = roles(table)
    found: list[Query] = []
    measures = "、".join(m.title for m in r.measures)
    summed = f"记录数和{measures}合计" if measures else "记录数"
    if r.division and r.period:
        p = per(r)
        cols, join = coded_select(table, r.division, "d")
        month = _period_expr(r, p.length)
        every = "每月" if p is MONTH else "每年度"
        found.append(
            Query(
                f"{table.name}_by_division_{p.key}",
                f"{table.title}：按行政区划和{p.title}统计",
                f"每个{r.division.title.removesuffix('代码')}{every}的{summed}。" + p.hint,
                _sql(
                    table,
                    [f"{month} as {column_alias(p.title)}", *cols, *_aggregates(r)],
                    [join],
                    ["1", f"t.{_q(r.division.name)}"],
                ),
                order=f"{column_alias(p.title)} desc, {column_alias(r.division.title)}",
                where=f"(:{p.key} = '' or {column_alias(p.title)} = :{p.key})",
                kind=f"division_{p.key}",
            )
        )
        if is_county_level(r.division):
            found.append(_by_city(table, r, month, summed))
        if p is YEAR and r.categories:  # 按行政区划、资金项目和年度: the finance question
            found.append(_by_division_category(table, r, month, summed))
    for i, f in enumerate(r.categories + r.statuses):
        cols, join = coded_select(table, f, f"c{i}")
        found.append(
            Query(
                f"{table.name}_by_{f.name}",
                f"{table.title}：按{f.title.removesuffix('代码')}统计",
                f"每个{f.title.removesuffix('代码')}的{summed}，按记录数从多到少。",
                _sql(table, [*cols, *_aggregates(r)], [join], [f"t.{_q(f.name)}"]),
                order=f"{column_alias('记录数', '条')} desc, {column_alias(f.title)}",
            )
        )
    if r.period:
        year = _period_expr(r, 4)
        found.append(
            Query(
                f"{table.name}_per_year",
                f"{table.title}：年度合计",
                f"按{r.period.title}所在年份汇总的{summed}。",
                _sql(table, [f"{year} as {column_alias('年份')}", *_aggregates(r)], [], ["1"]),
                order=column_alias("年份"),
                kind="year",
            )
        )
    return found
