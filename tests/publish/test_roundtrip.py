"""What we publish is what we checked: every download package is a valid Data Package that
frictionless reads back to exactly the values in SQLite (issue 20)."""

from __future__ import annotations

import json

import pytest
from roundtrip import FIXTURES, publish, read_back_with_pandas, round_trip

# the failing-input cases that publish (tests/fixtures/cases/, README there)
PUBLISHABLE = [
    "csv-formula",
    "current-county-codes",
    "descriptor-contributors-contact",
    "descriptor-last-modified-datetime",
    "descriptor-license-uri",
    "descriptor-source-name-web",
    "descriptor-temporal-start-only",
    "download-csv-excel",
    "download-lexical-options",
    "no-schema-leading-zeros",
    "personal-false-positives",
    "publicbodies-license-uri",
]
OPEN = {"access": "无条件开放"}  # the line a data officer adds to a package from elsewhere


def _folders(case: str):
    return sorted((FIXTURES / "cases" / case / "datasets").iterdir())


@pytest.mark.parametrize("case", PUBLISHABLE)
def test_every_publishable_case_round_trips(case, catalogue, tmp_path) -> None:
    manifest = publish(_folders(case), tmp_path, catalogue)
    assert manifest.open_datasets
    for d in manifest.open_datasets:
        rows = sum(t.rows or 0 for t in d.tables)
        assert round_trip(d, tmp_path) >= rows  # at least a cell per row


@pytest.mark.parametrize(
    "folder",
    [
        FIXTURES / "reference" / "frictionless-v2-example",
        FIXTURES / "reference" / "country-codes",
        FIXTURES.parent / "datasets" / "reference" / "office-locations-geopoint",
    ],
    ids=lambda p: p.name,
)
def test_every_reference_package_round_trips(folder, catalogue, tmp_path) -> None:
    extra = {} if "无条件开放" in _descriptor_text(folder) else OPEN
    manifest = publish([folder], tmp_path, catalogue, **extra)
    (d,) = manifest.open_datasets
    assert round_trip(d, tmp_path) > 0
    assert read_back_with_pandas(d, tmp_path) > 0


@pytest.mark.parametrize("name", ["elderly-care-institutions", "social-organizations"])
def test_the_projects_own_datasets_round_trip(name, catalogue, tmp_path) -> None:
    """Two of datasets/ (the others are larger; `stdhub serve`'s test validates them all)."""
    (d,) = publish([FIXTURES.parents[1] / "datasets" / name], tmp_path, catalogue).open_datasets
    assert round_trip(d, tmp_path) > 1000
    assert read_back_with_pandas(d, tmp_path) > 1000


def _descriptor_text(folder) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in folder.glob("datapackage.*"))


def test_lexical_options_are_those_of_the_published_csv(catalogue, tmp_path) -> None:
    """`decimalChar: ","`/`groupChar: "."`, `trueValues: [是]`, `format: %Y/%m/%d` over a
    CSV holding `1234.5`, `1`, `2024-03-01`: frictionless reads back 1234.5, not 12345."""
    from frictionless import Resource

    manifest = publish(_folders("download-lexical-options"), tmp_path, catalogue)
    (d,) = manifest.open_datasets
    round_trip(d, tmp_path)
    folder = tmp_path / "dl" / d.name
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    resource = Resource(package["resources"][0], basepath=str(folder))
    rows = [r.to_dict() for r in resource.read_rows()]
    assert [float(r["amount"]) for r in rows] == [1234.5, 12.75]
    assert [r["is_disabled"] for r in rows] == [True, False]
    assert [r["paid_date"].isoformat() for r in rows] == ["2024-03-01", "2024-03-15"]
    assert [float(r["subsidy"]) for r in rows] == [1200, 80]
    fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    for name, option in [
        ("amount", "decimalChar"),
        ("amount", "groupChar"),
        ("is_disabled", "trueValues"),
        ("paid_date", "format"),
        ("subsidy", "bareNumber"),
    ]:
        assert option not in fields[name], (name, option)
    assert fields["paid_date"]["sourceOptions"] == {"format": "%Y/%m/%d"}  # declared
    assert fields["amount"]["sourceOptions"] == {"decimalChar": ",", "groupChar": "."}
    assert package["resources"][0]["schema"]["primaryKey"] == ["item_no"]
    assert package["temporal"] == {"start": "2024-01-01", "end": "2024-12-31"}


