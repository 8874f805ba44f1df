"""Table Schemas generated from data standards, and fields compared with their data elements.

A data element fixes a field's name (`name_en`), type, lengths, pattern, range and code
list. `table_schema(standard, record_id)` turns a record structure into the Frictionless
Table Schema of a resource, so a dataset written from it cannot drift from the standard;
`differences(field, element)` says where a field of any dataset departs from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stdhub.standards.model import Catalogue, DataElement, Standard

FIELD_TYPE = {
    "字符型": "string",
    "整数型": "integer",
    "数值型": "number",
    "日期型": "date",
    "日期时间型": "datetime",
    "布尔型": "boolean",
}

# data element attribute -> Table Schema constraint
_CONSTRAINTS = {
    "min_length": "minLength",
    "max_length": "maxLength",
    "pattern": "pattern",
    "minimum": "minimum",
    "maximum": "maximum",
}
_TEXT_ONLY = {"min_length", "max_length", "pattern"}


class UnknownRecord(LookupError):
    pass


@dataclass(frozen=True)
class Conformed:
    """The data element a field conforms to, and the standard that defines it."""

    standard: Standard
    element: DataElement

    @property
    def ref(self) -> str:
        return f"{self.standard.id}#{self.element.id}"


def _constraints(element: DataElement) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for attr, key in _CONSTRAINTS.items():
        value = getattr(element, attr)
        if value is None or (attr in _TEXT_ONLY and element.data_type != "字符型"):
            continue
        out[key] = value
    return out


def field_for(element: DataElement, *, required: bool = False) -> dict[str, Any]:
    """The Table Schema field of one data element."""
    description = element.definition
    if element.unit:
        description += f"（单位：{element.unit}）"
    field: dict[str, Any] = {
        "name": element.name_en or element.id.lower(),
        "title": element.name,
        "description": description,
        "type": FIELD_TYPE[element.data_type],
    }
    constraints = _constraints(element)
    if required:
        constraints = {"required": True, **constraints}
    if constraints:
        field["constraints"] = constraints
    return field


def table_schema(standard: Standard, record_id: str) -> dict[str, Any]:
    """The Table Schema of one record structure of a data standard."""
    record = next((r for r in standard.records if r.id == record_id), None)
    if record is None:
        known = ", ".join(r.id for r in standard.records) or "无"
        raise UnknownRecord(f"{standard.id} 中没有记录结构 {record_id}（有：{known}）")
    fields = []
    for item in record.elements:
        element = standard.element(item.element)
        if element is None:  # the standards checks report it (X004)
            continue
        fields.append(field_for(element, required=item.required or item.primary_key))
    schema: dict[str, Any] = {"fields": fields}
    keys = [f["name"] for f, item in zip(fields, record.elements, strict=False) if item.primary_key]
    if keys:
        schema["primaryKey"] = keys
    schema["missingValues"] = [""]
    return schema


def schema_for(
    catalogue: Catalogue, standard_id: str, record_id: str | None = None
) -> dict[str, Any]:
    """The Table Schema of `record_id` in `standard_id` (the only record when not given)."""
    standard = catalogue.standards.get(standard_id)
    if standard is None or standard.kind != "数据标准":
        raise UnknownRecord(f"没有数据标准 {standard_id}（no such data standard）")
    records = [r.id for r in standard.records]
    if record_id is None:
        if len(records) != 1:
            raise UnknownRecord(
                f"{standard_id} 有 {len(records)} 个记录结构，请指定一个：{', '.join(records) or '无'}"
            )
        record_id = records[0]
    return table_schema(standard, record_id)


def elements_by_name(catalogue: Catalogue, standard_ids: list[str]) -> dict[str, Conformed]:
    """Field name -> data element, over the standards a dataset conforms to (first wins)."""
    found: dict[str, Conformed] = {}
    for std_id in standard_ids:
        standard = catalogue.standards.get(std_id)
        if standard is None:
            continue
        for element in standard.data_elements:
            if element.name_en and element.name_en not in found:
                found[element.name_en] = Conformed(standard, element)
    return found


def differences(field: dict[str, Any], element: DataElement) -> list[str]:
    """How a Table Schema field departs from its data element (empty when it conforms)."""
    out = []
    expected_type = FIELD_TYPE[element.data_type]
    actual_type = field.get("type", "any")
    if actual_type != expected_type:
        out.append(f"类型是 {actual_type}，数据元规定为 {expected_type}（{element.data_type}）")
    constraints = field.get("constraints") or {}
    for key, expected in _constraints(element).items():
        actual = constraints.get(key)
        if actual != expected:
            shown = "未设置" if actual is None else repr(actual)
            out.append(f"约束 {key} 为 {shown}，数据元规定为 {expected!r}")
    return out
