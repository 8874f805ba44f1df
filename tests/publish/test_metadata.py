"""Datasette's metadata is generated from the manifest and the standards, never by hand."""

from __future__ import annotations

import json
import shutil
import sqlite3

from stdhub.datasette import catalogue as catalogue_db
from stdhub.datasette.metadata import datasette_metadata
from stdhub.datasette.queries import table_queries, write_summaries
from stdhub.datasette.settings import SETTINGS, datasette_settings


def test_only_open_datasets_are_published(data_manifest, catalogue, config):
    meta = datasette_metadata(data_manifest, catalogue, config)
    open_names = [d.name for d in data_manifest.open_datasets]
    assert open_names == ["assist-monthly"]
    # the open datasets and the standards catalogue's own database, nothing else
    assert list(meta["databases"]) == [*open_names, catalogue_db.NAME]
    assert "assist-cases" not in meta["databases"]
    assert "assist-cases" not in meta["plugins"]["stdhub"]["databases"]


def test_every_table_has_chinese_title_licence_and_source(data_manifest, catalogue, config):
    db = datasette_metadata(data_manifest, catalogue, config)["databases"]["assist-monthly"]
    assert db["title"] == "社会救助月度统计（测试）"
    assert db["tables"].keys() == {"monthly", "CL-HNMZ-0101", "CL-HNMZ-JZLB", "CL-HNMZ-0103"}
    for name, table in db["tables"].items():
        assert table["title"], name
        assert table["license"] == "知识共享 署名 4.0", name
        assert table["license_url"] == "https://creativecommons.org/licenses/by/4.0/", name
        # the dataset's own source, never the portal's 湖南省民政厅 by inheritance
        assert table["source"] == "湖南省社会救助信息系统", name


def test_columns_units_facets_sorting_search_and_labels(data_manifest, catalogue, config):
    tables = datasette_metadata(data_manifest, catalogue, config)["databases"]["assist-monthly"][
        "tables"
    ]
    monthly = tables["monthly"]
    assert monthly["columns"]["persons"].startswith("保障人数：")
    assert "（单位：人）" in monthly["columns"]["persons"]
    assert "HNMZ/T 0102-2025#PERSONS" in monthly["columns"]["persons"]
    assert monthly["units"] == {
        "households": "户",
        "persons": "人",
        "funds_yuan": "元",
        "standard_yuan": "元/(人*月)",
    }
    # division first, then the other coded columns, then the period
    assert monthly["facets"] == [
        "county_code",
        "assistance_category_code",
        "area_type_code",
        "stat_month",
    ]
    assert monthly["fts_table"] == "monthly_fts" and monthly["fts_pk"] == "rowid"
    assert monthly["sort_desc"] == "stat_month"
    assert tables["CL-HNMZ-0101"]["label_column"] == "name"


def test_large_tables_sort_only_by_indexed_columns(data_manifest, catalogue, config, monkeypatch):
    from stdhub.datasette import metadata, sorting

    monkeypatch.setattr(sorting, "SORT_ALL_BELOW", 10)
    monthly = metadata.datasette_metadata(data_manifest, catalogue, config)["databases"][
        "assist-monthly"
    ]["tables"]["monthly"]
    # the indexed codes and month, and the measures (indexed by stdhub.datasette.sorting)
    assert monthly["sortable_columns"] == [
        "stat_month", "county_code", "households", "persons", "funds_yuan"
    ]  # fmt: skip


def test_custom_units_declare_every_chinese_symbol(data_manifest, catalogue, config):
    meta = datasette_metadata(data_manifest, catalogue, config)
    assert meta["custom_units"] == ["人 = [人]", "元 = [元]", "户 = [户]", "月 = [月]"]


