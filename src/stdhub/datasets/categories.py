"""Data Package v2 `categories` as code lists: a field's categories (values, or
`{value, label}` objects) are checked like a closed code list (a value outside them is
D013 at its row) and published like one, so Datasette labels and facets the column and
the dataset page lists the categories."""

from __future__ import annotations

from typing import Any

from stdhub.datasets.descriptor import Package
from stdhub.standards.model import Code, CodeList


def list_id(resource: str, field: str) -> str:
    """The code list (and SQLite table) of a field's categories: `<resource>.<field>`."""
    return f"{resource}.{field}"


def values(f: dict[str, Any]) -> list[Any] | None:
    """The category values of a field as written (JSON values), None without categories."""
    found = f.get("categories")
    if not isinstance(found, list) or not found:
        return None
    return [c.get("value") if isinstance(c, dict) else c for c in found]


def code_lists(package: Package) -> dict[str, dict[str, CodeList]]:
    """resource name -> field name -> the code list of its categories."""
    out: dict[str, dict[str, CodeList]] = {}
    for r in package.resources:
        schema = r.get("schema")
        fields = schema.get("fields") if isinstance(schema, dict) else None
        for f in fields if isinstance(fields, list) else []:
            if not isinstance(f, dict) or not isinstance(f.get("name"), str) or not values(f):
                continue
            codes = [
                Code(_text(c.get("value")), _text(c.get("label") or c.get("value")))
                if isinstance(c, dict)
                else Code(_text(c), _text(c))
                for c in f["categories"]
            ]
            title = f"{f.get('title') or f['name']}的分类（categories）"
            cl = CodeList(list_id(str(r.get("name")), f["name"]), title, codes, source="categories")
            out.setdefault(str(r.get("name")), {})[f["name"]] = cl
    return out


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"  # as SQLite stores a boolean
    return str(value)
