"""The 开放数据 section of the site: the catalogue of datasets and a page per dataset.

Each dataset page shows its metadata, every table's schema (each field linked to its data
element in the standard), row counts, last update, the validation summary, the quality
indicator, downloads, links into Datasette and the 意见反馈 link, and carries schema.org
`Dataset` JSON-LD. A 有条件开放 dataset shows its metadata and how to apply, never rows.
The catalogue is also published as DCAT at stable addresses.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import TYPE_CHECKING, Any

import jinja2

from stdhub import addresses
from stdhub.charts import number
from stdhub.datasets import published
from stdhub.datasets.manifest import Dataset, Field
from stdhub.datasette.queries import table_queries
from stdhub.opendata import api, dcat
from stdhub.opendata.quality import assess
from stdhub.site import feed
from stdhub.site.context import Link, Section, SiteContext
from stdhub.site.render import date, front_matter, heading, markdown, page_environment
from stdhub.vocab import Access

if TYPE_CHECKING:
    from stdhub.opendata.prepare import OpenData
    from stdhub.opendata.statistics import Chart
    from stdhub.standards.model import Catalogue


@cache
def _environment() -> jinja2.Environment:
    env = page_environment("stdhub.opendata", "pages")
    env.filters.update(md=markdown, heading=heading, date=date, size=human_size)
    env.globals.update(front_matter=front_matter)
    return env


def render(template: str, **context: Any) -> str:
    return _environment().get_template(template).render(**context)


def human_size(n: int) -> str:
    for unit in ("B", "KB", "MB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n:.1f} GB"


def _badge(access: str) -> str:
    return "current" if access == Access.OPEN else "closed"


def _element_link(f: Field) -> str | None:
    """The data element a field conforms to, on its standard's page (`#de-<id>`)."""
    if not f.standard_id or not f.element_id:
        return None
    return f"{addresses.standard(f.standard_id)}#de-{f.element_id}"


def _facets(datasets: tuple[Dataset, ...]) -> list[tuple[str, str, list[tuple[str, int]]]]:
    def counted(values: list[str]) -> list[tuple[str, int]]:
        return sorted(Counter(v for v in values if v).items())

    return [
        ("domain", "领域", counted([d.domain for d in datasets])),
        ("publisher", "发布单位", counted([d.publisher for d in datasets])),
        ("access", "开放属性", counted([d.access for d in datasets])),
        ("frequency", "更新频率", counted([d.update_frequency for d in datasets])),
    ]


def opendata_section(ctx: SiteContext, od: OpenData) -> Section:
    datasets = od.manifest.datasets
    inputs = dcat.CatalogInput(od.manifest, od.catalogue, ctx.config, od.downloads)
    graph = dcat.catalog_graph(inputs)
    page = addresses.OPENDATA
    files: dict[str, str | bytes] = {
        addresses.docs_path(page): render(
            "opendata.md",
            datasets=datasets,
            facets=_facets(datasets),
            quality={d.name: assess(d, ctx.today) for d in datasets},
            u=lambda target: addresses.relative(target, page),
            addresses=addresses,
            data_url=ctx.config.data_url,
            badge=_badge,
        ),
        addresses.DCAT_JSONLD: dcat.as_jsonld(graph),
        addresses.DCAT_TURTLE: dcat.as_turtle(graph),
    }
    for d in datasets:
        files[addresses.docs_path(addresses.dataset(d.name))] = dataset_page(ctx, od, d, inputs)
        for chart in (c for cs in od.charts.get(d.name, {}).values() for c in cs):
            files[chart_csv(d.name, chart)] = chart.csv()
        files[addresses.dataset_feed(d.name)] = dataset_feed(ctx, od, d)
    files[addresses.docs_path(addresses.API)] = render("api.md", **api.page_context(ctx, od))
    return Section(
        name="opendata",
        weight=45,
        files=files,
        nav=[{"开放数据": addresses.docs_path(page)}],
        not_in_nav=[f"/{page}*/"],
        entry=Link(
            "开放数据",
            page,
            f"{len(datasets)} 个数据集：说明、字段、下载，以及按条件查询和统计的在线接口",
        ),
    )


def _source_schema(d: Dataset, table: str) -> dict[str, Any]:
    """The Table Schema of `table` as the source descriptor wrote it ({} if none)."""
    for r in d.descriptor.get("resources") or []:
        if isinstance(r, dict) and r.get("name") == table and isinstance(r.get("schema"), dict):
            return dict(r["schema"])
    return {}


