"""Rows published whole and unchanged, or refused at validate: issue 9's row half.

The failing inputs `tests/fixtures/cases/<case>/` (each with its right value from the
cases' README) are copied into a temporary project, checked with both engines where both
can read them, loaded into SQLite and exported as downloads; further inputs of the same
kinds are written here.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import openpyxl
import pytest
from data_helpers import codes

from stdhub.datasets import manifest
from stdhub.datasets.build import DataBuildFailed, build_data
from stdhub.datasets.check import check_datasets
from stdhub.opendata.downloads import write_downloads
from stdhub.problems import Report

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "tests" / "fixtures" / "cases"  # copied into the repository (README there)
ENGINES = ["auto", "frictionless"]


def _case(name: str, tmp_path: Path) -> Path:
    """The case's `datasets/` copied into tmp_path."""
    source = CASES / name / "datasets"
    shutil.copytree(source, tmp_path / "datasets")
    return tmp_path


def _check(tmp_path: Path, catalogue, engine: str = "auto") -> Report:
    _, report = check_datasets(tmp_path / "datasets", catalogue, tmp_path, engine=engine)
    return report


def _found(report: Report, code: str) -> list[tuple[int, str, str]]:
    """(line, field, message) of every problem with `code`, in order."""
    return [(p.line, p.path, p.message) for p in report.problems if p.code == code]


def _lines(path: Path) -> io.StringIO:
    """A CSV file's text, for `csv.reader` (read whole: no file left open)."""
    return io.StringIO(path.read_bytes().decode("utf-8"), newline="")


def _errors(report: Report) -> list[str]:
    return sorted({p.code for p in report.errors})


def _build(tmp_path: Path, catalogue) -> Path:
    build_data(tmp_path, catalogue, out=tmp_path / "build" / "data")
    return tmp_path / "build" / "data"


def _downloads(tmp_path: Path, data: Path, name: str) -> Path:
    dataset = manifest.read_manifest(data).dataset(name)
    out = tmp_path / "downloads"
    write_downloads(dataset, data / (dataset.db or f"{name}.db"), out)
    return out


# --- csv-unclosed-quote: structural damage reported at the row ---------------------------


def test_csv_unclosed_quote_is_an_error_naming_row_3(catalogue, tmp_path) -> None:
    _case("csv-unclosed-quote", tmp_path)
    report = _check(tmp_path, catalogue)
    [(line, _, message)] = _found(report, "D020")
    assert line == 4  # the file's line 4: the header, then data rows 1 and 2
    assert "第 3 个数据行" in message and "没有闭合" in message
    assert "197 行" in message  # what would have been swallowed
    with pytest.raises(DataBuildFailed):
        build_data(tmp_path, catalogue, out=tmp_path / "build" / "data")
    assert not (tmp_path / "build/data").exists()


@pytest.mark.parametrize(
    ("text", "row"),
    [
        ('id,v\n1,"ab"c\n2,x\n', 2),  # a stray quote after the closing one: `abc` read
        ('id,v\n1,a\n2,"x\n3,"y"\n4,z\n', 3),  # opened, then closed by the next quote
        ('id,v\n1,a\n2,b\n3,"never closed\n', 4),  # opened on the last line
        ('id,v\n"1\n', 2),
    ],
)
@pytest.mark.parametrize("engine", ENGINES)
def test_quote_damage_of_every_kind(make_dataset, check, text, row, engine) -> None:
    make_dataset(_plain("v"), {"data/t.csv": text})
    report = check(engine)
    assert _errors(report) == ["D020"], report.as_text()
    assert _found(report, "D020")[0][0] == row


@pytest.mark.parametrize(
    "text",
    [
        'id,v\n1,"multi\nline"\n2,"say ""hi"""\n',  # quoted newlines and doubled quotes
        'id,v\n1,5"\n2,a"b\n',  # a quote inside an unquoted cell is text
        'id,v\r\n1,"a,b"\r\n',
    ],
)
def test_sound_quoting_passes_unchanged(make_dataset, check, catalogue, tmp_path, text) -> None:
    make_dataset(_plain("v"), {"data/t.csv": text})
    assert "D020" not in codes(check())
    data = _build(tmp_path, catalogue)
    got = sqlite3.connect(data / "plain.db").execute("select v from t order by id").fetchall()
    expected = [r[1] for r in list(csv.reader(io.StringIO(text, newline="")))[1:]]
    assert [v for (v,) in got] == expected


