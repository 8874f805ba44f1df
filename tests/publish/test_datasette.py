"""A real Datasette process serving the generated configuration directory, used as clients do."""

from __future__ import annotations

import re
from collections import Counter
from html import unescape
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from netutil import free_port
from publish_data import CATEGORIES, COUNTIES

from stdhub.config import Config
from stdhub.datasette.build import publish_datasette
from stdhub.datasette.settings import SETTINGS
from stdhub.processes import start_datasette, stop

FEEDBACK = "https://feedback.example.gov.cn/new?title={subject}&body={body}"


@pytest.fixture(scope="module")
def data(build_data, catalogue, tmp_path_factory):
    port = free_port()
    config = Config(
        feedback=FEEDBACK, site_url="http://127.0.0.1:8000/", data_url=f"http://127.0.0.1:{port}/"
    )
    out = publish_datasette(
        build_data, tmp_path_factory.mktemp("pub") / "datasette", catalogue, config
    )
    proc = start_datasette(out, "127.0.0.1", port)
    with httpx.Client(base_url=config.data_url, timeout=30) as client:
        yield client
    stop(proc)


def all_rows(client, path, **params):
    """Every row of a table through the JSON API, following `next_url`."""
    got = []
    url, query = f"{path}.json", {"_shape": "objects", "_size": "max", **params}
    while url:
        page = client.get(url, params=query).json()
        got.extend(page["rows"])
        url, query = page.get("next_url"), None
    return got


def test_rows_and_counts_match_the_source(data, source_rows):
    page = data.get("/assist-monthly/monthly.json", params={"_size": 10}).json()
    assert page["filtered_table_rows_count"] == len(source_rows)
    rows = all_rows(data, "/assist-monthly/monthly")
    rows.sort(key=lambda r: r["rowid"])  # the page's order is newest month first
    strip = [{k: v for k, v in r.items() if k != "rowid"} for r in rows]
    assert strip == source_rows


def test_facet_counts_and_labels_match_the_source(data, source_rows):
    facets = data.get("/assist-monthly/monthly.json").json()["facet_results"]
    county = {v["value"]: (v["label"], v["count"]) for v in facets["county_code"]["results"]}
    expected = Counter(r["county_code"] for r in source_rows)
    assert county == {code: (COUNTIES[code], n) for code, n in expected.items()}
    months = {v["value"]: v["count"] for v in facets["stat_month"]["results"]}
    assert months == Counter(r["stat_month"] for r in source_rows)


def test_filtered_json_matches_the_source(data, source_rows):
    got = all_rows(data, "/assist-monthly/monthly", county_code="430121", area_type_code="2")
    want = [r for r in source_rows if r["county_code"] == "430121" and r["area_type_code"] == "2"]
    assert len(got) == len(want) > 0
    assert sum(r["persons"] for r in got) == sum(r["persons"] for r in want)


@pytest.mark.parametrize("query", ["星沙", "泉塘街道", "镇", "沙街"])
def test_chinese_search_box_splits_like_the_index(data, source_rows, query):
    got = all_rows(data, "/assist-monthly/monthly", _search=query)
    want = [r for r in source_rows if query in r["town_name"]]
    assert len(got) == len(want)
    assert all(query in r["town_name"] for r in got)


def test_search_for_nothing_findable_finds_nothing(data):
    assert all_rows(data, "/assist-monthly/monthly", _search="长沙") == []
    assert all_rows(data, "/assist-monthly/monthly", _search="!!") == []


def test_search_box_keeps_what_the_user_typed(data):
    # with a filter, the table page searches within it and keeps the words in its box
    html = data.get("/assist-monthly/monthly", params={"_search": "星沙", "area_type_code": "1"})
    assert 'name="_search" value="星沙"' in html.text
    assert "搜索“星沙”" in html.text
    assert "/assist-monthly/monthly_search?q=%E6%98%9F%E6%B2%99" in html.text  # by relevance


