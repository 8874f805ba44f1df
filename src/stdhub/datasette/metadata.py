"""Datasette's `metadata.json`, generated from the data manifest and the standards.

Nothing here is written by hand: titles and descriptions come from the data packages,
column descriptions and units from their Table Schemas, standards' titles from the
catalogue; facets, sortable columns and canned statistics from the columns' roles
(`stdhub.datasette.roles`). Only 无条件开放 datasets appear at all.
"""

from __future__ import annotations

from typing import Any

from stdhub import addresses
from stdhub.config import Config
from stdhub.datasets.manifest import Dataset, Field, Manifest, Table
from stdhub.datasette import catalogue as catalogue_db
from stdhub.datasette.links import DatasetInfo, PluginSettings, StandardRef, TableInfo
from stdhub.datasette.queries import table_queries
from stdhub.datasette.roles import roles
from stdhub.datasette.search import search_query, search_query_name
from stdhub.datasette.sorting import sortable_columns
from stdhub.datasette.units import custom_units, has_unit, pint_unit
from stdhub.standards.model import Catalogue

SITE_TITLE = "湖南省民政开放数据"


def datasette_metadata(manifest: Manifest, catalogue: Catalogue, config: Config) -> dict[str, Any]:
    datasets = manifest.open_datasets
    catalogue_page = addresses.absolute(config.site_url, addresses.OPENDATA)
    return {
        "title": SITE_TITLE,
        "description": (
            "湖南省民政厅开放数据的查询服务：按条件筛选、分面统计、中文全文搜索，"
            "每个表都可以 JSON 或 CSV 取用。数据集的说明、字段和整体下载见开放数据目录。"
        ),
        # no instance-wide `source`: Datasette would show it on pages of third-party data
        "about": "开放数据目录",
        "about_url": catalogue_page,
        "custom_units": custom_units(f for d in datasets for t in d.tables for f in t.fields),
        "databases": {
            **{d.name: _database(d, config) for d in datasets},
            catalogue_db.NAME: catalogue_db.metadata(config),
        },
        "plugins": {"stdhub": plugin_settings(manifest, catalogue, config).as_dict()},
    }


def plugin_settings(manifest: Manifest, catalogue: Catalogue, config: Config) -> PluginSettings:
    return PluginSettings(
        config=config,
        catalogue=addresses.absolute(config.site_url, addresses.OPENDATA),
        databases={
            **{d.name: _dataset_info(d, catalogue, config) for d in manifest.open_datasets},
            catalogue_db.NAME: catalogue_db.info(config),
        },
    )


def _dataset_info(d: Dataset, catalogue: Catalogue, config: Config) -> DatasetInfo:
    tables = {
        t.name: TableInfo(
            t.title,
            {f.name: f.title for f in t.fields},
            {f.name: f.unit for f in t.fields if f.unit and has_unit(f)},
            name_column(t) if len(t.primary_key) == 1 else "",
            _csv(d, t.name, config),
            search_query_name(t.name) if t.fts_table else "",
        )
        for t in d.tables
    }
    tables.update(
        {
            c.name: TableInfo(
                c.title, {"code": "代码", "name": "名称"}, label="name", csv=_csv(d, c.name, config)
            )
            for c in d.code_tables
        }
    )
    queries = {q.name: TableInfo(q.title) for t in d.tables for q in table_queries(t)}
    queries.update({name: TableInfo(q["title"]) for name, q in _search_queries(d).items()})
    return DatasetInfo(
        title=d.title,
        page=addresses.absolute(config.site_url, addresses.dataset(d.name)),
        version=str(d.metadata.get("version") or (d.last_updated or "")),
        standards=tuple(_standard_ref(s, catalogue, config) for s in d.conforms_to),
        tables=tables,
        queries=queries,
    )


def _standard_ref(std_id: str, catalogue: Catalogue, config: Config) -> StandardRef:
    std = catalogue.standards.get(std_id)
    return StandardRef(
        std_id,
        std.title if std else "",
        addresses.absolute(config.site_url, addresses.standard(std_id)),
    )


