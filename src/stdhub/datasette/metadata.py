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
from stdhub.datasette.links import DatasetInfo, PluginSettings, StandardRef, TableInfo
from stdhub.datasette.queries import table_queries
from stdhub.datasette.roles import roles
from stdhub.datasette.units import custom_units, has_unit, pint_unit
from stdhub.standards.model import Catalogue

SITE_TITLE = "湖南省民政开放数据"
PUBLISHER = "湖南省民政厅"
# Sorting a large table by a column without an index sorts every row on every request.
SORT_ALL_BELOW = 100_000


def datasette_metadata(manifest: Manifest, catalogue: Catalogue, config: Config) -> dict[str, Any]:
    datasets = manifest.open_datasets
    catalogue_page = addresses.absolute(config.site_url, addresses.OPENDATA)
    return {
        "title": SITE_TITLE,
        "description": (
            "湖南省民政厅开放数据的查询服务：按条件筛选、分面统计、中文全文搜索，"
            "每个表都可以 JSON 或 CSV 取用。数据集的说明、字段和整体下载见开放数据目录。"
        ),
        "source": PUBLISHER,
        "source_url": config.site_url,
        "about": "开放数据目录",
        "about_url": catalogue_page,
        "custom_units": custom_units(f for d in datasets for t in d.tables for f in t.fields),
        "databases": {d.name: _database(d, config) for d in datasets},
        "plugins": {"stdhub": plugin_settings(manifest, catalogue, config).as_dict()},
    }


def plugin_settings(manifest: Manifest, catalogue: Catalogue, config: Config) -> PluginSettings:
    return PluginSettings(
        config=config,
        catalogue=addresses.absolute(config.site_url, addresses.OPENDATA),
        databases={d.name: _dataset_info(d, catalogue, config) for d in manifest.open_datasets},
    )


def _dataset_info(d: Dataset, catalogue: Catalogue, config: Config) -> DatasetInfo:
    tables = {
        t.name: TableInfo(
            t.title,
            {f.name: f.title for f in t.fields},
            {f.name: f.unit for f in t.fields if f.unit and has_unit(f)},
        )
        for t in d.tables
    }
    tables.update(
        {c.name: TableInfo(c.title, {"code": "代码", "name": "名称"}) for c in d.code_tables}
    )
    queries = {q.name: TableInfo(q.title) for t in d.tables for q in table_queries(t)}
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
    lic = d.licenses[0] if d.licenses else {}
    out = {"source": d.publisher or PUBLISHER}
    if lic:
        out["license"] = lic.get("title") or lic.get("name") or ""
        if lic.get("path"):
            out["license_url"] = lic["path"]
    homepage = d.metadata.get("homepage")
    if homepage:
        out["source_url"] = homepage
    return out


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
    return {
        "title": d.title,
        "description": d.description,
        "about": "数据集说明、字段和下载",
        "about_url": page,
        **credit,
        "tables": tables,
        "queries": queries,
    }


def _column_description(f: Field) -> str:
    text = f"{f.title}：{f.description}" if f.description else f.title
    if f.unit:
        text += f"（单位：{f.unit}）"
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
    if r.month:
        facets.append(r.month.name)
    if facets:
        meta["facets"] = facets
    # The label other tables' foreign keys show: the name of what a single key identifies.
    label = next((f.name for f in t.fields if f.title.endswith("名称")), None)
    if label and len(t.primary_key) == 1:
        meta["label_column"] = label
    meta["sortable_columns"] = _sortable(t)
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


def _sortable(t: Table) -> list[str]:
    """Every column of a small table; on a large one, those an index can sort by."""
    if t.rows is not None and t.rows < SORT_ALL_BELOW:
        return [f.name for f in t.fields]
    leading = {index[0] for index in t.indexes if index}
    leading.update(t.primary_key[:1])
    return [f.name for f in t.fields if f.name in leading]
