"""The one reader of spreadsheets (XLSX, XLS, ODS): a worksheet as Excel shows it, or why not.

python-calamine reads the cells of all three formats. What a workbook holds beyond its
cells is settled here, before any check sees a row:

- the sheet: the one the resource names (`dialect.excel.sheet`, a name or a 1-based
  number), else the first *visible* one, and a D050 warning says which (a hidden 填表说明
  sheet first in the workbook is never read silently);
- merged cells (calamine's ranges; an ODS's spans read here): every cell of a merged
  range shows the range's value, as Excel draws it
  (a 乡镇 merged over its villages is that 乡镇 on each row; a header group merged over
  its columns joins each column's label, as frictionless joins `headerRows`);
- cells that hold no value Excel would show are refused, naming the cell: a formula
  saved without its result (D053), an error value such as `#N/A` (D054), and the serial
  60 of a date cell, the 1900-02-29 that never was (D052);
- values become text as Excel shows them in the General format: whole numbers without
  `.0` (a code saved as a number reads like one saved as text), dates `YYYY-MM-DD`, dates
  with a time `YYYY-MM-DDTHH:MM:SS`, booleans `TRUE`/`FALSE`.

Row *n* of the table is row *n* of the sheet, so `headerRows`, `commentRows` and every
message keep the sheet's own numbering. The table is then checked as a CSV would be.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from stdhub.datasets.issues import Issue

FORMATS = ("xlsx", "xlsm", "xls", "ods")
_EXACT = 2**53  # whole numbers below this are exact in a double, hence in a cell
_FEB_28_1900 = dt.date(1900, 2, 28)  # where calamine puts serial 60 (and 59)
_SUSPECTS = (b"<f", b":f", b't="e"')  # a formula (maybe prefixed) or an error value
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


@dataclass
class Sheet:
    """One worksheet as text cells: `rows[i]` is the sheet's row i + 1."""

    name: str
    rows: list[list[str]]
    kinds: list[list[str]]  # per cell: "" (empty), string, integer, number, date, datetime…
    issues: list[Issue] = field(default_factory=list)  # D050–D054, warnings and errors

    def to_csv(self) -> bytes:
        """The table as UTF-8 CSV (RFC 4180 quoting, `\\n` line ends)."""
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(self.rows)
        return out.getvalue().encode()


def is_spreadsheet(resource: dict[str, Any], relpath: str) -> bool:
    """A workbook: declared `xlsx`/`xls`/`ods`, or so named when no format is declared."""
    fmt = resource.get("format")
    if isinstance(fmt, str):
        return fmt.lower() in FORMATS
    return relpath.lower().endswith(tuple(f".{f}" for f in FORMATS))


def named_sheet(resource: dict[str, Any]) -> str | int | None:
    """The sheet a resource names: `dialect.excel.sheet` (frictionless 5) or v1's `dialect.sheet`."""
    dialect = resource.get("dialect")
    if not isinstance(dialect, dict):
        return None
    excel = dialect.get("excel")
    name = excel.get("sheet") if isinstance(excel, dict) else None
    name = dialect.get("sheet") if name is None else name
    if isinstance(name, bool) or not isinstance(name, str | int):
        return None
    return name


def flow(name: str) -> str:
    """A sheet name as written in a YAML flow mapping: plain when YAML reads it back as the
    same text, else in quotes (`2023` would be the 2023rd sheet, `yes` a boolean)."""
    import yaml

    try:
        plain = yaml.safe_load(f"{{sheet: {name}}}") == {"sheet": name}
    except yaml.YAMLError:
        plain = False
    return name if plain else json.dumps(name, ensure_ascii=False)


