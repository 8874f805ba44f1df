"""The 资金信息 section: where the money went (HNMZ/T 0106 fund allocations) and what it
built (HNMZ/T 0107 facility projects), read from the staged databases at build time.

- `funds/`: each fund's totals by budget year, and each project category's projects;
- `funds/<fund code>/`: the fund's documents (文号, each linked to its allocations in
  Datasette), its totals by year and source level as a trend, and the latest year's
  allocation by city as a ranking with every county in the table beside it;
- `funds/projects-<category code>/`: the category's projects with their status and
  progress (累计完成投资 ÷ 计划总投资).

The tables are found by the data elements their fields conform to (a documents table
holds 下达总额 `XDZE`, an allocations table 分配金额 `FPJE`, a projects table 项目代码
`XMDM`), so any open dataset conforming to those standards appears by itself; their
columns are the standards' field names (`fund_code`, `budget_year` …), as conformance
requires. Amounts are in 元, summed in SQLite to the fen. Without such a dataset there is
no section (None).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from datasette.utils import escape_sqlite

from stdhub import addresses, charts
from stdhub.datasets.manifest import Dataset, Table
from stdhub.opendata.section import render
from stdhub.opendata.statistics import plain
from stdhub.site.context import Link, Section, SectionGenerator, SiteContext
from stdhub.standards.model import series_of

if TYPE_CHECKING:
    from stdhub.opendata.prepare import OpenData
    from stdhub.standards.model import Catalogue

FUNDS_SERIES = "HNMZ/T 0106"
PROJECTS_SERIES = "HNMZ/T 0107"
FUNDS = "funds/"


def yuan(value: float | None) -> str:
    """An amount in 元 as a finance officer writes it: `41,163,871.50`; None is `—`."""
    return "—" if value is None else f"{value:,.2f}"


def division_prefix(code: str) -> str:
    """What the county codes of a division start with: `43` for the province (430000),
    `4301` for a prefecture (430100), the whole code for a county."""
    if code.endswith("0000"):
        return code[:2]
    return code[:4] if code.endswith("00") else code


def fund_page(code: str) -> str:
    return f"{FUNDS}{code}/"


def category_page(code: str) -> str:
    return f"{FUNDS}projects-{code}/"


@dataclass
class Fund:
    """One fund: its totals by year and source level, its documents, and the latest year's
    allocation by county (code, name, yuan) and by city (name, yuan)."""

    code: str
    name: str
    description: str
    totals: dict[tuple[str, str], float] = field(default_factory=dict)  # (year, level) -> yuan
    documents: list[dict[str, Any]] = field(default_factory=list)
    latest: str = ""
    counties: list[tuple[str, str, float]] = field(default_factory=list)
    cities: list[tuple[str, float]] = field(default_factory=list)

    def year_total(self, year: str) -> float:
        return sum(v for (y, _), v in self.totals.items() if y == year)


@dataclass
class Category:
    code: str
    name: str
    projects: list[dict[str, Any]] = field(default_factory=list)
    statuses: list[tuple[str, int]] = field(default_factory=list)  # (status name, count)


@dataclass
class FundsData:
    dataset: Dataset
    documents: Table
    allocations: Table
    levels: dict[str, str]  # source level code -> name
    years: list[str]
    funds: list[Fund]
    projects: Dataset | None = None
    projects_table: Table | None = None
    categories: list[Category] = field(default_factory=list)
    # county code -> (fund code, year) -> yuan it received
    received: dict[str, dict[tuple[str, str], float]] = field(default_factory=dict)

    def received_by(self, code: str) -> dict[tuple[str, str], float]:
        """What a division received, by fund and year: a county its own, a prefecture
        (`430100`) its counties', the province (`430000`) all."""
        prefix = division_prefix(code)
        found: dict[tuple[str, str], float] = {}
        for county, amounts in self.received.items():
            if county.startswith(prefix):
                for k, v in amounts.items():
                    found[k] = round(found.get(k, 0.0) + v, 2)
        return found

    def projects_in(self, code: str) -> list[tuple[str, dict[str, Any]]]:
        """The projects in a division (by code prefix, as `received_by`), with their category."""
        prefix = division_prefix(code)
        return [
            (c.name, p)
            for c in self.categories
            for p in c.projects
            if p["county_code"].startswith(prefix)
        ]


