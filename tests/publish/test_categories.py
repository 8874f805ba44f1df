"""Data Package v2 `categories`: a value outside them is an error at its row; their labels
and facets show in Datasette, and the dataset page lists them (issue 20)."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest
from netutil import free_port
from roundtrip import publish, round_trip

from stdhub.config import Config
from stdhub.datasets.check import check_datasets
from stdhub.datasette.build import publish_datasette
from stdhub.opendata import dcat
from stdhub.opendata.prepare import OpenData
from stdhub.opendata.section import dataset_page
from stdhub.processes import start_datasette, stop
from stdhub.site.context import SiteContext

V2 = "https://datapackage.org/profiles/2.0/"


def _package(folder, rows: str) -> None:
    folder.mkdir(parents=True)
    descriptor = {
        "$schema": f"{V2}datapackage.json",
        "name": "cats",
        "title": "分类示例",
        "access": "无条件开放",
        "resources": [
            {
                "name": "people",
                "path": "people.csv",
                "schema": {
                    "fields": [
                        {"name": "id", "type": "string"},
                        {
                            "name": "sex",
                            "title": "性别",
                            "type": "integer",
                            "categories": [
                                {"value": 1, "label": "男"},
                                {"value": 2, "label": "女"},
                            ],
                        },
                        {"name": "stage", "type": "string", "categories": ["幼年", "成年"]},
                    ],
                    "primaryKey": "id",
                },
            }
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), "utf-8")
    (folder / "people.csv").write_text("id,sex,stage\n" + rows, encoding="utf-8")


def test_a_value_outside_the_categories_is_an_error_at_its_row(catalogue, tmp_path) -> None:
    _package(tmp_path / "datasets" / "cats", "a,1,幼年\nb,3,成年\nc,2,老年\n")
    _, report = check_datasets(tmp_path / "datasets", catalogue, tmp_path)
    found = sorted((p.line, p.path, p.code) for p in report.errors)
    assert found == [(3, "sex", "D013"), (4, "stage", "D013")], report.as_text()
    assert "“3”" in next(p.message for p in report.errors if p.line == 3)


@pytest.fixture(scope="module")
def published(catalogue, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cats")
    _package(tmp / "source" / "cats", "a,1,幼年\nb,2,成年\nc,2,\nd,,成年\n")
    manifest = publish([tmp / "source" / "cats"], tmp, catalogue)
    return tmp, manifest


def test_categories_round_trip_and_show_on_the_dataset_page(published, catalogue) -> None:
    tmp, manifest = published
    (d,) = manifest.open_datasets
    assert round_trip(d, tmp) == 12 + 2 * 4  # the table and its two category tables
    config = Config(site_url="http://127.0.0.1:8000/", data_url="http://127.0.0.1:8001/")
    today = dt.date(2026, 11, 28)
    inputs = dcat.CatalogInput(manifest, catalogue, config, {})
    page = dataset_page(
        SiteContext(catalogue, config, today, tmp),
        OpenData(manifest, catalogue, config, today, tmp),
        d,
        inputs,
    )
    assert "分类：<code>1</code> 男、<code>2</code> 女" in page
    assert "分类：<code>幼年</code>、<code>成年</code>" in page


def test_datasette_labels_and_facets_the_categories(published, catalogue) -> None:
    tmp, _ = published
    port = free_port()
    config = Config(site_url="http://127.0.0.1:8000/", data_url=f"http://127.0.0.1:{port}/")
    out = publish_datasette(tmp / "data", tmp / "datasette", catalogue, config)
    proc = start_datasette(out, "127.0.0.1", port)
    try:
        with httpx.Client(base_url=config.data_url, timeout=30) as client:
            page = client.get("/cats/people.json").json()
            facets = page["facet_results"]
            sex = {(v["value"], v["label"], v["count"]) for v in facets["sex"]["results"]}
            assert sex == {(1, "男", 1), (2, "女", 2)}
            params = {"_labels": "on", "_shape": "objects"}
            first = client.get("/cats/people.json", params=params).json()["rows"][0]
            assert first["sex"] == {"value": 1, "label": "男"}
            assert first["stage"] == {"value": "幼年", "label": "幼年"}
    finally:
        stop(proc)
