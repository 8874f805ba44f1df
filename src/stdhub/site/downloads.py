"""Machine-readable forms of a standard: its YAML and JSON, and for a data standard a JSON
Schema and a Frictionless Table Schema generated from its data elements, and each code
list as CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import yaml

from stdhub.datasets.tableschema import FIELD_TYPE
from stdhub.standards.model import Catalogue, CodeList, DataElement, RecordStructure, Standard

_JSON_TYPES = {
    "字符型": {"type": "string"},
    "整数型": {"type": "integer"},
    "数值型": {"type": "number"},
    "日期型": {"type": "string", "format": "date"},
    "日期时间型": {"type": "string", "format": "date-time"},
    "布尔型": {"type": "boolean"},
}
PERSONAL_NOTE = "个人信息：不得出现在开放数据中。"


def as_json(data: Any) -> str:
    # compact: the C encoder is only used without `indent`, and it is many times faster
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str) + "\n"


def as_yaml(cat: Catalogue, std: Standard) -> str:
    """The source file as written (comments and all); re-dumped only if it cannot be found."""
    source = Path(std.where.file)
    if not source.is_absolute():
        source = cat.root.parent / source
    try:
        return source.read_text(encoding="utf-8")
    except OSError:
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        return yaml.dump(std.raw, Dumper=dumper, allow_unicode=True, sort_keys=False)


def field_name(e: DataElement) -> str:
    """A data element's field name in datasets: its English name, else its id."""
    return e.name_en or e.id.lower()


def _current_codes(cat: Catalogue, e: DataElement) -> list[str] | None:
    cl = cat.code_lists.get(e.code_list) if e.code_list else None
    if cl is None or not cl.closed:
        return None
    return [c.code for c in cl.codes if not c.is_deprecated]


def _description(e: DataElement) -> str:
    return f"{e.definition}{PERSONAL_NOTE if e.personal else ''}"


def _json_property(cat: Catalogue, e: DataElement) -> dict[str, Any]:
    prop: dict[str, Any] = {
        "title": e.name,
        "description": _description(e),
        **_JSON_TYPES[e.data_type],
    }
    if e.data_type == "字符型":
        for key, value in (
            ("minLength", e.min_length),
            ("maxLength", e.max_length),
            ("pattern", e.pattern),
        ):
            if value is not None:
                prop[key] = value
    for key, value in (("minimum", e.minimum), ("maximum", e.maximum)):
        if value is not None:
            prop[key] = value
    codes = _current_codes(cat, e)
    if codes is not None:
        prop["enum"] = codes
    return prop


def _elements(
    std: Standard, record: RecordStructure | None
) -> list[tuple[DataElement, bool, bool]]:
    """(element, required, primary key) for a record structure, or every element."""
    if record is None:
        return [(e, False, False) for e in std.data_elements]
    out = []
    for re_ in record.elements:
        e = std.element(re_.element)
        if e is not None:
            out.append((e, re_.required, re_.primary_key))
    return out


def json_schema(
    cat: Catalogue, std: Standard, record: RecordStructure | None = None
) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) for one record: the record structure's, else all elements."""
    elements = _elements(std, record or (std.records[0] if len(std.records) == 1 else None))
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"{std.id} {std.title}" + (f"：{record.name}" if record else ""),
        "description": f"由 {std.id} 的数据元生成。",
        "type": "object",
        "properties": {field_name(e): _json_property(cat, e) for e, _, _ in elements},
    }
    required = [field_name(e) for e, req, _ in elements if req]
    if required:
        schema["required"] = required
    return schema


def _table_field(cat: Catalogue, e: DataElement, required: bool) -> dict[str, Any]:
    f: dict[str, Any] = {
        "name": field_name(e),
        "title": e.name,
        "description": _description(e),
        "type": FIELD_TYPE[e.data_type],
    }
    constraints: dict[str, Any] = {}
    if required:
        constraints["required"] = True
    if e.data_type == "字符型":
        for key, value in (
            ("minLength", e.min_length),
            ("maxLength", e.max_length),
            ("pattern", e.pattern),
        ):
            if value is not None:
                constraints[key] = value.strip("^$") if key == "pattern" else value
    for key, value in (("minimum", e.minimum), ("maximum", e.maximum)):
        if value is not None:
            constraints[key] = value
    codes = _current_codes(cat, e)
    if codes is not None:
        constraints["enum"] = codes
    if constraints:
        f["constraints"] = constraints
    return f


def table_schema(
    cat: Catalogue, std: Standard, record: RecordStructure | None = None
) -> dict[str, Any]:
    """A Frictionless Table Schema: the record structure's fields, else every data element."""
    record = record or (std.records[0] if len(std.records) == 1 else None)
    elements = _elements(std, record)
    schema: dict[str, Any] = {"fields": [_table_field(cat, e, req) for e, req, _ in elements]}
    keys = [field_name(e) for e, _, pk in elements if pk]
    if keys:
        schema["primaryKey"] = keys
    return schema


def codelist_csv(cl: CodeList) -> str:
    """The codes as CSV; lists with a hierarchy or editions (divisions) add `parent`,
    `editions` (separated by spaces) and `valid_from` — the columns a `codes_file` reads."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    extra = any(c.parent or c.editions or c.valid_from for c in cl.codes)
    header = ["code", "name", "description", "deprecated_since", "deprecated_reason", "replaced_by"]
    w.writerow(header + (["parent", "editions", "valid_from"] if extra else []))
    for c in cl.codes:
        d = c.deprecated or {}
        row = [
            c.code,
            c.name,
            c.description,
            d.get("since", ""),
            d.get("reason", ""),
            d.get("replaced_by", ""),
        ]
        if extra:
            row += [c.parent, " ".join(c.editions), c.valid_from or ""]
        w.writerow(row)
    return out.getvalue()


def files_for(cat: Catalogue, std: Standard, code_lists: list[CodeList]) -> dict[str, str]:
    """File name (inside a version's download folder) -> content."""
    files = {"standard.yaml": as_yaml(cat, std), "standard.json": as_json(std.raw)}
    if std.kind == "数据标准" and std.data_elements:
        files["schema.json"] = as_json(json_schema(cat, std))
        files["tableschema.json"] = as_json(table_schema(cat, std))
        if len(std.records) > 1:
            for r in std.records:
                files[f"schema-{r.id}.json"] = as_json(json_schema(cat, std, r))
                files[f"tableschema-{r.id}.json"] = as_json(table_schema(cat, std, r))
    for cl in code_lists:
        files[f"codes/{cl.id}.csv"] = codelist_csv(cl)
    return files


DESCRIPTIONS = {
    "standard.yaml": "YAML 源文件",
    "standard.json": "JSON",
    "schema.json": "JSON Schema（由数据元生成）",
    "tableschema.json": "Frictionless Table Schema（由数据元生成）",
}


def describe(name: str) -> str:
    if name.startswith("codes/"):
        return f"代码集 {name.removeprefix('codes/').removesuffix('.csv')}（CSV）"
    if name.startswith("schema-"):
        return f"JSON Schema：记录结构 {name.removeprefix('schema-').removesuffix('.json')}"
    if name.startswith("tableschema-"):
        return f"Table Schema：记录结构 {name.removeprefix('tableschema-').removesuffix('.json')}"
    return DESCRIPTIONS.get(name, name)