def _holding(d: Dataset, series: str, element: str) -> Table | None:
    """The table of `d` with a field conforming to `element` of a standard in `series`."""
    for t in d.tables:
        for f in t.fields:
            if f.standard_id and series_of(f.standard_id) == series and f.element_id == element:
                return t
    return None


def _q(name: str) -> str:
    return escape_sqlite(name)


def _names(conn: sqlite3.Connection, t: Table, column: str) -> dict[str, str]:
    code_table = t.code_table(column)
    if not code_table:
        return {}
    return dict(conn.execute(f"select code, name from {_q(code_table)}"))


def read_funds(
    data_dir: Path, datasets: tuple[Dataset, ...], catalogue: Catalogue
) -> FundsData | None:
    """The section's data from the open datasets' databases in `data_dir`, or None.
    Raises sqlite3.Error when a database cannot be read."""
    found = None
    for d in datasets:
        docs = _holding(d, FUNDS_SERIES, "XDZE")
        alloc = _holding(d, FUNDS_SERIES, "FPJE")
        if d.db and docs and alloc:
            found = _read_allocations(data_dir / d.db, d, docs, alloc, catalogue)
            break
    if found is None:
        return None
    for d in datasets:
        projects = _holding(d, PROJECTS_SERIES, "XMDM")
        if d.db and projects:
            found.projects, found.projects_table = d, projects
            found.categories = _read_projects(data_dir / d.db, projects)
            break
    return found


def _read_allocations(
    db: Path, d: Dataset, docs: Table, alloc: Table, catalogue: Catalogue
) -> FundsData:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        fund_names = _names(conn, docs, "fund_code")
        levels = _names(conn, docs, "source_level_code")
        counties = _names(conn, alloc, "county_code")
        descriptions = {}
        fund_field = docs.field("fund_code")
        cl = catalogue.code_lists.get((fund_field.code_list if fund_field else None) or "")
        if cl is not None:
            descriptions = {c.code: c.description for c in cl.codes}
        funds = {
            code: Fund(code, name, descriptions.get(code, "")) for code, name in fund_names.items()
        }
        dt, at = _q(docs.name), _q(alloc.name)
        for code, year, level, total in conn.execute(
            f"select fund_code, budget_year, source_level_code, round(sum(total_yuan), 2) "
            f"from {dt} group by 1, 2, 3"
        ):
            funds[code].totals[(str(year), str(level))] = float(total)
        for row in conn.execute(
            f"select doc_number, doc_title, issued_date, fund_code, source_level_code, "
            f"budget_year, total_yuan from {dt} order by budget_year desc, issued_date desc"
        ):
            number, title, issued, code, level, year, total = row
            funds[code].documents.append(
                {
                    "number": number,
                    "title": title,
                    "issued": issued,
                    "level": levels.get(level, level),
                    "year": year,
                    "total": float(total),
                }
            )
        received: dict[str, dict[tuple[str, str], float]] = {}
        for county, code, year, amount in conn.execute(
            f"select county_code, fund_code, budget_year, round(sum(amount_yuan), 2) from {at} "
            "group by 1, 2, 3"
        ):
            received.setdefault(str(county), {})[(str(code), str(year))] = float(amount)
        years = sorted({y for f in funds.values() for y, _ in f.totals})
    finally:
        conn.close()
    for fund in funds.values():  # the latest year by county and by city, from `received`
        fund.latest = max((y for y, _ in fund.totals), default="")
        latest = [
            (c, amounts[(fund.code, fund.latest)])
            for c, amounts in received.items()
            if (fund.code, fund.latest) in amounts
        ]
        fund.counties = [
            (c, counties.get(c, c), v) for c, v in sorted(latest, key=lambda p: (-p[1], p[0]))
        ]
        by_city: dict[str, float] = {}
        for c, v in latest:
            by_city[c[:4] + "00"] = by_city.get(c[:4] + "00", 0.0) + v
        fund.cities = sorted(
            ((counties.get(c, c), round(v, 2)) for c, v in by_city.items()),
            key=lambda p: (-p[1], p[0]),
        )
    used = [f for f in funds.values() if f.totals]
    return FundsData(d, docs, alloc, levels, years, used, received=received)


