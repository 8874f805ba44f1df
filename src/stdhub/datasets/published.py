"""What a published cell holds, and the Table Schema that reads it back.

The loader stores each value in SQLite in one form, the CSV download is exported from
SQLite, and the republished `datapackage.json` must describe those bytes, not the
source's: this module owns both sides of that contract.

| type | stored and published as | reading options of the source |
| --- | --- | --- |
| number | a float (`1234.5`) | `decimalChar`, `groupChar`, `bareNumber` dropped |
| integer, year | an integer | `groupChar`, `bareNumber` dropped |
| boolean | 1 / 0 | `trueValues`, `falseValues` dropped (the defaults read 1 / 0) |
| date | ISO 8601 (`2024-03-01`) | `format` dropped |
| datetime, time | the cell as written when ISO 8601 reads it as the same value, so `…Z` stays `…Z` and every offset is kept; else ISO 8601 | `format` dropped |
| anything else | the cell as written | kept |

A missing value is an empty cell: `missingValues` always lists `""` (its labels kept).
Constraints and categories written in the source's lexical form are rewritten too. The
change is declared: the published field keeps the source's options under `sourceOptions`,
and the dataset page says in Chinese what the downloads hold instead (`declared`).
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import json
from typing import Any

_DROPPED = {
    "number": ("decimalChar", "groupChar", "bareNumber"),
    "integer": ("groupChar", "bareNumber"),
    "year": ("groupChar", "bareNumber"),
    "boolean": ("trueValues", "falseValues"),
    "date": ("format",),
    "datetime": ("format",),
    "time": ("format",),
}
_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
TYPED = frozenset({"string", "integer", "number", "boolean", "date", "year"})  # loaded by value


def stored(value: Any, kind: str, cell: Any, *, typed: frozenset[str]) -> Any:
    """The value to load for a cell frictionless read as `value` (`typed`: the types kept
    as typed values; the others keep the cell as written)."""
    if value is None:
        return None
    if kind in ("datetime", "time") and isinstance(cell, str) and _iso(kind, cell) == value:
        return cell  # ISO 8601 as written: `Z` and offsets kept
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if kind in typed:
        return value
    return cell if isinstance(cell, str) else json.dumps(value, ensure_ascii=False, default=str)


@functools.cache
def _default_reader(kind: str) -> Any:
    from frictionless import Field

    return Field.from_descriptor({"name": "x", "type": kind}).create_value_reader()


def _iso(kind: str, cell: str) -> Any:
    """What frictionless' default (ISO 8601) format reads in `cell`, None if it is not."""
    return _default_reader(kind)(cell)


def changed(written: dict[str, Any]) -> list[str]:
    """The reading options of a field that the published CSV no longer needs."""
    return [k for k in _DROPPED.get(str(written.get("type", "any")), ()) if k in written]


def missing_values(values: Any) -> list[Any]:
    """`missingValues` of the published CSV: `""` first (what an empty cell is), then the
    source's other values with their labels (Data Package v2 `{value, label}`)."""
    items = values if isinstance(values, list) else [""]
    rest = [v for v in items if (v.get("value") if isinstance(v, dict) else v) != ""]
    blank = next((v for v in items if isinstance(v, dict) and v.get("value") == ""), "")
    if blank == "" and any(isinstance(v, dict) for v in rest):
        blank = {"value": ""}
    return [blank, *rest]


def field(written: dict[str, Any]) -> dict[str, Any]:
    """The field of the published CSV: the source's field without the reading options the
    CSV no longer needs, its constraints and categories in the published form."""
    dropped = changed(written)
    out = {k: v for k, v in written.items() if k not in dropped}
    if dropped:
        out["sourceOptions"] = {k: written[k] for k in dropped}
    if "missingValues" in written:
        out["missingValues"] = missing_values(written["missingValues"])
    if not dropped:
        return out
    read = _reader(written)
    kind = str(written.get("type"))
    cons = written.get("constraints")
    if isinstance(cons, dict):
        out["constraints"] = {
            k: (
                [_publish(read, kind, x) for x in v]
                if k == "enum" and isinstance(v, list)
                else _publish(read, kind, v)
                if k in _BOUNDS
                else v
            )
            for k, v in cons.items()
        }
    if isinstance(written.get("categories"), list):
        out["categories"] = [
            {**c, "value": _publish(read, kind, c.get("value"))}
            if isinstance(c, dict)
            else _publish(read, kind, c)
            for c in written["categories"]
        ]
    return out


_SAID = {
    "decimalChar": "小数点 “{}”",
    "groupChar": "千位分隔符 “{}”",
    "bareNumber": "数字前后的单位或符号",
    "trueValues": "“{}” 表示是",
    "falseValues": "“{}” 表示否",
    "format": "格式 {}",
}
_NOW = {
    "number": "1234.5",
    "integer": "1234",
    "year": "2024",
    "boolean": "1（是）/ 0（否）",
    "date": "YYYY-MM-DD",
    "datetime": "ISO 8601（如 2024-03-01T08:30:00+08:00）",
    "time": "ISO 8601（如 08:30:00）",
}


def declared(written: dict[str, Any]) -> str:
    """What the published CSV holds instead of the source's lexical form, in Chinese; ""
    when nothing changed. Shown on the dataset page beside the field."""
    dropped = changed(written)
    if not dropped:
        return ""
    said = []
    for k in dropped:
        value = written[k]
        shown = "、".join(map(str, value)) if isinstance(value, list) else str(value)
        said.append(_SAID[k].format(shown))
    kind = str(written.get("type"))
    return f"源文件的写法（{'，'.join(said)}）在下载和在线查询中统一为 {_NOW[kind]}"


def missing_note(values: Any) -> str:
    """In Chinese, what becomes of the source's missing-value markers: every one is an empty
    cell (NULL) once published, so the reasons its labels gave are no longer told apart."""
    markers = missing_values(values)[1:]
    if not markers:
        return ""
    shown = "、".join(
        f"“{m['value']}”" + (f"（{m['label']}）" if m.get("label") else "")
        if isinstance(m, dict)
        else f"“{m}”"
        for m in markers
    )
    return f"源文件中表示缺失的 {shown} 在数据库和下载中都是空值"


def _reader(written: dict[str, Any]) -> Any:
    from frictionless import Field

    source = {k: v for k, v in written.items() if k not in ("constraints", "categories")}
    return Field.from_descriptor(source)


def _publish(read: Any, kind: str, value: Any) -> Any:
    """A value written in the source's lexical form, in the published form (as JSON)."""
    if isinstance(value, bool) or not isinstance(value, str):
        return value  # already a JSON value, read the same by any lexical options
    typed = read.read_cell(value)[0]
    if typed is None:
        return value
    got = stored(typed, kind, None, typed=TYPED)
    return bool(got) if kind == "boolean" else got
