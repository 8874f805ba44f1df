"""Bad input, one case each: the problem code, where it is, and never a traceback.

Every D and Q problem code of the dataset checks is shown by at least one case here
(the personal-data codes P in test_data_personal.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from data_helpers import (
    MARRIAGE_HEADER,
    MARRIAGE_ROWS,
    REPO_STANDARDS,
    codes,
    csv_text,
    marriage_descriptor,
)

from stdhub.cli import cli
from stdhub.codes import CODES
from stdhub.datasets import issues

CLEAN = csv_text(MARRIAGE_HEADER, MARRIAGE_ROWS)


def _with_rows(*rows: list[object]) -> str:
    return csv_text(MARRIAGE_HEADER, [*MARRIAGE_ROWS, *rows])


def _problem(report, code: str):
    found = [p for p in report.problems if p.code == code]
    assert found, report.as_text()
    return found[0]


def test_clean_package_passes_with_full_quality(catalogue, make_dataset, check) -> None:
    make_dataset(marriage_descriptor(catalogue), {"data/monthly.csv": CLEAN})
    report = check()
    assert report.problems == [], report.as_text()


# --- the bad input of the issue, through the real CLI -------------------------------------

BAD_INPUT = {
    "wrong type": (
        {"data/monthly.csv": _with_rows(["2025-03", "430102", "1", "十二"])},
        "D007",
        6,
        "cases",
    ),
    "missing required value": (
        {"data/monthly.csv": _with_rows(["2025-03", "", "1", 5])},
        "D008",
        6,
        "county_code",
    ),
    "value outside the code list": (
        {"data/monthly.csv": _with_rows(["2025-03", "430102", "7", 5])},
        "D013",
        6,
        "registration_type_code",
    ),
    "duplicate primary key": (
        {"data/monthly.csv": _with_rows(["2025-01", "430102", "1", 5])},
        "D010",
        6,
        "stat_month, county_code, registration_type_code",
    ),
    "header not matching the schema": (
        {"data/monthly.csv": CLEAN.replace("cases", "count", 1)},
        "D006",
        1,
        "cases",
    ),
    "empty file": ({"data/monthly.csv": ""}, "D005", 1, "$"),
    "missing CSV": ({}, "D003", 1, "$"),
    "row with an extra cell": (
        {"data/monthly.csv": CLEAN + "2025-03,430102,1,5,9\n"},
        "D012",
        6,
        "$",
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_is_reported_by_the_cli(
    case, catalogue, make_dataset, tmp_path, monkeypatch
) -> None:
    files, code, row, field = BAD_INPUT[case]
    make_dataset(marriage_descriptor(catalogue), files)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(
        cli, ["validate", "--root", str(REPO_STANDARDS), "--datasets", "datasets"]
    )
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    line = next(x for x in result.output.splitlines() if f" {code} " in x)
    where = "datasets/marriage-test/data/monthly.csv" if code not in ("D003",) else "monthly.csv"
    assert where in line
    assert f".csv:{row}:" in line
    if field != "$":
        assert f" {code} {field}: " in line


def test_wrong_type_names_row_field_and_value(catalogue, make_dataset, check) -> None:
    make_dataset(
        marriage_descriptor(catalogue),
        {"data/monthly.csv": _with_rows(["2025-03", "430102", "1", "十二"])},
    )
    p = _problem(check(), "D007")
    assert (p.line, p.column, p.path) == (6, 4, "cases")
    assert p.message == "“十二” 不是整数"
    assert p.format().startswith("datasets/marriage-test/data/monthly.csv:6:4: D007 cases: ")
    assert p.hint == CODES["D007"].hint and p.format().endswith(f" ({p.hint})")  # how to fix it


def test_value_outside_an_enum(catalogue, make_dataset, check) -> None:
    d = marriage_descriptor(catalogue)
    d["resources"][0]["schema"]["fields"][3]["constraints"] = {"enum": [1, 2, 3]}
    make_dataset(d, {"data/monthly.csv": CLEAN})
    p = _problem(check(), "D009")
    assert "不在允许的取值" in p.message and p.line == 2


def test_broken_foreign_key(catalogue, make_dataset, check) -> None:
    d = marriage_descriptor(catalogue)
    d["resources"][0]["schema"]["foreignKeys"] = [
        {"fields": ["county_code"], "reference": {"resource": "offices", "fields": ["code"]}}
    ]
    d["resources"].append(
        {
            "name": "offices",
            "path": "data/offices.csv",
            "schema": {"fields": [{"name": "code", "type": "string"}], "primaryKey": ["code"]},
        }
    )
    make_dataset(d, {"data/monthly.csv": CLEAN, "data/offices.csv": "code\n430102\n"})
    for engine in ("auto", "frictionless"):
        report = check(engine)
        found = [p for p in report.problems if p.code == "D011"]
        assert [p.line for p in found] == [4], report.as_text()  # one message for both rows
        assert "offices.code" in found[0].message and "共 2 行（第 4、5 行）" in found[0].message


def test_gbk_csv_says_how_to_declare_or_convert(catalogue, make_dataset, check) -> None:
    gbk = _with_rows(["2025-03", "430102", "1", 5]).replace("cases", "cases").encode("utf-8")
    text = "stat_month,county_code,registration_type_code,cases\n2025-03,430102,1,5\n# 长沙市\n"
    gbk = text.encode("gbk")
    make_dataset(marriage_descriptor(catalogue), {"data/monthly.csv": gbk})
    p = _problem(check(), "D004")
    assert "GBK" in p.message and p.line == 3
    assert "encoding: gb18030" in p.hint and "iconv -f GB18030 -t UTF-8" in p.hint


def test_gbk_csv_with_its_encoding_declared_passes(catalogue, make_dataset, check) -> None:
    d = marriage_descriptor(catalogue)
    d["resources"][0]["encoding"] = "gbk"
    d["resources"][0]["schema"]["fields"].append(
        {"name": "note", "type": "string", "title": "备注"}
    )
    rows = [[*r, "长沙市婚姻登记处"] for r in MARRIAGE_ROWS]
    make_dataset(d, {"data/monthly.csv": csv_text([*MARRIAGE_HEADER, "note"], rows).encode("gbk")})
    report = check()
    assert codes(report) == ["Q002"], (
        report.as_text()
    )  # `note` is not in the standard: a warning only


def test_utf8_bom_is_accepted(catalogue, make_dataset, check) -> None:
    make_dataset(
        marriage_descriptor(catalogue), {"data/monthly.csv": b"\xef\xbb\xbf" + CLEAN.encode()}
    )
    assert check().problems == []


def test_header_only_file_is_a_warning(catalogue, make_dataset, check) -> None:
    make_dataset(
        marriage_descriptor(catalogue), {"data/monthly.csv": ",".join(MARRIAGE_HEADER) + "\n"}
    )
    report = check()
    assert codes(report) == ["Q004"] and report.ok


def test_quoted_newlines_are_accepted(catalogue, make_dataset, check) -> None:
    d = marriage_descriptor(catalogue)
    d["resources"][0]["schema"]["fields"].append(
        {"name": "note", "type": "string", "title": "备注"}
    )
    rows = [[*r, "第一行\n第二行" if i == 1 else ""] for i, r in enumerate(MARRIAGE_ROWS)]
    rows.append(["2025-03", "430102", "x", 1, ""])  # an error after the quoted newline
    make_dataset(d, {"data/monthly.csv": csv_text([*MARRIAGE_HEADER, "note"], rows)})
    for engine in ("auto", "frictionless"):
        report = check(engine)
        assert codes(report) == ["D013", "Q002"], report.as_text()
        assert _problem(report, "D013").line == 6  # rows, not lines, are counted


@pytest.mark.parametrize(
    "path", ["../outside.csv", "/etc/passwd", "data/../../outside.csv", "https://example.com/x.csv"]
)
def test_descriptor_path_outside_the_folder_is_refused(
    path, catalogue, make_dataset, check, tmp_path
) -> None:
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets/outside.csv").write_text(CLEAN, encoding="utf-8")
    d = marriage_descriptor(catalogue)
    d["resources"][0]["path"] = path
    make_dataset(d, {})
    report = check()
    refused = {"D031"} if "://" in path else {"D001", "D002"}  # a URL: never fetched
    assert refused & set(codes(report)), report.as_text()
    assert not report.ok


def test_symlink_out_of_the_folder_is_refused(catalogue, make_dataset, check, tmp_path) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text(CLEAN, encoding="utf-8")
    root = make_dataset(marriage_descriptor(catalogue), {})
    (root / "marriage-test/data").mkdir(parents=True)
    (root / "marriage-test/data/monthly.csv").symlink_to(secret)
    p = _problem(check(), "D002")
    assert p.path == "$.resources[0].path"


# --- every other dataset code ---------------------------------------------------------------


def test_D001_descriptor_frictionless_rejects(catalogue, make_dataset, check) -> None:
    d = marriage_descriptor(catalogue)
    d["resources"][0]["schema"]["fields"][3]["type"] = "integr"
    make_dataset(d, {"data/monthly.csv": CLEAN})
    p = _problem(check(), "D001")
    assert "integr" in p.message


def test_D014_field_drifted_from_its_data_element(catalogue, make_dataset, check) -> None:
    d = marriage_descriptor(catalogue)
    d["resources"][0]["schema"]["fields"][1]["type"] = "integer"  # county_code as a number
    d["resources"][0]["schema"]["fields"][1]["constraints"] = {"required": True}
    make_dataset(d, {"data/monthly.csv": CLEAN})
    found = [p for p in check().problems if p.code == "D014"]
    assert any("类型是 integer，数据元规定为 string" in p.message for p in found)
    assert any("约束 pattern 为 未设置" in p.message for p in found)
    assert found[0].line > 1  # points at the field in the descriptor


def test_D014_enum_wider_than_the_closed_code_list(catalogue, make_dataset, check) -> None:
    d = marriage_descriptor(catalogue)
    d["resources"][0]["schema"]["fields"][2]["constraints"]["enum"] = ["1", "2", "9"]
    make_dataset(d, {"data/monthly.csv": CLEAN})
    p = _problem(check(), "D014")
    assert "代码集 CL-HNMZ-0106 中没有的代码 ['9']" in p.message


def test_D015_unknown_standard(catalogue, make_dataset, check) -> None:
    make_dataset(
        marriage_descriptor(catalogue, conforms_to=["HNMZ/T 0199-2025", "HNMZ/T 0001-2022"]),
        {"data/monthly.csv": CLEAN},
    )
    found = [p for p in check().problems if p.code == "D015"]
    assert len(found) == 2 and "不在标准目录中" in found[0].message + found[1].message


def test_D016_access_must_be_known_and_conditions_given(catalogue, make_dataset, check) -> None:
    make_dataset(
        marriage_descriptor(catalogue, access="公开", update_frequency="每旬"),
        {"data/monthly.csv": CLEAN},
    )
    messages = [p.message for p in check().problems if p.code == "D016"]
    assert len(messages) == 2
    make_dataset(marriage_descriptor(catalogue, access="有条件开放"), {"data/monthly.csv": CLEAN})
    assert any("access_conditions" in p.message for p in check().problems if p.code == "D016")


def test_D017_what_frictionless_cannot_read(catalogue, make_dataset, check) -> None:
    d = marriage_descriptor(catalogue)
    d["resources"][0]["bytes"] = 10
    make_dataset(d, {"data/monthly.csv": CLEAN})
    p = _problem(check(), "D017")
    assert "byte-count" in p.message


def test_D018_folder_without_descriptor(make_dataset, check, tmp_path) -> None:
    (tmp_path / "datasets/orphan/data").mkdir(parents=True)
    p = _problem(check(), "D018")
    assert p.file == "datasets/orphan/"


def test_D099_many_problems_are_capped_and_counted(catalogue, make_dataset, check) -> None:
    # distinct cells: the same message repeated is one message (tests/datasets/test_data_messages.py)
    rows = [[f"2024-{m:02d}", "430102", "1", f"多{m}"] for m in range(1, 13)]
    rows += [[f"2023-{m:02d}", "430102", "1", f"多{m + 12}"] for m in range(1, 13)]
    make_dataset(marriage_descriptor(catalogue), {"data/monthly.csv": _with_rows(*rows)})
    report = check()
    listed = [p for p in report.problems if p.code == "D007"]
    assert len(listed) == issues.PER_GROUP
    more = _problem(report, "D099")
    assert (
        f"另有 {24 - issues.PER_GROUP} 个字段 cases 的 D007 问题未列出（共 24 个）" in more.message
    )


def test_Q001_incomplete_metadata_is_a_warning_with_a_score(catalogue, make_dataset, check) -> None:
    d = marriage_descriptor(catalogue)
    for key in ("publisher", "contact", "keywords", "temporal"):
        del d[key]
    make_dataset(d, {"data/monthly.csv": CLEAN})
    report = check()
    assert report.ok and codes(report) == ["Q001"]
    p = _problem(report, "Q001")
    assert "提供单位" in p.message and "质量指标 69/100" in p.message


def test_Q002_field_not_in_the_standard(catalogue, make_dataset, check) -> None:
    d = marriage_descriptor(catalogue)
    d["resources"][0]["schema"]["fields"].append(
        {"name": "remark", "type": "string", "title": "备注"}
    )
    rows = [[*r, ""] for r in MARRIAGE_ROWS]
    make_dataset(d, {"data/monthly.csv": csv_text([*MARRIAGE_HEADER, "remark"], rows)})
    p = _problem(check(), "Q002")
    assert "remark" in p.message


def _assistance(catalogue, rows, *, period: bool = True):
    from stdhub.datasets.tableschema import schema_for

    d = marriage_descriptor(catalogue, conforms_to=["HNMZ/T 0102-2025"])
    d["resources"][0]["schema"] = schema_for(catalogue, "HNMZ/T 0102-2025", "XJJZTJ")
    header = [
        "stat_month",
        "county_code",
        "assistance_category_code",
        "area_type_code",
        "households",
        "persons",
        "funds_yuan",
        "standard_yuan",
    ]
    if not period:  # a month field that is not the period element, and no temporal range
        d.pop("temporal", None)
        d["resources"][0]["schema"]["fields"][0]["name"] = header[0] = "month"
        d["resources"][0]["schema"]["primaryKey"][0] = "month"
    return d, {"data/monthly.csv": csv_text(header, rows)}


def test_Q003_deprecated_code_when_the_period_is_unknown(catalogue, make_dataset, check) -> None:
    rows = [
        ["2016-12", "430121", "09", "2", 10, 10, "5000.00", "500.00"],
        ["2017-01", "430121", "02", "2", 10, 10, "5000.00", ""],
    ]
    make_dataset(*_assistance(catalogue, rows, period=False))
    report = check()
    assert report.ok and codes(report) == ["Q001", "Q002", "Q003"], report.as_text()
    assert "“09”（农村五保供养）自 2017-01-01 起停用" in _problem(report, "Q003").message


def test_D025_deprecated_code_judged_by_the_period_of_its_row(
    catalogue, make_dataset, check
) -> None:
    rows = [
        ["2016-12", "430121", "09", "2", 10, 10, "5000.00", "500.00"],  # before: right
        ["2017-01", "430121", "09", "1", 10, 10, "5000.00", ""],  # on the date: wrong
        ["2025-06", "430124", "01", "2", 10, 10, "5000.00", ""],  # 宁乡县, 8 years after
    ]
    make_dataset(*_assistance(catalogue, rows))
    report = check()
    found = sorted((p.line, p.path, p.message) for p in report.problems if p.code == "D025")
    assert [(line, f) for line, f, _ in found] == [
        (3, "assistance_category_code"),
        (4, "county_code"),
    ], report.as_text()
    assert found[0][2].startswith("09 农村五保供养自 2017-01-01 起停用（根据《国务院")
    assert "，请改用 02 特困人员救助供养（本行数据所属时期 2017-01）" in found[0][2]
    assert found[1][2] == (
        "430124 宁乡县已于 2017 年撤县设市，请改用 430182 宁乡市"
        "（停用日期 2017-04-10，本行数据所属时期 2025-06）"
    )
    assert "Q003" not in codes(report)


def test_Q009_code_before_it_came_into_use(catalogue, make_dataset, check) -> None:
    rows = [
        ["2016-12", "430182", "01", "2", 10, 10, "5000.00", "500.00"],  # 宁乡市 from 2017-04-10
        ["2017-04", "430182", "01", "1", 10, 10, "5000.00", "500.00"],  # the month it began
    ]
    make_dataset(*_assistance(catalogue, rows))
    report = check()
    assert report.ok and codes(report) == ["Q009"], report.as_text()
    q = _problem(report, "Q009")
    assert (q.line, q.message) == (
        2,
        "430182 宁乡市自 2017-04-10 起才启用，本行数据所属时期 2016-12 在此之前",
    )


def test_Q005_and_D019_generated_data(catalogue, make_dataset, check, tmp_path) -> None:
    from stdhub.datasets.build import build_data
    from stdhub.errors import DataBuildFailed

    d = marriage_descriptor(
        catalogue, generator={"script": "scripts/make_it.py", "args": ["--fail"]}
    )
    make_dataset(d, {})
    assert codes(check()) == ["Q005"]
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts/make_it.py").write_text(
        "import sys\nsys.exit('磁盘已满 disk full')\n", encoding="utf-8"
    )
    with pytest.raises(DataBuildFailed) as failed:
        build_data(tmp_path, catalogue, out=tmp_path / "build/data")
    p = _problem(failed.value.report, "D019")
    assert "磁盘已满" in p.message
    assert not (tmp_path / "build/data").exists()


def test_Q006_code_outside_an_open_code_list(catalogue, make_dataset, check) -> None:
    from stdhub.standards.formats import table_field

    standard = catalogue.standards["GB 32100-2015"]
    d = marriage_descriptor(catalogue, conforms_to=["GB 32100-2015"])
    d["resources"][0]["schema"] = {"fields": [table_field(standard.element("DJGLBMDM"))]}
    make_dataset(d, {"data/monthly.csv": "registration_authority_code\n5\n5\n7\n"})
    report = check()
    assert codes(report) == ["Q006"], report.as_text()
    assert "“7” 不在开放代码集 CL-GB-32100-DJGLBM" in _problem(report, "Q006").message


def test_every_dataset_code_is_in_the_catalogue_and_shown_here() -> None:
    """The codes this module and test_data_personal.py show are all catalogued, and all shown."""
    here = Path(__file__).read_text(encoding="utf-8")
    personal = "".join(
        (Path(__file__).parent / name).read_text(encoding="utf-8")
        for name in (
            "test_data_personal.py",
            "test_data_rows.py",
            "test_data_descriptors.py",
            "test_data_sheets.py",
            "test_data_funds.py",
        )
    )
    mine = [c for c in CODES if c[0] in "DQP"]
    assert len(mine) >= 30
    not_shown = [c for c in mine if c not in here + personal]
    assert not not_shown, f"no test shows {not_shown}"


def test_inline_resources_are_checked_by_frictionless(catalogue, make_dataset, check) -> None:
    d = marriage_descriptor(catalogue)
    inline = {
        "name": "inline",
        "data": [["code", "name"], ["1", "甲"], ["x", "乙"]],
        "schema": {
            "fields": [
                {"name": "code", "type": "integer", "title": "代码"},
                {"name": "name", "type": "string", "title": "名称"},
            ]
        },
    }
    d["resources"].append(inline)
    make_dataset(d, {"data/monthly.csv": CLEAN})
    report = check()
    rows = sorted((p.file.rsplit("/", 1)[-1], p.line) for p in report.problems if p.code == "D007")
    assert rows == [("inline", 3)], report.as_text()


@pytest.mark.parametrize(
    "descriptor",
    [
        {"resources": "nope"},
        {"name": "x", "resources": [{"name": "a", "path": 5}]},
        {"name": "x", "resources": [{"name": "a", "path": "a.csv", "schema": {"fields": "nope"}}]},
        {"name": "x", "resources": [{"name": "a", "path": "a.csv", "schema": "missing.json"}]},
        {
            "name": "x",
            "resources": [{"name": "a", "path": "a.csv"}, {"name": "a", "path": "a.csv"}],
        },
        {
            "name": "x",
            "access": 3,
            "conforms_to": "HNMZ/T 0105-2025",
            "temporal": "2025",
            "resources": [{"name": "a", "path": "a.csv"}],
        },
        {"name": "x", "resources": [{"name": "a", "path": "a.csv", "dialect": {"delimiter": ";"}}]},
        [1, 2, 3],
    ],
)
def test_malformed_descriptors_give_problems_not_tracebacks(descriptor, tmp_path, check) -> None:
    folder = tmp_path / "datasets/x"
    folder.mkdir(parents=True)
    (folder / "datapackage.json").write_text(__import__("json").dumps(descriptor), encoding="utf-8")
    (folder / "a.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    report = check()
    assert report.problems, "a malformed descriptor must be reported"


@pytest.mark.parametrize(
    ("length", "warned"), [(35, True), (49, True), (50, False), (5000, False), (5001, True)]
)
def test_Q010_description_outside_50_to_5000_characters(
    catalogue, make_dataset, check, length: int, warned: bool
) -> None:
    """Google's dataset guidelines ask for a description of 50 to 5,000 characters."""
    d = marriage_descriptor(catalogue)
    d["description"] = ("婚姻登记月度统计。" * 600)[:length]
    make_dataset(d, {"data/monthly.csv": CLEAN})
    report = check()
    assert report.ok
    found = [p for p in report.problems if p.code == "Q010"]
    assert bool(found) is warned, report.as_text()
    if warned:
        assert f"有 {length} 个字" in found[0].message and found[0].path == "$.description"
