"""What a YAML syntax error was caused by, in Chinese, at the line of the cause.

libyaml says where it gave up (`could not find expected ':'` on the line *after* a
full-width colon, `found a tab character that violates indentation`), not what the
author typed wrong. `explain()` looks at the text around the marks libyaml gives and
names the usual causes: a full-width colon `：` or a colon without a space after a key
(Y008), a Tab (Y009), indentation (Y010), a quote not closed, often a Chinese quote
closing an English one (Y011), a `: ` inside a plain value (Y012); else Y001 with
libyaml's problem in Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from stdhub.problems import proposal, proposed, quoted

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml is in every wheel we install
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


@dataclass(frozen=True)
class Cause:
    code: str
    line: int  # 1-based
    column: int
    message: str
    hint: str = ""


_CN_QUOTES = "“”‘’"
# a key as staff write one: text without YAML indicators, then a full-width colon
_FULLWIDTH_KEY = re.compile(r"^(\s*(?:-\s+)?)([^\s:：#'\"{}\[\],&*!|>%@`-][^:：#]*?)\s*：")
# a key followed by `:` and no space (`fees:不收费`); `http://`, `8:30` are values
_TIGHT_KEY = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_]*):(?=[^\s/])")
# a value that begins with a quote: `key: "…`, `- "…`
_OPENED = re.compile(r"""^(\s*(?:-\s+)?(?:[^\s:#'"][^:#]*?:\s+)?)(["'])""")
_KEY_VALUE = re.compile(r"^(\s*(?:-\s+)?)([^\s:#'\"][^:#]*?):\s+(.*)$")
_PROBLEMS = {
    "could not find expected ':'": "找不到键后面的冒号 `:`",
    "did not find expected key": "这里应是一个键（`名称: 值`）",
    "did not find expected '-' indicator": "这里应是列表项（`- …`）",
    "did not find expected node content": "这里缺少内容",
    "found unexpected end of stream": "文件意外结束",
    "mapping values are not allowed here": "这里不能出现 `键: 值`",
    "mapping values are not allowed in this context": "这里不能出现 `键: 值`",
    "found character that cannot start any token": "这个字符不能出现在这里",
    "found undefined alias": "别名（*名称）没有对应的锚点（&名称）",
    "found undefined tag handle": "未定义的标签",
    "found unknown escape character": "双引号文本中有无法识别的转义（\\ 开头）",
    "expected <block end>, but found": "缩进层次不对",
    "did not find expected ',' or ']'": "方括号列表 `[…]` 缺少 `,` 或 `]`",
    "did not find expected ',' or '}'": "花括号映射 `{…}` 缺少 `,` 或 `}`",
    "found unexpected ':'": "冒号的位置不对",
    "but found another document": "一个文件只能有一个 YAML 文档，这里的 `---` 开始了第二个",
}


def explain(text: str, exc: yaml.MarkedYAMLError) -> Cause:
    """The most likely cause of `exc`, raised by libyaml on `text`."""
    lines = text.splitlines() or [""]
    mark = exc.problem_mark or exc.context_mark
    err = min(mark.line, len(lines) - 1) if mark else 0
    err_col = mark.column if mark else 0
    ctx = min(exc.context_mark.line, len(lines) - 1) if exc.context_mark else err
    problem = exc.problem or ""
    context = exc.context or ""
    # the cause of a key libyaml could not finish is on the line the key began; else on
    # the error's line, or the line above (`dates：` read as text, the next line's key
    # then out of place), unless that is a list item of text (`- 注：…` is fine) and the
    # error's line is no part of it
    if "simple key" in context:
        window = list(range(ctx, err + 1))
    else:
        window = [err - 1, err] if err and _holds(lines[err - 1], lines[err]) else [err]
    candidates = [
        _tab(lines, err, err_col, problem),
        *_quotes(lines, err),
        _colon(lines, window),
        _colon_in_value(lines, err, problem),
        _unclosed(lines, ctx, err, context),
        _indentation(lines, err, problem),
    ]
    for cause in candidates:
        # a cause whose fix is proposed is the cause only if the fix, applied, mends the file
        if cause and (proposed(cause.hint) is None or _mends(text, cause)):
            return cause
    what = next((zh for en, zh in _PROBLEMS.items() if problem.startswith(en)), "")
    message = what or f"YAML 无法解析（{problem or '未知问题'}）"
    hint = (
        "删去这一行的 `---` 和它后面的内容，或把它们放到另一个文件" if "document" in problem else ""
    )
    return Cause("Y001", err + 1, err_col + 1, f"第 {err + 1} 行：{message}", hint)


def _tab(lines: list[str], err: int, col: int, problem: str) -> Cause | None:
    here = lines[err][col : col + 1] == "\t"
    if "tab" not in problem and not here:
        return None
    for n in range(err, -1, -1):
        indent = re.match(r"[ \t]*", lines[n]).group(0)  # type: ignore[union-attr]
        if "\t" in indent or (n == err and here):
            c = lines[n].index("\t")
            return Cause(
                "Y009",
                n + 1,
                c + 1,
                f"第 {n + 1} 行用了制表符 Tab 缩进；YAML 只能用空格缩进",
                "把这一行开头的 Tab 换成空格，同一层的键对齐（每深一层多缩进两个空格）",
            )
    return None


def _mends(text: str, cause: Cause) -> bool:
    """Does applying the cause's proposed fix literally make the file parse, or at least
    move the first error past the cause's line?"""
    written, replacement = proposed(cause.hint) or ("", "")
    lines = text.split("\n")
    if not written or written not in lines[cause.line - 1]:
        return False
    lines[cause.line - 1] = lines[cause.line - 1].replace(written, replacement, 1)
    try:
        yaml.compose("\n".join(lines), Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return mark is not None and mark.line + 1 > cause.line
    except yaml.YAMLError:
        return False
    return True


def _balanced(text: str) -> bool:
    return text.count("“") == text.count("”") and text.count("‘") == text.count("’")


def _quotes(lines: list[str], err: int, limit: int = 20) -> list[Cause]:
    """Quoted values not closed on their line, nearest the error first. libyaml reads on
    to the next quote of the same kind, often many lines later; the value typed wrong
    is usually closed by a Chinese quote (`"示例”`), else left open."""
    found: list[Cause] = []
    for n in range(err, -1, -1):
        opened = _OPENED.match(lines[n])
        if not opened:
            continue
        q, body = opened.group(2), lines[n][opened.end() :].rstrip()
        if q in body or len(found) >= limit:
            continue
        if body and body[-1] in _CN_QUOTES and not _balanced(body):
            c = opened.end() + len(body) - 1
            message = f"第 {n + 1} 行的引号没有闭合：以英文引号 `{q}` 开头，却以中文引号 `{body[-1]}` 结尾"
            fix = proposal(q + body, q + body[:-1] + q)
            fix += "（两端都用英文引号；中文引号可以直接写在文本中）"
        else:
            c = opened.end() - 1
            message = f"第 {n + 1} 行的引号 `{q}` 没有闭合"
            fix = proposal(q + body, q + body + q) + "（在文本结尾补上引号）"
        found.append(Cause("Y011", n + 1, c + 1, message, fix))
    return found


def _unclosed(lines: list[str], ctx: int, err: int, context: str) -> Cause | None:
    """A quote libyaml says it could not close, when no fix could be proposed."""
    if "quoted scalar" not in context:
        return None
    line = lines[ctx]
    opening = next((i for i, ch in enumerate(line) if ch in "\"'"), 0)
    q = line[opening : opening + 1] or '"'
    return Cause(
        "Y011",
        ctx + 1,
        opening + 1,
        f"第 {ctx + 1} 行的引号 `{q}` 没有闭合（到第 {err + 1} 行仍未找到配对的引号）",
        f"在文本结尾补上 `{q}`；文本中的 `{q}` 要写作 "
        + ('`\\"`' if q == '"' else "`''`（两个单引号）"),
    )


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _holds(above: str, line: str) -> bool:
    """Could `line` be inside what `above` starts (a key's block, a list item's mapping)?"""
    return not above.lstrip().startswith("- ") or _indent(line) > _indent(above)


def _colon(lines: list[str], window: list[int]) -> Cause | None:
    for n in window:
        line = lines[n]
        if line.lstrip().startswith("#"):
            continue
        m = _FULLWIDTH_KEY.match(line)
        if m and ":" not in line[: m.end()]:
            c = m.end()
            return Cause(
                "Y008",
                n + 1,
                c,
                f"第 {n + 1} 行的键 `{m.group(2)}` 后面是全角冒号 `：`；YAML 只认半角冒号 `:`",
                proposal(f"{m.group(2)}：", f"{m.group(2)}: ") + "（半角冒号加一个空格）",
            )
        m = _TIGHT_KEY.match(line)
        if m:
            return Cause(
                "Y008",
                n + 1,
                m.end(),
                f"第 {n + 1} 行的键 `{m.group(2)}` 的冒号后面没有空格",
                proposal(f"{m.group(2)}:", f"{m.group(2)}: ") + "（冒号后加一个空格）",
            )
    return None


def _colon_in_value(lines: list[str], err: int, problem: str) -> Cause | None:
    if not problem.startswith("mapping values are not allowed"):
        return None
    m = _KEY_VALUE.match(lines[err])
    if not m or ": " not in m.group(3) + " ":
        return None
    value = m.group(3).strip()
    return Cause(
        "Y012",
        err + 1,
        len(m.group(1)) + 1,
        f"第 {err + 1} 行键 `{m.group(2)}` 的值里有冒号加空格 `: `，YAML 把它读成又一个键",
        "整个值用英文双引号括起来：" + proposal(value, quoted(value)),
    )


def _indentation(lines: list[str], err: int, problem: str) -> Cause | None:
    if not any(
        problem.startswith(p)
        for p in (
            "did not find expected key",
            "did not find expected '-' indicator",
            "expected <block end>",
            "mapping values are not allowed",
            "could not find expected ':'",
        )
    ):
        return None
    line = lines[err]
    indent = len(line) - len(line.lstrip(" "))
    above = next(
        (
            lines[n]
            for n in range(err - 1, -1, -1)
            if lines[n].strip() and not lines[n].lstrip().startswith("#")
        ),
        "",
    )
    above_indent = len(above) - len(above.lstrip(" "))
    item, above_item = line.lstrip().startswith("- "), above.lstrip().startswith("- ")
    if indent == above_indent and item != above_item:
        what = (
            f"第 {err + 1} 行是{'列表项 `- …`' if item else '键 `名称: 值`'}，"
            f"上一行却是{'列表项 `- …`' if above_item else '键'}：同一层不能混写列表项和键"
        )
    else:
        what = f"第 {err + 1} 行的缩进（{indent} 个空格）与上文对不齐（上一行缩进 {above_indent} 个空格）"
    return Cause(
        "Y010",
        err + 1,
        indent + 1,
        what,
        "同一层的键和列表项要左对齐；每深一层多缩进两个空格，只用空格",
    )
