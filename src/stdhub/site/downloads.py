"""Machine-readable forms of a standard: its YAML and JSON, and for a data standard a JSON
Schema and a Frictionless Table Schema generated from its data elements (by
`stdhub.standards.formats`, as `stdhub table-schema` prints them), and each code list as CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import yaml

from stdhub.standards.formats import json_schema, sole_record, table_schema
from stdhub.standards.model import Catalogue, CodeList, Standard
from stdhub.vocab import Kind


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
    if std.kind == Kind.DATA and std.data_elements:
        files["schema.json"] = as_json(json_schema(cat, std, sole_record(std)))
        files["tableschema.json"] = as_json(table_schema(cat, std, sole_record(std)))
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
