"""Descriptors as real packages write them: validate passes what frictionless accepts, and the
build then publishes it (site, Datasette, DCAT, republished datapackage.json) as written.

The cases from `tests/fixtures/cases/` (README there) are copied into a scratch project; each test
names its case folder. They are part of the repository, so nothing skips.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from frictionless import Package as FrictionlessPackage
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from stdhub.config import Config
from stdhub.datasets.build import DataBuildFailed, build_data
from stdhub.datasets.check import check_datasets
from stdhub.datasets.descriptor import write_descriptor
from stdhub.datasets.manifest import read_manifest
from stdhub.datasette.metadata import datasette_metadata
from stdhub.opendata import dcat
from stdhub.opendata.downloads import data_package
from stdhub.opendata.prepare import OpenData
from stdhub.opendata.section import dataset_page
from stdhub.site.context import SiteContext

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "tests" / "fixtures" / "cases"  # copied into the repository (README there)
CONFIG = Config(site_url="http://127.0.0.1:8000/", data_url="http://127.0.0.1:8001/")


def _case(name: str, tmp_path: Path) -> Path:
    source = CASES / name
    shutil.copytree(source, tmp_path, dirs_exist_ok=True)
    return tmp_path / "datasets"


def _problems(report, code: str) -> list:
    return [p for p in report.problems if p.code == code]


def _published(tmp_path: Path, catalogue) -> tuple:
    """Build the data of tmp_path; (manifest dataset, Datasette database metadata, DCAT
    turtle, the dataset's site page as the open-data section renders it)."""
    build_data(tmp_path, catalogue, out=tmp_path / "build/data")
    manifest = read_manifest(tmp_path / "build" / "data")
    (d,) = manifest.datasets
    meta = datasette_metadata(manifest, catalogue, CONFIG)
    inputs = dcat.CatalogInput(manifest, catalogue, CONFIG, {})
    turtle = dcat.as_turtle(dcat.catalog_graph(inputs))
    today = dt.date(2026, 11, 28)
    ctx = SiteContext(catalogue, CONFIG, today, tmp_path)
    od = OpenData(manifest, catalogue, CONFIG, today, tmp_path)
    PAGES[d.name] = dataset_page(ctx, od, d, inputs)
    return d, meta["databases"].get(d.name, {}), turtle


PAGES: dict[str, str] = {}


def _page(d) -> str:
    """The page `_published` rendered for dataset `d`."""
    return PAGES[d.name]


@pytest.mark.parametrize(
    ("case", "shown"),
    [
        (
            "descriptor-license-uri",
            'href="http://opendatacommons.org/licenses/pddl/1.0/">Open Data Commons PDDL',
        ),
        ("descriptor-source-name-web", 'href="http://www.naturalearthdata.com/">Natural Earth'),
        (
            "descriptor-contributors-contact",
            'Peter Desmet · <a href="mailto:peter.desmet@example.org">',
        ),
        ("descriptor-temporal-start-only", "2021 起"),
        ("descriptor-last-modified-datetime", "<td>2023-02-06</td>"),
    ],
)
def test_descriptor_shapes_publish_as_written(case, shown, catalogue, tmp_path: Path) -> None:
    root = _case(case, tmp_path)
    _, report = check_datasets(root, catalogue, tmp_path)
    assert report.ok, report.as_text()
    d, db, turtle = _published(tmp_path, catalogue)
    assert shown in _page(d)
    if case == "descriptor-license-uri":
        assert db["license_url"] == "http://opendatacommons.org/licenses/pddl/1.0/"
        assert "<http://opendatacommons.org/licenses/pddl/1.0/>" in turtle
    if case == "descriptor-source-name-web":
        assert (db["source"], db["source_url"]) == (
            "Natural Earth",
            "http://www.naturalearthdata.com/",
        )
        # a web page is no DCAT dataset: DCAT-AP takes it as the dataset's provenance
        assert (
            "dct:provenance" in turtle
            and "Natural Earth（http://www.naturalearthdata.com/）" in turtle
        )
    if case == "descriptor-contributors-contact":
        assert "mailto:peter.desmet@example.org" in turtle
    if case == "descriptor-last-modified-datetime":
        assert d.last_updated == dt.date(2023, 2, 6)


def test_publicbodies_external_schema_survives(catalogue, tmp_path: Path) -> None:
    """publicbodies-license-uri: a real package, licence by `uri`, schema in its own file."""
    root = _case("publicbodies-license-uri", tmp_path)
    folder = root / "publicbodies"
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    _, report = check_datasets(root, catalogue, tmp_path)
    assert report.ok, report.as_text()
    d, db, _ = _published(tmp_path, catalogue)
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    schema = json.loads((folder / "public-body-schema.json").read_text(encoding="utf-8"))
    (table,) = d.tables
    assert table.rows == 129
    for written, f in zip(schema["fields"], table.fields, strict=True):
        assert f.written == written  # keys, formats, descriptions as the schema file wrote them
        assert f.description == written["description"]
        assert f.format == written.get("format", "")
    assert "（格式：email）" in db["tables"]["eu"]["columns"]["email"]
    import csv
    import sqlite3

    with (folder / "data/eu.csv").open(encoding="utf-8", newline="") as f:
        rows = [tuple(r) for r in csv.reader(f)][1:]
    con = sqlite3.connect(tmp_path / "build/data/publicbodies.db")
    loaded = [
        tuple("" if v is None else str(v) for v in r) for r in con.execute('SELECT * FROM "eu"')
    ]
    assert loaded == rows


def test_remote_schema_url_is_never_fetched(catalogue, tmp_path: Path) -> None:
    """remote-schema-url: a URL `schema` is refused (D031) saying to put the file beside it."""
    root = _case("remote-schema-url", tmp_path)
    _, report = check_datasets(root, catalogue, tmp_path)
    (p,) = _problems(report, "D031")
    assert (p.file, p.line, p.path) == (
        "datasets/remote-schema/datapackage.yaml",
        8,
        "$.resources[0].schema",
    )
    assert "下载到数据集目录" in p.hint and "schema.json" in p.hint
    assert not _problems(report, "D017")  # nothing tried to read it


@pytest.mark.parametrize("key", ["dialect", "profile"])
def test_remote_dialect_and_profile_refused(key, catalogue, make_dataset, check) -> None:
    make_dataset(
        {
            "name": "r",
            "access": "无条件开放",
            "resources": [{"name": "t", "path": "t.csv", key: "http://127.0.0.1:9/x.json"}],
        },
        {"t.csv": "a\n1\n"},
    )
    report = check()
    assert [p.path for p in _problems(report, "D031")] == [f"$.resources[0].{key}"]


def test_url_schemes_reported_and_never_linked(catalogue, tmp_path: Path) -> None:
    """descriptor-url-schemes: javascript: in licence, source and homepage is a D030 each."""
    root = _case("descriptor-url-schemes", tmp_path)
    _, report = check_datasets(root, catalogue, tmp_path)
    assert sorted(p.path for p in _problems(report, "D030")) == [
        "$.homepage",
        "$.licenses[0].path",
        "$.sources[0].path",
    ]
    # with those removed the rest publishes, and no other scheme becomes a link anywhere
    descriptor = root / "inj-urls/datapackage.yaml"
    text = descriptor.read_text(encoding="utf-8").replace("javascript:alert", "ftp-free text ")
    descriptor.write_text(text, encoding="utf-8")
    _, report = check_datasets(root, catalogue, tmp_path)
    assert report.ok, report.as_text()
    d, db, turtle = _published(tmp_path, catalogue)
    page = _page(d)
    assert "javascript:alert" not in page + json.dumps(db) + turtle
    assert 'href="ftp-free' not in page and "<ftp-free" not in turtle
    assert "source_url" not in db and "license_url" not in db


def test_deep_nesting_is_a_problem_at_the_file(tmp_path: Path, monkeypatch) -> None:
    """deep-nesting: ~600 levels of YAML and JSON, in datasets/ and standards/: Y007, exit 1."""
    from click.testing import CliRunner

    from stdhub.cli import cli

    project = tmp_path / "p"
    shutil.copytree(REPO / "standards", project / "standards")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    _case("deep-nesting", project)
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, RecursionError)
    deep = {line.split(":")[0] for line in result.output.splitlines() if " Y007 " in line}
    assert deep == {
        "datasets/deepjson/datapackage.json",
        "datasets/deepyaml/datapackage.yaml",
        "standards/management/HNMZ-T-0900-2026.yaml",
    }
    # the build reads descriptors the same way (its generator step too): a problem, no build/
    (project / "standards/management/HNMZ-T-0900-2026.yaml").unlink()
    result = CliRunner().invoke(cli, ["build", "--project", "."])
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, RecursionError)
    assert result.output.count(" Y007 ") == 2
    assert not any((project / "build").rglob("*"))  # (an empty build/ is left: the swap's)