def division_block(data: FundsData, code: str, page: str, data_url: str) -> str:
    """The 资金和项目 part of a division's page: what each fund brought it each year, and
    the projects there; "" when it received nothing."""
    received = data.received_by(code)
    if not received:
        return ""
    county = not code.endswith("00")
    field_query = (
        f"county_code={code}" if county else f"county_code__startswith={division_prefix(code)}"
    )
    return render(
        "division_funds.md",
        data=data,
        code=code,
        rows=[
            (f, [received.get((f.code, y)) for y in data.years])
            for f in data.funds
            if any((f.code, y) in received for y in data.years)
        ],
        totals=[sum(v for (_, y), v in received.items() if y == year) for year in data.years],
        projects=data.projects_in(code) if county else [],
        project_count=len(data.projects_in(code)),
        number=yuan,
        u=lambda target: addresses.relative(target, page),
        fund_page=fund_page,
        link=addresses.datasette_table(
            data_url, data.dataset.name, data.allocations.name, field_query
        ),
        projects_link=(
            addresses.datasette_table(
                data_url, data.projects.name, data.projects_table.name, field_query
            )
            if data.projects and data.projects_table
            else ""
        ),
    )


def _read_projects(db: Path, t: Table) -> list[Category]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        categories = _names(conn, t, "project_category_code")
        statuses = _names(conn, t, "project_status_code")
        counties = _names(conn, t, "county_code")
        found = {code: Category(code, name) for code, name in categories.items()}
        for row in conn.execute(
            f"select project_code, project_name, county_code, project_category_code, "
            f"project_status_code, planned_investment_yuan, completed_investment_yuan, beds, "
            f"start_date, completion_date, doc_number from {_q(t.name)} "
            "order by county_code, start_date, project_code"
        ):
            code, name, county, cat, status, planned, done, beds, start, end, doc = row
            share = done / planned if planned else None
            found[cat].projects.append(
                {
                    "code": code,
                    "name": name,
                    "county": counties.get(county, county),
                    "county_code": county,
                    "status": statuses.get(status, status),
                    "planned": yuan(planned),
                    "done": yuan(done),
                    "progress": "—" if share is None else f"{share:.0%}",
                    "progress_value": "" if share is None else plain(round(share, 4)),
                    "beds": "" if beds is None else str(beds),
                    "start": start or "",
                    "end": end or "",
                    "doc": doc or "",
                }
            )
        for c in found.values():
            counted = dict.fromkeys(statuses.values(), 0)
            for p in c.projects:
                counted[p["status"]] = counted.get(p["status"], 0) + 1
            c.statuses = list(counted.items())
    finally:
        conn.close()
    return [c for c in found.values() if c.projects]


def funds_sections(od: OpenData) -> list[SectionGenerator]:
    """The 资金信息 section's generator, if the open data holds funds (`od.funds`)."""
    data = od.funds
    return [lambda ctx: funds_section(ctx, data)] if data is not None else []


def funds_section(ctx: SiteContext, data: FundsData) -> Section:
    """The 资金信息 section (`stdhub build` adds it when `read_funds` found fund data)."""
    found = pages(data, ctx.config.data_url)
    return Section(
        name="funds",
        weight=47,
        files={addresses.docs_path(page): text for page, text in found.items()},
        nav=[{"资金信息": addresses.docs_path(FUNDS)}],
        not_in_nav=[f"/{FUNDS}*/"],
        entry=Link(
            "资金信息",
            FUNDS,
            f"{len(data.funds)} 个资金项目的下达文件和分配到各县的金额"
            + (
                f"，{sum(len(c.projects) for c in data.categories)} 个建设项目"
                if data.categories
                else ""
            ),
        ),
    )