def test_links_back_to_the_site_and_the_standard(data_manifest, catalogue, config):
    plugin = datasette_metadata(data_manifest, catalogue, config)["plugins"]["stdhub"]
    db = plugin["databases"]["assist-monthly"]
    assert db["page"] == "http://127.0.0.1:8000/opendata/assist-monthly/"
    assert db["standards"] == [
        {
            "id": "HNMZ/T 0102-2025",
            "title": catalogue.standards["HNMZ/T 0102-2025"].title,
            "url": "http://127.0.0.1:8000/standards/HNMZ-T-0102-2025/",
        }
    ]
    assert plugin["feedback"] == config.feedback


def test_canned_queries_have_titles_and_descriptions(data_manifest):
    table = data_manifest.dataset("assist-monthly").table("monthly")
    queries = {q.name: q for q in table_queries(table)}
    assert set(queries) == {
        "monthly_by_division_month",
        "monthly_by_city_month",
        "monthly_by_assistance_category_code",
        "monthly_by_area_type_code",
        "monthly_per_year",
    }
    for q in queries.values():
        assert q.title.startswith("县级社会救助月度统计：") and q.description


def _run(db, sql, params=None):
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params or {})]
    finally:
        conn.close()


def test_canned_statistics_add_up_to_the_source_rows(
    data_manifest, build_data, source_rows, tmp_path
):
    table = data_manifest.dataset("assist-monthly").table("monthly")
    q = {q.name: q for q in table_queries(table)}
    db = tmp_path / "assist-monthly.db"
    shutil.copy(build_data / "assist-monthly.db", db)
    assert write_summaries(db, [table]) == [x.summary for x in q.values()]
    for query in q.values():  # the summary table holds exactly what its source computes
        key = lambda row: json.dumps(row, sort_keys=True)  # noqa: E731
        kept = _run(db, f"select * from [{query.summary}]")
        assert sorted(kept, key=key) == sorted(_run(db, query.source), key=key)
        assert "group by" not in query.sql and query.summary in query.sql

    per_year = _run(db, q["monthly_per_year"].sql)
    expected = {}
    for r in source_rows:
        year = expected.setdefault(str(r["stat_month"])[:4], [0, 0])
        year[0] += 1
        year[1] += r["persons"]
    assert {r["年份"]: [r["记录数（条）"], r["保障人数（人）"]] for r in per_year} == expected

    march = _run(db, q["monthly_by_division_month"].sql, {"month": "2025-03"})
    assert {r["月份"] for r in march} == {"2025-03"}
    assert {r["县级行政区划名称"] for r in march} == {
        "芙蓉区",
        "长沙县",
        "浏阳市",
        "荷塘区",
        "岳塘区",
    }
    funds = sum(r["funds_yuan"] for r in source_rows if r["stat_month"] == "2025-03")
    assert round(sum(r["支出资金（元）"] for r in march), 2) == round(funds, 2)
    every_month = _run(db, q["monthly_by_division_month"].sql, {"month": ""})
    assert len(every_month) == 4 * 5

    cities = _run(db, q["monthly_by_city_month"].sql, {"month": "2025-03"})
    expected = {}
    for r in source_rows:
        if r["stat_month"] == "2025-03":
            city = str(r["county_code"])[:4] + "00"
            expected[city] = expected.get(city, 0) + r["persons"]
    assert {r["市州代码"]: r["保障人数（人）"] for r in cities} == expected
    assert set(expected) == {"430100", "430200", "430300"}  # counties of three cities

    by_category = _run(db, q["monthly_by_assistance_category_code"].sql)
    assert {r["社会救助类别名称"]: r["记录数（条）"] for r in by_category} == {
        "城乡低保": 40,
        "特困供养": 40,
        "临时救助": 40,
    }


def test_settings_are_public_and_read_only():
    values = datasette_settings("https://data.example.gov.cn/")
    assert values["suggest_facets"] is False
    assert values["allow_download"] is False
    assert values["force_https_urls"] is True
    assert datasette_settings("http://127.0.0.1:8001/")["force_https_urls"] is False
    assert all(s.reason for s in SETTINGS.values())