def _plain(text_field: str, kind: str = "string", **constraints) -> dict:
    field = {"name": text_field, "type": kind}
    if constraints:
        field["constraints"] = constraints
    return {
        "name": "plain",
        "title": "测试",
        "access": "无条件开放",
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "resources": [
            {
                "name": "t",
                "path": "data/t.csv",
                "schema": {
                    "fields": [{"name": "id", "type": "integer"}, field],
                    "primaryKey": ["id"],
                },
            }
        ],
    }


# --- number-nan-inf: one policy, refused at validate with the row -------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_nan_and_infinities_are_refused_with_their_rows(catalogue, tmp_path, engine) -> None:
    _case("number-nan-inf", tmp_path)
    report = _check(tmp_path, catalogue, engine)
    found = _found(report, "D007")
    assert [(line, field) for line, field, _ in found] == [
        (3, "amount"),
        (4, "amount"),
        (5, "amount"),
        (6, "amount"),
    ], report.as_text()
    assert "“NaN” 不是有限的数值" in found[0][2] and "“-INF”" in found[2][2]
    with pytest.raises(DataBuildFailed):
        build_data(tmp_path, catalogue, out=tmp_path / "build" / "data")


@pytest.mark.parametrize("cell", ["Infinity", "-inf", "1e400", "NAN"])
@pytest.mark.parametrize("engine", ENGINES)
def test_every_spelling_of_a_non_finite_number(make_dataset, check, cell, engine) -> None:
    make_dataset(_plain("x", "number"), {"data/t.csv": f"id,x\n1,2.5\n2,{cell}\n"})
    report = check(engine)
    assert [(line, field) for line, field, _ in _found(report, "D007")] == [(3, "x")]


def test_json_downloads_are_valid_json(make_dataset, check, catalogue, tmp_path) -> None:
    """What passes is finite: every .json written parses with NaN and Infinity refused."""
    make_dataset(_plain("x", "number"), {"data/t.csv": "id,x\n1,2.5\n2,-0.125\n3,\n"})
    data = _build(tmp_path, catalogue)
    out = _downloads(tmp_path, data, "plain")

    def refuse(name: str) -> None:
        raise ValueError(f"bare {name} in JSON")

    for path in [*out.glob("*.json"), *data.glob("*.json")]:
        json.loads(path.read_text(encoding="utf-8"), parse_constant=refuse)
    rows = json.loads((out / "t.json").read_text(encoding="utf-8"))
    assert [r["x"] for r in rows] == [2.5, -0.125, None]


# --- pattern-trailing-newline: the whole cell, ASCII digits -------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_patterns_match_the_whole_cell_in_ascii_digits(catalogue, tmp_path, engine) -> None:
    _case("pattern-trailing-newline", tmp_path)
    report = _check(tmp_path, catalogue, engine)
    found = {(line, field): message for line, field, message in _found(report, "D009")}
    assert set(found) == {(3, "inst_code"), (4, "county_code"), (4, "phone")}, report.as_text()
    assert "“JG000002\\n”" in found[(3, "inst_code")]
    assert "“43０１０４”" in found[(4, "county_code")] and "^43\\d{4}$" in found[(4, "county_code")]
    assert "“0731-84000003\\n”" in found[(4, "phone")]
    assert codes(report) == ["D009", "Q001", "Q010"]  # the case's description is short


@pytest.mark.parametrize(
    ("pattern", "good", "bad"),
    [
        (r"[\d-]+", "0731-8", "０731-8"),  # \d inside a class
        (r"\d{2}|x", "12", "12\n"),  # an alternation: still the whole cell
        (r"^[A-Z]{2}$", "AB", "AB\n"),
        (r"\d+", "12", "１２"),  # full-width digits are not digits
    ],
)
@pytest.mark.parametrize("engine", ENGINES)
def test_patterns_of_every_kind(make_dataset, check, pattern, good, bad, engine) -> None:
    rows = [[1, good], [2, bad]]
    text = "id,v\n" + "".join(f'{i},"{v}"\n' for i, v in rows)
    make_dataset(_plain("v", pattern=pattern), {"data/t.csv": text})
    report = check(engine)
    assert [(line, field) for line, field, _ in _found(report, "D009")] == [(3, "v")]


