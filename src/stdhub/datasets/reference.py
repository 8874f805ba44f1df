"""Checking a package with frictionless itself: the reference for what is valid.

Used for whatever the columnar engine leaves (other formats and dialects, inferred
schemas, rows of the wrong length, blank lines, header mismatches) and, in the tests, as
the judge the columnar engine must agree with. Its errors become the same Issues.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from pathlib import Path
from typing import Any

import pyarrow as pa

from stdhub.datasets import published
from stdhub.datasets.columnar import ARROW_TYPES, Checked
from stdhub.datasets.issues import INCOMPLETE_DATE, NON_FINITE, Context, Issue, issue

LIMIT_ERRORS = 100_000


def _inlined(resource: dict[str, Any], inline: dict[str, list[list[str]]]) -> dict[str, Any]:
    if resource.get("name") not in inline:
        return resource
    dropped = ("path", "format", "encoding", "mediatype", "compression")
    return {
        **{k: v for k, v in resource.items() if k not in dropped},
        "data": inline[resource["name"]],
    }


def _error_issue(
    error: Any, ctx: Context, schema: dict[str, Any], resource_name: str, header: int = 1
) -> Issue | None:
    """`header`: the row of the (first) header row, where header problems are placed."""
    error_type = error.type
    row = getattr(error, "row_number", None)
    names = [f["name"] for f in schema.get("fields", [])]
    cells = list(getattr(error, "cells", None) or [])

    def raw(field_name: str) -> str:
        i = names.index(field_name) if field_name in names else -1
        return cells[i] if 0 <= i < len(cells) else ""

    if error_type == "primary-key":
        pk = schema.get("primaryKey") or []
        pk = [pk] if isinstance(pk, str) else pk
        return issue(
            ctx,
            error_type,
            row=row,
            field=", ".join(pk),
            cell=", ".join(raw(k) for k in pk),
            note=error.note,
        )
    if error_type == "foreign-key":
        fields = list(error.field_names)
        target = error.reference_name or resource_name
        where = f"{target}.{', '.join(error.reference_field_names)}"
        return issue(
            ctx,
            error_type,
            row=row,
            field=", ".join(fields),
            values=[raw(f) for f in fields],
            reference=where,
        )
    if error_type in (
        "incorrect-label",
        "missing-label",
        "extra-label",
        "duplicate-label",
        "blank-label",
    ):
        expected = getattr(error, "field_name", "") or ""
        return issue(
            ctx,
            error_type,
            row=header,
            field=expected,
            field_number=error.field_number,
            cell=error.label,
            note=error.note,
        )
    return issue(
        ctx,
        error_type,
        row=row,
        field=getattr(error, "field_name", "") or "",
        field_number=getattr(error, "field_number", None),
        cell=getattr(error, "cell", None),
        note=getattr(error, "note", ""),
    )


_TYPED = frozenset(ARROW_TYPES)  # loaded as typed values; the others as written


def _value(value: Any, kind: str, cell: Any) -> Any:
    """What to load: typed values for SQLite's own types, else the cell as written."""
    return published.stored(value, kind, cell, typed=_TYPED)


