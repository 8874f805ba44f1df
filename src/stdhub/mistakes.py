"""The mistakes staff make most, each with the message `stdhub validate` gives for it.

Rendered as the handbook page `docs/reference/mistakes.md` by
`python scripts/gen_reference_docs.py`. The messages on the page are not written by
hand: each example file is checked by the same loader and schema check as
`stdhub validate`, and the page shows what they report, with the catalogue's title and
standing hint (`stdhub.codes`); the fix shown is the hint applied literally. A test
checks that each example gives exactly its one message and that the fix validates.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stdhub.codes import CODES
from stdhub.datasets import issues
from stdhub.problems import Problem, Report, proposed
from stdhub.standards import schemacheck
from stdhub.vocab import SCHEMA_FOR_KIND
from stdhub.yamlsource import parse

STANDARD_FILE = "standards/management/HNMZ-T-0001-2024.yaml"
STANDARD = """\
id: HNMZ/T 0001-2024
title: "示例管理标准"
kind: 管理标准
level: 本单位规范
nature: 推荐
status: 现行
ics: "03.080"
dates:
  issued: 2024-01-10
  effective: 2024-03-01
domains: [综合]
responsible_unit: 湖南省民政厅
scope: "本标准规定了以下内容: 示例。"
clauses:
  - number: "1"
    title: 范围
    text: 本标准适用于示例。
history:
  - {date: 2024-01-10, event: 批准发布}
  - {date: 2024-03-01, event: 实施}
"""
CODELIST_FILE = "standards/codelists/CL-MZ.yaml"
CODELIST = """\
kind: 代码集
id: CL-MZ
title: 民族代码
codes:
  - {code: "01", name: 汉族}
  - {code: "02", name: 蒙古族}
"""


@dataclass(frozen=True)
class Mistake:
    title: str
    why: str
    file: str  # STANDARD_FILE or CODELIST_FILE
    right: str  # a line of the example file as it should be
    wrong: str  # the same line as staff type it

    @property
    def text(self) -> str:
        base = STANDARD if self.file == STANDARD_FILE else CODELIST
        assert self.right in base, self.right
        return base.replace(self.right, self.wrong, 1)


MISTAKES = [
    Mistake(
        "代码的前导零没有加引号",
        "YAML 把不加引号的 `01` 读成数字 1，汉族的代码就变成了 1。代码、编号一律加英文引号。",
        CODELIST_FILE,
        '{code: "01", name: 汉族}',
        "{code: 01, name: 汉族}",
    ),
    Mistake(
        "国际标准分类号没有加引号",
        "`03.080` 不加引号会被读成小数 3.08。",
        STANDARD_FILE,
        'ics: "03.080"',
        "ics: 03.080",
    ),
    Mistake(
        "键后面用了全角冒号",
        "中文输入法下打出的 `：` 不是 YAML 的冒号，整行会被当成一段文字。",
        STANDARD_FILE,
        "responsible_unit: 湖南省民政厅",
        "responsible_unit：湖南省民政厅",
    ),
    Mistake(
        "冒号后面没有空格",
        "YAML 的键和值之间是冒号加一个空格。",
        STANDARD_FILE,
        "responsible_unit: 湖南省民政厅",
        "responsible_unit:湖南省民政厅",
    ),
    Mistake(
        "用 Tab 缩进",
        "从 Word 或网页复制过来的内容常带有 Tab；YAML 只认空格缩进。",
        STANDARD_FILE,
        "  effective: 2024-03-01",
        "\teffective: 2024-03-01",
    ),
    Mistake(
        "缩进没有对齐",
        "同一层的键要左对齐，多一个或少一个空格都会改变层次。",
        STANDARD_FILE,
        "    title: 范围",
        "     title: 范围",
    ),
    Mistake(
        "英文引号开头、中文引号结尾",
        "中文输入法会把第二个引号变成 `”`；文本两端要用同一种英文引号。",
        STANDARD_FILE,
        'title: "示例管理标准"',
        'title: "示例管理标准”',
    ),
    Mistake(
        "值里有冒号加空格",
        "`上午: 8:30` 中的 `: ` 会被当作又一个键；这样的值要整个加引号。",
        STANDARD_FILE,
        'scope: "本标准规定了以下内容: 示例。"',
        "scope: 本标准规定了以下内容: 示例。",
    ),
    Mistake(
        "日期不存在",
        "日期写作 YYYY-MM-DD，且必须是日历上有的日子。",
        STANDARD_FILE,
        "  issued: 2024-01-10",
        "  issued: 2024-02-30",
    ),
    Mistake(
        "字段名拼错",
        "拼错的字段不会被读取；提示给出最接近的字段名。",
        STANDARD_FILE,
        "  effective: 2024-03-01",
        "  effectiv: 2024-03-01",
    ),
    Mistake(
        "列表字段写成了一段文字",
        "`domains` 等字段是列表，即使只有一项也要写成 `[综合]`。",
        STANDARD_FILE,
        "domains: [综合]",
        "domains: 综合",
    ),
    Mistake(
        "取值不在允许的范围内",
        "状态、类别等字段只能从规定的词中选；“即将实施”“现行”等由日期推出，不要手写。",
        STANDARD_FILE,
        "status: 现行",
        "status: 生效",
    ),
]


@dataclass(frozen=True)
class DataMistake:
    """A mistake in a data file's cells, told by the same message functions as the check."""

    title: str
    why: str
    field: dict
    cells: list[str]
    error_type: str  # frictionless's: type-error, constraint-error
    note: str = ""
    file: str = "datasets/example/data/records.csv"

    def messages(self) -> list[Problem]:
        name = self.field["name"]
        ctx = issues.Context({name: self.field}, {})
        found = [
            issues.issue(
                ctx, self.error_type, row=i, field=name, field_number=2, cell=c, note=self.note
            )
            for i, c in enumerate(self.cells, start=2)
            if not self._valid(ctx, c)
        ]
        report = Report()
        issues.to_report([it for it in found if it], self.file, report)
        return report.problems

    def _valid(self, ctx: issues.Context, cell: str) -> bool:
        if self.field.get("type") == "boolean":
            return cell in [*self.field["trueValues"], *self.field["falseValues"]]
        return bool(ctx.accepts(self.field["name"], "pattern")(cell))