def test_a_large_column_is_screened_with_the_same_rule(make_dataset, check) -> None:
    """Above the distinct-value limit the RE2 screen decides first: it must agree."""
    n = 60_000
    cells = [f"JG{i:06d}" for i in range(n)]
    cells[41_000] = '"JG041000\n"'
    cells[42_000] = "JG０42000"
    text = "id,v\n" + "".join(f"{i},{c}\n" for i, c in enumerate(cells))
    make_dataset(_plain("v", pattern="^JG\\d{6}$"), {"data/t.csv": text})
    report = check()
    assert [line for line, _, _ in _found(report, "D009")] == [41_002, 42_002]


# --- sqlite-reserved-rowid: names SQLite would refuse, at validate --------------------------


def test_a_rowid_column_is_reported_at_its_descriptor_line(catalogue, tmp_path) -> None:
    _case("sqlite-reserved-rowid", tmp_path)
    report = _check(tmp_path, catalogue)
    [(line, where, message)] = _found(report, "D021")
    lines = (tmp_path / "datasets/bh-rowid/datapackage.yaml").read_text().splitlines()
    assert lines[line - 1].strip() == "- name: rowid"
    assert where == "$.resources[0].schema.fields[0].name"
    assert "rowid" in message
    with pytest.raises(DataBuildFailed) as failed:
        build_data(tmp_path, catalogue, out=tmp_path / "build" / "data")
    assert codes(failed.value.report) == ["D021", "Q001", "Q010"]  # a short description


@pytest.mark.parametrize(
    ("resources", "clash"),
    [
        ([("t", ["id", "OID"])], ("t", "OID")),
        ([("t", ["id", "_ROWID_"])], ("t", "_ROWID_")),
        ([("t", ["id", "Name", "name"])], ("t", "name")),
        ([("t", ["id", "v"]), ("t_fts", ["id", "v"])], ("t_fts", None)),
        ([("t", ["id", "v"]), ("t_fts_data", ["id"])], ("t_fts_data", None)),
        ([("sqlite_stat", ["id"])], ("sqlite_stat", None)),
    ],
)
def test_names_sqlite_would_refuse_are_reported(
    make_dataset, check, catalogue, tmp_path, resources, clash
) -> None:
    descriptor = _plain("v")
    descriptor["resources"] = [
        {
            "name": name,
            "path": f"data/{name}.csv",
            "schema": {"fields": [{"name": c, "type": "string"} for c in columns]},
        }
        for name, columns in resources
    ]
    files = {
        f"data/{name}.csv": ",".join(columns) + "\n" + ",".join("x" for _ in columns) + "\n"
        for name, columns in resources
    }
    make_dataset(descriptor, files)
    report = check()
    found = _found(report, "D021")
    assert len(found) == 1, report.as_text()
    table, column = clash
    index = [n for n, _ in resources].index(table)
    where = found[0][1]
    if column is None:
        assert where == f"$.resources[{index}].name"
    else:
        columns = dict(resources)[table]
        assert where == f"$.resources[{index}].schema.fields[{columns.index(column)}].name"


def test_names_that_only_look_alike_load(make_dataset, check, catalogue, tmp_path) -> None:
    descriptor = _plain("row_id")
    make_dataset(descriptor, {"data/t.csv": "id,row_id\n1,a\n"})
    assert "D021" not in codes(check())
    data = _build(tmp_path, catalogue)
    assert sqlite3.connect(data / "plain.db").execute("select row_id from t").fetchall() == [("a",)]


# --- no-schema-leading-zeros: inferred, warned, codes kept as text -------------------------


def test_an_inferred_schema_is_warned_and_keeps_codes_as_text(catalogue, tmp_path) -> None:
    _case("no-schema-leading-zeros", tmp_path)
    report = _check(tmp_path, catalogue)
    [(_line, where, message)] = _found(report, "Q007")
    assert where == "$.resources[0]"
    assert "assistance_category_code 文本" in message and "households 整数" in message
    assert report.ok
    data = _build(tmp_path, catalogue)
    db = sqlite3.connect(data / "noschema.db")
    got = db.execute(
        "select stat_month, assistance_category_code, typeof(assistance_category_code),"
        " households, typeof(households) from monthly limit 1"
    ).fetchone()
    assert got == ("2021-01", "01", "text", 1695, "integer")
    source = list(csv.DictReader(_lines(tmp_path / "datasets/noschema/data/monthly.csv")))
    column = [r["assistance_category_code"] for r in source]
    assert [v for (v,) in db.execute("select assistance_category_code from monthly")] == column


