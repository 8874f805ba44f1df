"""What each column of a table is for, read from its Table Schema field.

Datasette's facets, sortable columns and the canned statistics are all derived from
these roles, so a new dataset gets them without configuration:

- division: a coded column whose title names an administrative division (行政区划);
- period: the statistical month (`YYYY-MM`, title 月份), else the year a row is about
  (资金年度: a budget year, title 年度), else a date;
- status: a coded column whose title says 状态;
- category: any other coded column (it has a code list);
- measure: a number with a countable unit (人, 户, 元, 张 …), which statistics add up.
"""

from __future__ import annotations

from dataclasses import dataclass

from stdhub.datasets.manifest import Field, Table

NUMERIC = ("integer", "number")


@dataclass(frozen=True)
class Roles:
    division: Field | None
    month: Field | None
    date: Field | None
    year: Field | None
    statuses: tuple[Field, ...]
    categories: tuple[Field, ...]
    measures: tuple[Field, ...]

    @property
    def interval(self) -> Field | None:
        """The statistical period a row counts for: its month, else its (budget) year."""
        return self.month or self.year

    @property
    def period(self) -> Field | None:
        return self.interval or self.date

    @property
    def coded(self) -> tuple[Field, ...]:
        """The columns to facet by: division, categories and statuses."""
        first = (self.division,) if self.division else ()
        return first + self.categories + self.statuses


def is_coded(f: Field) -> bool:
    return bool(f.code_list)


def is_division(f: Field) -> bool:
    return is_coded(f) and "行政区划" in f.title


def is_month(f: Field) -> bool:
    return f.type == "yearmonth" or "月份" in f.title or f.name.endswith("_month")


def is_year(f: Field) -> bool:
    """A year a row is about (资金年度 budget_year), not a count of years."""
    return f.type in ("string", "year") and ("年度" in f.title or f.name.endswith("_year"))


def is_measure(f: Field) -> bool:
    """Countable amounts; a rate (元/人·月) or a coordinate (度) is not summed."""
    return f.type in NUMERIC and bool(f.unit) and "/" not in (f.unit or "") and f.unit != "度"


def roles(table: Table) -> Roles:
    keys = set(table.primary_key)
    fields = [f for f in table.fields if f.name not in keys or len(keys) > 1]
    divisions = [f for f in fields if is_division(f)]
    coded = [f for f in fields if is_coded(f) and f not in divisions[:1]]
    return Roles(
        division=divisions[0] if divisions else None,
        month=next((f for f in table.fields if is_month(f)), None),
        date=next((f for f in table.fields if f.type in ("date", "datetime")), None),
        year=next((f for f in table.fields if is_year(f)), None),
        statuses=tuple(f for f in coded if "状态" in f.title),
        categories=tuple(f for f in coded if "状态" not in f.title),
        measures=tuple(f for f in table.fields if is_measure(f)),
    )
