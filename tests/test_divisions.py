"""Hunan's division codes: the generated dataset and code lists, the crosswalk against both
editions, time-aware conformance (case `current-county-codes`) and `stdhub divisions diff`."""

from __future__ import annotations

import csv
import shutil
import sqlite3
from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from stdhub.cli import cli
from stdhub.datasets.build import build_data
from stdhub.project import load_catalogue
from stdhub.standards import divisions as dv

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "scripts/data/divisions-hunan"
OLD, NEW = SOURCES / "nbs-2021-hunan-levels-1-5.csv", SOURCES / "nbs-2023-hunan-levels-1-4.csv"
DATA = REPO / "datasets/hunan-divisions/data"
CASES = REPO / "tests" / "fixtures" / "cases"  # copied into the repository (README there)


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def catalogue():
    found, report = load_catalogue(REPO / "standards", base=REPO)
    assert report.ok, report.as_text()
    return found


@pytest.fixture(scope="module")
def crosswalk(catalogue) -> dv.Crosswalk:
    return catalogue.crosswalks["CW-HNMZ-0101"]


# --- the data -----------------------------------------------------------------------


def _levels(edition: str) -> Counter:
    found: Counter = Counter()
    for name in ("divisions", "townships", "villages"):
        for r in _rows(name):
            if edition in r["editions"].split():
                found[dv.level_of(next(iter(r.values())))] += 1
    return found


def test_counts_by_level_per_edition() -> None:
    assert _levels("2021") == {1: 1, 2: 14, 3: 149, 4: 2008, 5: 29499}
    assert _levels("2023") == {1: 1, 2: 14, 3: 134, 4: 2008}
    # and each edition holds exactly the codes of its source file
    for path, edition in ((OLD, "2021"), (NEW, "2023")):
        source = dv.read_edition(path)
        assert sum(_levels(edition).values()) == len(source)


def test_counties_by_type() -> None:
    current = [r for r in _rows("divisions") if r["level_code"] == "3" and not r["valid_until"]]
    kinds = Counter(r["division_type"] for r in current)
    assert kinds == {"1": 122, "2": 12}  # 122 counties, 12 statistical zones (2023)
    placeholders = [r for r in _rows("divisions") if r["division_type"] == "3"]
    assert len(placeholders) == 13 and all(r["division_name"] == "市辖区" for r in placeholders)
    assert all(r["valid_until"] == "2023-06-30" for r in placeholders)
    zone = next(r for r in _rows("divisions") if r["division_code"] == "430671")
    assert (zone["division_name"], zone["division_type"]) == ("岳阳市屈原管理区", "2")


def test_ningxiang_is_a_city_in_2023_and_its_county_is_history() -> None:
    by_code = {r["division_code"]: r for r in _rows("divisions")}
    city = by_code["430182"]
    assert city["division_name"] == "宁乡市" and "2023" in city["editions"].split()
    assert city["valid_from"] == "2017-04-10" and not city["valid_until"]
    county = by_code["430124"]
    assert county["editions"] == "" and county["valid_until"] == "2017-04-10"
    assert county["successor_codes"] == "430182"
    for old, new in (("430221", "430212"), ("430521", "430582"), ("431121", "431181")):
        assert by_code[old]["successor_codes"] == new and by_code[old]["valid_until"]
        assert "2023" in by_code[new]["editions"].split()


def test_every_parent_exists() -> None:
    divisions = {r["division_code"] for r in _rows("divisions")}
    townships = {r["township_code"] for r in _rows("townships")}
    assert all(r["parent_code"] in divisions for r in _rows("divisions") if r["level_code"] != "1")
    assert all(r["parent_code"] in divisions for r in _rows("townships"))
    assert all(r["township_code"] in townships for r in _rows("villages"))
    # and each parent is one level up, with the child's code starting with it
    for r in _rows("villages")[::97]:
        assert r["village_code"].startswith(r["township_code"])


