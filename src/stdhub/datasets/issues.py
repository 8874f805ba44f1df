"""Problems in data rows: frictionless's error types turned into stdhub codes and messages.

Both checking engines describe what they find the way frictionless does (an error type,
a row number with the header as row 1, a field, the cell as written and frictionless's
note), and `issue()` turns that into one coded message, so the two engines' reports can
be compared item by item. `to_report()` then groups the issues of one resource by code
and field, lists the first few of each group and counts the rest.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field as _field
from typing import Any

from stdhub.codes import CODES
from stdhub.problems import Problem, Report
from stdhub.vocab import FIELD_TYPES

PER_GROUP = 5  # issues listed per (code, field) in one resource
PER_RESOURCE = 50  # issues listed per resource in all

HEADER_ERRORS = {
    "incorrect-label",
    "missing-label",
    "extra-label",
    "duplicate-label",
    "blank-label",
    "blank-header",
}
NON_FINITE = "non-finite number"  # the note of a NaN or infinite number (stdhub's own rule)
INCOMPLETE_DATE = "incomplete date"  # `format: any` would complete it from today's date
_CONSTRAINT = re.compile(r'constraint "(\w+)"')
_POSITION = re.compile(r"position (\d+)")  # frictionless: "… the row at position 7"


def _repeated(same_as: int | None, note: str) -> str:
    """The row a duplicate repeats: stdhub's own `same_as`, else frictionless' note."""
    m = None if same_as else _POSITION.search(note)
    row = same_as or (m.group(1) if m else None)
    return f"第 {row} 行" if row else "前面的行"


@dataclass(frozen=True, order=True)
class Issue:
    """One problem in one data file, in frictionless's terms of place."""

    row: int  # 0 for the file as a whole, 1 for the header, 2.. for data rows
    field_number: int
    field: str
    code: str
    message: str
    # a code a spreadsheet stored as a number (`1` for 01, `4.30102E+11`): reported once
    # per column with the fix, "设为文本格式" (not compared: both engines find the same)
    as_number: bool = _field(default=False, compare=False)


SPREADSHEET_NUMBER = re.compile(r"\d+\.0+|\d(?:\.\d+)?[Ee]\+?\d+")
TEXT_FORMAT_HINT = (
    "这一列是代码，电子表格把它当成了数字（丢了前导零或变成科学计数法）：在 Excel 中选中该列，"
    "设置单元格格式为“文本”，重新填入代码后另存为 CSV UTF-8"
)
NUMBER_FORMAT_HINT = (
    "电子表格把这一列存成了科学计数法或带 .0 的数字：在 Excel 中选中该列，设置单元格格式为"
    "“文本”（代码）或 0 位小数的“数值”，重新填入后另存为 CSV UTF-8"
)


def looks_like_number_for(cell: str, valid: Any) -> bool:
    """Is `cell` a code a spreadsheet turned into a number? Scientific notation or a `.0`
    always; a bare number when the code padded with zeros would be valid (`valid(text)`)."""
    if SPREADSHEET_NUMBER.fullmatch(cell):
        return True
    return (
        cell.isascii()
        and cell.isdigit()
        and any(valid(cell.zfill(n)) for n in range(len(cell) + 1, 19))
    )


def shown(cell: Any) -> str:
    """The cell for a message: invisible characters escaped (`\\n`, `\\u200b`, `\\u3000`), cut at 40."""
    text = "" if cell is None else str(cell)
    text = "".join(_visible(ch) for ch in text)
    return text if len(text) <= 40 else text[:39] + "…"


def _visible(ch: str) -> str:
    if ch == " ":
        return ch
    if ch in "\n\r\t":
        return repr(ch)[1:-1]
    if unicodedata.category(ch)[0] in "ZC":  # spaces, controls, format characters (U+200B…)
        return f"\\u{ord(ch):04x}"
    return ch


@dataclass
class Context:
    """What the messages need to know about the resource's schema."""

    fields: dict[str, dict[str, Any]]
    code_lists: dict[str, tuple[str, str]]  # field name -> (code list id, title), closed lists
    primary_key: tuple[str, ...] = ()  # every part is required, written `required` or not

    def constraint(self, field: str, name: str) -> Any:
        return ((self.fields.get(field) or {}).get("constraints") or {}).get(name)

    def accepts(self, field: str, name: str) -> Any:
        """A test of one text against the field's `enum` or `pattern` constraint."""
        value = self.constraint(field, name)
        if name == "enum":
            allowed = {str(v) for v in value or ()}
            return allowed.__contains__
        try:
            rule = re.compile(str(value))
        except re.error:
            return lambda _text: False
        return lambda text: rule.fullmatch(text) is not None