DATA_MISTAKES = [
    DataMistake(
        "在 Excel 里把代码存成了数字",
        "Excel 把 `430102` 这样的代码当作数字：前导零丢失（`01` 变成 `1`），长代码变成科学计数法。"
        "同一列的这类单元格只报告一次。",
        {"name": "nation_code", "type": "string", "constraints": {"pattern": "[0-9]{2}"}},
        ["1", "3", "7", "1", "12", "2"],
        "constraint-error",
        'constraint "pattern"',
    ),
    DataMistake(
        "是/否 列写了别的词",
        "表结构声明了 `trueValues: [是]`、`falseValues: [否]` 时，只能填这两个词。",
        {"name": "is_open", "type": "boolean", "trueValues": ["是"], "falseValues": ["否"]},
        ["对"],
        "type-error",
    ),
]


def messages(m: Mistake) -> list[Problem]:
    """What `stdhub validate` reports for the example: its loader and its schema check."""
    report = Report()
    source = parse(m.text, report, Path(m.file), m.file)
    if source is not None:
        schemacheck.check(source, SCHEMA_FOR_KIND[source.data["kind"]], report)
    return report.problems


def fixed(m: Mistake, problem: Problem) -> str | None:
    """The example with the problem's proposed replacement applied literally, if it has one."""
    pair = proposed(problem.hint)
    if pair is None:
        return None
    lines = m.text.split("\n")
    line = lines[problem.line - 1]
    if pair[0] not in line:
        return None
    lines[problem.line - 1] = line.replace(pair[0], pair[1], 1)
    return "\n".join(lines)


def _block(text: str, lang: str = "yaml") -> str:
    return f"```{lang}\n{text.rstrip()}\n```\n"


def as_markdown() -> str:
    parts = []
    for n, m in enumerate(MISTAKES, start=1):
        found = messages(m)
        parts.append(f"## {n}. {m.title}\n\n{m.why}\n")
        parts.append("写成这样：\n\n" + _block(m.wrong.replace("\t", "→   ")))
        parts.append(
            "`stdhub validate` 报告：\n\n" + _block("\n".join(p.format() for p in found), "text")
        )
        for code in sorted({p.code for p in found}):
            c = CODES[code]
            parts.append(f"- [`{code}`](problem-codes.md) {c.title}：{c.hint}\n")
        parts.append("\n应写作：\n\n" + _block(m.right))
    parts.append("## 数据文件中的错误\n")
    for d in DATA_MISTAKES:
        found = d.messages()
        parts.append(f"### {d.title}\n\n{d.why}\n")
        table = [d.field["name"], *d.cells]
        parts.append("数据文件中的这一列：\n\n" + _block("\n".join(table), "text"))
        parts.append(
            "`stdhub validate` 报告：\n\n" + _block("\n".join(p.format() for p in found), "text")
        )
        for code in sorted({p.code for p in found}):
            parts.append(
                f"- [`{code}`](problem-codes.md) {CODES[code].title}：{CODES[code].hint}\n"
            )
    return "\n".join(parts)