def test_geojson_resource_refused_clearly(catalogue, tmp_path: Path) -> None:
    """geojson-resource: refused with a clear message; nothing at all is written."""
    root = _case("geojson-resource", tmp_path)
    _, report = check_datasets(root, catalogue, tmp_path)
    (lic,) = _problems(report, "D001")
    assert lic.path == "$.licenses[0]" and "path" in lic.message and "name" in lic.message
    descriptor = root / "world-boundaries/datapackage.json"
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    data["licenses"] = [{"name": "ODC-PDDL-1.0", "path": data["licenses"][0]["url"]}]
    descriptor.write_text(json.dumps(data), encoding="utf-8")
    _, report = check_datasets(root, catalogue, tmp_path)
    (p,) = _problems(report, "D033")
    assert "geojson" in p.message and p.path == "$.resources[0].format"
    with pytest.raises(DataBuildFailed):
        build_data(tmp_path, catalogue, out=tmp_path / "build/data")
    assert not (tmp_path / "build" / "data").exists()


def test_access_must_be_declared(catalogue, make_dataset, check) -> None:
    make_dataset({"name": "a", "resources": [{"name": "t", "path": "t.csv"}]}, {"t.csv": "a\n1\n"})
    (p,) = _problems(check(), "D016")
    assert "access" in p.message and "无条件开放" in p.message