def issue(
    ctx: Context,
    error_type: str,
    *,
    row: int | None,
    field: str = "",
    field_number: int | None = None,
    cell: Any = None,
    note: str = "",
    values: list[str] | None = None,
    reference: str = "",
    same_as: int | None = None,
) -> Issue | None:
    """One frictionless-style error as an Issue; None for what stdhub does not report.
    `note` is frictionless' English; stdhub's own checks say what they found in the other
    arguments (`same_as`: the row a duplicate repeats, `stdhub.datasets.keys`).

    A primary key whose cells are all empty is not reported: the cause (a missing or
    mistyped key value) already is, and saying it twice only adds noise.
    """
    row = row or 0
    number = field_number or 0
    c = shown(cell)
    if error_type == "type-error":
        if note == NON_FINITE:
            message = f"“{c}” 不是有限的数值：NaN、INF 无法如实存入数据库和 JSON，缺失值请留空"
            return Issue(row, number, field, "D007", message)
        if note == INCOMPLETE_DATE:
            message = f"“{c}” 不是完整的日期（格式 any）：缺少的年、月或日不会用今天的日期补全"
            return Issue(row, number, field, "D007", message)
        as_number = bool(SPREADSHEET_NUMBER.fullmatch(str(cell)))
        message = f"“{c}” 不是{_type_name(ctx.fields.get(field))}"
        return Issue(row, number, field, "D007", message, as_number)
    if error_type == "constraint-error":
        m = _CONSTRAINT.search(note)
        name = m.group(1) if m else ""
        if name == "required" and field in ctx.primary_key and not ctx.constraint(field, name):
            key = "、".join(ctx.primary_key)
            message = f"主键（{key}）的一部分为空：主键的每一部分都必填，否则这一行没有地址"
            return Issue(row, number, field, "D008", message)
        if name == "required":
            return Issue(row, number, field, "D008", "必填字段为空")
        as_number = name in ("enum", "pattern") and looks_like_number_for(
            str(cell), ctx.accepts(field, name)
        )
        if name == "enum" and field in ctx.code_lists:
            list_id, title = ctx.code_lists[field]
            message = f"代码 “{c}” 不在代码集 {list_id}（{title}）中"
            return Issue(row, number, field, "D013", message, as_number)
        value = ctx.constraint(field, name)
        described = {
            "enum": f"不在允许的取值 {value} 中",
            "pattern": f"不符合格式 {value}"
            + ("（\\d 只接受半角数字 0-9）" if "\\d" in str(value) else ""),
            "minLength": f"的长度 {len(str(cell))} 小于最小长度 {value}",
            "maxLength": f"的长度 {len(str(cell))} 超过最大长度 {value}",
            "minimum": f"小于最小值 {value}",
            "maximum": f"大于最大值 {value}",
            "exclusiveMinimum": f"不大于 {value}",
            "exclusiveMaximum": f"不小于 {value}",
        }.get(name, f"不符合约束 {name}={value}")
        return Issue(row, number, field, "D009", f"“{c}” {described}", as_number)
    if error_type == "unique-error":
        where = _repeated(same_as, note)
        return Issue(row, number, field, "D010", f"“{c}” 与{where}重复（该字段要求唯一）")
    if error_type == "primary-key":
        if 'all "None"' in note:
            return None
        return Issue(
            row, 0, field, "D010", f"主键 {field} = “{c}” 与{_repeated(same_as, note)}重复"
        )
    if error_type == "foreign-key":
        listed = ", ".join(shown(v) for v in values or [])
        return Issue(row, 0, field, "D011", f"{field} = “{listed}” 在 {reference} 中找不到")
    if error_type == "extra-cell":
        return Issue(row, number, "", "D012", f"第 {number} 列是表头之外多出的单元格 “{c}”")
    if error_type == "missing-cell":
        return Issue(row, number, field, "D012", "这一行缺少该列的单元格")
    if error_type == "blank-row":
        return Issue(row, 0, "", "D012", "空行")
    if error_type in HEADER_ERRORS:  # at the header's row (`headerRows`), 1 by default
        return Issue(
            max(row, 1),
            number,
            field,
            "D006",
            f"表头第 {number} 列 “{c}”：{_header_note(error_type, field)}",
        )
    if error_type == "encoding-error":
        return Issue(0, 0, "", "D004", f"无法按声明的编码读取：{note}")
    if error_type == "source-error" and "empty" in note:
        return Issue(0, 0, "", "D005", "文件是空的，连表头也没有")
    if error_type == "scheme-error" and "No such file" in note:
        return Issue(0, 0, "", "D003", "数据文件不存在")
    return Issue(row, number, field, "D017", f"frictionless {error_type}：{note}")


