"""The codes of a large code list, kept in a CSV beside its YAML (`codes_file:`).

A list of thousands of codes (township and village divisions) is smaller and quicker to
read as CSV than as YAML, and staff can open it in a spreadsheet. The columns are those
of the code list download: `code`, `name`, `description`, `parent`, `editions` (separated
by spaces), `valid_from`, `deprecated_since`, `deprecated_reason`, `replaced_by`; only
`code` and `name` are required.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from stdhub.problems import Report

COLUMNS = (
    "code",
    "name",
    "description",
    "parent",
    "editions",
    "valid_from",
    "deprecated_since",
    "deprecated_reason",
    "replaced_by",
)
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def read_codes(path: Path, display: str, report: Report) -> list[dict[str, Any]] | None:
    """The code entries of `path` as code-list dicts; None (with problems in `report`)
    when the file is missing, not UTF-8, lacks `code`/`name`, or a row is malformed."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        report.add("F004", display, f"无法按 UTF-8 读取代码文件：{exc}")
        return None
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    unknown = [c for c in header if c not in COLUMNS]
    if not {"code", "name"} <= set(header) or unknown:
        report.add(
            "S006",
            display,
            f"表头应含 code、name，只能用这些列：{', '.join(COLUMNS)}"
            + (f"（多出 {', '.join(unknown)}）" if unknown else ""),
            line=1,
        )
        return None
    out: list[dict[str, Any]] = []
    bad = 0
    for line, row in enumerate(reader, start=2):
        problem = _problem(row)
        if problem:
            bad += 1
            if bad <= 5:
                report.add("S006", display, problem, line=line)
            continue
        out.append(_entry(row))
    if bad > 5:
        report.add("S006", display, f"另有 {bad - 5} 行格式不符，未全部列出")
    return None if bad else out


def _problem(row: dict[str, str | None]) -> str:
    if None in row.values() or None in row:
        return "这一行的列数与表头不符"
    if not row["code"] or not row["name"]:
        return "code 和 name 不能为空"
    for key in ("valid_from", "deprecated_since"):
        if row.get(key) and not _DATE.match(row[key] or ""):
            return f"{key} “{row[key]}” 应写作 YYYY-MM-DD"
    if (row.get("deprecated_reason") or row.get("replaced_by")) and not row.get("deprecated_since"):
        return "写了停用原因或替代代码，就要写停用日期 deprecated_since"
    return ""


def _entry(row: dict[str, str]) -> dict[str, Any]:
    e: dict[str, Any] = {"code": row["code"], "name": row["name"]}
    for key in ("description", "parent", "valid_from"):
        if row.get(key):
            e[key] = row[key]
    if row.get("editions"):
        e["editions"] = row["editions"].split()
    if row.get("deprecated_since"):
        e["deprecated"] = {"since": row["deprecated_since"]}
        for key, to in (("deprecated_reason", "reason"), ("replaced_by", "replaced_by")):
            if row.get(key):
                e["deprecated"][to] = row[key]
    return e