def dataset_page(ctx: SiteContext, od: OpenData, d: Dataset, inputs: dcat.CatalogInput) -> str:
    page = addresses.dataset(d.name)
    standards = {s: od.catalogue.standards.get(s) for s in d.conforms_to}
    data_url = ctx.config.data_url
    return render(
        "dataset.md",
        d=d,
        badge=_badge(d.access),
        quality=assess(d, ctx.today),
        standards=standards,
        downloads=od.downloads.get(d.name, []),
        download=lambda file: addresses.relative(addresses.download(d.name, file), page),
        element_link=lambda f: (
            addresses.relative(_element_link(f) or "", page) if _element_link(f) else None
        ),
        codelist=lambda list_id: addresses.relative(addresses.codelist(list_id), page),
        code_lists=od.catalogue.code_lists,
        datasette_table=lambda table: addresses.datasette_table(data_url, d.name, table),
        datasette_db=addresses.datasette_database(data_url, d.name),
        queries={t.name: table_queries(t) for t in d.tables},
        charts=od.charts.get(d.name, {}),
        chart_csv=lambda c: addresses.relative(chart_csv(d.name, c), page),
        chart_rows=lambda c: [(label, number(v, c.unit)) for label, v in c.points],
        u=lambda target: addresses.relative(target, page),
        addresses=addresses,
        place=dcat.place_name(str(d.metadata.get("spatial") or ""), od.catalogue),
        feedback=ctx.feedback(id=d.name, title=d.title, page=page, version=_version(d)),
        table_feedback={
            t.name: ctx.feedback(
                id=f"{d.name}/{t.name}",
                title=f"{d.title} · {t.title}",
                page=page,
                version=_version(d),
                anchor=f"table-{t.name}",
            )
            for t in d.tables
        },
        jsonld=dcat.schema_org_script(d, inputs),
        outcome=_outcome(od.catalogue, d.name, page),
        published_note=lambda f: published.declared(f.written),
        missing_note=lambda table: published.missing_note(
            _source_schema(d, table).get("missingValues")
        ),
        public_contact=lambda table, field: next(
            (
                e["reason"]
                for e in d.metadata.get("public_contact") or []
                if e["field"] == field and e["resource"] in ("", table)
            ),
            None,
        ),
    )


def chart_csv(dataset: str, chart: Chart) -> str:
    """The site path of the CSV of what a chart draws, beside its dataset's page."""
    return f"{addresses.dataset(dataset)}charts/{chart.file}"


def dataset_items(cat: Catalogue, d: Dataset, today) -> list[feed.Item]:
    """What a dataset's feed announces, newest first: the version of the data now published
    (dated by its `updated`), the published outcome of the comments on it, and the events of
    the data standards it follows (their ids are those of the site's feed: the same entry)."""
    page = addresses.dataset(d.name)
    version = _version(d)
    found: list[feed.Item] = []
    if d.last_updated and d.last_updated <= today:
        found.append(
            feed.Release(
                d.last_updated,
                f"数据更新：{d.title}" + (f"（{version} 版）" if version else ""),
                page,
                d.description,
                "数据更新",
                ("dataset", d.name, version, d.last_updated.isoformat()),
            )
        )
    f = cat.feedback.for_about(d.name) if cat.feedback else None
    day = f.published_on() if f else None
    if f is not None and day is not None and day <= today:
        counts = "，".join(f"{k} {n} 条" for k, n in f.counts().items() if n)
        found.append(
            feed.Release(
                day,
                f"{feed.OUTCOME}：{d.title}",
                addresses.consultation(d.name),
                f"公开 {len(f.answered)} 条意见的处理情况：{counts}",
                feed.OUTCOME,
                ("outcome", d.name, day.isoformat()),
            )
        )
    for sid in d.conforms_to:
        std = cat.standards.get(sid)
        if std is not None:
            found += [feed.Change(e.date, e, std) for e in std.history if e.date <= today]
    return sorted(found, key=lambda c: (c.date, c.id), reverse=True)


def dataset_feed(ctx: SiteContext, od: OpenData, d: Dataset) -> bytes:
    def url(address: str) -> str:
        return addresses.absolute(ctx.config.site_url, address)

    return feed.atom(
        dataset_items(od.catalogue, d, ctx.today),
        feed_id=feed.permanent_id("dataset", d.name),
        self_url=url(addresses.dataset_feed(d.name)),
        site_url=url(addresses.dataset(d.name)),
        page_url=url,
        title=f"{d.title} 的动态",
    )


def _outcome(cat: Catalogue, name: str, page: str) -> str:
    """The link to the dataset's 意见采纳情况 page, "" while it has no answered comment."""
    f = cat.feedback.for_about(name) if cat.feedback else None
    if f is None or not f.answered:
        return ""
    return addresses.relative(addresses.consultation(name), page)


def _version(d: Dataset) -> str:
    return str(d.metadata.get("version") or (d.last_updated or ""))