def test_a_search_by_words_alone_lists_hits_by_relevance(data, build_data):
    """`?_search=` alone is answered by the relevance search: bm25 order, as SQLite ranks."""
    import sqlite3

    from stdhub import fts

    answer = data.get("/assist-monthly/monthly", params={"_search": "星沙 街道"})
    assert answer.status_code == 302
    assert (
        answer.headers["location"]
        == "/assist-monthly/monthly_search?q=%E6%98%9F%E6%B2%99+%E8%A1%97%E9%81%93"
    )
    page = data.get(answer.headers["location"])
    assert 'name="q" value="星沙 街道"' in page.text and "全文搜索（按相关度排列）" in page.text
    # each hit links to its record (the table has no key column: its rowid)
    first = re.search(r'<td class="col-[^"]*"><a href="/assist-monthly/monthly/(\d+)">', page.text)
    record = data.get(f"/assist-monthly/monthly/{first[1]}.json", params={"_shape": "objects"})
    assert "星沙" in record.json()["rows"][0]["town_name"]
    got = data.get(
        "/assist-monthly/monthly_search.json", params={"q": "街道", "_shape": "objects"}
    ).json()["rows"]
    conn = sqlite3.connect(build_data / "assist-monthly.db")
    ranked = conn.execute(
        "select t.town_name, t.county_code from monthly_fts f join monthly t on t.rowid = f.rowid"
        " where monthly_fts match ? order by f.rank",
        [fts.match_expression("街道")],
    ).fetchall()
    assert [(r["乡镇（街道）名称"], r["县级行政区划代码"]) for r in got] == ranked
    assert len(got) > 10 and all("街道" in r["乡镇（街道）名称"] for r in got)
    assert {r["县级行政区划名称"] for r in got} <= set(COUNTIES.values())  # codes named


def test_row_page_shows_each_code_with_its_label(data, source_rows):
    row = source_rows[6]  # rowid 7
    html = data.get("/assist-monthly/monthly/7").text
    county = re.search(r'<td class="col-county_code[^"]*">(.*?)</td>', html, re.S)[1]
    assert COUNTIES[row["county_code"]] in county and f"<em>{row['county_code']}</em>" in county
    assert 'href="/assist-monthly/CL-HNMZ-0101/' in county
    category = re.search(r'<td class="col-assistance_category_code[^"]*">(.*?)</td>', html, re.S)
    assert CATEGORIES[row["assistance_category_code"]] in category[1]
    # Chinese field titles beside the values, one field a line
    assert re.search(r'<th scope="row">县级行政区划代码<span class="stdhub-name">county_code', html)


def test_the_column_menu_script_is_chinese(data):
    html = data.get("/assist-monthly/monthly").text
    src = re.search(r'<script src="(/static/table\.js[^"]*)"', html)[1]
    script = data.get(unescape(src))
    assert script.status_code == 200
    assert "按此列分面统计" in script.text and ">Facet by this<" not in script.text


def test_filter_sentence_names_columns_and_codes(data):
    html = data.get("/assist-monthly/monthly", params={"county_code": "430102"}).text
    assert "县级行政区划代码 = 430102（芙蓉区）" in html
    html = data.get(
        "/assist-monthly/monthly",
        params={"assistance_category_code__in": "1,3", "_sort": "persons"},
    ).text
    assert "社会救助类别代码 属于 [1（城乡低保）、3（临时救助）]" in html
    assert "按 保障人数 升序" in html


def test_whole_table_csv_is_the_published_file(data):
    answer = data.get("/assist-monthly/monthly.csv", params={"_stream": "on", "_labels": "on"})
    assert answer.status_code == 302
    assert answer.headers["location"] == (
        "http://127.0.0.1:8000/opendata/assist-monthly/downloads/monthly.csv"
    )
    # a filtered view streams from Datasette, every matching row
    filtered = data.get(
        "/assist-monthly/monthly.csv", params={"_stream": "on", "county_code": "430102"}
    )
    assert filtered.status_code == 200
    assert len(filtered.text.strip().splitlines()) == 1 + 24
    html = data.get("/assist-monthly/monthly").text
    assert (
        'class="stdhub-csv" href="http://127.0.0.1:8000/opendata/assist-monthly/downloads/monthly.csv"'
        in html
    )


def test_canned_query_through_the_api(data, source_rows):
    got = data.get("/assist-monthly/monthly_per_year.json", params={"_shape": "objects"}).json()[
        "rows"
    ]
    assert {r["年份"]: r["记录数（条）"] for r in got} == Counter(
        r["stat_month"][:4] for r in source_rows
    )


def test_conditional_dataset_is_not_served(data):
    assert data.get("/assist-cases").status_code == 404
    assert data.get("/assist-cases/cases.json").status_code == 404
    names = [d["name"] for d in data.get("/-/databases.json").json()]
    assert sorted(names) == ["assist-monthly", "catalogue"]  # and the standards' catalogue