def test_code_lists_carry_editions_and_validity(catalogue) -> None:
    counties = catalogue.code_lists["CL-HNMZ-0101"]
    county = counties.code("430124")
    assert county.deprecated == {
        "since": "2017-04-10",
        "reason": "撤县设市",
        "replaced_by": "430182",
    }
    assert counties.code("430182").editions == ["2021", "2023"]
    villages = catalogue.code_lists["CL-HNMZ-0108"]
    assert len(villages.codes) == 29499
    assert villages.codes[0].editions == ["2021"] and villages.codes[0].parent
    townships = catalogue.code_lists["CL-HNMZ-0107"]
    assert townships.code("430112014").deprecated["replaced_by"] == "430112017"


def test_a_broken_codes_file_is_reported_with_its_line(tmp_path: Path) -> None:
    tree = tmp_path / "standards"
    shutil.copytree(REPO / "standards", tree)
    table = tree / "codelists/CL-HNMZ-0107.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].split(",")[0] + ",,,,"  # a code without its name
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, report = load_catalogue(tree, base=tmp_path)
    found = [p for p in report.problems if p.file.endswith("CL-HNMZ-0107.csv")]
    assert [(p.code, p.line) for p in found] == [("S006", 6)]


# --- the crosswalk --------------------------------------------------------------------


def test_crosswalk_holds_the_four_county_changes(crosswalk) -> None:
    pairs = {
        (c.old[0].code, c.new[0].code, c.date.year, c.kind)
        for c in crosswalk.changes
        if c.old and c.new
    }
    assert {
        ("430124", "430182", 2017, "撤县设市"),
        ("430221", "430212", 2018, "撤县设区"),
        ("430521", "430582", 2019, "撤县设市"),
        ("431121", "431181", 2021, "撤县设市"),
    } <= pairs


def test_crosswalk_against_both_editions(crosswalk) -> None:
    old, new = dv.read_edition(OLD), dv.read_edition(NEW)
    d = dv.diff(old, new)
    between = [c for c in crosswalk.changes if dt_between(c.date)]
    olds = {s.code for c in between for s in c.old}
    news = {s.code for c in between for s in c.new}
    assert {r.code for r in d.removed} <= olds
    assert {r.code for r in d.added} <= news
    renames = {c.old[0].code: (c.old[0].name, c.new[0].name) for c in between if c.kind == "更名"}
    assert renames == {a.code: (a.name, b.name) for a, b in d.renamed}
    for c in crosswalk.changes:  # no entry contradicts an edition
        for s in c.old:
            if c.kind != "更名":
                assert s.code not in new or c.date > dt_edition("2023")
                if s.code in old:
                    assert old[s.code].name == s.name
        for s in c.new:
            assert s.code in new, s.code
            assert new[s.code].name == s.name


def dt_edition(edition: str):
    import datetime as dt

    return {"2021": dt.date(2021, 10, 31), "2023": dt.date(2023, 6, 30)}[edition]


def dt_between(date) -> bool:
    return dt_edition("2021") < date <= dt_edition("2023")


def _standards_copy(tmp_path: Path) -> Path:
    tree = tmp_path / "standards"
    shutil.copytree(REPO / "standards", tree)
    return tree


def test_a_missing_crosswalk_entry_is_an_error(tmp_path: Path) -> None:
    tree = _standards_copy(tmp_path)
    path = tree / "crosswalks/CW-HNMZ-0101.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    kept = [c for c in data["changes"] if c.get("old", [{}])[0].get("code") != "430405403"]
    assert len(kept) == len(data["changes"]) - 1
    data["changes"] = kept
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    _, report = load_catalogue(tree, base=tmp_path)
    messages = [p.message for p in report.problems if p.code == "X015"]
    assert any("430405403 松林茶场 2021 版有、2023 版没有" in m for m in messages), messages