def _license(d: Dataset) -> dict[str, str]:
    """Datasette's source and licence of one dataset: its own, never the portal's by default.

    The source is the descriptor's first `sources` entry, else its publisher (its homepage
    as the address); Datasette would otherwise inherit the portal's 湖南省民政厅.
    """
    sources = d.metadata.get("sources") or []
    first = sources[0] if sources else {}
    out = {"source": first.get("title") or d.publisher or "未注明来源", "source_url": ""}
    if first.get("path") or (not first and d.metadata.get("homepage")):
        out["source_url"] = first.get("path") or d.metadata["homepage"]
    lic = d.licenses[0] if d.licenses else {}
    out["license"] = lic.get("title") or lic.get("name") or lic.get("path") or ""
    out["license_url"] = lic.get("path") or ""
    return {k: v for k, v in out.items() if v}


def _database(d: Dataset, config: Config) -> dict[str, Any]:
    credit = _license(d)
    page = addresses.absolute(config.site_url, addresses.dataset(d.name))
    tables = {t.name: {**_table(t), **credit} for t in d.tables}
    for c in d.code_tables:
        tables[c.name] = {
            "title": c.title,
            "description": f"代码表：{c.title}。数据表中的代码列通过外键关联本表，显示代码的名称。",
            "label_column": c.label_column,
            "columns": {"code": "代码", "name": "名称"},
            **credit,
        }
    queries = {q.name: q.as_metadata() for t in d.tables for q in table_queries(t)}
    queries.update(_search_queries(d))
    return {
        "title": d.title,
        "description": d.description,
        "about": "数据集说明、字段和下载",
        "about_url": page,
        **credit,
        "tables": tables,
        "queries": queries,
    }


def _csv(d: Dataset, table: str, config: Config) -> str:
    """The address of the CSV file the open-data section publishes for `table`."""
    return addresses.absolute(
        config.site_url, addresses.download(d.name, addresses.csv_file(table))
    )


def _search_queries(d: Dataset) -> dict[str, dict[str, Any]]:
    found = {search_query_name(t.name): search_query(t) for t in d.tables}
    return {name: q for name, q in found.items() if q}


def name_column(t: Table) -> str:
    """The column that names a record (机构名称, 社区（村）名称), or ""."""
    return next((f.name for f in t.fields if f.title.endswith("名称")), "")


def _column_description(f: Field) -> str:
    text = f"{f.title}：{f.description}" if f.description else f.title
    if f.unit:
        text += f"（单位：{f.unit}）"
    if f.format:
        text += f"（格式：{f.format}）"
    if f.element:
        text += f"［数据元 {f.element}］"
    return text


def _table(t: Table) -> dict[str, Any]:
    r = roles(t)
    meta: dict[str, Any] = {
        "title": t.title,
        "description": t.description,
        "columns": {f.name: _column_description(f) for f in t.fields},
    }
    units = {f.name: pint_unit(f.unit) for f in t.fields if has_unit(f)}
    if units:
        meta["units"] = units
    facets = [f.name for f in r.coded]
    if r.interval:
        facets.append(r.interval.name)
    if facets:
        meta["facets"] = facets
    # The label other tables' foreign keys show: the name of what a single key identifies.
    label = name_column(t)
    if label and len(t.primary_key) == 1:
        meta["label_column"] = label
    meta["sortable_columns"] = sortable_columns(t)
    # Newest first, when an index makes that cheap. Not when the month is part of a
    # compound primary key: there Datasette 0.65's `_next` pagination of a descending sort
    # skips rows (found by tests/publish/test_serve.py), and the key's order groups the
    # months already.
    if r.month and r.month.name in meta["sortable_columns"] and r.month.name not in t.primary_key:
        meta["sort_desc"] = r.month.name
    if t.fts_table:
        meta["fts_table"] = t.fts_table
        meta["fts_pk"] = "rowid"
    return meta