def check_package(
    folder: Path,
    descriptor: dict[str, Any],
    contexts: dict[str, Context],
    *,
    read: bool = True,
    inline: dict[str, list[list[str]]] | None = None,
) -> dict[str, Checked]:
    """Validate every resource with frictionless; read the rows of the valid ones.

    `inline`: the rows to check in place of a resource's file (a sheet's cells as text,
    read by `sheets`), by resource name.
    """
    from frictionless import FrictionlessException, Package

    if inline:
        descriptor = {
            **descriptor,
            "resources": [_inlined(r, inline) for r in descriptor["resources"]],
        }
    try:
        package = Package(descriptor, basepath=str(folder))
        report = package.validate(limit_errors=LIMIT_ERRORS)
    except Exception as exc:  # frictionless fails in its own ways on odd descriptors
        detail = (
            exc.error.message
            if isinstance(exc, FrictionlessException)
            else f"{type(exc).__name__}: {exc}"
        )
        message = f"frictionless 无法校验：{detail}"
        return {
            r["name"]: Checked(
                r["name"], 0, [Issue(0, 0, "", "D017", message)], engine="frictionless"
            )
            for r in descriptor["resources"]
        }
    out: dict[str, Checked] = {}
    for resource, task in zip(package.resources, report.tasks, strict=True):
        ctx = contexts[resource.name]
        schema = resource.schema.to_descriptor() if resource.schema else {"fields": []}
        header = resource.dialect.header_rows[0] if resource.dialect.header_rows else 1
        issues = [_error_issue(e, ctx, schema, resource.name, header) for e in task.errors]
        checked = Checked(
            resource.name,
            task.stats.get("rows") or 0,
            [i for i in issues if i],
            engine="frictionless",
        )
        if read:  # also when invalid: the cells as written are screened for personal data
            # KeyError: a field the header does not have (reported above as a label error)
            with contextlib.suppress(
                FrictionlessException, UnicodeError, OSError, ValueError, KeyError
            ):
                _read_rows(resource, checked, ctx)  # unreadable: its errors above say why
        out[resource.name] = checked
    return out


def _refused(value: Any, kind: str, fmt: str, cell: Any) -> str | None:
    """stdhub's note on a value frictionless accepted but stdhub cannot publish as written:
    a NaN or infinite number, or a date `format: any` completed from today's date."""
    if value is None:
        return None
    if kind == "number" and isinstance(value, float) and not math.isfinite(value):
        return NON_FINITE
    if kind in ("date", "datetime") and fmt == "any" and isinstance(cell, str):
        from dateutil import parser

        try:
            one = parser.parse(cell, default=dt.datetime(2000, 1, 1))
            other = parser.parse(cell, default=dt.datetime(2001, 2, 2))
        except (ValueError, OverflowError):
            return None
        if one.date() != other.date():  # a time of day left out is midnight, not today's
            return INCOMPLETE_DATE
    return None


def _read_rows(resource: Any, checked: Checked, ctx: Context) -> None:
    if not hasattr(resource, "read_rows") or resource.schema is None:
        return  # not a table (frictionless reported what it is)
    fields = [(f.name, f.type) for f in resource.schema.fields]
    formats = {f.name: f.format for f in resource.schema.fields}
    typed: dict[str, list[Any]] = {name: [] for name, _ in fields}
    raw: dict[str, list[str]] = {name: [] for name, _ in fields}
    present: dict[str, int] | None = None
    for row in resource.read_rows():
        # the row's fields are those its header has (a CSV may leave out columns of its
        # schema), in the order of its cells: the same for every row
        if present is None:
            present = {n: j for j, n in enumerate(row.field_names)}
        for i, (name, kind) in enumerate(fields):
            j = present.get(name)
            cell = row.cells[j] if j is not None and j < len(row.cells) else ""
            value = _value(row[name] if j is not None else None, kind, cell)
            refused = _refused(value, kind, formats[name], cell)
            if refused:
                found = issue(
                    ctx,
                    "type-error",
                    row=row.row_number,
                    field=name,
                    field_number=i + 1,
                    cell=cell,
                    note=refused,
                )
                if found is not None:
                    checked.issues.append(found)
                value = None
            typed[name].append(value)
            raw[name].append(str(cell))
    checked.kinds = dict(fields)
    checked.rows = len(next(iter(typed.values()), []))
    checked.typed = {}
    for number, (name, kind) in enumerate(fields, start=1):
        try:
            checked.typed[name] = pa.array(typed[name], ARROW_TYPES.get(kind, pa.string()))
        except (OverflowError, pa.ArrowInvalid, pa.ArrowTypeError):
            row = next(
                i for i, v in enumerate(typed[name]) if isinstance(v, int) and abs(v) >= 2**63
            )
            message = f"“{raw[name][row]}” 超出数据库能存的整数范围（±9223372036854775807）"
            checked.issues.append(Issue(row + 2, number, name, "D009", message))
            checked.typed[name] = pa.array(raw[name], pa.string())
    checked.raw = {name: pa.array(values, pa.string()) for name, values in raw.items()}
