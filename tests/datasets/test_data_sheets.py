"""Spreadsheets as staff save them (`stdhub.datasets.sheets`): the sheet read, merged cells,
formulas without results, error values, serial 60, date cells, multi-row headers, title rows
and notes, `.xls` and `.ods`; and a property test that generated sheets load exactly.

Workbooks are written here with openpyxl (the XLSX writer Excel users' tools resemble), an
ODS by hand (a zip of `content.xml`), the `.xls` once with xlwt (`tests/fixtures/sheets/`).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import sqlite3
import tempfile
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ERROR_CODES

from stdhub.datasets.build import build_data
from stdhub.datasets.check import check_datasets, check_package
from stdhub.datasets.sqlite import write_database
from stdhub.problems import Report

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LICENSES = [{"name": "CC0-1.0", "path": "https://creativecommons.org/publicdomain/zero/1.0/"}]


def _descriptor(path: str, schema: list[tuple[str, str]] | None, **resource: Any) -> dict:
    r: dict[str, Any] = {"name": "t", "path": path, **resource}
    if schema is not None:
        r["schema"] = {"fields": [{"name": n, "type": k} for n, k in schema]}
    return {
        "name": "sheet",
        "title": "测试",
        "access": "无条件开放",
        "licenses": LICENSES,
        "resources": [r],
    }


def _workbook(
    sheets: dict[str, list[list[Any]]], hidden: tuple[str, ...] = ()
) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    return book


def _save(book: openpyxl.Workbook, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def _check(tmp_path: Path, catalogue, engine: str = "auto") -> Report:
    _, report = check_datasets(tmp_path / "datasets", catalogue, tmp_path, engine=engine)
    return report


def _found(report: Report, code: str) -> list[tuple[int, int, str]]:
    return [(p.line, p.column, p.message) for p in report.problems if p.code == code]


def _errors(report: Report) -> list[str]:
    return sorted({p.code for p in report.errors})


def _rows(tmp_path: Path, catalogue, name: str = "sheet", table: str = "t") -> list[tuple]:
    out = tmp_path / "build" / "data"
    build_data(tmp_path, catalogue, out=out)
    with sqlite3.connect(out / f"{name}.db") as con:
        return con.execute(f"select * from [{table}] order by rowid").fetchall()


def _ods(sheets: dict[str, list[list[Any]]], hidden: tuple[str, ...] = ()) -> bytes:
    """A minimal OpenDocument spreadsheet: text, numbers, dates, merged cells, hidden tables."""

    def cell(v: Any) -> str:
        if v is ...:  # under a merged cell
            return "<table:covered-table-cell/>"
        if isinstance(v, tuple):  # (value, rows, columns): a merged cell
            value, down, across = v
            spans = f'table:number-rows-spanned="{down}" table:number-columns-spanned="{across}"'
            return cell(value).replace("<table:table-cell", f"<table:table-cell {spans}", 1)
        if v is None or v == "":
            return "<table:table-cell/>"
        if isinstance(v, dt.date):
            iso = v.isoformat()
            return (
                f'<table:table-cell office:value-type="date" office:date-value="{iso}">'
                f"<text:p>{iso}</text:p></table:table-cell>"
            )
        if isinstance(v, int | float):
            return (
                f'<table:table-cell office:value-type="float" office:value="{v}">'
                f"<text:p>{v}</text:p></table:table-cell>"
            )
        return (
            f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p>'
            "</table:table-cell>"
        )

    tables = "".join(
        f"<table:table table:name={quoteattr(name)}"
        + (' table:style-name="hidden"' if name in hidden else "")
        + ">"
        + "".join(
            "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>"
            for row in rows
        )
        + "</table:table>"
        for name, rows in sheets.items()
    )
    ns = {
        "office": "office:1.0",
        "style": "style:1.0",
        "table": "table:1.0",
        "text": "text:1.0",
        "manifest": "manifest:1.0",
    }
    xmlns = " ".join(
        f'xmlns:{k}="urn:oasis:names:tc:opendocument:xmlns:{v}"' for k, v in ns.items()
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {xmlns} '
        'office:version="1.2"><office:automatic-styles><style:style style:name="hidden" '
        'style:family="table"><style:table-properties table:display="false"/></style:style>'
        f"</office:automatic-styles><office:body><office:spreadsheet>{tables}"
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        f'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest {xmlns} manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _write(tmp_path: Path, descriptor: dict, files: dict[str, bytes | openpyxl.Workbook]) -> Path:
    folder = tmp_path / "datasets" / descriptor["name"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "datapackage.yaml").write_text(
        yaml.safe_dump(descriptor, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    for relpath, content in files.items():
        if isinstance(content, bytes):
            (folder / relpath).parent.mkdir(parents=True, exist_ok=True)
            (folder / relpath).write_bytes(content)
        else:
            _save(content, folder / relpath)
    return folder


VILLAGES = [("乡镇", "string"), ("村代码", "string"), ("村名称", "string"), ("核对日期", "date")]
VILLAGE_ROWS = [
    ("东塘街道", "430102001001", "东塘村", "2023-06-30"),
    ("东塘街道", "430102001002", "西塘村", "2023-06-30"),
    ("南门镇", "430102002001", "南门村", "2023-07-01"),
]


# --- the case: a county return whose first sheet is a hidden 填表说明 ----------------------


def test_the_hidden_first_sheet_case_is_never_published_empty(catalogue, tmp_path) -> None:
    shutil.copytree(FIXTURES / "cases/xlsx-hidden-first-sheet/datasets", tmp_path / "datasets")
    folder = tmp_path / "datasets/xlsx-hidden-first-sheet"
    report = _check(tmp_path, catalogue)
    assert _errors(report) == ["D006"], report.as_text()
    [(line, _, message)] = _found(report, "D006")
    assert line == 3  # the header's row, under the title and the 填报单位 line
    assert "表头在第 3 行" in message and "表尾第 2012–2014 行" in message
    [(_, _, chosen)] = _found(report, "D050")
    assert "“数据”" in chosen and "填表说明（隐藏）" in chosen
    # the staff member does what the message says, and the 2,008 rows publish
    said = re.search(r"`dialect: (\{.*?\})`", message)
    assert said
    descriptor = yaml.safe_load((folder / "datapackage.yaml").read_text(encoding="utf-8"))
    descriptor["resources"][0]["dialect"] = yaml.safe_load(said.group(1))
    (folder / "datapackage.yaml").write_text(yaml.safe_dump(descriptor, allow_unicode=True))
    report = _check(tmp_path, catalogue)
    assert report.ok and not _found(report, "D050"), report.as_text()
    got = _rows(tmp_path, catalogue, "xlsx-hidden-first-sheet", "streets")
    # the sheet read by another reader: every code as Excel shows it, text or number
    book = openpyxl.load_workbook(folder / "hunan-streets.xlsx", read_only=True)
    expected = [
        tuple(str(int(v)) if isinstance(v, int | float) else v for v in row[:3])
        for row in book["数据"].iter_rows(min_row=4, max_row=2011, values_only=True)
    ]
    book.close()
    assert len(got) == 2008
    assert [r[:3] for r in got] == expected
    assert {r[5] for r in got} == {"2023-06-30"}  # date cells as dates
    assert all(isinstance(r[4], int) for r in got)  # 地级代码: numbers in every cell


# --- which sheet ---------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["auto", "frictionless"])
def test_a_hidden_first_sheet_is_passed_over_and_the_sheet_read_is_named(
    catalogue, tmp_path, engine
) -> None:
    rows = [[n for n, _ in VILLAGES], *[list(r) for r in VILLAGE_ROWS]]
    book = _workbook(
        {"填表说明": [["请勿改动表头"]], "数据": rows, "备用": []}, hidden=("填表说明",)
    )
    _write(tmp_path, _descriptor("t.xlsx", VILLAGES), {"t.xlsx": book})
    report = _check(tmp_path, catalogue, engine)
    assert report.ok, report.as_text()
    [(_, _, message)] = _found(report, "D050")
    assert "“数据”" in message and "填表说明（隐藏）、数据、备用" in message
    assert "excel: {sheet: 数据}" in message
    assert _rows(tmp_path, catalogue) == VILLAGE_ROWS


@pytest.mark.parametrize(("sheet", "said"), [("汇总", "名为“汇总”"), (3, "第 3 个工作表")])
def test_a_sheet_that_is_not_there_is_refused_naming_those_that_are(
    catalogue, tmp_path, sheet, said
) -> None:
    book = _workbook({"说明": [["x"]], "数据": [["a"], ["1"]]}, hidden=("说明",))
    descriptor = _descriptor("t.xlsx", [("a", "string")], dialect={"excel": {"sheet": sheet}})
    _write(tmp_path, descriptor, {"t.xlsx": book})
    report = _check(tmp_path, catalogue)
    assert _errors(report) == ["D051"]
    [(_, _, message)] = _found(report, "D051")
    assert said in message and "说明（隐藏）、数据" in message


def test_a_hidden_sheet_named_by_the_descriptor_is_read(catalogue, tmp_path) -> None:
    book = _workbook({"说明": [["x"]], "数据": [["a"], ["1"]]}, hidden=("数据",))
    descriptor = _descriptor("t.xlsx", [("a", "string")], dialect={"excel": {"sheet": "数据"}})
    _write(tmp_path, descriptor, {"t.xlsx": book})
    report = _check(tmp_path, catalogue)
    assert report.ok and not _found(report, "D050"), report.as_text()
    assert _rows(tmp_path, catalogue) == [("1",)]


# --- cells Excel shows, and cells it cannot --------------------------------------------------


@pytest.mark.parametrize("engine", ["auto", "frictionless"])
def test_merged_cells_show_their_value_on_every_row(catalogue, tmp_path, engine) -> None:
    book = _workbook({"数据": [["2023年村级统计表"], [n for n, _ in VILLAGES]]})
    sheet = book["数据"]
    sheet.merge_cells("A1:D1")
    for r in VILLAGE_ROWS:
        sheet.append([r[0], r[1], r[2], dt.date.fromisoformat(r[3])])
    sheet["A4"] = None
    sheet.merge_cells("A3:A4")  # 东塘街道 over its two villages
    for cell in ("D3", "D4", "D5"):
        sheet[cell].number_format = "yyyy-mm-dd"
    descriptor = _descriptor("t.xlsx", VILLAGES, dialect={"headerRows": [2]})
    _write(tmp_path, descriptor, {"t.xlsx": book})
    report = _check(tmp_path, catalogue, engine)
    assert report.ok, report.as_text()
    assert _rows(tmp_path, catalogue) == VILLAGE_ROWS


def test_a_formula_without_its_result_is_refused_naming_the_cell(catalogue, tmp_path) -> None:
    book = _workbook({"数据": [["a", "b"], [1, 2], [3, "=A3*2"]]})
    _write(tmp_path, _descriptor("t.xlsx", [("a", "integer"), ("b", "integer")]), {"t.xlsx": book})
    report = _check(tmp_path, catalogue)
    assert _errors(report) == ["D053"], report.as_text()
    [(line, column, message)] = _found(report, "D053")
    assert (line, column) == (3, 2)
    assert "单元格 B3" in message and "=A3*2" in message and "“数据”" in message


def test_an_error_value_is_refused_naming_the_cell(catalogue, tmp_path) -> None:
    book = _workbook({"数据": [["a", "b"], [1, "#N/A"], [3, 4]]})
    _write(tmp_path, _descriptor("t.xlsx", [("a", "integer"), ("b", "integer")]), {"t.xlsx": book})
    report = _check(tmp_path, catalogue)
    assert _errors(report) == ["D054"], report.as_text()
    [(line, column, message)] = _found(report, "D054")
    assert (line, column) == (2, 2) and "单元格 B2" in message and "#N/A" in message


def test_serial_60_is_refused_and_its_neighbours_are_dates(catalogue, tmp_path) -> None:
    book = _workbook({"数据": [["d"], [59], [60], [61]]})
    for cell in ("A2", "A3", "A4"):
        book["数据"][cell].number_format = "yyyy-mm-dd"
    _write(tmp_path, _descriptor("t.xlsx", [("d", "date")]), {"t.xlsx": book})
    report = _check(tmp_path, catalogue)
    assert _errors(report) == ["D052"], report.as_text()
    [(line, _, message)] = _found(report, "D052")
    assert line == 3 and "单元格 A3" in message and "1900-02-29" in message
    book["数据"]["A3"] = dt.date(1900, 3, 1)
    _write(tmp_path, _descriptor("t.xlsx", [("d", "date")]), {"t.xlsx": book})
    assert _check(tmp_path, catalogue).ok
    assert _rows(tmp_path, catalogue) == [("1900-02-28",), ("1900-03-01",), ("1900-03-01",)]


@pytest.mark.parametrize("engine", ["auto", "frictionless"])
def test_date_cells_are_dates_and_times_stay_times(catalogue, tmp_path, engine) -> None:
    rows = [
        ["day", "at", "plain"],
        [dt.date(2023, 6, 30), dt.datetime(2023, 6, 30, 8, 30), dt.datetime(2023, 6, 30)],
    ]
    schema = [("day", "date"), ("at", "datetime"), ("plain", "date")]
    _write(tmp_path, _descriptor("t.xlsx", schema), {"t.xlsx": _workbook({"数据": rows})})
    report = _check(tmp_path, catalogue, engine)
    assert report.ok, report.as_text()
    assert _rows(tmp_path, catalogue) == [("2023-06-30", "2023-06-30T08:30:00", "2023-06-30")]


# --- headers: several rows, title rows, notes below ----------------------------------------

IPC_LIKE = [
    ["湖南省困难群众救助统计表"],
    ["填报单位：某县民政局", None, None, None, "单位：人"],
    *[[f"说明 {i}"] for i in range(3, 10)],
    ["地区", "低保", None, "特困", None],
    [None, "城市", "农村", "集中", "分散"],
    [None, "人数", "人数", "人数", "人数"],
    ["芙蓉区", 120, 35, 4, 18],
    ["天心区", 98, 41, 2, 11],
]


def _ipc_book() -> openpyxl.Workbook:
    book = _workbook({"表1": IPC_LIKE})
    sheet = book["表1"]
    for merged in ("A1:E1", "A10:A12", "B10:C10", "D10:E10"):
        sheet.merge_cells(merged)
    return book


def test_multi_row_headers_are_joined_as_frictionless_joins_them(catalogue, tmp_path) -> None:
    from frictionless import Dialect, Resource, formats

    names = ["地区", "低保/城市/人数", "低保/农村/人数", "特困/集中/人数", "特困/分散/人数"]
    dialect = {"headerRows": [10, 11, 12], "headerJoin": "/"}
    schema = [("地区", "string"), *[(n, "integer") for n in names[1:]]]
    folder = _write(
        tmp_path, _descriptor("t.xlsx", schema, dialect=dialect), {"t.xlsx": _ipc_book()}
    )
    # the judge: frictionless reading the workbook itself, merged cells filled
    control = formats.ExcelControl(fill_merged_cells=True)
    judged = Dialect(header_rows=[10, 11, 12], header_join="/", controls=[control])
    with Resource(str(folder / "t.xlsx"), dialect=judged) as resource:
        assert resource.labels == names
    report = _check(tmp_path, catalogue)
    assert report.ok, report.as_text()
    assert _rows(tmp_path, catalogue) == [("芙蓉区", 120, 35, 4, 18), ("天心区", 98, 41, 2, 11)]


@pytest.mark.parametrize("schema", [True, False])
def test_an_undeclared_multi_row_header_is_found_below_its_title_block(
    catalogue, tmp_path, schema
) -> None:
    names = ["地区", "低保 城市 人数", "低保 农村 人数", "特困 集中 人数", "特困 分散 人数"]
    fields = [(n, "string" if n == "地区" else "integer") for n in names] if schema else None
    _write(tmp_path, _descriptor("t.xlsx", fields), {"t.xlsx": _ipc_book()})
    report = _check(tmp_path, catalogue)
    assert _errors(report) == ["D006"], report.as_text()
    [(line, _, message)] = _found(report, "D006")
    assert line == 10 and "表头在第 10–12 行" in message
    assert "headerRows: [10, 11, 12]" in message


WORLD_BANK = (
    '"Data Source","World Development Indicators",\n'
    "\n"
    '"Last Updated Date","2024-06-28",\n'
    "\n"
    '"Country Name","Country Code","Indicator Name","Indicator Code","2021","2022","2023",\n'
    '"Aruba","ABW","Population, total","SP.POP.TOTL","106537","107310","107359",\n'
    '"China","CHN","Population, total","SP.POP.TOTL","1412360000","1412175000","1410710000",\n'
)


@pytest.mark.parametrize("schema", [True, False])
def test_a_world_bank_csv_has_its_header_on_line_5(catalogue, tmp_path, schema) -> None:
    names = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]
    fields = [(n, "string") for n in [*names, "2021", "2022", "2023"]] if schema else None
    descriptor = _descriptor("wb.csv", fields)
    _write(tmp_path, descriptor, {"wb.csv": WORLD_BANK.encode()})
    report = _check(tmp_path, catalogue)
    assert _errors(report) == ["D006"], report.as_text()
    [(line, _, message)] = _found(report, "D006")
    assert line == 5 and "headerRows: [5]" in message and "excel" not in message


def test_notes_below_a_county_return_are_named_with_the_header(catalogue, tmp_path) -> None:
    rows = [
        ["某县乡镇统计表"],
        ["填报单位：（盖章）", None, "统计时点：", dt.date(2023, 6, 30)],
        ["代码", "名称", "村数", "户数"],
        ["430102001", "文艺路街道", 5, 1200],
        ["430102002", "朝阳街街道", 7, 1800],
        [],
        ["注：代码取自统计用区划代码。"],
    ]
    schema = [("代码", "string"), ("名称", "string"), ("村数", "integer"), ("户数", "integer")]
    _write(tmp_path, _descriptor("t.xlsx", schema), {"t.xlsx": _workbook({"数据": rows})})
    report = _check(tmp_path, catalogue)
    [(line, _, message)] = _found(report, "D006")
    assert line == 3 and "headerRows: [3], commentRows: [6, 7]" in message
    dialect = yaml.safe_load(re.search(r"`dialect: (\{.*?\})`", message).group(1))
    _write(tmp_path, _descriptor("t.xlsx", schema, dialect=dialect), {})
    assert _check(tmp_path, catalogue).ok
    assert _rows(tmp_path, catalogue) == [
        ("430102001", "文艺路街道", 5, 1200),
        ("430102002", "朝阳街街道", 7, 1800),
    ]


# --- .xls and .ods -------------------------------------------------------------------------


def test_an_xls_workbook_is_read(catalogue, tmp_path) -> None:
    raw = (FIXTURES / "sheets/villages.xls").read_bytes()
    descriptor = _descriptor("t.xls", VILLAGES, dialect={"headerRows": [2]})
    _write(tmp_path, descriptor, {"t.xls": raw})
    report = _check(tmp_path, catalogue)
    assert report.ok, report.as_text()
    assert "“数据”" in _found(report, "D050")[0][2]  # the hidden 填表说明 passed over
    assert _rows(tmp_path, catalogue) == VILLAGE_ROWS


def test_an_ods_workbook_is_read_merged_cells_filled(catalogue, tmp_path) -> None:
    (town, code1, village1, day1), (_, code2, village2, day2), last = VILLAGE_ROWS
    rows = [
        [("2023年村级统计表", 1, 4), ..., ..., ...],
        [n for n, _ in VILLAGES],
        [(town, 2, 1), code1, village1, dt.date.fromisoformat(day1)],
        [..., int(code2), village2, dt.date.fromisoformat(day2)],
        [last[0], last[1], last[2], dt.date.fromisoformat(last[3])],
    ]
    raw = _ods({"说明": [["见数据表"]], "数据": rows}, hidden=("说明",))
    descriptor = _descriptor("t.ods", VILLAGES, dialect={"headerRows": [2]})
    _write(tmp_path, descriptor, {"t.ods": raw})
    report = _check(tmp_path, catalogue)
    assert report.ok, report.as_text()
    assert _rows(tmp_path, catalogue) == VILLAGE_ROWS


def test_an_unreadable_workbook_is_a_message_not_a_traceback(catalogue, tmp_path) -> None:
    _write(tmp_path, _descriptor("t.xlsx", [("a", "string")]), {"t.xlsx": b"PK\x03\x04 not a zip"})
    report = _check(tmp_path, catalogue)
    assert _errors(report) == ["D017"]
    assert "无法作为 Excel/ODS 工作簿读取" in _found(report, "D017")[0][2]


# --- property: whatever cells a sheet holds, SQLite holds the same values -----------------

_TEXT = st.text(
    st.characters(
        codec="utf-8",
        categories=("L", "N", "P", "S", "Zs"),
        exclude_characters="_",  # `_x0041_` is an escape in XLSX that openpyxl does not write
    ),
    min_size=1,
    max_size=12,
).filter(  # openpyxl writes "=…" as a formula and "#N/A" etc. as an error cell (D053/D054)
    lambda t: not (len(t) > 1 and t.startswith("=")) and t not in ERROR_CODES
)
_KINDS: dict[str, st.SearchStrategy[Any]] = {
    "string": _TEXT,
    "integer": st.integers(-(10**15), 10**15),
    "number": st.floats(-1e300, 1e300),  # near the limit openpyxl rounds up to infinity
    "date": st.dates(dt.date(1900, 3, 1), dt.date(9999, 12, 31)),
    "boolean": st.booleans(),
}


@st.composite
def _tables(draw: st.DrawFn) -> tuple[list[str], list[list[Any]], int, bool]:
    kinds = draw(st.lists(st.sampled_from(sorted(_KINDS)), min_size=1, max_size=5))
    rows = draw(
        st.lists(
            st.tuples(*[st.one_of(st.none(), _KINDS[k]) for k in kinds]).map(list),
            min_size=1,
            max_size=8,
        )
    )
    assume(all(any(v is not None for v in row) for row in rows))  # a blank row is D012
    return kinds, rows, draw(st.integers(0, 3)), draw(st.booleans())


def _expected(kind: str, value: Any) -> Any:
    """What SQLite should hold for a cell, as another reader (openpyxl) reads it back."""
    if value is None:
        return None
    if kind == "date":
        return value.date().isoformat()
    if kind == "boolean":
        return int(value)
    if kind == "number":
        return float(value)
    return value


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_tables())
def test_generated_sheets_load_into_sqlite_exactly(catalogue, table) -> None:
    kinds, rows, titles, hidden_first = table
    names = [f"c{i}" for i in range(len(kinds))]
    book = _workbook(
        {
            **({"说明": [["填表说明"]]} if hidden_first else {}),
            "数据": [*[[f"标题 {i}"] for i in range(titles)], names, *rows],
        },
        hidden=("说明",),
    )
    for r, row in enumerate(rows, start=titles + 2):
        for c, (kind, value) in enumerate(zip(kinds, row, strict=True), start=1):
            if kind == "date" and value is not None:
                book["数据"].cell(r, c).number_format = "yyyy-mm-dd"
    dialect = {"headerRows": [titles + 1]} if titles else None
    resource = {"dialect": dialect} if dialect else {}
    descriptor = _descriptor("t.xlsx", list(zip(names, kinds, strict=True)), **resource)
    with tempfile.TemporaryDirectory() as tmp:
        folder = _write(Path(tmp), descriptor, {"t.xlsx": book})
        checked, report = check_package(folder, catalogue, Path(tmp), keep=True)
        assume(not any(p.code.startswith("P") for p in report.errors))  # a number like a mobile
        assert report.ok, report.as_text()
        assert checked is not None
        write_database(Path(tmp) / "t.db", checked)
        with sqlite3.connect(Path(tmp) / "t.db") as con:
            got = con.execute("select * from t order by rowid").fetchall()
        # what the workbook holds (openpyxl writes 16 significant digits, as Excel keeps 15)
        saved = openpyxl.load_workbook(folder / "t.xlsx", read_only=True)
        held = list(saved["数据"].iter_rows(min_row=titles + 2, values_only=True))
        saved.close()
    expected = [tuple(_expected(k, v) for k, v in zip(kinds, row, strict=True)) for row in held]
    assert got == expected


_CASE_BOOK = (
    FIXTURES / "cases/xlsx-hidden-first-sheet/datasets/xlsx-hidden-first-sheet/hunan-streets.xlsx"
)


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_a_damaged_workbook_is_a_problem_never_an_exception(data: st.DataObject) -> None:
    from stdhub.datasets import sheets

    raw = bytearray(_CASE_BOOK.read_bytes())
    if data.draw(st.booleans(), label="truncate"):
        raw = raw[: data.draw(st.integers(0, len(raw) - 1), label="cut")]
    else:
        for at in data.draw(st.lists(st.integers(0, len(raw) - 1), min_size=1, max_size=20)):
            raw[at] = data.draw(st.integers(0, 255))
    sheet = sheets.read(bytes(raw), {"path": "t.xlsx"})
    errors = [i for i in sheet.issues if i.code != "D050"]
    assert sheet.rows or [i.code for i in errors] in (["D017"], ["D051"])


@pytest.mark.parametrize("path", ["t.xlsx", "t.csv"])
@pytest.mark.parametrize("engine", ["auto", "frictionless"])
def test_a_wrong_header_is_reported_at_its_own_row(catalogue, tmp_path, path, engine) -> None:
    rows = [["某县统计表"], [], ["代码", "名字", "户数"], ["430102001", "文艺路街道", "12"]]
    schema = [("代码", "string"), ("名称", "string"), ("户数", "integer")]
    descriptor = _descriptor(path, schema, dialect={"headerRows": [3]})
    content: bytes | openpyxl.Workbook = (
        _workbook({"数据": rows})
        if path.endswith(".xlsx")
        else "".join(",".join(r) + "\n" for r in rows).encode()
    )
    _write(tmp_path, descriptor, {path: content})
    report = _check(tmp_path, catalogue, engine)
    assert _errors(report) == ["D006"], report.as_text()
    assert {(line, column) for line, column, _ in _found(report, "D006")} == {(3, 2)}


_SHEET_NAMES = st.text(
    st.characters(
        codec="utf-8", categories=("L", "N", "P", "S", "Zs"), exclude_characters="[]:*?/\\'"
    ),
    min_size=1,
    max_size=31,
).filter(lambda n: n.strip() == n and n != "说明")


@settings(max_examples=40, deadline=None)
@given(_SHEET_NAMES)
def test_the_dialect_a_message_gives_names_the_sheet_read(name: str) -> None:
    """Whatever the sheet is called (`2023`, `yes`, `数据: 2023`), the YAML in D050 names it."""
    from stdhub.datasets import sheets

    out = io.BytesIO()
    _workbook({"说明": [["x"]], name: [["a"], ["1"]]}, hidden=("说明",)).save(out)
    sheet = sheets.read(out.getvalue(), {"path": "t.xlsx"})
    [issue] = sheet.issues
    said = re.search(r"`dialect: (\{.*\})`", issue.message)
    assert said and yaml.safe_load(said.group(1)) == {"excel": {"sheet": name}}
    again = sheets.read(
        out.getvalue(), {"path": "t.xlsx", "dialect": yaml.safe_load(said.group(1))}
    )
    assert again.name == name and not again.issues and again.rows == [["a"], ["1"]]
