"""The statistics the department reports, as Datasette canned queries, derived from roles.

For each data table (code tables excluded):

- by division and month (with an optional `month` parameter, blank for all months);
- by each category and status column (with the code's name beside it);
- totals per year (from the statistical month or the date).

Each counts the records and adds up every measure column (保障人数, 支出资金 …), with
Chinese column headings carrying the unit.
"""

from __future__ import annotations

from dataclasses import dataclass

from datasette.utils import escape_sqlite

from stdhub.datasets.manifest import Field, Table
from stdhub.datasette.roles import Roles, roles


@dataclass(frozen=True)
class Query:
    name: str
    title: str
    description: str
    sql: str

    def as_metadata(self) -> dict[str, str]:
        return {"title": self.title, "description": self.description, "sql": self.sql}


def _q(name: str) -> str:
    return escape_sqlite(name)


def _label(title: str, unit: str | None = None) -> str:
    text = f"{title}（{unit}）" if unit else title
    return '"' + text.replace('"', '""') + '"'


def _aggregates(r: Roles) -> list[str]:
    cols = [f"count(*) as {_label('记录数', '条')}"]
    for m in r.measures:  # amounts in 元 to the fen, not float noise (63000.00000000006)
        total = f"sum(t.{_q(m.name)})" if m.type == "integer" else f"round(sum(t.{_q(m.name)}), 2)"
        cols.append(f"{total} as {_label(m.title, m.unit)}")
    return cols


def _coded(table: Table, f: Field, alias: str) -> tuple[list[str], str]:
    """Select the code and, via its code table, its name; and the join that needs."""
    code_table = table.code_table(f.name)
    cols = [f"t.{_q(f.name)} as {_label(f.title)}"]
    if not code_table:
        return cols, ""
    cols.append(f"{alias}.name as {_label(f.title.removesuffix('代码') + '名称')}")
    join = f"left join {_q(code_table)} {alias} on {alias}.code = t.{_q(f.name)}"
    return cols, join


def _sql(
    table: Table, select: list[str], joins: list[str], group: list[str], order: str, where: str = ""
) -> str:
    lines = ["select", "  " + ",\n  ".join(select), f"from {_q(table.name)} t"]
    lines += [j for j in joins if j]
    if where:
        lines.append(f"where {where}")
    lines.append("group by " + ", ".join(group))
    lines.append(f"order by {order}")
    return "\n".join(lines)


def _period_expr(r: Roles, length: int) -> str:
    """The month (7) or year (4) of a row; a `YYYY-MM` column is its own month (and stays
    usable by an index)."""
    p = r.period
    assert p is not None
    if length == 7 and p is r.month:
        return f"t.{_q(p.name)}"
    return f"substr(t.{_q(p.name)}, 1, {length})"


def table_queries(table: Table) -> list[Query]:
    r = roles(table)
    found: list[Query] = []
    measures = "、".join(m.title for m in r.measures)
    summed = f"记录数和{measures}合计" if measures else "记录数"
    if r.division and r.period:
        cols, join = _coded(table, r.division, "d")
        month = _period_expr(r, 7)
        found.append(
            Query(
                f"{table.name}_by_division_month",
                f"{table.title}：按行政区划和月份统计",
                f"每个{r.division.title.removesuffix('代码')}每月的{summed}。"
                "月份参数填 YYYY-MM（如 2024-06）只看该月，留空看全部月份。",
                _sql(
                    table,
                    [f"{month} as {_label('月份')}", *cols, *_aggregates(r)],
                    [join],
                    ["1", f"t.{_q(r.division.name)}"],
                    f"1 desc, t.{_q(r.division.name)}",
                    where=f"(:month = '' or {month} = :month)",
                ),
            )
        )
    for i, f in enumerate(r.categories + r.statuses):
        cols, join = _coded(table, f, f"c{i}")
        found.append(
            Query(
                f"{table.name}_by_{f.name}",
                f"{table.title}：按{f.title.removesuffix('代码')}统计",
                f"每个{f.title.removesuffix('代码')}的{summed}，按记录数从多到少。",
                _sql(table, [*cols, *_aggregates(r)], [join], [f"t.{_q(f.name)}"], "count(*) desc"),
            )
        )
    if r.period:
        year = _period_expr(r, 4)
        found.append(
            Query(
                f"{table.name}_per_year",
                f"{table.title}：年度合计",
                f"按{r.period.title}所在年份汇总的{summed}。",
                _sql(table, [f"{year} as {_label('年份')}", *_aggregates(r)], [], ["1"], "1"),
            )
        )
    return found