def test_frictionless_notes_in_chinese_at_the_nested_property(make_dataset, check) -> None:
    make_dataset(
        {
            "name": "n",
            "access": "无条件开放",
            "resources": [
                {
                    "name": "t",
                    "path": "t.csv",
                    "schema": {
                        "fields": [
                            {"name": "a", "type": "integer"},
                            {"name": "b", "type": "intger"},
                            {"name": "c", "type": "integer", "format": 5},
                        ]
                    },
                }
            ],
        },
        {"t.csv": "a,b,c\n1,2,3\n"},
    )
    found = {p.path: p for p in _problems(check(), "D001")}
    assert set(found) == {
        "$.resources[0].schema.fields[1]",
        "$.resources[0].schema.fields[2].format",
    }
    assert found["$.resources[0].schema.fields[1]"].message.startswith("不支持的字段类型 `intger`")
    assert found["$.resources[0].schema.fields[2].format"].line > 1


def test_string_primary_key_and_geojson_spatial_accepted(
    catalogue, make_dataset, check, tmp_path
) -> None:
    make_dataset(
        {
            "name": "k",
            "access": "无条件开放",
            "spatial": {"type": "Point", "coordinates": [112.9, 28.2]},
            "resources": [
                {
                    "name": "t",
                    "path": "t.csv",
                    "schema": {"fields": [{"name": "id", "type": "string"}], "primaryKey": "id"},
                }
            ],
        },
        {"t.csv": "id\n01\n02\n"},
    )
    report = check()
    assert report.ok, report.as_text()
    assert [p.path for p in _problems(report, "D034")] == ["$.spatial"]
    d, _, _ = _published(tmp_path, catalogue)
    assert d.tables[0].primary_key == ("id",)


@pytest.mark.parametrize("name", ["with space", "what?", "hash#", "pct%"])
def test_folder_names_unusable_in_urls_refused(
    name, catalogue, make_dataset, check, tmp_path
) -> None:
    make_dataset(
        {"name": "x", "access": "无条件开放", "resources": [{"name": "t", "path": "t.csv"}]},
        {"t.csv": "a\n1\n"},
        name=name,
    )
    (p,) = _problems(check(), "D032")
    assert name in p.message
    with pytest.raises(DataBuildFailed):
        build_data(tmp_path, catalogue, out=tmp_path / "build/data")
    assert not (tmp_path / "build").exists() or not any((tmp_path / "build").rglob("*"))