def pages(data: FundsData, data_url: str) -> dict[str, str]:
    """Each page of the section: its site address -> its Markdown."""
    d = data.dataset
    alloc = lambda query="": addresses.datasette_table(  # noqa: E731
        data_url, d.name, data.allocations.name, query
    )
    out: dict[str, str] = {}
    out[FUNDS] = render(
        "funds.md",
        data=data,
        rows=[[f.name, *(yuan(f.year_total(y)) for y in data.years)] for f in data.funds],
        chart=_latest_chart(data),
        u=lambda target: addresses.relative(target, FUNDS),
        fund_page=fund_page,
        category_page=category_page,
        dataset_page=addresses.dataset(d.name),
        projects_page=addresses.dataset(data.projects.name) if data.projects else "",
    )
    for f in data.funds:
        page = fund_page(f.code)
        out[page] = render(
            "fund.md",
            data=data,
            f=f,
            trend=_trend_chart(data, f),
            cities=_cities_chart(f),
            **_links(page),
            addresses_dataset=addresses.dataset(d.name),
            number=yuan,
            doc_link=lambda number: alloc(f"doc_number={number}"),
            fund_link=alloc(f"fund_code={f.code}&budget_year={f.latest}"),
            county_link=lambda code, f=f: alloc(
                f"fund_code={f.code}&budget_year={f.latest}&county_code={code}"
            ),
        )
    if data.projects and data.projects_table:
        table = data.projects_table
        for c in data.categories:
            page = category_page(c.code)
            out[page] = render(
                "projects.md",
                data=data,
                c=c,
                **_links(page),
                link=addresses.datasette_table(
                    data_url, data.projects.name, table.name, f"project_category_code={c.code}"
                ),
            )
    return out


def _links(page: str) -> dict[str, Any]:
    """What a page's template links with: `u(site address)` and `division_page(code)`,
    relative to `page`."""
    return {
        "u": lambda target: addresses.relative(target, page),
        "division_page": lambda code: addresses.relative(addresses.division(code), page),
    }


def _latest_chart(data: FundsData) -> dict[str, Any]:
    year = data.years[-1] if data.years else ""
    items = sorted(((f.name, f.year_total(year)) for f in data.funds), key=lambda p: -p[1])
    title = f"{year} 年度各资金项目下达总额"
    return {
        "id": "chart-funds-latest",
        "title": title,
        "summary": charts.bars_summary(items, "元"),
        "svg": charts.bars(items, unit="元", id="chart-funds-latest", title=title),
        "header": ["资金项目", "下达总额（元）"],
        "rows": [[n, yuan(v)] for n, v in items],
    }


def _trend_chart(data: FundsData, f: Fund) -> dict[str, Any]:
    levels = sorted({lv for _, lv in f.totals})[:3]
    series = [
        charts.Series(
            data.levels.get(lv, lv), tuple(f.totals.get((y, lv), 0.0) for y in data.years)
        )
        for lv in levels
    ]
    chart_id = f"chart-fund-{f.code}-years"
    title = f"{f.name}：各年度下达总额（按资金来源层级）"
    return {
        "id": chart_id,
        "title": title,
        "summary": charts.trend_summary(data.years, series, "元"),
        "svg": charts.trend(data.years, series, unit="元", id=chart_id, title=title),
        "header": ["资金年度", *(f"{s.name}（元）" for s in series)],
        "rows": [[y, *(yuan(s.values[i]) for s in series)] for i, y in enumerate(data.years)],
    }


def _cities_chart(f: Fund) -> dict[str, Any]:
    chart_id = f"chart-fund-{f.code}-cities"
    title = f"{f.name}：{f.latest} 年度分配到各市州的金额"
    return {
        "id": chart_id,
        "title": title,
        "summary": charts.bars_summary(f.cities, "元"),
        "svg": charts.bars(f.cities, unit="元", id=chart_id, title=title),
        "header": ["市州", "分配金额（元）"],
        "rows": [[n, yuan(v)] for n, v in f.cities],
    }
