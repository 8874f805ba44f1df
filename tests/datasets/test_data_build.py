"""`build/data/`: the shipped datasets loaded into real SQLite files, checked from the outside.

The project is copied to a temporary folder; the ~1M-row dataset is generated there by its
own generator (as `stdhub build` does when it is missing), made small with the
generator's `--villages-per-county` parameter.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml
from data_helpers import MARRIAGE_HEADER, MARRIAGE_ROWS, csv_text, marriage_descriptor

from stdhub import fts
from stdhub.datasets import manifest
from stdhub.datasets.build import build_data
from stdhub.datasets.descriptor import write_descriptor
from stdhub.errors import DataBuildFailed
from stdhub.vocab import Access

REPO = Path(__file__).resolve().parents[2]
VILLAGES_PER_COUNTY = 2


def _copy_project(target: Path) -> Path:
    shutil.copytree(REPO / "standards", target / "standards")
    shutil.copytree(
        REPO / "datasets", target / "datasets", ignore=shutil.ignore_patterns("*.large.csv")
    )
    (target / "scripts").mkdir()
    shutil.copy(REPO / "scripts/gen_datasets.py", target / "scripts")
    large = target / "datasets/dibao-village-monthly/datapackage.yaml"
    text = large.read_text(encoding="utf-8")
    assert "- dibao-village-monthly\n" in text
    large.write_text(
        text.replace(
            "- dibao-village-monthly\n",
            f"- dibao-village-monthly\n  - --villages-per-county\n  - '{VILLAGES_PER_COUNTY}'\n",
            1,
        ),
        encoding="utf-8",
    )
    return target


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory, catalogue) -> Path:
    root = _copy_project(tmp_path_factory.mktemp("project"))
    build_data(root, catalogue, out=root / "build" / "data")
    return root


@pytest.fixture(scope="session")
def data(project: Path) -> Path:
    return project / "build" / "data"


@pytest.fixture(scope="session")
def entries(data: Path) -> dict[str, dict]:
    m = json.loads((data / manifest.FILE_NAME).read_text(encoding="utf-8"))
    assert m["format"] == manifest.FORMAT
    return {d["name"]: d for d in m["datasets"]}


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def _csv_records(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def test_the_large_dataset_was_generated_small(project: Path) -> None:
    rows = _csv_records(project / "datasets/dibao-village-monthly/data/monthly.large.csv")
    assert rows == 122 * VILLAGES_PER_COUNTY * 60


def test_one_database_per_open_dataset(data: Path, entries: dict[str, dict]) -> None:
    shipped = {p.name for p in (REPO / "datasets").iterdir() if p.is_dir()}
    assert set(entries) == shipped
    for name, entry in entries.items():
        if entry["access"] == "无条件开放":
            assert entry["db"] == f"{name}.db" and (data / entry["db"]).is_file()
    assert sorted(p.name for p in data.iterdir()) == sorted(
        [e["db"] for e in entries.values() if e["db"]] + [manifest.FILE_NAME]
    )


def test_databases_pass_integrity_and_foreign_key_checks(
    data: Path, entries: dict[str, dict]
) -> None:
    for entry in entries.values():
        if entry["db"]:
            con = _connect(data / entry["db"])
            assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert con.execute("PRAGMA foreign_key_check").fetchall() == []


def test_row_counts_equal_the_sources(project: Path, data: Path, entries: dict[str, dict]) -> None:
    for name, entry in entries.items():
        if not entry["db"]:
            continue
        con = _connect(data / entry["db"])
        descriptor = yaml.safe_load(
            (project / "datasets" / name / "datapackage.yaml").read_text(encoding="utf-8")
        )
        for resource in descriptor["resources"]:
            source = _csv_records(project / "datasets" / name / resource["path"])
            loaded = con.execute(f'SELECT count(*) FROM "{resource["name"]}"').fetchone()[0]
            table = next(t for t in entry["tables"] if t["name"] == resource["name"])
            assert loaded == source == table["rows"], (name, resource["name"])
            assert source > 0


def test_column_types_keep_codes_as_text(data: Path) -> None:
    con = _connect(data / "social-assistance-monthly.db")
    declared = {r[1]: r[2] for r in con.execute('PRAGMA table_info("monthly")')}
    assert declared["county_code"] == "TEXT"
    assert declared["assistance_category_code"] == "TEXT"
    assert declared["households"] == "INTEGER"
    assert declared["funds_yuan"] == "REAL"
    codes = {r[0] for r in con.execute("SELECT DISTINCT assistance_category_code FROM monthly")}
    assert codes == {"01", "02"}  # leading zeros kept
    kinds = con.execute(
        "SELECT typeof(county_code), typeof(households), typeof(funds_yuan) FROM monthly LIMIT 1"
    ).fetchone()
    assert kinds == ("text", "integer", "real")
    village = (
        _connect(data / "dibao-village-monthly.db")
        .execute("SELECT village_code, typeof(village_code) FROM villages LIMIT 1")
        .fetchone()
    )
    assert len(village[0]) == 12 and village[1] == "text"


def test_primary_and_foreign_keys_and_labels(data: Path, entries: dict[str, dict]) -> None:
    con = _connect(data / "social-assistance-monthly.db")
    pk = [
        r[1]
        for r in sorted(con.execute('PRAGMA table_info("monthly")'), key=lambda r: r[5])
        if r[5]
    ]
    assert pk == ["stat_month", "county_code", "assistance_category_code", "area_type_code"]
    fks = {(r[3], r[2], r[4]) for r in con.execute('PRAGMA foreign_key_list("monthly")')}
    assert fks == {
        ("county_code", "CL-HNMZ-0101", "code"),
        ("assistance_category_code", "CL-HNMZ-JZLB", "code"),
        ("area_type_code", "CL-HNMZ-0103", "code"),
    }
    label = con.execute(
        'SELECT c.name FROM monthly m JOIN "CL-HNMZ-0101" c ON c.code = m.county_code WHERE m.county_code = ? LIMIT 1',
        ("430121",),
    ).fetchone()
    assert label == ("长沙县",)
    village = _connect(data / "dibao-village-monthly.db")
    assert ("village_code", "villages", "village_code") in {
        (r[3], r[2], r[4]) for r in village.execute('PRAGMA foreign_key_list("monthly")')
    }
    table = entries["social-assistance-monthly"]["tables"][0]
    assert {"fields": ["county_code"], "table": "CL-HNMZ-0101", "columns": ["code"]} in table[
        "foreign_keys"
    ]
    field = next(f for f in table["fields"] if f["name"] == "funds_yuan")
    assert field.pop("written")["name"] == "funds_yuan"  # the field as the descriptor wrote it
    assert field == {
        "name": "funds_yuan",
        "title": "支出资金",
        "type": "number",
        "sqlite_type": "REAL",
        "description": "当月实际发放的救助资金。（单位：元）",
        "unit": "元",
        "code_list": None,
        "element": "HNMZ/T 0102-2025#ZCZJ",
        "format": "",
    }


def test_indexes_on_the_columns_people_filter_by(data: Path, entries: dict[str, dict]) -> None:
    con = _connect(data / "dibao-village-monthly.db")
    indexed = {
        con.execute(f'PRAGMA index_info("{r[1]}")').fetchone()[2]
        for r in con.execute('PRAGMA index_list("monthly")')
    }
    assert {
        "county_code",
        "village_code",
        "stat_month",
    } <= indexed  # stat_month through the primary key
    plan = " ".join(
        r[3]
        for r in con.execute(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM monthly WHERE county_code = '430121'"
        )
    )
    assert "USING COVERING INDEX monthly_county_code" in plan
    # a two-valued category (城市/农村) has no index: a filter on it reads half the table
    # anyway, and with a county the county's index is the one taken
    assert "area_type_code" not in indexed
    plan = " ".join(
        r[3]
        for r in con.execute(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM monthly"
            " WHERE county_code = '430121' AND area_type_code = '1'"
        )
    )
    assert "INDEX monthly_county_code" in plan


def _search(con: sqlite3.Connection, table: str, query: str) -> list[tuple]:
    sql = f'SELECT * FROM "{table}" WHERE rowid IN (SELECT rowid FROM "{table}_fts" WHERE "{table}_fts" MATCH ?)'
    return con.execute(sql, (fts.match_expression(query),)).fetchall()


def test_chinese_full_text_search(data: Path, entries: dict[str, dict]) -> None:
    divisions = _connect(data / "hunan-divisions.db")
    assert {r[1] for r in _search(divisions, "divisions", "长沙")} == {"长沙市", "长沙县"}
    assert {r[1] for r in _search(divisions, "divisions", "土家族苗族")} == {"湘西土家族苗族自治州"}
    orgs = _connect(data / "social-organizations.db")
    found = _search(orgs, "organizations", "低保")
    expected = orgs.execute(
        "SELECT count(*) FROM organizations WHERE business_scope LIKE '%低保%' OR org_name LIKE '%低保%'"
    ).fetchone()[0]
    assert len(found) == expected > 0
    homes = _connect(data / "elderly-care-institutions.db")
    name, address = homes.execute(
        "SELECT institution_name, address FROM institutions WHERE address LIKE '%8号' LIMIT 1"
    ).fetchone()
    number = address.rsplit("区", 1)[-1].rsplit("县", 1)[-1]
    assert name in {r[1] for r in _search(homes, "institutions", number)}
    assert entries["hunan-divisions"]["tables"][0]["fts"] == {
        "table": "divisions_fts",
        "columns": ["division_name"],
    }


def test_conditional_dataset_has_no_rows_anywhere(
    project: Path, data: Path, entries: dict[str, dict]
) -> None:
    entry = entries["assistance-cases"]
    assert entry["access"] == "有条件开放" and entry["db"] is None
    assert "申请方式" in entry["access_conditions"]
    assert [t["rows"] for t in entry["tables"]] == [None]
    assert [f["name"] for f in entry["tables"][0]["fields"]][:2] == ["case_id", "county_code"]
    first_case = (
        (project / "datasets/assistance-cases/data/cases.csv")
        .read_text(encoding="utf-8")
        .splitlines()[1]
        .split(",")[0]
    )
    for path in data.iterdir():
        assert first_case.encode() not in path.read_bytes(), path


def test_shipped_datasets_are_complete_and_clean(entries: dict[str, dict]) -> None:
    for name, entry in entries.items():
        assert entry["quality"] == {"score": 100, "missing": []}, name
        assert (entry["validation"]["errors"], entry["validation"]["warnings"]) == (0, 0), name


def test_manifest_describes_validation_and_quality(entries: dict[str, dict], catalogue) -> None:
    entry = entries["social-assistance-monthly"]
    assert entry["conforms_to"] == ["HNMZ/T 0102-2025"]
    assert entry["source"] == "datasets/social-assistance-monthly/datapackage.yaml"
    assert entry["last_updated"] == "2026-01-15"
    assert entry["quality"] == {"score": 100, "missing": []}
    assert entry["validation"]["errors"] == 0
    assert entry["validation"]["engine"] == {"monthly": "columnar"}
    assert entry["metadata"]["publisher"] == "湖南省民政厅社会救助处"
    assert entry["metadata"]["sample"] is True
    counties = catalogue.code_lists["CL-HNMZ-0101"]
    assert entry["code_tables"][0] == {
        "name": "CL-HNMZ-0101",
        "title": counties.title,
        "rows": len(counties.codes),
        "label_column": "label",  # a hierarchy: the name and its parents
    }


def _small_project(root: Path, catalogue) -> Path:
    folder = root / "datasets/marriage"
    folder.mkdir(parents=True)
    write_descriptor(folder / "datapackage.yaml", marriage_descriptor(catalogue))
    (folder / "data").mkdir()
    (folder / "data/monthly.csv").write_text(
        csv_text(MARRIAGE_HEADER, MARRIAGE_ROWS), encoding="utf-8"
    )
    return root


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_a_failed_check_leaves_the_previous_data_untouched(tmp_path: Path, catalogue) -> None:
    from stdhub.build import build_all
    from stdhub.errors import BuildFailed

    project = _small_project(tmp_path, catalogue)
    shutil.copytree(REPO / "standards", project / "standards")
    build_data(project, catalogue, out=project / "build/data")
    before = _digest(project / "build/data")
    assert "marriage.db" in before
    with (project / "datasets/marriage/data/monthly.csv").open("a", encoding="utf-8") as f:
        f.write("2025-03,430102,1,很多\n")
    with pytest.raises(DataBuildFailed):
        build_data(project, catalogue, out=tmp_path / "elsewhere")
    assert not (tmp_path / "elsewhere").exists()  # nothing loaded once a check failed
    with pytest.raises(BuildFailed) as failed:  # the whole `stdhub build` stops there too
        build_all(project)
    assert "D007" in failed.value.report.as_text()
    assert _digest(project / "build/data") == before
    assert sorted(p.name for p in (project / "build").iterdir()) == ["data"]


def test_a_failed_load_leaves_the_previous_data_untouched(
    tmp_path: Path, catalogue, monkeypatch
) -> None:
    import sqlite3

    from stdhub.build import build_all
    from stdhub.datasets import build
    from stdhub.errors import StdhubError

    project = _small_project(tmp_path, catalogue)
    shutil.copytree(REPO / "standards", project / "standards")
    build_data(project, catalogue, out=project / "build/data")
    before = _digest(project / "build/data")

    def disk_full(path, cp):
        path.write_bytes(b"half a database")
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(build, "write_database", disk_full)
    with pytest.raises(StdhubError, match=r"装入 marriage\.db 失败.*disk is full"):
        build_all(project)
    assert _digest(project / "build/data") == before
    assert sorted(p.name for p in (project / "build").iterdir()) == ["data"]


def test_the_manifest_reader_and_writer_agree(data: Path, tmp_path: Path) -> None:
    """One writer, one reader: what the data step wrote reads back to the same objects and
    writes back to the same bytes (dates, empty tables, 有条件开放 entries included)."""
    typed = manifest.read_manifest(data)
    assert {d.access for d in typed.datasets} == set(Access)
    assert any(d.last_updated for d in typed.datasets)
    manifest.write(tmp_path, typed)
    assert (tmp_path / manifest.FILE_NAME).read_bytes() == (data / manifest.FILE_NAME).read_bytes()
    assert manifest.read_manifest(tmp_path) == typed