@pytest.mark.parametrize(
    ("cells", "kind"),
    [
        (["1", "20", "-3"], "integer"),
        (["1", "007"], "string"),
        (["+1", "2"], "string"),
        (["1.5", "2"], "number"),
        (["1e3", "2"], "string"),
        (["NaN", "2"], "string"),
        (["2021-03", "2021-04"], "string"),  # never a date completed from today
        (["", ""], "string"),
    ],
)
def test_inferred_types_keep_every_cell(make_dataset, check, catalogue, tmp_path, cells, kind):
    descriptor = _plain("v")
    del descriptor["resources"][0]["schema"]
    text = "id,v\n" + "".join(f"{i},{c}\n" for i, c in enumerate(cells, start=1))
    make_dataset(descriptor, {"data/t.csv": text})
    report = check()
    assert (
        f"v { {'string': '文本', 'integer': '整数', 'number': '数值'}[kind] }"
        in (_found(report, "Q007")[0][2])
    )
    data = _build(tmp_path, catalogue)
    got = sqlite3.connect(data / "plain.db").execute("select v from t order by id").fetchall()
    assert [v for (v,) in got] == [
        None if not c else c if kind == "string" else json.loads(c) for c in cells
    ]


# --- download-csv-excel and csv-formula: a spreadsheet download beside the machine CSV ---


def _xlsx_cells(path: Path) -> list[list[tuple[object, str]]]:
    sheet = openpyxl.load_workbook(path).active
    return [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows()]


def test_the_excel_download_keeps_chinese_and_leading_zeros(catalogue, tmp_path) -> None:
    _case("download-csv-excel", tmp_path)
    data = _build(tmp_path, catalogue)
    out = _downloads(tmp_path, data, "bh-excel")
    rows = _xlsx_cells(out / "villages.xlsx")
    assert [v for v, _ in rows[0]] == ["村级区划代码", "村（社区）名称", "等级代码", "低保人数"]
    source = list(csv.reader(_lines(tmp_path / "datasets/bh-excel/data/villages.csv")))[1:]
    assert [[v for v, _ in r[:3]] for r in rows[1:]] == [r[:3] for r in source]
    assert all(t == "s" for r in rows[1:] for _, t in r[:3])  # codes are text cells
    assert [r[3] for r in rows[1:]] == [(int(r[3]), "n") for r in source]
    assert (out / "villages.csv").read_bytes().startswith(b"village_code,")  # machine CSV


def test_formula_cells_are_warned_and_never_formulas(catalogue, tmp_path) -> None:
    _case("csv-formula", tmp_path)
    report = _check(tmp_path, catalogue)
    assert [(line, field) for line, field, _ in _found(report, "Q008")] == [
        (2, "v"),
        (3, "v"),
        (4, "v"),
        (5, "v"),
        (6, "v"),
    ]
    assert report.ok
    data = _build(tmp_path, catalogue)
    out = _downloads(tmp_path, data, "csv-formula")
    with zipfile.ZipFile(out / "t.xlsx") as zf:
        sheets = [zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in s or b"<f " in s for s in sheets)
    source = list(csv.reader(_lines(tmp_path / "datasets/csv-formula/data/t.csv")))
    rows = _xlsx_cells(out / "t.xlsx")
    assert [[v for v, _ in r] for r in rows[1:]] == [[int(a), b] for a, b in source[1:]]
    assert all(r[1][1] == "s" for r in rows[1:])
    machine = list(csv.reader(_lines(out / "t.csv")))
    assert machine == source  # the machine CSV: every cell as written


def test_formula_warnings_only_in_text_columns(make_dataset, check) -> None:
    make_dataset(_plain("v"), {"data/t.csv": "id,v\n-1,a-b\n2,中文\n"})
    assert "Q008" not in codes(check())


