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
import io
import re
from collections.abc import Iterable
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from stdhub.datasets.columnar import Checked
from stdhub.datasets.issues import Issue
from stdhub.datasets.issues import shown as _shown
from stdhub.datasets.sheets import header_labels


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
    "date": "日期",
    "datetime": "日期时间",
    "time": "时间",
    "boolean": "布尔值",
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


def _char(dialect: dict[str, Any], key: str, default: str) -> str:
    value = dialect.get(key, default)
    return value if isinstance(value, str) and len(value) == 1 else default


TITLE_ROWS = 30  # rows looked at for title rows above a header
FOOTER_ROWS = 30  # rows looked at for notes below a table
_WHOLE_FILE = 8 << 20  # notes below a table are looked for in files up to this size


def _reader(text: str, resource: dict[str, Any]) -> Any:
    dialect: dict[str, Any] = (
        resource["dialect"] if isinstance(resource.get("dialect"), dict) else {}
    )
    return csv.reader(
        io.StringIO(text, newline=""),
        delimiter=_char(dialect, "delimiter", ","),
        quotechar=_char(dialect, "quoteChar", '"'),
    )


def _text(raw: bytes, resource: dict[str, Any]) -> str:
    encoding = resource.get("encoding")
    return raw.decode(encoding if isinstance(encoding, str) else "utf-8-sig", "replace")


def leading_rows(raw: bytes, resource: dict[str, Any], n: int = TITLE_ROWS) -> list[list[str]]:
    """The first `n` rows of a CSV file (a sheet is read as the CSV of its cells)."""
    out: list[list[str]] = []
    try:
        for row in _reader(_text(raw[: 1 << 20], resource), resource):
            out.append(row)
            if len(out) == n:
                break
    except csv.Error:
        pass
    return out


def all_rows(raw: bytes, resource: dict[str, Any]) -> list[list[str]]:
    """Every row of a CSV file up to 8 MiB ([] for a larger or damaged one)."""
    if len(raw) > _WHOLE_FILE:
        return []
    try:
        return list(_reader(_text(raw, resource), resource))
    except csv.Error:
        return []


def _filled(row: list[str]) -> list[str]:
    return [c.strip() for c in row if c.strip()]


def header_rows(rows: list[list[str]], names: list[str] | None) -> list[int] | None:
    """The row numbers (1-based) of the header among a file's first rows; None if not found.

    With the schema's field names: the first row, or two or three rows joined as
    frictionless joins `headerRows`, holding all of them. Without: the first row whose
    cells are filled as far as the widest row's, each cell different from the others;
    when a merged group label repeats over its columns, with the (up to two) rows below
    it that are further header rows (under each label that is no group: empty, or the
    label again), if they make every column's label distinct (a title merged over the whole width
    is one label, not a group). The rows above the header (titles,
    a 填报单位 line, blank lines) fill at most half as many cells; a fuller row above
    means the header itself is damaged (None).
    """
    if names:
        wanted = set(names)
        for depth in (1, 2, 3):
            for k in range(1, len(rows) - depth + 2):
                if wanted <= set(header_labels(rows, list(range(k, k + depth)))):
                    return list(range(k, k + depth))
        return None
    widths = [len(_filled(row)) for row in rows]
    widest = max(widths, default=0)
    if not widest:
        return None
    for k, row in enumerate(rows, start=1):
        filled = _filled(row)
        if len(filled) == widest and len({*filled}) == len(filled):
            return [k]
        if len(filled) == widest and len({*filled}) > 1:  # group labels over their columns
            depth = 1
            while depth < 3 and k + depth <= len(rows) and _under_groups(rows[k + depth - 1], row):
                depth += 1
            labels = [c.strip() for c in header_labels(rows, list(range(k, k + depth)))]
            labels = [c for c in labels if c]
            if depth > 1 and len(labels) == widest and len(set(labels)) == widest:
                return list(range(k, k + depth))
        if len({*filled}) * 2 > widest:
            return None  # a row nearly as full as the table: the header itself is damaged
    return None


def _under_groups(row: list[str], groups: list[str]) -> bool:
    """Is `row` a lower header row under `groups`: below a label that is no group (it
    appears once), empty or that label again (a header cell merged downwards)?"""
    for i, label in enumerate(groups):
        cell = row[i] if i < len(row) else ""
        if groups.count(label) == 1 and cell not in ("", label):
            return False
    return True


def footer_rows(rows: list[list[str]], header: list[int]) -> list[int]:
    """The row numbers of the blank rows and one-cell notes (注：…) at the end of a table
    of three or more columns, below its last full row ([] if none)."""
    if not rows or len(header) > len(rows):
        return []
    width = len(_filled(rows[header[-1] - 1])) if header[-1] <= len(rows) else 0
    if width < 3:
        return []
    notes: list[int] = []
    for k in range(len(rows), max(header[-1], len(rows) - FOOTER_ROWS), -1):
        if len(set(_filled(rows[k - 1]))) > 1:
            break
        notes.append(k)
    else:
        return []  # nothing but notes within reach: no table ends here
    return sorted(notes)
