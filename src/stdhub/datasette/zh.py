"""Chinese words for the bits of Datasette's page chrome that come from Python, not templates."""

from __future__ import annotations

import re

LOOKUPS = {
    "=": "等于",
    "!=": "不等于",
    "contains": "包含",
    "ends with": "结尾是",
    "starts with": "开头是",
    ">": "大于",
    "\u2265": "大于等于",
    "<": "小于",
    "\u2264": "小于等于",
    "like": "匹配（like）",
    "not like": "不匹配（like）",
    "glob": "匹配（glob）",
    "in": "属于",
    "not in": "不属于",
    "array contains": "数组包含",
    "array does not contain": "数组不包含",
    "date": "日期是",
    "is null": "为空（null）",
    "is not null": "不为空（null）",
    "is blank": "为空白",
    "is not blank": "不为空白",
}

# Longest phrases first, so "is not null" is not read as "is" + "not null".
_PHRASES = [
    (re.compile(r"^where "), "筛选条件："),
    (re.compile(r'search matches "([^"]*)"'), r"搜索“\1”"),
    (re.compile(r"sorted by (\S+) descending"), r"按 \1 降序"),
    (re.compile(r"sorted by (\S+)"), r"按 \1 升序"),
    (re.compile(r" is not blank\b"), " 不为空白"),
    (re.compile(r" is blank\b"), " 为空白"),
    (re.compile(r" is not null\b"), " 不为空"),
    (re.compile(r" is null\b"), " 为空"),
    (re.compile(r" does not contain "), " 不包含 "),
    (re.compile(r" contains "), " 包含 "),
    (re.compile(r" starts with "), " 开头是 "),
    (re.compile(r" ends with "), " 结尾是 "),
    (re.compile(r" not in "), " 不属于 "),
    (re.compile(r" in \["), " 属于 ["),
    (re.compile(r" is on date "), " 日期是 "),
    (re.compile(r", "), "，"),
    (re.compile(r" and "), "，并且 "),
]


# The English of Datasette 0.65's `static/table.js` (the column menu behind each column
# title's cog, the filter rows' ✖), as it stands there -> Chinese. `table_js` applies it.
TABLE_JS = {
    ">Sort ascending<": ">升序排列<",
    ">Sort descending<": ">降序排列<",
    ">Facet by this<": ">按此列分面统计<",
    ">Hide this column<": ">隐藏此列<",
    ">Show all columns<": ">显示全部列<",
    ">Show not-blank rows<": ">只看此列不为空的记录<",
    '" NOT NULL"': '"，不能为空"',
    "`Type: ${columnType.toUpperCase()}${notNull}`": "`类型：${columnType.toUpperCase()}${notNull}`",
    '"Remove this filter"': '"去掉此条件"',
}


def table_js(upstream: str) -> str:
    """Datasette's `table.js` with its English in Chinese; ValueError naming a phrase that
    is no longer there (a Datasette upgrade changed the file: follow it in TABLE_JS)."""
    for english, chinese in TABLE_JS.items():
        if english not in upstream:
            raise ValueError(f"Datasette 的 table.js 中没有“{english}”：请按新版本更新 zh.TABLE_JS")
        upstream = upstream.replace(english, chinese)
    return upstream


# Parameters of the canned statistics (stdhub.datasette.queries).
PARAMETERS = {"month": "月份（如 2025-03；留空为全部月份）", "q": "搜索词"}


def lookup(display: str) -> str:
    return LOOKUPS.get(display, display)


def description(
    text: str,
    columns: dict[str, str] | None = None,
    labels: dict[str, dict[str, str]] | None = None,
) -> str:
    """Datasette's English filter description (`where a = 1 and b > 2 sorted by c`) in Chinese.

    Column names (`county_code`) become their titles (`县级行政区划代码`) when given; codes
    with a label (`labels`: column -> {code: label}) get it beside them
    (`县级行政区划代码 = 430102（芙蓉区）`).
    """
    for name, known in (labels or {}).items():
        text = _labelled(text, name, known)
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    for name, title in sorted((columns or {}).items(), key=lambda kv: -len(kv[0])):
        text = re.sub(rf"(?<![\w]){re.escape(name)}(?![\w])", title, text)
    return text


def _labelled(text: str, column: str, labels: dict[str, str]) -> str:
    """`column = 430102` -> `column = 430102（芙蓉区）`; `column in ["1", "2"]` ->
    `column in [1（城乡低保）、2（特困供养）]` (Datasette's English, before translation)."""

    def one(code: str) -> str:
        return f"{code}（{labels[code]}）" if code in labels else code

    def single(m: re.Match[str]) -> str:
        return f"{m[1]} {m[2]} {one(m[3] if m[3] is not None else m[4])}"

    def many(m: re.Match[str]) -> str:
        codes = [a or b for a, b in re.findall(r'"([^"]*)"|([^,\s"]+)', m[3])]
        return f"{m[1]} {m[2]} [" + "、".join(one(c) for c in codes) + "]"

    name = rf"(?<![\w])({re.escape(column)})"
    text = re.sub(rf'{name} (=|!=) (?:"([^"]*)"|([^\s,"]+))', single, text)
    return re.sub(rf"{name} (in|not in) \[([^\]]*)\]", many, text)
