"""Structural damage in a CSV file: quotes opened and never closed, or stray quotes.

Lenient readers (Python's `csv`, pyarrow, hence frictionless) absorb such damage: an
unclosed quote swallows the rest of the file into one cell (200 rows read as 3), and a
quote in the wrong place silently changes the cell's text (`"ab"c` read as `abc`). The
file is therefore read once with `csv`'s strict rules (RFC 4180 quoting) before any
engine sees it; a damaged record is reported where it starts, and the file's data is not
checked further (nothing read from it could be trusted).

A CSV resource without a schema gets one from `infer_schema`, cautious where
frictionless's inference would change what is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from stdhub.datasets.columnar import Checked
from stdhub.datasets.issues import Issue
from stdhub.datasets.issues import shown as _shown


def quote_issues(text: str, dialect: dict[str, Any]) -> list[Issue]:
    """The first quoting fault of `text` as a D020 Issue ([] when the quotes are sound).

    `dialect` is the resource's CSV dialect (`delimiter`, `quoteChar`, `doubleQuote`).
    The Issue's row is the record's row in frictionless's numbering (header = 1).
    """
    quote = dialect.get("quoteChar", '"')
    if not isinstance(quote, str) or len(quote) != 1 or quote not in text:
        return []
    delimiter = dialect.get("delimiter", ",")
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        return []
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=delimiter,
        quotechar=quote,
        doublequote=dialect.get("doubleQuote", True) is not False,
        strict=True,
    )
    record, end_line = 0, 0
    try:
        for _ in reader:
            record += 1
            end_line = reader.line_num
    except csv.Error as exc:
        row, start = record + 1, end_line + 1
        lines = text.count("\n") + (0 if text.endswith("\n") else 1)
        if "unexpected end of data" in str(exc):
            what = f"引号 {quote} 打开后直到文件末尾（第 {lines} 行）都没有闭合"
            if lines > start:
                what += f"，后面 {lines - start} 行会被读成这一个单元格"
        else:
            spans = f"第 {start}–{reader.line_num} 行" if reader.line_num > start else ""
            what = (
                f"{spans}有一个不成对的引号 {quote}：引号只能括住整个单元格，"
                f"单元格内的引号要写成 {quote}{quote}"
            )
        where = "表头" if row == 1 else f"第 {row - 1} 个数据行（文件第 {start} 行）"
        return [Issue(row, 0, "", "D020", f"{where}：{what}")]
    return []


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets take for a formula
_INTEGER = re.compile(r"0|-?[1-9][0-9]{0,17}")
_NUMBER = re.compile(r"-?(0|[1-9][0-9]{0,14})(\.[0-9]{1,15})?")
TYPE_WORDS = {
    "string": "文本",
    "integer": "整数",
    "number": "数值",
    "datetime": "日期时间",
    "any": "不限类型",
}


def first_header_row(dialect: dict[str, Any]) -> int:
    """The row number of the (first) header row a dialect declares (`headerRows`), else 1."""
    rows = dialect.get("headerRows")
    first = rows[0] if isinstance(rows, list) and rows else 1
    return first if isinstance(first, int) and not isinstance(first, bool) and first >= 1 else 1


def infer_schema(text: str, dialect: dict[str, Any]) -> dict[str, Any]:
    """A Table Schema for a CSV file that has none: only types its every cell keeps.

    A column is `integer` when every non-empty cell is written as Python would write the
    number (`01`, `+1`, `1e3` are not), `number` likewise for decimals, else `string`:
    codes keep their leading zeros, and nothing is read as a date (frictionless would
    complete `2021-03` from today's date) or as JSON. Empty cells are missing values.
    """
    rows = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=_char(dialect, "delimiter", ","),
        quotechar=_char(dialect, "quoteChar", '"'),
    )
    for _ in range(first_header_row(dialect) - 1):
        next(rows, None)  # title rows above a declared header
    header = next(rows, [])
    kinds = ["integer"] * len(header)
    seen = [False] * len(header)
    for row in rows:
        for i, cell in enumerate(row[: len(header)]):
            if not cell or kinds[i] == "string":
                continue
            seen[i] = True
            if kinds[i] == "integer" and not _INTEGER.fullmatch(cell):
                kinds[i] = "number"
            if kinds[i] == "number" and not _NUMBER.fullmatch(cell):
                kinds[i] = "string"
    fields = [
        {"name": name, "type": kind if seen[i] else "string"}
        for i, (name, kind) in enumerate(zip(header, kinds, strict=True))
    ]
    return {"fields": fields}


def formula_issues(
    checked: Checked, fields: list[dict[str, Any]], missing: Iterable[Any] = ("",)
) -> list[Issue]:
    """Q008 for each text cell a spreadsheet would take for a formula (`=`, `+`, `-`, `@`, tab).

    `checked`: the resource with its cells as written; `fields`: the schema's fields (only
    text fields are looked at: `-5` in a number column is a number); `missing`: the
    schema's `missingValues`, which are no formula (`-` declared for "no value").
    """
    out: list[Issue] = []
    pattern = "^[" + re.escape("".join(FORMULA_STARTS)) + "]"
    # Data Package v2 also writes a missing value as {value, label}
    declared = pa.array([str(m.get("value")) if isinstance(m, dict) else str(m) for m in missing])
    for number, f in enumerate(fields, start=1):
        name = f.get("name")
        if f.get("type", "string") not in ("string", "any") or name not in checked.raw:
            continue
        col = checked.raw[name]
        distinct = checked.distinct_cells(name)
        suspects = distinct.filter(pc.match_substring_regex(distinct, pattern))
        suspects = suspects.filter(pc.invert(pc.is_in(suspects, value_set=declared)))
        if not len(suspects):
            continue
        rows = pc.indices_nonzero(pc.is_in(col, value_set=suspects)).to_pylist()
        for i in rows:
            cell = col[i].as_py()
            message = f"“{_shown(cell)}” 以 {_shown(cell[0])} 开头，电子表格软件会当作公式"
            out.append(Issue(i + 2, number, name, "Q008", message))
    return out


def infer_sheet_schema(raw: bytes, resource: dict[str, Any]) -> dict[str, Any] | None:
    """A Table Schema for a spreadsheet that has none, from the kinds of its cells.

    A column of text cells is `string` (a code typed as text, `01`, stays text, where
    frictionless would infer the integer 1), of whole numbers `integer`, of numbers
    `number`, of dates `datetime`; a mix is `any`. None if the workbook cannot be read.
    """
    sheet = _sheet(raw, resource)
    if sheet is None:
        return None
    dialect: dict[str, Any] = (
        resource["dialect"] if isinstance(resource.get("dialect"), dict) else {}
    )
    rows = sheet.iter_rows(min_row=first_header_row(dialect), values_only=True)
    header = ["" if v is None else str(v) for v in next(rows, ())]
    kinds: list[set[str]] = [set() for _ in header]
    for row in rows:
        for i, value in enumerate(row[: len(header)]):
            if value is None or value == "":
                continue
            kinds[i].add(_CELL_KINDS.get(type(value), "any"))
    fields = []
    for name, found in zip(header, kinds, strict=True):
        if found and found <= {"integer", "number"}:
            kind = "number" if "number" in found else "integer"
        elif len(found) <= 1:
            kind = next(iter(found), "string")
        else:
            kind = "any"
        fields.append({"name": name, "type": kind})
    return {"fields": fields}


_CELL_KINDS = {int: "integer", float: "number", str: "string", dt.datetime: "datetime"}


def sheet_name(resource: dict[str, Any]) -> str | None:
    """The worksheet named by a spreadsheet resource's `dialect.excel.sheet`, if any."""
    dialect = resource.get("dialect")
    excel = dialect.get("excel") if isinstance(dialect, dict) else None
    name = excel.get("sheet") if isinstance(excel, dict) else None
    return name if isinstance(name, str) else None


