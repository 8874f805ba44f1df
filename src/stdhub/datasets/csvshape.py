"""Structural damage in a CSV file: quotes opened and never closed, or stray quotes.

Lenient readers (Python's `csv`, pyarrow, hence frictionless) absorb such damage: an
unclosed quote swallows the rest of the file into one cell (200 rows read as 3), and a
quote in the wrong place silently changes the cell's text (`"ab"c` read as `abc`). The
file is therefore read once with `csv`'s strict rules (RFC 4180 quoting) before any
engine sees it; a damaged record is reported where it starts, and the file's data is not
checked further (nothing read from it could be trusted).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from stdhub.datasets.issues import Issue


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
            what = (
                f"引号 {quote} 打开后直到文件末尾（第 {lines} 行）都没有闭合，"
                f"后面 {lines - start} 行会被读成这一个单元格"
            )
        else:
            spans = f"第 {start}–{reader.line_num} 行" if reader.line_num > start else ""
            what = (
                f"{spans}有一个不成对的引号 {quote}：引号只能括住整个单元格，"
                f"单元格内的引号要写成 {quote}{quote}"
            )
        where = "表头" if row == 1 else f"第 {row - 1} 个数据行（文件第 {start} 行）"
        return [Issue(row, 0, "", "D020", f"{where}：{what}")]
    return []
