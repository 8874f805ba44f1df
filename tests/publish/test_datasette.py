"""A real Datasette process serving the generated configuration directory, used as clients do."""

from __future__ import annotations

import re
from collections import Counter
from html import unescape
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from publish_data import COUNTIES, free_port

from stdhub.config import Config
from stdhub.datasette.build import publish_datasette
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
    html = data.get("/assist-monthly/monthly", params={"_search": "星沙"}).text
    assert 'name="_search" value="星沙"' in html
    assert "搜索“星沙”" in html


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
    assert names == ["assist-monthly"]


def test_read_only_public_settings(data):
    settings = data.get("/-/settings.json").json()
    assert settings["suggest_facets"] is False
    assert settings["default_page_size"] == 50
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
