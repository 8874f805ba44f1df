"""Validate one loaded file against its JSON Schema and turn each failure into a Problem.

The compiled `jsonschema-rs` validator answers "valid?" for every file; only files
that fail go through the careful `jsonschema` validator, whose errors are mapped to
problem codes with positions, so a clean tree costs little and messages stay exact.
"""

from __future__ import annotations

from typing import Any

import jsonschema

from stdhub import schemas
from stdhub.problems import Report, did_you_mean, proposal, quoted
from stdhub.vocab import VALUE_KINDS
from stdhub.yamlsource import Source

_SIZE_MESSAGES = {
    "minItems": "列表至少要有 {limit} 项",
    "maxItems": "列表至多 {limit} 项",
    "minLength": "文本至少 {limit} 个字符",
    "maxLength": "文本至多 {limit} 个字符",
    "uniqueItems": "列表中有重复的项",
    "minimum": "数值不能小于 {limit}",
    "maximum": "数值不能大于 {limit}",
}


def _type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _did_you_mean(word: str, choices: list[str] | set[str]) -> str:
    return did_you_mean(word, choices)  # kept for the callers outside the standards checks


def _show(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def check(source: Source, schema_name: str, report: Report) -> bool:
    """Validate; add problems to `report`; return True if the file is valid."""
    if schemas.fast_validator(schema_name).is_valid(source.data):
        return True
    validator = schemas.detailed_validator(schema_name)
    before = len(report.problems)
    for error in validator.iter_errors(source.data):
        _report(error, source, schema_name, report)
    if len(report.problems) == before:  # the two validators disagree: still say something
        report.add("S008", source.display, "不符合 JSON Schema")
    return False


def _report(
    error: jsonschema.ValidationError, source: Source, schema_name: str, report: Report
) -> None:
    path = tuple(error.absolute_path)
    line, col = source.where(path)
    file = source.display
    v = error.validator
    # a value YAML converted is shown as written: `01`, not 1; `03.080`, not 3.08
    written = source.written(path)
    shown = _show(error.instance) if written is None else (written or "（空）")

    def add(code: str, message: str, p: tuple = path, hint: str = "", key: bool = False) -> None:
        ln, cl = source.where(p, key=key) if p != path or key else (line, col)
        report.add(code, file, message, line=ln, column=cl, path=p, hint=hint)

    if v == "required":
        # `{code：01}` is the key `code：01`: reported once, as the unknown key (S001)
        typed = [k for k in error.instance if isinstance(k, str) and "：" in k]
        missing = [
            k
            for k in error.validator_value
            if k not in error.instance and not any(t.startswith(f"{k}：") for t in typed)
        ]
        for k in missing:
            choices = error.schema.get("properties", {}).get(k, {}).get("enum")
            hint = f"在此映射中加上 `{k}:`" + (f"，取值：{'、'.join(choices)}" if choices else "")
            add("S002", f"缺少必填字段 `{k}`", hint=hint)
    elif v in ("additionalProperties", "unevaluatedProperties"):
        if v == "additionalProperties":
            allowed = set(error.schema.get("properties", {}))
        else:
            allowed = schemas.allowed_keys(schema_name)
        for k in error.instance:
            if k not in allowed and "：" in k:
                key, rest = k.split("：", 1)
                hint = "键后面的冒号是全角 `：`：" + proposal(k, f"{key}: {rest.lstrip()}")
                add("S001", f"未知字段 `{k}`", p=(*path, k), hint=hint, key=True)
            elif k not in allowed:
                hint = did_you_mean(k, allowed) or "允许的字段：" + "、".join(sorted(allowed))
                add("S001", f"未知字段 `{k}`", p=(*path, k), hint=hint, key=True)
    elif v == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        want = " 或 ".join(VALUE_KINDS.get(t) or str(t) for t in expected)
        got = VALUE_KINDS[_type_of(error.instance)]
        hint = ""
        if "string" in expected and written is not None and error.instance is not None:
            hint = "加引号写成文本：" + proposal(written, quoted(written))
        elif (
            expected == ["array"]
            and isinstance(error.instance, str)
            and path not in source.quoted
            and not set(error.instance) & set(",:[]{}#&*!|>'\"%@`")
        ):  # one item written without its brackets: `domains: 综合`
            hint = "写成列表：" + proposal(error.instance, f"[{error.instance}]")
        elif "object" in expected and isinstance(error.instance, str) and "：" in error.instance:
            key = error.instance.split("：", 1)[0].strip()
            hint = "键后面的冒号是全角 `：`：" + proposal(f"{key}：", f"{key}: ")
        add("S003", f"应为{want}，实际是{got} `{shown}`", hint=hint)
    elif v in ("enum", "const"):
        choices = error.validator_value if v == "enum" else [error.validator_value]
        as_written = str(error.instance) if written is None else written
        hint = did_you_mean(as_written, [str(c) for c in choices]) or (
            "允许的取值：" + "、".join(str(c) for c in choices)
        )
        add("S004", f"`{shown}` 不是允许的取值", hint=hint)
    elif (v == "format" and error.validator_value == "date") or (
        v == "pattern" and "[0-9]{4}-[0-9]{2}-[0-9]{2}" in str(error.validator_value)
    ):
        add(
            "S005",
            f"`{shown}` 不是有效的日期",
            hint="写作 YYYY-MM-DD，且日期须真实存在",
        )
    elif v in ("format", "pattern"):
        rule = error.validator_value
        desc = error.schema.get("description", "")
        add("S006", f"`{shown}` 不符合格式 `{rule}`", hint=desc)
    elif v in _SIZE_MESSAGES:
        add("S007", _SIZE_MESSAGES[v].format(limit=error.validator_value))
    elif v == "oneOf":
        add("S008", f"应为文本，或含 `url` 的映射，实际是{VALUE_KINDS[_type_of(error.instance)]}")
    else:
        add("S008", error.message)
