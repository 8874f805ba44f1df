"""The `catalogue` database: the standards, data elements, code lists, list items,
consultations and answered comments, queried through Datasette like the datasets."""

from __future__ import annotations

import csv
import io
import sqlite3
from urllib.parse import quote

import httpx
import pytest
from serve_helpers import REPO, TODAY

from stdhub import addresses
from stdhub.datasette import catalogue as catalogue_db
from stdhub.feedback.public import COLUMNS
from stdhub.project import load_catalogue
from stdhub.vocab import Shown

CLOSED = "HNMZ/T 0206-2026"  # its consultation closed on 2026-06-30; feedback/ answers it


def _get(url: str, **params) -> httpx.Response:
    answer = httpx.get(url, params=params, timeout=60)
    assert answer.status_code == 200, (url, params, answer.status_code)
    return answer


@pytest.fixture(scope="module")
def shipped(served):
    """The served project's catalogue, and the day `stdhub serve --today` built it for."""
    catalogue, _ = load_catalogue(served.root / "standards", today=TODAY, base=served.root)
    return catalogue, TODAY


def test_standards_in_force_are_answered(served, shipped) -> None:
    catalogue, today = shipped
    url = served.data + "catalogue/standards.json"
    got = _get(url, status="现行", _shape="array", _size="max").json()
    expected = {
        s.id for s in catalogue.standards.values() if catalogue.status(s, today) == Shown.CURRENT
    }
    assert expected and {r["id"] for r in got} == expected
    assert all(r["status"] == "现行" for r in got)
    facets = _get(url, _facet="status").json()["facet_results"]
    counted = {v["value"]: v["count"] for v in facets["status"]["results"]}
    assert counted["现行"] == len(expected) and sum(counted.values()) == len(catalogue.standards)


def test_chinese_search_finds_by_a_two_character_word(served, shipped) -> None:
    catalogue, _ = shipped
    got = _get(served.data + "catalogue/standards.json", _search="低保", _shape="array").json()
    ids = {r["id"] for r in got}
    expected = {
        s.id
        for s in catalogue.standards.values()
        if "低保" in s.title + s.summary + "".join(s.keywords)
    }
    assert expected and expected <= ids
    elements = _get(served.data + "catalogue/data_elements.json", _search="身份", _shape="array")
    found = elements.json()
    assert any(r["name"] == "公民身份号码" for r in found)
    assert all("身份" in r["id"] + r["name"] + r["definition"] for r in found)


def test_every_table_links_back_to_pages_that_exist(served) -> None:
    db = sqlite3.connect(served.root / "build/datasette" / catalogue_db.FILE)
    site = served.root / "build/site"
    for spec in catalogue_db.TABLES:
        count = db.execute(f"select count(*) from {spec.name}").fetchone()[0]
        assert count, spec.name
        for (url,) in db.execute(f"select distinct url from {spec.name}"):
            assert url.startswith(served.site), (spec.name, url)
            page = url.removeprefix(served.site).split("#")[0]
            assert (site / page / "index.html").is_file(), (spec.name, url)
        answer = _get(served.data + f"catalogue/{spec.name}.json", _facet=spec.facets[0])
        assert answer.json()["facet_results"], spec.name


def test_the_comments_of_a_closed_consultation(served, shipped) -> None:
    catalogue, _ = shipped
    f = catalogue.feedback.for_about(CLOSED)
    answered = {e.id for e in f.answered}
    assert answered and len(answered) < len(f.entries) + 1
    rows = _get(
        served.data + "catalogue/comments.json", about=CLOSED, _shape="array", _size="max"
    ).json()
    assert {r["id"] for r in rows} == answered
    assert all(r["disposition"] and r["text"] for r in rows)
    assert set(rows[0]) == set(COLUMNS)  # the public part only: no time, title or anchor
    search = _get(served.data + "catalogue/comments.json", _search="公示", _shape="array").json()
    assert search and all(r["id"] in answered for r in search)
    page = served.site + addresses.consultation(CLOSED)
    for name in ("comments.csv", "comments.json"):
        assert f'href="{name}"' in _get(page).text
    table = list(csv.DictReader(io.StringIO(_get(page + "comments.csv").text)))
    assert tuple(table[0]) == COLUMNS
    assert {r["id"]: r for r in table} == {r["id"]: r for r in rows}
    downloaded = _get(page + "comments.json").json()["comments"]
    assert [r["received"] for r in downloaded] == sorted(r["received"] for r in rows)
    assert sorted(downloaded, key=lambda r: r["id"]) == sorted(rows, key=lambda r: r["id"])
    consultation = _get(
        served.data + "catalogue/consultations.json", standard=CLOSED, _shape="array"
    ).json()[0]
    assert consultation["answered"] == len(answered)
    assert consultation["comments_page"] == page


def test_the_database_is_in_the_index(served) -> None:
    names = [d["name"] for d in _get(served.data + "-/databases.json").json()]
    assert catalogue_db.NAME in names
    page = _get(served.data + quote(catalogue_db.NAME)).text
    assert catalogue_db.TITLE in page


def test_the_catalogue_database_is_the_shipped_catalogue() -> None:
    """The rows say what the YAML says (counted independently of the database)."""
    from stdhub.config import Config

    today = TODAY
    catalogue, _ = load_catalogue(REPO / "standards", today=today, base=REPO)
    got = catalogue_db.rows(catalogue, Config(), today)
    assert len(got["standards"]) == len(catalogue.standards)
    assert len(got["data_elements"]) == sum(
        len(s.data_elements) for s in catalogue.standards.values()
    )
    assert len(got["list_items"]) == sum(len(lst.items) for lst in catalogue.lists.values())
    assert sum(r["codes"] for r in got["code_lists"]) == len(got["codes"])
