"""The one mapping from a data element to a field of a Frictionless Table Schema or JSON Schema.

A data element fixes a field's name (`name_en`, else its id in lower case), type, lengths,
pattern (written as is, anchors and all), range and code list. Everything that writes or
compares such a field imports it from here: `stdhub table-schema`, the conformance check of
datasets (D014) and the downloads each data standard's page offers, so a schema the site
publishes always passes stdhub's own check.

A closed code list becomes an `enum`: in a Table Schema of all its codes, as `stdhub validate`
enforces it on datasets (a deprecated code is a warning, Q003, not an error); in a JSON Schema,
meant for new records, of its current codes only. An open code list adds nothing.
"""

from __future__ import annotations

from typing import Any

from stdhub.standards.model import Catalogue, CodeList, DataElement, RecordStructure, Standard
from stdhub.vocab import DataType

# data type (数据类型) -> Table Schema type, and -> JSON Schema keywords
FIELD_TYPE = {
    DataType.TEXT: "string",
    DataType.INTEGER: "integer",
    DataType.NUMBER: "number",
    DataType.DATE: "date",
    DataType.DATETIME: "datetime",
    DataType.BOOLEAN: "boolean",
}
JSON_TYPE: dict[str, dict[str, str]] = {
    DataType.TEXT: {"type": "string"},
    DataType.INTEGER: {"type": "integer"},
    DataType.NUMBER: {"type": "number"},
    DataType.DATE: {"type": "string", "format": "date"},
    DataType.DATETIME: {"type": "string", "format": "date-time"},
    DataType.BOOLEAN: {"type": "boolean"},
}
PERSONAL_NOTE = "个人信息：不得出现在开放数据中。"

# data element attribute -> constraint keyword (the same in Table Schema and JSON Schema)
_CONSTRAINTS = {
    "min_length": "minLength",
    "max_length": "maxLength",
    "pattern": "pattern",
    "minimum": "minimum",
    "maximum": "maximum",
}
_TEXT_ONLY = {"min_length", "max_length", "pattern"}

# (data element, required, primary key)
Member = tuple[DataElement, bool, bool]


def field_name(element: DataElement) -> str:
    """A data element's field name in datasets: its English name, else its id in lower case."""
    return element.name_en or element.id.lower()


def description(element: DataElement) -> str:
    """The definition, with the unit and, for personal data, a warning not to publish it."""
    text = element.definition
    if element.unit:
        text += f"（单位：{element.unit}）"
    return text + (PERSONAL_NOTE if element.personal else "")


def constraints(element: DataElement) -> dict[str, Any]:
    """Lengths and pattern (text only) and range, keyed by their schema keywords."""
    out: dict[str, Any] = {}
    for attr, key in _CONSTRAINTS.items():
        value = getattr(element, attr)
        if value is None or (attr in _TEXT_ONLY and element.data_type != DataType.TEXT):
            continue
        out[key] = value
    return out


ENUM_LIMIT = 1000  # a closed list of more codes is not written out as an `enum`


def enum(code_list: CodeList | None, *, current: bool = False) -> list[str] | None:
    """A closed code list's codes (only those not deprecated if `current`); None for an open
    list, none at all, or one of more than ENUM_LIMIT codes (the village codes: thousands of
    codes in every schema, and an enum is searched linearly for each value; the dataset
    checks test such a list's codes against the list itself, `valuescan.scan_codes`)."""
    if code_list is None or not code_list.closed or len(code_list.codes) > ENUM_LIMIT:
        return None
    return [c.code for c in code_list.codes if not (current and c.is_deprecated)]


def codes(catalogue: Catalogue, element: DataElement, *, current: bool = False) -> list[str] | None:
    """`enum` of the element's code list in the catalogue."""
    return enum(catalogue.code_lists.get(element.code_list or ""), current=current)


def table_field(
    element: DataElement, *, required: bool = False, codes: list[str] | None = None
) -> dict[str, Any]:
    """The Table Schema field of one data element; `codes` become its `enum`."""
    field: dict[str, Any] = {
        "name": field_name(element),
        "title": element.name,
        "description": description(element),
        "type": FIELD_TYPE[element.data_type],
    }
    found: dict[str, Any] = {"required": True} if required else {}
    found.update(constraints(element))
    if codes is not None:
        found["enum"] = codes
    if found:
        field["constraints"] = found
    return field


def json_property(element: DataElement, *, codes: list[str] | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) property of one data element."""
    prop: dict[str, Any] = {
        "title": element.name,
        "description": description(element),
        **JSON_TYPE[element.data_type],
        **constraints(element),
    }
    if codes is not None:
        prop["enum"] = codes
    return prop


def members(standard: Standard, record: RecordStructure | None) -> list[Member]:
    """A record structure's elements (a primary key is required), or every element, unkeyed.

    Elements the record names but the standard lacks are left out (the checks report X004).
    """
    if record is None:
        return [(e, False, False) for e in standard.data_elements]
    out = []
    for item in record.elements:
        element = standard.element(item.element)
        if element is not None:
            out.append((element, item.required or item.primary_key, item.primary_key))
    return out


def sole_record(standard: Standard) -> RecordStructure | None:
    """The record structure of a standard with exactly one, else None (meaning all elements)."""
    return standard.records[0] if len(standard.records) == 1 else None


def table_schema(
    catalogue: Catalogue, standard: Standard, record: RecordStructure | None
) -> dict[str, Any]:
    """The Frictionless Table Schema of a record structure (None: every data element)."""
    found = members(standard, record)
    schema: dict[str, Any] = {
        "fields": [table_field(e, required=req, codes=codes(catalogue, e)) for e, req, _ in found]
    }
    keys = [field_name(e) for e, _, pk in found if pk]
    if keys:
        schema["primaryKey"] = keys
    schema["missingValues"] = [""]
    return schema


def json_schema(
    catalogue: Catalogue, standard: Standard, record: RecordStructure | None
) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) for one row of a record structure (None: every element)."""
    found = members(standard, record)
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"{standard.id} {standard.title}" + (f"：{record.name}" if record else ""),
        "description": f"由 {standard.id} 的数据元生成。",
        "type": "object",
        "properties": {
            field_name(e): json_property(e, codes=codes(catalogue, e, current=True))
            for e, _, _ in found
        },
    }
    required = [field_name(e) for e, req, _ in found if req]
    if required:
        schema["required"] = required
    return schema
