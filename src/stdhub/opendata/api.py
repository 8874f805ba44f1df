"""The developer page (`opendata/api/`): the JSON/CSV API of the open data, each example a
working address into our own data, with the limits as the Datasette settings set them, the
canned statistics, how to cite a dataset and the machine-readable entry points.

The examples come from the manifest: the first open dataset with a table is the example
table, its first coded column the facet, the first table with a full-text index the search,
its canned statistics the statistics; so the page follows the data and every link answers
(a test requests each one from a running `stdhub serve`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from stdhub import addresses
from stdhub.datasets.manifest import Dataset, Table
from stdhub.datasette import catalogue as catalogue_db
from stdhub.datasette.queries import table_queries
from stdhub.datasette.search import search_query_name
from stdhub.datasette.settings import SETTINGS

if TYPE_CHECKING:
    from stdhub.opendata.prepare import OpenData
    from stdhub.site.context import SiteContext


@dataclass(frozen=True)
class Example:
    """One request a developer can make: what it does, and its absolute address."""

    title: str
    url: str


def _open_tables(od: OpenData) -> list[tuple[Dataset, Table]]:
    return [(d, t) for d in od.manifest.datasets if d.is_open and d.db for t in d.tables]


def examples(data_url: str, od: OpenData) -> list[Example]:
    """The page's examples, in reading order; [] when nothing is published openly."""
    tables = _open_tables(od)
    if not tables:
        return []
    d, t = tables[0]

    def table(query: dict[str, str] | None = None, suffix: str = ".json") -> str:
        url = addresses.datasette_table(data_url, d.name, t.name)
        url = url.rstrip("/") + suffix
        return f"{url}?{urlencode(query)}" if query else url

    found = [
        Example(f"{t.title}：前 {SETTINGS['default_page_size'].value} 行（JSON）", table()),
        Example(
            "每行一个对象（`_shape=array`），每页 5 行（`_size=5`）",
            table({"_shape": "array", "_size": "5"}),
        ),
        Example("同一查询的 CSV", table({"_size": "5"}, ".csv")),
    ]
    coded = next((f for f in t.fields if t.code_table(f.name)), None)
    if coded is not None:
        found.append(Example(f"按{coded.title}分面统计（`_facet`）", table({"_facet": coded.name})))
    searchable = next(((sd, st) for sd, st in tables if st.fts_table), None)
    if searchable is not None:
        sd, st = searchable
        word = _first_value(od, sd, st, st.fts_columns[0]) or st.title
        found.append(
            Example(
                f"{st.title}中文全文检索（`_search`）",
                addresses.datasette_table(data_url, sd.name, st.name).rstrip("/")
                + ".json?"
                + urlencode({"_search": word}),
            )
        )
        found.append(
            Example(
                "按相关度排序的检索（预置查询）",
                addresses.datasette_table(data_url, sd.name, search_query_name(st.name)).rstrip("/")
                + ".json?"
                + urlencode({"q": word}),
            )
        )
    return found


def catalogue_examples(ctx: SiteContext) -> list[Example]:
    """Examples on the `catalogue` database: standards in force, a Chinese search, a facet,
    data elements and codes, and the answered comments of a consultation (JSON and CSV)."""
    data_url = ctx.config.data_url

    def table(name: str, query: dict[str, str], suffix: str = ".json") -> str:
        url = addresses.datasette_table(data_url, catalogue_db.NAME, name).rstrip("/")
        return f"{url}{suffix}?{urlencode(query)}"

    cat = ctx.catalogue
    word = next(
        (k for s in sorted(cat.standards.values(), key=lambda s: s.id) for k in s.keywords), ""
    )
    found = [
        Example("现行标准（按发布当天推算的状态筛选）", table("standards", {"status": "现行"})),
        Example("各状态的标准数（`_facet`）", table("standards", {"_facet": "status"})),
        Example(
            "按领域分面（一项标准可属多个领域）", table("standards", {"_facet_array": "domains"})
        ),
    ]
    if word:
        found.append(Example(f"中文全文检索标准：{word}", table("standards", {"_search": word})))
    found.append(Example("按数据类型分面的数据元", table("data_elements", {"_facet": "data_type"})))
    lists = sorted(cat.code_lists)
    if lists:
        found.append(
            Example(
                f"代码集 {lists[0]} 的代码",
                table("codes", {"code_list": lists[0], "_shape": "array"}),
            )
        )
    files = cat.feedback.files if cat.feedback else {}
    about = next((a for a in sorted(files) if files[a].answered), "")
    if about:
        found += [
            Example(f"对 {about} 的意见及处理结果", table("comments", {"about": about})),
            Example("同上，CSV", table("comments", {"about": about}, ".csv")),
        ]
    return found


def _first_value(od: OpenData, d: Dataset, t: Table, column: str) -> str:
    """`column` of the first row of the table's published CSV ("" if there is none): a
    search for it finds at least that row."""
    path = od.work / d.name / f"{t.name}.csv"
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            row = next(csv.DictReader(f), None)
    except OSError:
        return ""
    return (row or {}).get(column) or ""


def statistics(data_url: str, od: OpenData) -> list[Example]:
    """Every canned statistic of every open table, as its JSON address."""
    return [
        Example(
            f"{d.title} · {q.title}",
            addresses.datasette_table(data_url, d.name, q.name).rstrip("/") + ".json?_shape=array",
        )
        for d, t in _open_tables(od)
        for q in table_queries(t)
    ]


def page_context(ctx: SiteContext, od: OpenData) -> dict[str, Any]:
    """What the page's template (`pages/api.md`) is rendered with."""
    page = addresses.API
    data_url = ctx.config.data_url
    return {
        "data_url": data_url,
        "examples": examples(data_url, od),
        "statistics": statistics(data_url, od),
        "catalogue_examples": catalogue_examples(ctx),
        "catalogue_tables": catalogue_db.TABLES,
        "catalogue_table": lambda name: (
            addresses.datasette_table(data_url, catalogue_db.NAME, name).rstrip("/") + ".json"
        ),
        "tables": _open_tables(od),
        "table_json": lambda d, t: (
            addresses.datasette_table(data_url, d.name, t.name).rstrip("/") + ".json"
        ),
        "settings": {name: s.value for name, s in SETTINGS.items()},
        "site": lambda address: addresses.absolute(ctx.config.site_url, address),
        "u": lambda target: addresses.relative(target, page),
        "addresses": addresses,
        "citation": _citation(od),
    }


def _citation(od: OpenData) -> str:
    d = next((d for d in od.manifest.datasets if d.is_open), None)
    if d is None:
        return ""
    version = d.metadata.get("version")
    when = d.last_updated.isoformat() if d.last_updated else ""
    parts = [
        d.publisher or "湖南省民政厅",
        f"《{d.title}》",
        f"版本 {version}" if version else "",
        when,
    ]
    return "，".join(p for p in parts if p)
