"""YAML loading that is safe, keeps positions, and never raises on bad input.

PyYAML's own constructors are not used: the libyaml composer gives a node tree with
line/column marks, and this module turns it into plain Python data while recording
where each value stands (JSON path -> line:column, 1-based). Dates stay ISO strings,
so an impossible date such as 2026-02-30 is a schema problem with a position, not a
crash in the constructor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml is in every wheel we install
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from stdhub.problems import Report, proposal
from stdhub.yamlerrors import explain

MAX_BYTES = 1024 * 1024
MAX_NODES = 200_000  # a YAML alias bomb expands past this long before memory suffers
MAX_DEPTH = 64  # nesting levels; real standards and descriptors use fewer than 12

Path_ = tuple[str | int, ...]

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}
_BOOL = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


@dataclass
class Source:
    """A loaded YAML document and where each of its values stands."""

    path: Path
    display: str
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    texts: dict[Path_, str] = field(default_factory=dict)
    quoted: set[Path_] = field(default_factory=set)  # text written in quotes

    def written(self, path: Path_) -> str | None:
        """The text as written in the file of a scalar YAML converted (a number, a boolean,
        null: `01`, `03.080`, `on`), for messages that must quote it; None for text."""
        return self.texts.get(tuple(path))

    def where(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the value at `path` (or of its key), falling back to the parent."""
        table = self.key_positions if key else self.positions
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if p in self.positions:
                return self.positions[p]
            p = p[:-1]
        return self.positions.get((), (1, 1))


class _Bad(Exception):
    def __init__(
        self, code: str, message: str, line: int, column: int, path: Path_ = (), hint: str = ""
    ):
        super().__init__(message)
        self.code, self.message, self.line, self.column, self.path = (
            code,
            message,
            line,
            column,
            path,
        )
        self.hint = hint


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    def __init__(self) -> None:
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.key_positions: dict[Path_, tuple[int, int]] = {}
        self.texts: dict[Path_, str] = {}
        self.quoted: set[Path_] = set()
        self.count = 0

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if len(path) > MAX_DEPTH:
            raise _Bad("Y007", f"嵌套超过 {MAX_DEPTH} 层", *_mark(node))
        if self.count > MAX_NODES:
            raise _Bad(
                "Y004", f"文档展开后超过 {MAX_NODES} 个节点（可能是别名炸弹）", *_mark(node), path
            )
        if node.tag not in _PLAIN_TAGS:
            raise _Bad("Y003", f"不允许的标签 `{node.tag}`", *_mark(node), path)
        self.positions[path] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise _Bad(
                        "Y003",
                        "不支持合并键 `<<`",
                        *_mark(key_node),
                        path,
                        hint="删去 `<<: *…` 这一行，把要复用的字段逐个写出来",
                    )
                key = self.build(key_node, (*path, "<key>"))
                if not isinstance(key, str):
                    raise _bad_key(key_node, key, path)
                if key in out:
                    raise _Bad("Y005", f"键 `{key}` 重复出现", *_mark(key_node), (*path, key))
                self.key_positions[(*path, key)] = _mark(key_node)
                out[key] = self.build(value_node, (*path, key))
            self.positions.pop((*path, "<key>"), None)
            self.texts.pop((*path, "<key>"), None)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)  # the third and last kind of node
        value = _scalar(node)
        if not isinstance(value, str):
            self.texts[path] = node.value
        elif node.style in ("'", '"'):
            self.quoted.add(path)
        return value


def _bad_key(node: yaml.Node, key: Any, path: Path_) -> _Bad:
    """Y006 for a key YAML reads as something else than text, quoting it as written."""
    if isinstance(node, yaml.ScalarNode):
        written = node.value
        what = {bool: "布尔值", int: "整数", float: "数字"}.get(type(key), "空值")
        return _Bad(
            "Y006",
            f"键 `{written}` 被 YAML 读作{what}，不是文本",
            *_mark(node),
            path,
            hint="加引号写成文本：" + proposal(f"{written}:", f'"{written}":'),
        )
    return _Bad("Y006", f"键 `{key}` 不是字符串", *_mark(node), path)


def _scalar(node: yaml.ScalarNode) -> Any:
    value = node.value
    tag = node.tag
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return _BOOL[value.lower()]
    if tag == "tag:yaml.org,2002:int":
        text = value.replace("_", "")
        for base in (0, 8):  # YAML 1.1 also reads 017 as octal
            try:
                return int(text, base)
            except ValueError:
                continue
        return value
    if tag == "tag:yaml.org,2002:float":
        try:
            return float(value.replace("_", ""))
        except ValueError:
            return value
    return value  # str and timestamp: kept as text, checked by the schema


def too_deep(data: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether plain data (from JSON) nests deeper than `limit` levels; no recursion."""
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return False


def decode(raw: bytes) -> str:
    """Decode UTF-8 (a BOM is accepted); raise UnicodeDecodeError otherwise."""
    return raw.decode("utf-8-sig")


def guess_encoding(raw: bytes) -> str:
    """Name a likely legacy encoding for a message that says how to convert."""
    for enc in ("gb18030", "big5"):
        try:
            raw.decode(enc)
        except UnicodeDecodeError:
            continue
        return "GBK/GB18030" if enc == "gb18030" else "Big5"
    return "未知编码"


def read_text(path: Path, report: Report, shown: str, max_bytes: int | None = None) -> str | None:
    """Read a UTF-8 text file; an unreadable, oversized or non-UTF-8 file is a problem, not a crash."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        report.add("F004", shown, f"无法读取：{exc.strerror}")
        return None
    if max_bytes is not None and len(raw) > max_bytes:
        report.add("F002", shown, f"文件有 {len(raw):,} 字节，超过上限 {max_bytes:,} 字节")
        return None
    try:
        return decode(raw)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        report.add(
            "F001",
            shown,
            f"第 {exc.start} 字节不是有效的 UTF-8，看起来是 {guess_encoding(raw)} 编码",
            line=line,
        )
        return None


def load(path: Path, report: Report, display: str | None = None) -> Source | None:
    """Load one YAML file; on any problem add it to `report` and return None."""
    shown = display or str(path)
    text = read_text(path, report, shown, MAX_BYTES)
    return None if text is None else parse(text, report, path, shown)


def parse(text: str, report: Report, path: Path, shown: str) -> Source | None:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except RecursionError:
        report.add("Y007", shown, f"嵌套过深（超过 {MAX_DEPTH} 层）")
        return None
    except yaml.MarkedYAMLError as exc:
        cause = explain(text, exc)
        report.add(
            cause.code, shown, cause.message, line=cause.line, column=cause.column, hint=cause.hint
        )
        return None
    except yaml.YAMLError as exc:
        report.add("Y001", shown, f"YAML 无法解析（{str(exc).splitlines()[0]}）")
        return None
    if node is None:
        report.add("Y002", shown, "文件中没有任何内容")
        return None
    builder = _Builder()
    try:
        data = builder.build(node, ())
    except _Bad as bad:
        report.add(
            bad.code,
            shown,
            bad.message,
            line=bad.line,
            column=bad.column,
            path=bad.path,
            hint=bad.hint,
        )
        return None
    return Source(
        path,
        shown,
        data,
        builder.positions,
        builder.key_positions,
        builder.texts,
        builder.quoted,
    )
