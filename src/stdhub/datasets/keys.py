"""Keys checked on whole columns: primary keys, `unique` fields, foreign keys.

frictionless's rules: typed values are compared (`1` and `01` are the same integer), a
key whose cells are all empty is skipped, and a repeat names the previous row with the
same key. Each finding is described in frictionless's terms and becomes an Issue.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from stdhub.datasets.issues import Context, Issue, issue

_SENTINEL = "\x00∅"
Columns = dict[str, pa.Array]


def key_strings(columns: list[pa.Array], kinds: list[str]) -> pa.Array:
    """One comparable text per row for a (composite) key of typed values; nulls kept apart."""
    parts = []
    for col, kind in zip(columns, kinds, strict=True):
        prefix = "n:" if kind in ("integer", "number", "year") else f"{kind[:1]}:"
        text = pc.cast(col, pa.string()) if col.type != pa.string() else col
        parts.append(pc.fill_null(pc.binary_join_element_wise(prefix, text, ""), _SENTINEL))
    if len(parts) == 1:
        return parts[0]
    return pc.binary_join_element_wise(*parts, "\x1f")


def _all_null(columns: list[pa.Array]) -> pa.Array:
    out = pc.is_null(columns[0])
    for c in columns[1:]:
        out = pc.and_(out, pc.is_null(c))
    return out


def _duplicates(keys: pa.Array, skip: pa.Array) -> list[tuple[int, int]]:
    """(row index, index of the previous row with the same key) for every repeat."""
    keys = pc.if_else(skip, None, keys)
    counts = pc.value_counts(keys.drop_null() if keys.null_count else keys)
    if not len(counts) or pc.max(counts.field("counts")).as_py() <= 1:
        return []
    repeated = counts.filter(pc.greater(counts.field("counts"), 1)).field("values")
    rows = pc.indices_nonzero(pc.fill_null(pc.is_in(keys, value_set=repeated), False)).to_pylist()
    seen: dict[str, int] = {}
    out = []
    for i, k in zip(rows, keys.take(pa.array(rows, pa.int64())).to_pylist(), strict=True):
        if k in seen:
            out.append((i, seen[k]))
        seen[k] = i
    return out


def unique_fields(
    fields: list[dict[str, Any]], raw_cols: Columns, typed: Columns, ctx: Context
) -> list[Issue]:
    issues: list[Issue | None] = []  # issue() is None for what stdhub does not report
    for number, f in enumerate(fields, start=1):
        if not (f.get("constraints") or {}).get("unique"):
            continue
        col = typed[f["name"]]
        keys = key_strings([col], [f["type"]])
        for i, prev in _duplicates(keys, pc.is_null(col)):
            cell = raw_cols[f["name"]][i].as_py()
            issues.append(
                issue(
                    ctx,
                    "unique-error",
                    row=i + 2,
                    field=f["name"],
                    field_number=number,
                    cell=cell,
                    same_as=prev + 2,
                )
            )
    return [i for i in issues if i is not None]


def _certainly_unique(columns: list[pa.Array]) -> bool:
    """The fast answer for the usual case: number each column's values, combine, count."""
    combined: pa.Array | None = None
    size = 1
    for col in columns:
        values = pc.unique(col)
        size *= len(values) + 1
        if size >= 2**62:
            return False
        codes = pc.cast(pc.index_in(col, value_set=values, skip_nulls=False), pa.int64())
        combined = (
            codes if combined is None else pc.add(pc.multiply(combined, len(values) + 1), codes)
        )
    assert combined is not None  # at least one column
    keys = combined.filter(pc.invert(_all_null(columns)))
    return pc.count_distinct(keys).as_py() == len(keys)


def primary_key(
    schema: dict[str, Any], raw_cols: Columns, typed: Columns, kinds: dict[str, str], ctx: Context
) -> list[Issue]:
    pk = schema.get("primaryKey")
    if not pk:
        return []
    pk = [pk] if isinstance(pk, str) else list(pk)
    cols = [typed[k] for k in pk]
    if _certainly_unique(cols):
        return []
    issues: list[Issue | None] = []  # issue() is None for what stdhub does not report
    keys = key_strings(cols, [kinds[k] for k in pk])
    for i, prev in _duplicates(keys, _all_null(cols)):
        cell = ", ".join(str(raw_cols[k][i].as_py()) for k in pk)
        issues.append(
            issue(ctx, "primary-key", row=i + 2, field=", ".join(pk), cell=cell, same_as=prev + 2)
        )
    return [i for i in issues if i is not None]


def foreign_keys(
    resource: dict[str, Any],
    raw_cols: Columns,
    typed: Columns,
    kinds: dict[str, str],
    lookups: dict[str, tuple[Columns, dict[str, str]]],
    ctx: Context,
) -> list[Issue]:
    """Each row's key must be among the referenced resource's (already checked) typed keys."""
    issues: list[Issue | None] = []  # issue() is None for what stdhub does not report
    for fk in resource["schema"].get("foreignKeys") or []:
        fields = [fk["fields"]] if isinstance(fk["fields"], str) else list(fk["fields"])
        ref = fk["reference"]
        ref_fields = [ref["fields"]] if isinstance(ref["fields"], str) else list(ref["fields"])
        target = ref.get("resource") or resource["name"]
        if target == resource["name"]:
            ref_cols, ref_kinds = typed, kinds
        elif target in lookups:
            ref_cols, ref_kinds = lookups[target]
        else:
            continue  # the referenced resource could not be read: reported there
        cols = [typed[k] for k in fields]
        keys = key_strings(cols, [kinds[k] for k in fields])
        ref_keys = key_strings(
            [ref_cols[k] for k in ref_fields], [ref_kinds[k] for k in ref_fields]
        )
        found = pc.is_in(keys, value_set=pc.unique(ref_keys))
        bad = pc.and_(pc.invert(found), pc.invert(_all_null(cols)))
        for i in pc.indices_nonzero(bad).to_pylist():
            values = [raw_cols[k][i].as_py() for k in fields]
            where = f"{target}.{', '.join(ref_fields)}"
            issues.append(
                issue(
                    ctx,
                    "foreign-key",
                    row=i + 2,
                    field=", ".join(fields),
                    values=values,
                    reference=where,
                )
            )
    return [i for i in issues if i is not None]
