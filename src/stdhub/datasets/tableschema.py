"""Table Schemas of data standards by id, and fields compared with their data elements.

`schema_for(catalogue, standard_id, record_id)` finds a record structure and returns its
Frictionless Table Schema, made by `stdhub.standards.formats` (the one mapping data element ->
field, which the site's downloads use too), so a dataset written from it cannot drift from the
standard; `differences(field, element)` says where a field of any dataset departs from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stdhub.standards.formats import FIELD_TYPE, constraints, field_name, table_schema
from stdhub.standards.model import Catalogue, DataElement, Standard
from stdhub.vocab import Kind


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


def schema_for(
    catalogue: Catalogue, standard_id: str, record_id: str | None = None
) -> dict[str, Any]:
    """The Table Schema of `record_id` in `standard_id` (the only record when not given)."""
    standard = catalogue.standards.get(standard_id)
    if standard is None or standard.kind != Kind.DATA:
        raise UnknownRecord(f"没有数据标准 {standard_id}（no such data standard）")
    records = [r.id for r in standard.records]
    if record_id is None:
        if len(records) != 1:
            raise UnknownRecord(
                f"{standard_id} 有 {len(records)} 个记录结构，请指定一个：{', '.join(records) or '无'}"
            )
        record_id = records[0]
    record = next((r for r in standard.records if r.id == record_id), None)
    if record is None:
        known = ", ".join(r.id for r in standard.records) or "无"
        raise UnknownRecord(f"{standard.id} 中没有记录结构 {record_id}（有：{known}）")
    return table_schema(catalogue, standard, record)


def elements_by_name(catalogue: Catalogue, standard_ids: list[str]) -> dict[str, Conformed]:
    """Field name -> data element, over the standards a dataset conforms to (first wins)."""
    found: dict[str, Conformed] = {}
    for std_id in standard_ids:
        standard = catalogue.standards.get(std_id)
        if standard is None:
            continue
        for element in standard.data_elements:
            found.setdefault(field_name(element), Conformed(standard, element))
    return found


def differences(field: dict[str, Any], element: DataElement) -> list[str]:
    """How a Table Schema field departs from its data element (empty when it conforms)."""
    out = []
    expected_type = FIELD_TYPE[element.data_type]
    actual_type = field.get("type", "any")
    if actual_type != expected_type:
        out.append(f"类型是 {actual_type}，数据元规定为 {expected_type}（{element.data_type}）")
    declared = field.get("constraints") or {}
    for key, expected in constraints(element).items():
        actual = declared.get(key)
        if actual != expected:
            shown = "未设置" if actual is None else repr(actual)
            out.append(f"约束 {key} 为 {shown}，数据元规定为 {expected!r}")
    return out