def test_symlinked_dataset_folder_refused(make_dataset, check, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "pkg"
    outside.mkdir(parents=True)
    write_descriptor(
        outside / "datapackage.yaml",
        {"name": "x", "access": "无条件开放", "resources": [{"name": "t", "path": "t.csv"}]},
    )
    (outside / "t.csv").write_text("a\n1\n", encoding="utf-8")
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "linked").symlink_to(outside)
    (p,) = _problems(check(), "D032")
    assert "符号链接" in p.message


def test_descriptor_size_limit(make_dataset, check, tmp_path: Path) -> None:
    root = make_dataset(
        {"name": "big", "access": "无条件开放", "resources": [{"name": "t", "path": "t.csv"}]},
        {"t.csv": "a\n1\n"},
    )
    path = root / "big" / "datapackage.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "description: " + "长" * 600_000 + "\n", encoding="utf-8"
    )
    assert _problems(check(), "F002")


# validate ⇒ build: descriptor metadata variants as packages from elsewhere write them
_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)
_url = st.sampled_from(
    [
        "https://example.org/x",
        "http://a.b/",
        "javascript:alert(1)",
        "data:text/html,x",
        "LICENSE.txt",
        "mailto:a@b.cn",
    ]
)
# values of any JSON type where a string is expected
_odd = st.one_of(_text, st.integers(), st.none(), st.booleans(), st.lists(_text, max_size=2))
_licence = st.fixed_dictionaries(
    {},
    optional={"name": _text, "title": _text, "path": _url, "uri": _url, "url": _url, "type": _text},
)
_source = st.fixed_dictionaries(
    {},
    optional={
        "name": _text,
        "title": _text,
        "path": _url,
        "web": _url,
        "email": st.sampled_from(["a@b.cn", "x@y.gr ", "bad"]),
    },
)
_metadata = st.fixed_dictionaries(
    {},
    optional={
        "licenses": st.lists(_licence, max_size=2),
        "sources": st.lists(_source, max_size=2),
        "contributors": st.lists(
            st.fixed_dictionaries(
                {"title": _text},
                optional={
                    "email": st.sampled_from(["p@e.org", "bad mail"]),
                    "role": st.sampled_from(["contact", "author", "publisher"]),
                    "path": _url,
                },
            ),
            max_size=2,
        ),
        "homepage": _url,
        "temporal": st.fixed_dictionaries(
            {},
            optional={
                "start": st.sampled_from(["2021", "2021-03", "x"]),
                "end": st.sampled_from(["2024-12-31", "2024"]),
            },
        ),
        "last_modified": st.sampled_from(
            ["2023-02-06T11:23:03Z", "04/11/2018", "2023-02-06", "2023-02-30"]
        ),
        "updated": st.sampled_from(["2024-01-02", "2024-02-30", "2024"]),
        "spatial": st.one_of(
            st.sampled_from(["430000", "43"]), st.just({"type": "Point", "coordinates": [1, 2]})
        ),
        "version": st.sampled_from(["1.0.0", 2]),
        "title": _odd,
        "description": _odd,
        "domain": st.one_of(st.sampled_from(["社会救助", "其他"]), _odd),
        "update_frequency": st.sampled_from(["每月", "每旬"]),
        "created": st.sampled_from(["2023-02-06T11:23:03Z", "2023"]),
        "image": _url,
        "keywords": st.lists(_text, max_size=2),
        "publisher": _text,
        "contact": st.fixed_dictionaries(
            {}, optional={"name": _text, "email": st.sampled_from(["a@b.cn", "x@y.gr "])}
        ),
    },
)


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(extra=_metadata)
def test_whatever_validate_passes_the_build_publishes(extra, catalogue, tmp_path_factory) -> None:
    tmp_path = tmp_path_factory.mktemp("variant")
    folder = tmp_path / "datasets" / "variant"
    folder.mkdir(parents=True)
    descriptor = {
        "name": "variant",
        "access": "无条件开放",
        **extra,
        "resources": [
            {"name": "t", "path": "t.csv", "schema": {"fields": [{"name": "id", "type": "string"}]}}
        ],
    }
    write_descriptor(folder / "datapackage.yaml", descriptor)
    (folder / "t.csv").write_text("id\n01\n", encoding="utf-8")
    _, report = check_datasets(tmp_path / "datasets", catalogue, tmp_path)
    for p in report.problems:  # a Chinese lead before any English from frictionless
        assert re.search(r"[\u4e00-\u9fff]", p.message.split("frictionless：")[0]), p.format()
    event("validate passed" if report.ok else "validate refused")
    if not report.ok:
        return
    d, db, turtle = _published(tmp_path, catalogue)
    republished = data_package(d)  # the descriptor of the downloads is itself valid
    assert not list(FrictionlessPackage.metadata_validate(republished)), republished
    shown = _page(d) + json.dumps(db) + turtle + json.dumps(republished)
    for bad in ("javascript:", "data:text"):
        assert bad not in shown