def _type_name(f: dict[str, Any] | None) -> str:
    """The field's type in words, with its `format` when one is declared."""
    kind = (f or {}).get("type", "")
    name = FIELD_TYPES.get(kind, kind)
    if kind == "boolean":  # in the words the schema declares: 是/否, not true/false
        true = (f or {}).get("trueValues") or ["true", "True", "TRUE", "1"]
        false = (f or {}).get("falseValues") or ["false", "False", "FALSE", "0"]
        return f"布尔值（{'、'.join(map(str, true))} 或 {'、'.join(map(str, false))}）"
    fmt = (f or {}).get("format", "default")
    if fmt in (None, "default") or kind == "string":
        return name
    if kind in ("date", "datetime", "time", "yearmonth"):
        name = name.split("（")[0]
    return f"{name}（格式 {fmt}）"


def _header_note(error_type: str, field: str) -> str:
    return {
        "incorrect-label": f"应为字段 {field}",
        "missing-label": f"缺少字段 {field} 的列",
        "extra-label": "表结构中没有这一列",
        "duplicate-label": "与前面的列重名",
        "blank-label": "列名为空",
        "blank-header": "表头为空",
    }[error_type]


def to_report(issues: list[Issue], display: str, report: Report) -> None:
    """Add one resource's issues to `report`: grouped by code and field, capped, rest counted."""
    groups: dict[tuple[str, str], list[Issue]] = defaultdict(list)
    for it in sorted(set(issues)):
        groups[(it.code, it.field)].append(it)
    for items in groups.values():
        numbers = [it for it in items if it.as_number]
        if numbers:
            _add_as_numbers(report, display, numbers)
            items[:] = [it for it in items if not it.as_number]
        by_message: dict[str, list[Issue]] = defaultdict(list)
        for it in items:
            by_message[it.message].append(it)
        # a message repeated is said once, with its count and first rows
        items[:] = sorted(
            same[0] if len(same) == 1 else _same(same) for same in by_message.values()
        )
    listed = 0
    for (code, field), items in sorted(groups.items()):
        room = max(0, min(PER_GROUP, PER_RESOURCE - listed))
        for it in items[:room]:
            _add(report, display, it)
        listed += min(room, len(items))
        rest = items[room:]
        if rest:
            first = rest[0]
            what = f"字段 {field} 的" if field else ""
            _add(
                report,
                display,
                Issue(
                    first.row,
                    first.field_number,
                    field,
                    "D099" if CODES[code].severity == "error" else code,
                    f"另有 {len(rest)} 个{what} {code} 问题未列出（共 {len(items)} 个）",
                ),
            )


def _same(items: list[Issue]) -> Issue:
    """The issues of one column with the same message, as one with the count and the first rows."""
    first = items[0]
    rows = "、".join(str(it.row) for it in items[:PER_GROUP])
    more = "等" if len(items) > PER_GROUP else ""
    message = f"{first.message}：共 {len(items)} 行（第 {rows} 行{more}）"
    return Issue(first.row, first.field_number, first.field, first.code, message)


def _add_as_numbers(report: Report, display: str, items: list[Issue]) -> None:
    """One message for the cells of a column a spreadsheet stored as numbers: how many,
    the first rows, what to do."""
    first = items[0]
    rows = "、".join(str(it.row) for it in items[:PER_GROUP])
    more = "等" if len(items) > PER_GROUP else ""
    example = first.message.split("”")[0].lstrip("“")
    message = (
        f"{len(items)} 个单元格的代码被存成了数字（第 {rows} 行{more}，如 “{example}”）"
        if first.code != "D007"
        else f"{len(items)} 个单元格是电子表格的数字写法（第 {rows} 行{more}，如 “{example}”）"
    )
    report.problems.append(
        Problem(
            display,
            max(first.row, 1),
            max(first.field_number, 1),
            first.code,
            message,
            first.field or "$",
            NUMBER_FORMAT_HINT if first.code == "D007" else TEXT_FORMAT_HINT,
        )
    )


def _add(report: Report, display: str, it: Issue) -> None:
    report.problems.append(
        Problem(
            display,
            max(it.row, 1),
            max(it.field_number, 1),
            it.code,
            it.message,
            it.field or "$",
            "",
        )
    )
