"""Frictionless' English notes about a descriptor, with a Chinese lead and the property's path.

frictionless-py 5 reports a descriptor problem as a note such as
`'x' is not of type 'string' at property 'schema/primaryKey'`. `explain(note)` gives the
Chinese sentence to show (the English kept after it, for searching), and `relative(note)`
the path inside the object that was validated, to be prefixed with where that object stands.
"""

from __future__ import annotations

import re

from stdhub.vocab import VALUE_KINDS

_AT_PROPERTY = re.compile(r" at property '([^']*)'$")

# (pattern over the note without its " at property …" tail, Chinese template)
_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"'([^']*)' is a required property"), "缺少必填属性 `{0}`"),
    (re.compile(r"(.*) is not of type '(\w+)'"), "{0} 的类型不对，应为{type}"),
    (re.compile(r"(.*) is not of type (.*)"), "{0} 的类型不对，应为 {1} 之一"),
    (re.compile(r"(.*) does not match '(.*)'"), "{0} 不符合规定的写法（正则 `{1}`）"),
    (re.compile(r"(.*) is not one of (.*)"), "{0} 不是允许的取值，可选 {1}"),
    (re.compile(r"(.*) is too short"), "{0} 太短或为空"),
    (re.compile(r"(.*) should be non-empty"), "{0} 不能为空"),
    (re.compile(r"(.*) is not valid under any of the given schemas"), "{0} 的写法不对"),
    (re.compile(r"Additional properties are not allowed \((.*)\)"), "不允许的属性：{0}"),
    (re.compile(r'license requires "path" or "name"'), "许可（licenses）至少要有 `path` 或 `name`"),
    (re.compile(r'property "(\w+)\[\]\.email" is not valid "email"'), "`{0}` 中的邮箱地址无效"),
    (re.compile(r'property "created" is not valid "datetime"'), "`created` 应是日期时间"),
    (re.compile(r"names of the resources are not unique"), "资源的 name 有重复"),
    (re.compile(r'field type "(.*)" is not supported'), "不支持的字段类型 `{0}`"),
    (
        re.compile(r'constraint "(.*)" is not supported by type "(.*)"'),
        "约束 `{0}` 不能用于 {1} 类型的字段",
    ),
    (re.compile(r'path "(.*)" is not safe'), "路径 `{0}` 不安全（绝对路径或含 `..`）"),
    (
        re.compile(r'one of the properties "path" or "data" is required'),
        "资源要有 `path` 或 `data`",
    ),
    (
        re.compile(r'properties "path" and "data" is mutually exclusive'),
        "资源不能同时有 `path` 和 `data`",
    ),
    (
        re.compile(r'profile "tabular-data-package" requires'),
        "tabular-data-package 的资源都要声明为表格资源",
    ),
    (
        re.compile(r"primary key .* should match|primary key"),
        "主键（primaryKey）引用了不存在的字段",
    ),
    (re.compile(r"foreign key"), "外键（foreignKeys）的写法或引用不对"),
]


def relative(note: str) -> tuple[str | int, ...]:
    """The property path frictionless names in `note` (`a/0/b` -> ("a", 0, "b")), or ()."""
    m = _AT_PROPERTY.search(note)
    if not m:
        return ()
    return tuple(int(p) if p.isdigit() else p for p in m.group(1).split("/") if p)


# frictionless and jsonschema quote a value as Python writes it; the author wrote JSON/YAML
_PYTHON = {"None": "null", "True": "true", "False": "false"}


def explain(note: str, origin: str = "frictionless") -> str:
    """A Chinese sentence for frictionless' (or jsonschema's) `note`, the English kept after it."""
    core = _AT_PROPERTY.sub("", note).strip()
    for pattern, template in _RULES:
        m = pattern.search(core)
        if m:
            groups = [_short(_PYTHON.get(g, g)) for g in m.groups()]
            kind = VALUE_KINDS.get(groups[1], groups[1]) if len(groups) > 1 else ""
            text = template.format(*groups, type=kind)
            break
    else:
        text = "描述文件不符合 Frictionless 规范"
    return f"{text}（{origin}：{_short(note, 200)}）"


_INVISIBLE = re.compile(r"[\u00a0\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff\t\r\n]")


def visible(text: str) -> str:
    """`text` with invisible and look-alike spaces written as `\\u200b`, so a message shows them."""
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _short(text: str, limit: int = 80) -> str:
    text = visible(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