def test_read_only_public_settings(data):
    settings = data.get("/-/settings.json").json()
    assert settings["suggest_facets"] is False
    assert settings["default_page_size"] == SETTINGS["default_page_size"].value == 20
    assert settings["allow_download"] is False
    dbs = data.get("/-/databases.json").json()
    assert all(d["is_mutable"] is False for d in dbs)
    assert data.get("/assist-monthly.db").status_code == 403
    bad = data.get("/assist-monthly.json", params={"sql": "delete from monthly"})
    assert bad.status_code == 400
    assert data.get("/assist-monthly/monthly.json").json()["filtered_table_rows_count"] == 120


def test_cors_cache_and_page_cache_headers(data):
    first = data.get("/assist-monthly/monthly.json", params={"county_code": "430181"})
    second = data.get("/assist-monthly/monthly.json", params={"county_code": "430181"})
    assert first.headers["access-control-allow-origin"] == "*"
    assert first.headers["cache-control"] == "max-age=600"
    assert second.headers["x-stdhub-cache"] == "hit"
    assert first.content == second.content


def _feedback(html):
    links = re.findall(r'<a class="stdhub-feedback" href="([^"]+)"', html)
    assert links, "no 意见反馈 link"
    query = parse_qs(urlsplit(unescape(links[0])).query)
    return query["title"][0], query["body"][0]


@pytest.mark.parametrize(
    ("path", "where", "title"),
    [
        ("/assist-monthly", "assist-monthly", "社会救助月度统计（测试）"),
        (
            "/assist-monthly/monthly?county_code=430121",
            "assist-monthly/monthly",
            "县级社会救助月度统计",
        ),
        ("/assist-monthly/monthly/7", "assist-monthly/monthly/7", "第 7 条"),
        ("/assist-monthly/monthly_per_year", "assist-monthly/monthly_per_year", "年度合计"),
        ("/assist-monthly/CL-HNMZ-0101", "assist-monthly/CL-HNMZ-0101", "行政区划代码"),
    ],
)
def test_every_page_has_feedback_and_links_back(data, path, where, title):
    response = data.get(path)
    assert response.status_code == 200
    subject, body = _feedback(response.text)
    # named in words: the dataset's title, not its address `where` (issue 14)
    assert subject.startswith("意见反馈：社会救助月度统计（测试）")
    assert title in subject and where not in subject
    assert f"位置：{data.base_url.scheme}://{data.base_url.host}:{data.base_url.port}{path}" in body
    assert 'href="http://127.0.0.1:8000/opendata/assist-monthly/"' in response.text
    assert 'href="http://127.0.0.1:8000/standards/HNMZ-T-0102-2025/"' in response.text


def test_chrome_is_chinese(data):
    html = data.get("/assist-monthly/monthly").text
    for words in (
        "开放数据首页",
        "搜索：",
        "查询",
        "本页数据的其他格式",
        "县级行政区划代码",
        "导出 CSV",
    ):
        assert words in html
    for english in (">Apply<", "This data as", "Advanced export", ">home<"):
        assert english not in html
    assert "1,234" not in html  # amounts show as the standard writes them, e.g. "20 人"
    assert re.search(r"\d+&nbsp;人<", html)