def _char(dialect: dict[str, Any], key: str, default: str) -> str:
    value = dialect.get(key, default)
    return value if isinstance(value, str) and len(value) == 1 else default


def _sheet(raw: bytes, resource: dict[str, Any]) -> Any:
    """The worksheet a spreadsheet resource names (`dialect.excel.sheet`), else the first."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # an unreadable workbook: frictionless says why
        return None
    name = sheet_name(resource)
    if name in book.sheetnames:
        return book[name]
    return book.worksheets[0] if book.worksheets else None


def leading_rows(
    raw: bytes, resource: dict[str, Any], spreadsheet: bool, n: int = 30
) -> list[list[str]]:
    """The first `n` rows of a CSV or XLSX file as text cells ('' for an empty one)."""
    dialect: dict[str, Any] = (
        resource["dialect"] if isinstance(resource.get("dialect"), dict) else {}
    )
    if spreadsheet:
        sheet = _sheet(raw, resource)
        if sheet is None:
            return []
        return [
            ["" if v is None else str(v) for v in row]
            for row in sheet.iter_rows(max_row=n, values_only=True)
        ]
    encoding = resource.get("encoding")
    text = raw[: 1 << 20].decode(encoding if isinstance(encoding, str) else "utf-8-sig", "replace")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_char(dialect, "delimiter", ","))
    out = []
    try:
        for row in reader:
            out.append(row)
            if len(out) == n:
                break
    except csv.Error:
        pass
    return out


def header_row(rows: list[list[str]], names: list[str] | None) -> int | None:
    """The row number (1-based) of the header among a file's first rows; None if not found.

    With the schema's field names: the first row holding all of them. Without: the first
    row whose every cell is filled and which is as wide as the widest row, below rows of
    at most one cell each (titles, blank lines).
    """
    widths = [len([c for c in row if c.strip()]) for row in rows]
    for k, row in enumerate(rows, start=1):
        cells = {c.strip() for c in row if c.strip()}
        if names:
            if set(names) <= cells:
                return k
        elif cells and widths[k - 1] == len(row) == max(widths):
            return k
        elif widths[k - 1] > 1:
            return None  # a row of several cells is no title: the header itself is damaged
    return None