def test_problem_in_an_external_schema_is_at_its_own_line(make_dataset, check) -> None:
    root = make_dataset(
        {
            "name": "s",
            "access": "无条件开放",
            "resources": [{"name": "t", "path": "t.csv", "schema": "schema.json"}],
        },
        {"t.csv": "a,b\n1,2\n"},
    )
    (root / "s" / "schema.json").write_text(
        '{\n  "fields": [\n    {"name": "a", "type": "integer"},\n'
        '    {"name": "b", "type": "integer", "format": 5}\n  ]\n}\n',
        encoding="utf-8",
    )
    (p,) = _problems(check(), "D001")
    assert (p.file, p.line) == ("datasets/s/schema.json", 4)
    assert p.path == "$.resources[0].schema.fields[1].format"


@pytest.mark.parametrize(
    ("resource", "where"),
    [
        ({"path": "http://127.0.0.1:9/t.csv"}, "$.resources[0].path"),
        ({"url": "http://127.0.0.1:9/t.csv"}, "$.resources[0].url"),
    ],
)
def test_remote_data_is_never_fetched(resource, where, make_dataset, check) -> None:
    make_dataset(
        {"name": "u", "access": "无条件开放", "resources": [{"name": "t", **resource}]}, {}
    )
    report = check()
    assert [p.path for p in _problems(report, "D031")] == [where]
    assert not _problems(report, "D017")


def test_local_profile_file_is_used_and_its_remote_refs_refused(make_dataset, check) -> None:
    root = make_dataset(
        {
            "name": "p",
            "access": "无条件开放",
            "profile": "profile.json",
            "resources": [{"name": "t", "path": "t.csv"}],
        },
        {"t.csv": "a\n1\n"},
    )
    profile = root / "p" / "profile.json"
    profile.write_text(json.dumps({"required": ["project"]}), encoding="utf-8")
    (p,) = _problems(check(), "D001")
    assert "缺少必填属性 `project`" in p.message
    profile.write_text(json.dumps({"$ref": "http://127.0.0.1:9/x.json"}), encoding="utf-8")
    (p,) = _problems(check(), "D031")
    assert p.path == "$.profile"
    profile.write_text(json.dumps({"required": ["name"]}), encoding="utf-8")
    assert check().ok


def test_emails_with_spaces(catalogue, make_dataset, check, tmp_path: Path) -> None:
    """A contact email with a stray space publishes trimmed; a bad contributor email is a D001
    at that contributor's line."""
    make_dataset(
        {
            "name": "e",
            "access": "无条件开放",
            "contact": {"name": "办公室", "email": "x@y.gr "},
            "resources": [{"name": "t", "path": "t.csv"}],
        },
        {"t.csv": "a\n1\n"},
    )
    assert check().ok
    d, _, turtle = _published(tmp_path, catalogue)
    assert d.metadata["contact"]["email"] == "x@y.gr" and "<mailto:x@y.gr>" in turtle
    make_dataset(
        {
            "name": "e",
            "access": "无条件开放",
            "contributors": [
                {"title": "A", "email": "a@b.org"},
                {"title": "B", "email": "b @c.org"},
            ],
            "resources": [{"name": "t", "path": "t.csv"}],
        },
        {"t.csv": "a\n1\n"},
    )
    (p,) = _problems(check(), "D001")
    assert p.path == "$.contributors[1].email" and "邮箱" in p.message