# --- the other row messages of the issue ---------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_date_format_any_is_never_completed_from_today(make_dataset, check, engine) -> None:
    descriptor = _plain("d", "date")
    descriptor["resources"][0]["schema"]["fields"][1]["format"] = "any"
    make_dataset(descriptor, {"data/t.csv": "id,d\n1,2021-03-04\n2,2021-03\n3,2021\n"})
    report = check(engine)
    found = _found(report, "D007")
    assert [line for line, _, _ in found] == [3, 4], report.as_text()
    assert "不会用今天的日期补全" in found[0][2]


def test_a_failing_format_is_named(make_dataset, check) -> None:
    descriptor = _plain("d", "date")
    descriptor["resources"][0]["schema"]["fields"][1]["format"] = "%Y/%m/%d"
    make_dataset(descriptor, {"data/t.csv": "id,d\n1,2021/03/04\n2,2021-03-05\n"})
    [(line, _, message)] = _found(check(), "D007")
    assert line == 3 and "格式 %Y/%m/%d" in message


@pytest.mark.parametrize("engine", ENGINES)
def test_invisible_characters_are_shown_escaped(make_dataset, check, engine) -> None:
    text = "id,n\n1,12\u200b\n2,\u30003\n3,4\u00a0\n4,5\n"
    make_dataset(_plain("n", pattern="[0-9]+"), {"data/t.csv": text})
    messages = [m for _, _, m in _found(check(engine), "D009")]
    assert messages == [
        "“12\\u200b” 不符合格式 [0-9]+",
        "“\\u30003” 不符合格式 [0-9]+",
        "“4\\u00a0” 不符合格式 [0-9]+",
    ]


@pytest.mark.parametrize("declared", [None, "utf-8"])
def test_an_encoding_error_points_at_the_line(make_dataset, check, declared) -> None:
    descriptor = _plain("v")
    if declared:
        descriptor["resources"][0]["encoding"] = declared
    raw = "id,v\n1,长沙\n2,岳麓区\n".encode() + "3,湘潭\n".encode("gb18030")
    make_dataset(descriptor, {"data/t.csv": raw})
    report = check()
    [(line, _, _message)] = _found(report, "D004")
    assert line == 4
    problem = next(p for p in report.problems if p.code == "D004")
    assert "gb18030" in problem.hint


# --- spreadsheets and title rows ------------------------------------------------------------


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


TITLED = [
    ["2021年低保统计表"],
    [],
    ["code", "name", "persons"],
    ["01", "芙蓉区", 12],
    ["02", "天心区", 7],
]


def _sheet_descriptor(dialect: dict | None, schema: bool = True) -> dict:
    descriptor = _plain("v")
    resource = {"name": "t", "path": "data/t.xlsx"}
    if dialect is not None:
        resource["dialect"] = dialect
    if schema:
        resource["schema"] = {
            "fields": [
                {"name": "code", "type": "string"},
                {"name": "name", "type": "string"},
                {"name": "persons", "type": "integer"},
            ]
        }
    descriptor["resources"] = [resource]
    return descriptor


@pytest.mark.parametrize("dialect", [{"sheet": "数据"}, {"excel": {"sheet": "数据"}}])
def test_title_rows_in_a_named_sheet_are_detected(make_dataset, check, tmp_path, dialect) -> None:
    make_dataset(_sheet_descriptor(dialect), {})
    _workbook(tmp_path / "datasets/plain/data/t.xlsx", {"说明": [["见第二张表"]], "数据": TITLED})
    report = check()
    [(line, _, message)] = _found(report, "D006")
    assert (
        line == 3
        and "表头在第 3 行" in message
        and "headerRows: [3]" in message
        and "sheet: 数据" in message
    )
    assert _errors(report) == ["D006"]  # one problem, not one per row and column


@pytest.mark.parametrize("schema", [True, False])
def test_an_xlsx_resource_publishes_whole(make_dataset, check, catalogue, tmp_path, schema):
    make_dataset(_sheet_descriptor({"sheet": "数据", "headerRows": [3]}, schema), {})
    _workbook(tmp_path / "datasets/plain/data/t.xlsx", {"说明": [["见第二张表"]], "数据": TITLED})
    report = check()
    assert report.ok, report.as_text()
    assert "D004" not in codes(report)  # never an encoding hint for a workbook
    if not schema:
        assert "code 文本" in _found(report, "Q007")[0][2]
    data = _build(tmp_path, catalogue)
    got = sqlite3.connect(data / "plain.db").execute("select * from t").fetchall()
    assert got == [("01", "芙蓉区", 12), ("02", "天心区", 7)]