def read(raw: bytes, resource: dict[str, Any]) -> Sheet:
    """The sheet a resource stands for, with the problems found reading it.

    A workbook that cannot be opened, or a sheet that cannot be chosen, gives a Sheet
    with no rows and one error.
    """
    from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
    except (CalamineError, ValueError, OSError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        message = f"无法作为 Excel/ODS 工作簿读取（{detail}）：用 Excel 或 WPS 打开后另存"
        return _failed("D017", message, "")
    sheets = [m for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    hidden = {m.name for m in sheets if m.visible != SheetVisibleEnum.Visible}
    listed = "、".join(f"{m.name}（隐藏）" if m.name in hidden else m.name for m in sheets)
    wanted = named_sheet(resource)
    issues: list[Issue] = []
    if isinstance(wanted, str):
        if wanted not in {m.name for m in sheets}:
            return _failed("D051", f"工作簿中没有名为“{wanted}”的工作表（工作表有：{listed}）", "")
        name = wanted
    elif isinstance(wanted, int):
        if not 1 <= wanted <= len(sheets):
            what = f"第 {wanted} 个工作表" if wanted >= 1 else f"工作表编号 {wanted}"
            return _failed("D051", f"工作簿中没有{what}（工作表有：{listed}）", "")
        name = sheets[wanted - 1].name
    else:
        visible = [m.name for m in sheets if m.name not in hidden]
        if not visible:
            return _failed("D051", f"工作簿中没有可见的工作表（工作表有：{listed}）", "")
        name = visible[0]
        if len(sheets) > 1:
            message = (
                f"未指定工作表，读取的是第一个可见的工作表“{name}”（工作簿中有：{listed}）；"
                f"确认后在资源中声明 `dialect: {{excel: {{sheet: {flow(name)}}}}}`"
            )
            issues.append(Issue(0, 0, "", "D050", message))
    try:
        sheet = book.get_sheet_by_name(name)
        values = sheet.to_python(skip_empty_area=False)
        ranges = sheet.merged_cell_ranges
    except (CalamineError, ValueError, OSError) as exc:  # damage inside the sheet's part
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return _failed(
            "D017", f"工作表“{name}”无法读取（{detail}）：用 Excel 或 WPS 打开后另存", name
        )
    rows, kinds = _texts(values)
    fmt = _format(resource)
    merged = _ods_merged(raw, name) if fmt == "ods" else ranges
    _fill_merged(rows, kinds, merged or [])
    if fmt in ("xlsx", "xlsm"):
        issues += _unshown_cells(raw, name)
    issues += _leap_day(raw, name, fmt, values)
    _trim(rows, kinds)
    return Sheet(name, rows, kinds, issues)


def _failed(code: str, message: str, name: str) -> Sheet:
    return Sheet(name, [], [], [Issue(0, 0, "", code, message)])


def _format(resource: dict[str, Any]) -> str:
    fmt = resource.get("format")
    if isinstance(fmt, str):
        return fmt.lower()
    path = resource.get("path")
    return path.rsplit(".", 1)[-1].lower() if isinstance(path, str) else ""


def text(value: Any) -> tuple[str, str]:
    """A cell's value as Excel shows it in the General format, and its kind."""
    if type(value) is str:  # most cells: first
        return value, ("string" if value else "")
    if value is None:
        return "", ""
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), "boolean"
    if isinstance(value, int):
        return str(value), "integer"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < _EXACT:
            return str(int(value)), "integer"
        return repr(value), "number"
    if isinstance(value, dt.datetime):
        return value.isoformat(), "datetime"
    if isinstance(value, dt.date):
        return value.isoformat(), "date"
    if isinstance(value, dt.time):
        return value.isoformat(), "time"
    if isinstance(value, dt.timedelta):  # a duration cell, shown [h]:mm:ss
        seconds = int(value.total_seconds())
        return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}", "string"
    return str(value), "string"


def _texts(values: list[list[Any]]) -> tuple[list[list[str]], list[list[str]]]:
    rows, kinds = [], []
    for row in values:
        pairs = [text(v) for v in row]
        rows.append([t for t, _ in pairs])
        kinds.append([k for _, k in pairs])
    return rows, kinds


def _fill_merged(
    rows: list[list[str]],
    kinds: list[list[str]],
    ranges: list[tuple[tuple[int, int], tuple[int, int]]],
) -> None:
    """Every cell of a merged range shows the value of its top-left cell."""
    width = max((len(r) for r in rows), default=0)
    for (top, left), (bottom, right) in ranges:
        if top >= len(rows) or left >= width:
            continue
        value, kind = rows[top][left], kinds[top][left]
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            for c in range(left, min(right, width - 1) + 1):
                rows[r][c], kinds[r][c] = value, kind