def test_a_cut_csv_stream_ends_with_a_chinese_note(tmp_path):
    """Datasette cuts a stream at `max_csv_mb` with an English line; people read Chinese."""
    import asyncio
    import sqlite3

    from datasette.app import Datasette

    from stdhub.datasette.links import DatasetInfo, PluginSettings, TableInfo
    from stdhub.datasette.routes import Routes

    db = tmp_path / "big.db"
    conn = sqlite3.connect(db)
    conn.execute("create table t (id integer primary key, kind text, note text)")
    rows = [(i, "a", "说明" * 60) for i in range(12_000)]  # about 2.2 MB of CSV
    conn.executemany("insert into t values (?, ?, ?)", rows)
    conn.commit()
    conn.close()
    whole = "http://site.example/opendata/big/downloads/t.csv"
    settings = PluginSettings(
        Config(), "http://site.example/opendata/",
        {"big": DatasetInfo("大表", "http://site.example/", tables={"t": TableInfo("表", csv=whole)})},
    )  # fmt: skip
    ds = Datasette([str(db)], settings={"max_csv_mb": 1, "allow_csv_stream": True})
    app = Routes(ds.app(), settings)

    async def get(path: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://d") as client:
            return await client.get(path)

    cut = asyncio.run(get("/big/t.csv?_stream=on&kind=a"))
    lines = cut.text.splitlines()
    assert lines[-1].startswith("# 导出不完整：CSV 超过 1 MB") and whole in lines[-1]
    assert "CSV contains" not in cut.text
    assert 1 < len(lines) - 2 < len(rows)  # whole rows up to the limit, then the note
    assert all(line.endswith("说明") for line in lines[1:-1])
    assert asyncio.run(get("/big/t.csv?_stream=on")).headers["location"] == whole


def test_large_tables_sort_by_measures_through_an_index(
    build_data, data_manifest, tmp_path, monkeypatch
):
    """A sort by 保障人数 reads an index, not every row (`stdhub.datasette.sorting`)."""
    import shutil
    import sqlite3

    from stdhub.datasette import sorting

    monkeypatch.setattr(sorting, "SORT_ALL_BELOW", 10)
    db = tmp_path / "assist-monthly.db"
    shutil.copy(build_data / "assist-monthly.db", db)
    (monthly,) = [t for d in data_manifest.open_datasets for t in d.tables if t.name == "monthly"]
    made = sorting.write_sort_indexes(db, [monthly])
    assert made == ["monthly_households", "monthly_persons", "monthly_funds_yuan"]
    assert "persons" in sorting.sortable_columns(monthly)
    assert "standard_yuan" not in sorting.sortable_columns(monthly)  # a rate, not a measure
    conn = sqlite3.connect(db)
    plan = " ".join(
        r[-1]
        for r in conn.execute(
            "explain query plan select * from monthly order by persons desc limit 51"
        )
    )
    assert "monthly_persons" in plan and "TEMP B-TREE" not in plan
    assert sorting.write_sort_indexes(db, [monthly]) == made  # a second build adds nothing


def test_a_large_table_sorts_by_a_measure_not_by_a_rate(
    build_data, catalogue, tmp_path, monkeypatch
):
    """Sorting by 保障人数 used to be refused on large tables (only indexed columns were
    sortable, and nothing indexed the measures); the build now indexes them."""
    import shutil
    import sqlite3

    from stdhub.datasette import sorting

    monkeypatch.setattr(sorting, "SORT_ALL_BELOW", 10)  # the 120-row table counts as large
    data_dir = tmp_path / "data"
    shutil.copytree(build_data, data_dir)
    port = free_port()
    config = Config(site_url="http://127.0.0.1:8000/", data_url=f"http://127.0.0.1:{port}/")
    out = publish_datasette(data_dir, tmp_path / "datasette", catalogue, config)
    conn = sqlite3.connect(data_dir / "assist-monthly.db")
    indexes = {n for (n,) in conn.execute("select name from sqlite_master where type='index'")}
    conn.close()
    assert {"monthly_persons", "monthly_funds_yuan"} <= indexes
    proc = start_datasette(out, "127.0.0.1", port)
    try:
        with httpx.Client(base_url=config.data_url, timeout=30) as client:
            rows = client.get(
                "/assist-monthly/monthly.json", params={"_sort_desc": "persons", "_shape": "array"}
            ).json()
            persons = [r["persons"] for r in rows]
            page_size = SETTINGS["default_page_size"].value
            assert persons == sorted(persons, reverse=True) and len(persons) == page_size
            refused = client.get("/assist-monthly/monthly", params={"_sort": "standard_yuan"})
            assert refused.status_code == 400
            assert "保障人数" not in refused.text and "persons" in refused.text
    finally:
        stop(proc)


def test_stdhub_keeps_its_state_off_the_datasette_object(build_data, catalogue, tmp_path) -> None:
    """In one process, as `datasette serve` runs it: pages, facets and a row's labels are
    answered and nothing of stdhub's is set on Datasette's own object (issue 27)."""
    import asyncio

    from datasette.app import Datasette

    from stdhub.datasette import state

    config = Config(site_url="http://127.0.0.1:8000/", data_url="http://127.0.0.1:8001/")
    out = publish_datasette(build_data, tmp_path / "datasette", catalogue, config)
    ds = Datasette(config_dir=out)  # its settings.json and plugins/, as `datasette serve`
    before = set(vars(ds))

    async def pages() -> list[int]:
        await ds.invoke_startup()
        table = "/assist-monthly/monthly"
        paths = ["/", "/assist-monthly", table, f"{table}?_facet=county_code", f"{table}.json"]
        return [(await ds.client.get(p)).status_code for p in paths]

    assert asyncio.run(pages()) == [200] * 5
    kept = state.of(ds)
    assert kept.read and kept.settings is not None and kept.fastpath
    assert kept.foreign_keys  # the labels of the county codes were looked up
    assert not [a for a in set(vars(ds)) - before if "stdhub" in a]