@pytest.mark.parametrize("schema", [True, False])
def test_title_rows_in_a_csv_are_detected(make_dataset, check, schema) -> None:
    descriptor = _sheet_descriptor(None, schema)
    descriptor["resources"][0]["path"] = "data/t.csv"
    text = "2021年低保统计表,,\n,,\ncode,name,persons\n01,芙蓉区,12\n02,天心区,7\n"
    make_dataset(descriptor, {"data/t.csv": text})
    report = check()
    assert _errors(report) == ["D006"], report.as_text()
    [(line, _, message)] = _found(report, "D006")
    assert line == 3 and "`dialect: {headerRows: [3]}`" in message


def test_large_tables_have_no_xlsx(make_dataset, catalogue, tmp_path, monkeypatch) -> None:
    from stdhub.opendata import downloads

    make_dataset(_plain("v"), {"data/t.csv": "id,v\n1,a\n2,b\n"})
    data = _build(tmp_path, catalogue)
    monkeypatch.setattr(downloads, "XLSX_MAX_ROWS", 1)
    out = _downloads(tmp_path, data, "plain")
    assert (out / "t.csv").is_file() and not (out / "t.xlsx").exists()


def test_a_tsv_is_read_with_tabs(make_dataset, check) -> None:
    descriptor = _plain("v")
    descriptor["resources"][0]["path"] = "data/t.tsv"
    make_dataset(descriptor, {"data/t.tsv": 'id\tv\n1\t"a,b"\n2\tc\n'})
    assert "D020" not in codes(check())
    make_dataset(descriptor, {"data/t.tsv": 'id\tv\n1\t"a"b\n2\tc\n'})
    assert _found(check(), "D020")[0][0] == 2


@pytest.mark.parametrize(("header", "number"), [("id,,v", 2), ("id,v,v", 3)])
def test_a_header_read_without_schema_needs_names(make_dataset, check, header, number) -> None:
    descriptor = _plain("v")
    del descriptor["resources"][0]["schema"]
    make_dataset(descriptor, {"data/t.csv": f"{header}\n1,2,3\n4,5,6\n"})
    report = check()
    assert _errors(report) == ["D006"], report.as_text()
    assert [p.column for p in report.errors] == [number]


def test_a_non_tabular_resource_is_not_read_as_csv(make_dataset, check) -> None:
    """GeoJSON is full of quotes: neither a quoting fault nor a table to infer."""
    descriptor = _plain("v")
    descriptor["resources"].append({"name": "shapes", "path": "data/shapes.geojson"})
    geojson = '{"type": "FeatureCollection", "features": [{"type": "Feature", "a": "b"c"}]}\n'
    make_dataset(descriptor, {"data/t.csv": "id,v\n1,a\n", "data/shapes.geojson": geojson})
    found = codes(check())
    assert not {"D020", "Q007", "D006"} & set(found), found


def test_a_datetime_without_a_time_is_midnight_not_refused(make_dataset, check) -> None:
    descriptor = _plain("d", "datetime")
    descriptor["resources"][0]["schema"]["fields"][1]["format"] = "any"
    make_dataset(descriptor, {"data/t.csv": "id,d\n1,2021-03-04\n2,2021-03-04 10:30\n3,2021-03\n"})
    assert [line for line, _, _ in _found(check(), "D007")] == [4]


def test_loaded_schemas_are_the_ones_written(make_dataset, catalogue, tmp_path) -> None:
    """The checking form of a pattern (`patterns.whole`) never reaches the loader."""
    make_dataset(_plain("v", pattern="^43\\d{4}$"), {"data/t.csv": "id,v\n1,430102\n"})
    [checked], report = check_datasets(tmp_path / "datasets", catalogue, tmp_path)
    assert report.ok, report.as_text()
    assert checked.schemas["t"]["fields"][1]["constraints"] == {"pattern": "^43\\d{4}$"}