def test_an_entry_that_contradicts_an_edition_is_an_error(tmp_path: Path) -> None:
    tree = _standards_copy(tmp_path)
    path = tree / "crosswalks/CW-HNMZ-0101.yaml"
    text = path.read_text(encoding="utf-8")
    # 长沙县 is in both editions: saying it was abolished in 2019 contradicts the 2021 edition
    path.write_text(
        text + "  - date: 2019-01-01\n    kind: 撤销\n    old: [{code: '430121', name: 长沙县}]\n",
        encoding="utf-8",
    )
    _, report = load_catalogue(tree, base=tmp_path)
    messages = [p.message for p in report.problems if p.code == "X015"]
    assert any(
        "430121 长沙县 记为 2019-01-01 撤销，但 2021、2023 版中仍有它" in m for m in messages
    )
    # and the code list no longer says what the crosswalk says: one message, what to run
    stale = [p for p in report.problems if p.code == "X016"]
    assert (
        len(stale) == 1
        and "1 个代码与应有的不同（如 430121 长沙县应自 2019-01-01 停用）" in stale[0].message
    )
    assert "stdhub divisions generate" in stale[0].hint


# --- time-aware conformance: the case current-county-codes -----------------------


def _case_project(tmp_path: Path) -> Path:
    case = CASES / "current-county-codes"
    project = tmp_path / "project"
    shutil.copytree(REPO / "standards", project / "standards")
    (project / "datasets").mkdir()
    shutil.copytree(case, project, dirs_exist_ok=True)
    return project


def _validate(project: Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli,
        [
            "validate",
            "--root",
            str(project / "standards"),
            "--datasets",
            str(project / "datasets"),
            "--today",
            "2026-11-28",
        ],
    )
    return result.exit_code, result.output


def test_case_current_county_codes_publish(tmp_path: Path, catalogue) -> None:
    project = _case_project(tmp_path)
    code, output = _validate(project)
    assert code == 0, output
    build_data(project, catalogue, out=project / "build/data")
    with closing(sqlite3.connect(project / "build/data/county-current.db")) as db:
        counties = {r[0] for r in db.execute("SELECT DISTINCT county_code FROM monthly")}
        assert {"430182", "431181"} <= counties
        labels = dict(
            db.execute(
                "SELECT code, label FROM \"CL-HNMZ-0101\" WHERE code IN ('430182', '431181', '430124')"
            )
        )
        assert labels == {  # Datasette shows each code with its name and its parent's
            "430182": "宁乡市（县级 · 长沙市）",
            "431181": "祁阳市（县级 · 永州市）",
            "430124": "宁乡县（县级 · 长沙市）",
        }


def test_case_abolished_code_for_a_later_period_names_its_successor(tmp_path: Path) -> None:
    project = _case_project(tmp_path)
    data = project / "datasets/county-current/data/monthly.csv"
    with data.open("a", encoding="utf-8") as f:
        f.write("2025-11,430124,01,1,513,881,390235.96,750.00\n")  # row 14
        f.write("2025-11,431121,01,1,410,700,355802.47,750.00\n")  # row 15
    code, output = _validate(project)
    assert code == 1
    assert (
        "monthly.csv:14:2: D025 county_code: 430124 宁乡县已于 2017 年撤县设市，请改用 430182 宁乡市"
        in output
    ), output
    assert (
        "monthly.csv:15:2: D025 county_code: 431121 祁阳县已于 2021 年撤县设市，请改用 431181 祁阳市"
        in output
    )


def test_a_code_valid_in_its_period_passes_and_unknown_codes_still_fail(tmp_path: Path) -> None:
    project = _case_project(tmp_path)
    folder = project / "datasets/county-current"
    descriptor = folder / "datapackage.yaml"
    text = descriptor.read_text(encoding="utf-8").replace("start: 2021-01", "start: 2016-01")
    descriptor.write_text(text, encoding="utf-8")
    with (folder / "data/monthly.csv").open("a", encoding="utf-8") as f:
        f.write("2016-05,430124,01,1,513,881,390235.96,750.00\n")  # before 2017: right
        f.write("2017-04,430124,01,2,513,881,390235.96,750.00\n")  # the month of the change
        f.write("2025-11,439999,01,1,513,881,390235.96,750.00\n")  # no such code: row 16
    code, output = _validate(project)
    assert code == 1
    assert "D025" not in output, output
    assert "monthly.csv:16:2: D013 county_code: 代码 “439999” 不在代码集 CL-HNMZ-0101" in output


