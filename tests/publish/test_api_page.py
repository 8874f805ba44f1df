"""The developer page: every example on it is a working address into our own data."""

from __future__ import annotations

import html
import re

import httpx


def test_every_example_on_the_developer_page_answers(served) -> None:
    page = httpx.get(served.site + "opendata/api/", timeout=30)
    assert page.status_code == 200
    text = page.text
    for words in (
        "_shape=array",
        "_size",
        "_next",
        "_search",
        "_facet",
        "CORS",
        "引用数据集",
        "标准目录数据库",
    ):
        assert words in text, words
    links = sorted(
        {html.unescape(h) for h in re.findall(r'href="([^"]+)"', text) if h.startswith(served.data)}
    )
    assert len(links) > 20  # the tables, the examples and every canned statistic
    failed = []
    for url in links:
        answer = httpx.get(url, timeout=60)
        if answer.status_code != 200:
            failed.append((url, answer.status_code))
        elif url.endswith(".json") or ".json?" in url:
            answer.json()  # JSON that parses
    assert failed == []
    search = next(u for u in links if "_search=" in u)
    assert httpx.get(search, timeout=60).json()["rows"], "the search example finds something"
    facet = next(u for u in links if "_facet=" in u)
    assert httpx.get(facet, timeout=60).json()["facet_results"]
    in_force = next(u for u in links if "/catalogue/standards.json?status=" in u)
    answer = httpx.get(in_force, timeout=60).json()
    status = answer["columns"].index("status")
    assert answer["rows"] and {r[status] for r in answer["rows"]} == {"现行"}
    searches = [u for u in links if "/catalogue/" in u and "_search=" in u]
    assert searches and all(httpx.get(u, timeout=60).json()["rows"] for u in searches)
    comments = next(u for u in links if "/catalogue/comments.csv?" in u)
    assert httpx.get(comments, timeout=60).text.count("\n") > 1  # a header and comments


def test_the_open_data_page_links_the_developer_page(served) -> None:
    assert 'href="api/"' in httpx.get(served.site + "opendata/", timeout=30).text