_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def _ods_merged(raw: bytes, name: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The merged ranges of an ODS table (calamine gives none for ODS), 0-based, inclusive."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as book:
            xml = book.read("content.xml")
    except (KeyError, zipfile.BadZipFile):
        return []
    if b"number-rows-spanned" not in xml and b"number-columns-spanned" not in xml:
        return []
    ranges = []
    inside, row, column = False, 0, 0
    cells = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")
    try:
        for event, e in ElementTree.iterparse(io.BytesIO(xml), events=("start", "end")):
            if e.tag == f"{_TABLE}table":
                inside = event == "start" and e.get(f"{_TABLE}name") == name
            elif not inside:
                continue
            elif e.tag == f"{_TABLE}table-row":
                if event == "start":
                    column = 0
                else:
                    row += int(e.get(f"{_TABLE}number-rows-repeated", "1"))
                    e.clear()
            elif e.tag in cells and event == "start":
                down = int(e.get(f"{_TABLE}number-rows-spanned", "1"))
                across = int(e.get(f"{_TABLE}number-columns-spanned", "1"))
                if down > 1 or across > 1:
                    ranges.append(((row, column), (row + down - 1, column + across - 1)))
                column += int(e.get(f"{_TABLE}number-columns-repeated", "1"))
    except (ElementTree.ParseError, ValueError):
        return ranges  # calamine read the cells; merges past the damage stay unfilled
    return ranges


def _trim(rows: list[list[str]], kinds: list[list[str]]) -> None:
    """Drop empty rows at the end and columns empty in every row (they hold nothing)."""
    while rows and not any(rows[-1]):
        rows.pop()
        kinds.pop()
    width = max((max((i + 1 for i, c in enumerate(r) if c), default=0) for r in rows), default=0)
    for r, k in zip(rows, kinds, strict=True):
        del r[width:], k[width:]
        r.extend([""] * (width - len(r)))
        k.extend([""] * (width - len(k)))


def cell_name(row: int, column: int) -> str:
    """`B12` for row 12, column 2 (both 1-based)."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


_CELL = re.compile(r"([A-Z]+)([0-9]+)")


def _position(ref: str) -> tuple[int, int]:
    m = _CELL.fullmatch(ref)
    if not m:
        return 0, 0
    column = 0
    for ch in m.group(1):
        column = column * 26 + ord(ch) - 64
    return int(m.group(2)), column


def _sheet_xml(book: zipfile.ZipFile, name: str) -> bytes | None:
    """The XML part of the worksheet called `name` in an XLSX package."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    for s in workbook.iter(f"{_MAIN}sheet"):
        if s.get("name") == name:
            target = targets.get(s.get(f"{_REL}id"), "")
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            return book.read(part)
    return None


def _sheet_part(raw: bytes, name: str) -> bytes | None:
    """The XML of the worksheet called `name` in an XLSX file (None if it cannot be found)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as book:
            return _sheet_xml(book, name)
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return None


def _cells(xml: bytes, wanted: Any) -> list[tuple[str, ElementTree.Element]]:
    """The `<c>` elements of a sheet's XML for which `wanted(element)` holds, with their refs."""
    found = []
    try:
        for _, element in ElementTree.iterparse(io.BytesIO(xml)):
            if element.tag == f"{_MAIN}c":
                if wanted(element):
                    found.append((element.get("r", ""), element))
            elif element.tag == f"{_MAIN}row":
                element.clear()
    except ElementTree.ParseError:
        pass  # calamine read the cells: what it could not, it reported
    return found


def _unshown_cells(raw: bytes, name: str) -> list[Issue]:
    """D053 for each formula saved without its result, D054 for each error value."""
    xml = _sheet_part(raw, name)
    if xml is None or not any(marker in xml for marker in _SUSPECTS):
        return []

    def unshown(c: ElementTree.Element) -> bool:
        v = c.find(f"{_MAIN}v")
        if c.get("t") == "e":
            return True
        no_value = v is None or (not v.text and c.get("t") not in ("str", "s", "inlineStr"))
        return no_value and c.find(f"{_MAIN}f") is not None

    out = []
    for ref, c in _cells(xml, unshown):
        row, column = _position(ref)
        v = c.find(f"{_MAIN}v")
        f = c.find(f"{_MAIN}f")
        formula = f"公式 ={f.text} " if f is not None and f.text else "公式"
        if c.get("t") == "e":
            shown = v.text if v is not None and v.text else "错误值"
            message = (
                f"工作表“{name}”单元格 {ref} 是错误值 {shown}"
                + (f"（{formula.strip()}）" if f is not None and f.text else "")
                + "："
                "改正公式或源数据，让它算出一个值，或清空该单元格"
            )
            out.append(Issue(row, column, "", "D054", message))
        else:
            message = (
                f"工作表“{name}”单元格 {ref} 的{formula}没有保存计算结果（文件由程序生成、未在 Excel 中"
                "打开保存过）：在 Excel 或 WPS 中打开并保存一次，或把该列复制后“粘贴为数值”"
            )
            out.append(Issue(row, column, "", "D053", message))
    return out


def _leap_day(raw: bytes, name: str, fmt: str, values: list[list[Any]]) -> list[Issue]:
    """D052 for each date cell holding serial 60: Excel's 1900-02-29, a day that never was.

    calamine reads serials 59 and 60 alike as 1900-02-28; in an XLSX the stored serial
    tells them apart, in an XLS it cannot be seen, so there a 1900-02-28 is refused too.
    ODS stores dates as text and has no such day.
    """
    if fmt == "ods":
        return []
    suspects = {
        (r, c)
        for r, row in enumerate(values, start=1)
        for c, v in enumerate(row, start=1)
        if isinstance(v, dt.date)
        and (v.date() if isinstance(v, dt.datetime) else v) == _FEB_28_1900
    }
    if not suspects:
        return []
    if fmt in ("xlsx", "xlsm"):
        refs = {cell_name(r, c) for r, c in suspects}

        def serial_60(c: ElementTree.Element) -> bool:
            v = c.find(f"{_MAIN}v")
            if c.get("r") not in refs or v is None or not v.text:
                return False
            try:
                return 60 <= float(v.text) < 61
            except ValueError:
                return False

        xml = _sheet_part(raw, name)
        found = _cells(xml, serial_60) if xml else []
        suspects = {_position(ref) for ref, _ in found}
    out = []
    for r, c in sorted(suspects):
        maybe = "" if fmt in ("xlsx", "xlsm") else "可能"
        message = (
            f"工作表“{name}”单元格 {cell_name(r, c)} 的日期{maybe}是 Excel 的序号 60，即不存在的 "
            "1900-02-29（Excel 沿用 Lotus 1-2-3 把 1900 年当作闰年）：改为实际日期，或写成文本"
        )
        out.append(Issue(r, c, "", "D052", message))
    return out


def header_labels(rows: list[list[str]], header_rows: list[int], join: str = " ") -> list[str]:
    """The column labels of `header_rows` joined as frictionless joins them: a cell equal to
    the one above it (a merged header) is not repeated."""
    labels: list[str] = []
    above: dict[int, str] = {}
    for number in header_rows:
        cells = rows[number - 1] if 0 < number <= len(rows) else []
        for i, cell in enumerate(cells):
            if above.get(i) == cell:
                continue
            above[i] = cell
            if len(labels) <= i:
                labels.append(cell)
            else:
                labels[i] = join.join([labels[i], cell])
    return labels


def infer_schema(sheet: Sheet, dialect: dict[str, Any]) -> dict[str, Any]:
    """A Table Schema for a sheet that has none, from the kinds of its cells.

    A column of whole numbers is `integer`, of numbers `number`, of dates `date`, of dates
    with times `datetime`, of booleans `boolean`; anything else, a mix of text and numbers
    included (a code saved half as text, half as a number), is `string`: its cells as
    Excel shows them.
    """
    header = _declared(dialect.get("headerRows"), [1])
    comments = set(_declared(dialect.get("commentRows"), []))
    join = dialect["headerJoin"] if isinstance(dialect.get("headerJoin"), str) else " "
    names = header_labels(sheet.rows, header, join)
    found: list[set[str]] = [set() for _ in names]
    for number in range(max(header) + 1, len(sheet.rows) + 1):
        if number in comments:
            continue
        for i, kind in enumerate(sheet.kinds[number - 1][: len(names)]):
            if kind:
                found[i].add(kind)
    fields = []
    for name, kinds in zip(names, found, strict=True):
        if kinds and kinds <= {"integer", "number"}:
            kind = "number" if "number" in kinds else "integer"
        elif kinds and kinds <= {"date", "datetime"}:
            kind = "datetime" if "datetime" in kinds else "date"
        elif len(kinds) == 1 and kinds <= {"boolean", "time"}:
            kind = next(iter(kinds))
        else:
            kind = "string"
        fields.append({"name": name, "type": kind})
    return {"fields": fields}


def _declared(value: Any, default: list[int]) -> list[int]:
    if (
        isinstance(value, list)
        and value
        and all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in value)
    ):
        return list(value)
    return default