def test_without_a_period_field_the_temporal_range_decides(tmp_path: Path) -> None:
    project = _case_project(tmp_path)
    folder = project / "datasets/county-current"
    descriptor = folder / "datapackage.yaml"
    data = yaml.safe_load(descriptor.read_text(encoding="utf-8"))
    data["resources"][0]["schema"]["fields"][0]["name"] = "month"  # not the period element
    data["resources"][0]["schema"]["primaryKey"][0] = "month"
    descriptor.write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    path = folder / "data/monthly.csv"
    text = path.read_text(encoding="utf-8").replace("stat_month,", "month,", 1)
    path.write_text(text + "2025-11,430124,01,1,513,881,390235.96,750.00\n", encoding="utf-8")
    code, output = _validate(project)
    assert code == 1
    assert "D025 county_code: 430124 宁乡县已于 2017 年撤县设市，请改用 430182 宁乡市" in output
    assert "本行数据所属时期 2021-01—2025-12（数据集的 temporal）" in output
    # the resource names its period field: a 2016 row for 430124 is right
    data["resources"][0]["period_field"] = "month"
    data["temporal"]["start"] = "2016-01"
    descriptor.write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    path.write_text(text + "2016-05,430124,01,1,513,881,390235.96,750.00\n", encoding="utf-8")
    code, output = _validate(project)
    assert code == 0, output
    assert "D025" not in output


# --- stdhub divisions diff -------------------------------------------------------------------


def test_diff_lists_changes_and_drafts_entries() -> None:
    result = CliRunner().invoke(
        cli, ["divisions", "diff", str(OLD), str(NEW), "--date", "2023-06-30"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "# nbs-2021-hunan-levels-1-5.csv → nbs-2023-hunan-levels-1-4.csv: 新增 12，减少 27，更名 11"
    )
    assert "# 只比较两版都有的层级：省级、地级、县级、乡级" in result.output
    assert "# 村级只在 nbs-2021-hunan-levels-1-5.csv 中，未比较" in result.output
    drafted = yaml.safe_load(result.output)["changes"]
    by_old = {e["old"][0]["code"]: e for e in drafted if "old" in e}
    assert by_old["430472"]["kind"] == "变更代码"
    assert by_old["430472"]["new"] == [{"code": "430476", "name": "湖南衡阳高新技术产业园区"}]
    assert by_old["431124201"]["kind"] == "撤乡设镇"
    assert by_old["430271006"]["kind"] == "变更隶属"
    assert by_old["430271"]["kind"] == "撤销" and "new" not in by_old["430271"]
    assert by_old["430121004"] == {
        **by_old["430121004"],
        "kind": "更名",
        "new": [{"code": "430121004", "name": "㮾梨街道"}],
    }
    assert all(e["date"] == "2023-06-30" for e in drafted)


def test_diff_reports_a_bad_file_without_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,level,parent_code\n4301,长沙,2,\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["divisions", "diff", str(bad), str(NEW)])
    assert result.exit_code == 1
    assert f"{bad}:2：代码 “4301”" in result.output
    assert "Traceback" not in result.output


def test_version_diff_counts_thousands_of_codes_in_one_row(catalogue) -> None:
    from stdhub.site.diff import CODE_CHANGES_LISTED, diff

    new = catalogue.standards["HNMZ/T 0101-2026"]
    old = catalogue.standards["HNMZ/T 0101-2025"]
    changes = diff(catalogue, old, new)
    villages = [c for c in changes if c.area == "代码" and c.key.startswith("CL-HNMZ-0108")]
    assert [(c.key, c.detail) for c in villages] == [
        ("CL-HNMZ-0108", "新增 29499 个代码，见代码集页面")
    ]
    assert len([c for c in changes if c.area == "代码"]) <= 4 * CODE_CHANGES_LISTED
    assert {c.key for c in changes if c.area == "数据元"} >= {"XZJDDM", "SQCDM", "QHLB", "TYRQ"}