def test_packages_from_elsewhere_build_whole_site(tmp_path: Path) -> None:
    """The five descriptor-* cases and publicbodies-license-uri together, through a real
    `stdhub build` (site, Datasette, DCAT): each page shows what its descriptor says."""
    import subprocess
    import sys

    cases = [
        "descriptor-license-uri",
        "descriptor-source-name-web",
        "descriptor-contributors-contact",
        "descriptor-temporal-start-only",
        "descriptor-last-modified-datetime",
        "publicbodies-license-uri",
    ]
    project = tmp_path / "p"
    for case in cases:
        _case(case, project)
    shutil.copytree(REPO / "standards", project / "standards")
    shutil.copytree(REPO / "docs", project / "docs")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    for rel in ("src/stdhub/site/mkdocs_hook.py", "src/stdhub/site/theme"):
        config = config.replace(rel, str(REPO / rel))
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "stdhub", "build", "--project", str(project)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    site = project / "build" / "site" / "opendata"

    def page(name: str) -> str:
        return (site / name / "index.html").read_text(encoding="utf-8")

    assert 'href="http://opendatacommons.org/licenses/pddl/1.0/"' in page("tc-license-uri")
    assert 'href="http://www.naturalearthdata.com/"' in page("tc-source-name-web")
    assert "mailto:peter.desmet@example.org" in page("tc-contributors-contact")
    assert "2021 起" in page("tc-temporal-start-only")
    assert "2023-02-06" in page("tc-last-modified-datetime")
    assert "URI of an image for this Body" in page("publicbodies")
    meta = json.loads((project / "build/datasette/metadata.json").read_text(encoding="utf-8"))
    assert "source" not in meta  # never the portal's name on third-party pages
    assert meta["databases"]["tc-source-name-web"]["source"] == "Natural Earth"
    republished = json.loads((site / "publicbodies/downloads/datapackage.json").read_text())
    image = next(f for f in republished["resources"][0]["schema"]["fields"] if f["name"] == "image")
    assert image["format"] == "uri" and image["description"] == "URI of an image for this Body"


def test_data_package_v2_properties_publish(catalogue, make_dataset, check, tmp_path) -> None:
    v2 = "https://datapackage.org/profiles/2.0/"
    make_dataset(
        {
            "$schema": f"{v2}datapackage.json",
            "name": "v2pkg",
            "access": "无条件开放",
            "contributors": [
                {"title": "Jane", "email": "jane@example.org", "roles": ["contact"]},
                {"title": "某机构", "roles": ["publisher"]},
            ],
            "sources": [{"title": "来源", "path": "https://example.org/", "version": "1.0"}],
            "resources": [
                {
                    "$schema": f"{v2}dataresource.json",
                    "name": "t",
                    "type": "table",
                    "path": "t.csv",
                    "schema": {
                        "$schema": f"{v2}tableschema.json",
                        "fields": [
                            {"name": "id", "type": "string"},
                            {
                                "name": "sex",
                                "type": "integer",
                                "categories": [
                                    {"value": 1, "label": "男"},
                                    {"value": 2, "label": "女"},
                                ],
                            },
                        ],
                        "primaryKey": "id",
                        "missingValues": [
                            {"value": "", "label": "空"},
                            {"value": "-", "label": "无"},
                        ],
                    },
                }
            ],
        },
        {"t.csv": "id,sex\n01,1\n02,-\n"},
    )
    report = check()
    assert report.ok, report.as_text()
    d, db, _ = _published(tmp_path, catalogue)
    assert (d.publisher, d.metadata["contact"]["email"]) == ("某机构", "jane@example.org")
    assert d.tables[0].primary_key == ("id",) and db["source"] == "来源"


def test_links_in_the_markdown_description_are_checked_too(make_dataset, check) -> None:
    make_dataset(
        {
            "name": "m",
            "access": "无条件开放",
            "description": "详见[官网](https://a.cn)、[脚本](javascript:alert(1))和 <ftp://x.y/z>",
            "resources": [{"name": "t", "path": "t.csv"}],
        },
        {"t.csv": "a\n1\n"},
    )
    found = _problems(check(), "D030")
    assert sorted(p.message.split("`")[1] for p in found) == ["ftp://x.y/z", "javascript:alert(1)"]
    assert {p.path for p in found} == {"$.description"}