def _page(manifest, d, catalogue, tmp_path) -> str:
    """The dataset's page as the open-data section renders it."""
    import datetime as dt

    from stdhub.config import Config
    from stdhub.opendata import dcat
    from stdhub.opendata.prepare import OpenData
    from stdhub.opendata.section import dataset_page
    from stdhub.site.context import SiteContext

    config = Config(site_url="http://127.0.0.1:8000/", data_url="http://127.0.0.1:8001/")
    today = dt.date(2026, 11, 28)
    return dataset_page(
        SiteContext(catalogue, config, today, tmp_path),
        OpenData(manifest, catalogue, config, today, tmp_path),
        d,
        dcat.CatalogInput(manifest, catalogue, config, {}),
    )


def test_the_dataset_page_declares_what_the_downloads_hold(catalogue, tmp_path) -> None:
    manifest = publish(_folders("download-lexical-options"), tmp_path, catalogue)
    (d,) = manifest.open_datasets
    page = _page(manifest, d, catalogue, tmp_path)
    assert "源文件的写法（格式 %Y/%m/%d）在下载和在线查询中统一为 YYYY-MM-DD" in page
    assert "小数点 “,”，千位分隔符 “.”）在下载和在线查询中统一为 1234.5" in page
    assert "“是” 表示是，“否” 表示否）在下载和在线查询中统一为 1（是）/ 0（否）" in page
    assert "date（%Y/%m/%d）" not in page


def test_v2_example_keeps_what_still_holds(catalogue, tmp_path) -> None:
    """The official v2 example: `$schema`, id, created, temporal, foreign keys, labelled
    missing values and categories survive; `%x` dates read back as in SQLite; `…Z` stays."""
    import sqlite3

    manifest = publish([FIXTURES / "reference" / "frictionless-v2-example"], tmp_path, catalogue)
    (d,) = manifest.open_datasets
    round_trip(d, tmp_path)
    package = json.loads((tmp_path / "dl" / d.name / "datapackage.json").read_text("utf-8"))
    source = json.loads(
        (FIXTURES / "reference" / "frictionless-v2-example" / "datapackage.json").read_text("utf-8")
    )
    for key in ("$schema", "id", "created", "temporal", "licenses", "version"):
        assert package[key] == source[key], key
    assert "spatial" not in package  # null: absent
    written = {r["name"]: r for r in source["resources"]}
    for r in package["resources"]:
        if r["name"] not in written:
            continue  # a code table
        src = written[r["name"]]["schema"]
        fks = r["schema"].get("foreignKeys", [])
        assert fks[: len(src.get("foreignKeys", []))] == src.get("foreignKeys", []), r["name"]
        for f in src["fields"]:  # categories published as a code table beside the data
            if "categories" in f:
                assert {
                    "fields": [f["name"]],
                    "reference": {"resource": f"{r['name']}.{f['name']}", "fields": ["code"]},
                } in fks
        assert r["$schema"] == written[r["name"]]["$schema"]
        fields = {f["name"]: f for f in r["schema"]["fields"]}
        for f in src["fields"]:
            if "categories" in f:
                assert fields[f["name"]]["categories"] == f["categories"]
        if "missingValues" in src:  # labels kept, "" (an empty cell) first
            assert r["schema"]["missingValues"] == src["missingValues"], r["name"]
    page = _page(manifest, d, catalogue, tmp_path)
    note = (
        "源文件中表示缺失的 “NA”（not applicable）、“NaN”（not a number） 在数据库和下载中都是空值"
    )
    assert note in page
    con = sqlite3.connect(tmp_path / "data" / (d.db or ""))
    stamps = [s for (s,) in con.execute("select timestamp from observations")]
    con.close()
    assert stamps and all(s.endswith("Z") for s in stamps), stamps


@pytest.mark.parametrize("case", PUBLISHABLE)
def test_pandas_reads_every_download_back(case, catalogue, tmp_path) -> None:
    """The CSV (typed by the published descriptor) and the XLSX of every table, as pandas
    reads them, hold exactly the values in SQLite."""
    manifest = publish(_folders(case), tmp_path, catalogue)
    for d in manifest.open_datasets:
        assert read_back_with_pandas(d, tmp_path) >= sum(t.rows or 0 for t in d.tables)
