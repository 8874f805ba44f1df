"""Checking a CSV resource column by column with pyarrow, reporting what frictionless reports.

frictionless stays the judge of what is valid: every cell this engine is not certain
about is read by frictionless's own cell reader for its field (same type casting, same
constraint checks, same notes). The speed comes from asking it rarely:

- a column with few distinct values (codes, months, most counts) is judged once per
  distinct value, and the verdict is spread over the rows;
- a column with many distinct values is first screened by vectorised tests that only
  ever accept what frictionless accepts (e.g. `-?[0-9]{1,18}` for an integer, an RE2
  pattern match on printable ASCII); the rest goes to frictionless cell by cell;
- primary keys, `unique` and foreign keys are checked on whole columns (`keys`), with
  frictionless's rules (typed values compared; a key of only empty cells skipped).

Files this engine does not read the same way as frictionless (another header, other
dialects or field types: `unsupported()` says why; rows of the wrong length, blank lines
and rows: `check()` gives up) are left to frictionless; `tests/datasets/test_data_engines.py` holds the corpus of bad
rows on which both must report the same problems.
"""

from __future__ import annotations

import csv
import decimal
import io
import math
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from stdhub.datasets import keys, patterns
from stdhub.datasets.issues import NON_FINITE, Context, Issue, issue

UNIQUE_LIMIT = 50_000
ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.string(),
    "year": pa.int64(),
}
_CONSTRAINTS = {
    "required",
    "unique",
    "minLength",
    "maxLength",
    "pattern",
    "enum",
    "minimum",
    "maximum",
}
_VECTOR_TYPES = {"string", "integer", "number", "date"}
_FORMAT = {
    "integer": r"^-?[0-9]{1,18}$",
    "number": r"^-?[0-9]{1,9}(\.[0-9]{1,6})?$",  # at most 15 digits: exact as float64
    "date": r"^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$",
}
_DIALECT_KEYS = {
    "delimiter",
    "quoteChar",
    "doubleQuote",
    "header",
    "lineTerminator",
    "caseSensitiveHeader",
}


@dataclass
class Checked:
    """One resource after its data checks: what was found, and its columns for loading."""

    name: str
    rows: int
    issues: list[Issue]
    raw: dict[str, pa.Array] = field(default_factory=dict)  # cells as written
    typed: dict[str, pa.Array] = field(default_factory=dict)  # values to load
    engine: str = "columnar"
    kinds: dict[str, str] = field(default_factory=dict)  # field name -> Table Schema type
    distinct: dict[str, pa.Array] = field(default_factory=dict)  # distinct cells, where computed

    def distinct_cells(self, name: str) -> pa.Array:
        if name not in self.distinct:
            self.distinct[name] = pc.unique(self.raw[name])
        return self.distinct[name]


def unsupported(resource: dict[str, Any], raw: bytes) -> str | None:
    """Why this engine should leave the resource to frictionless (None: it can check it)."""
    if not isinstance(resource.get("path"), str) or "data" in resource:
        return "not a single file"
    if "bytes" in resource or "hash" in resource:
        return "declared size or hash"
    named = str(resource["path"]).lower().endswith((".tsv", ".xlsx", ".xls", ".ods"))
    if resource.get("format", "csv") != "csv" or ("format" not in resource and named):
        return "not CSV"
    if resource.get("encoding", "utf-8").lower().replace("_", "-") not in ("utf-8", "utf-8-sig"):
        return "not UTF-8"
    dialect = resource.get("dialect") or {}
    if set(dialect) - _DIALECT_KEYS or dialect.get("header") is False:
        return "dialect"
    schema = resource.get("schema")
    if not isinstance(schema, dict) or not schema.get("fields"):
        return "no schema (frictionless infers one)"
    for f in schema["fields"]:
        if not isinstance(f, dict) or not isinstance(f.get("name"), str):
            return "field without a name"
        if f.get("type", "any") not in ARROW_TYPES or f.get("format", "default") != "default":
            return f"field type {f.get('type')}/{f.get('format', 'default')}"
        if set(f) - {
            "name",
            "title",
            "description",
            "type",
            "format",
            "constraints",
            "example",
            "rdfType",
        }:
            return "field options"
        if not _plain_constraints(f):
            return "constraints"
    names = [f["name"] for f in schema["fields"]]
    if "" in names or len(set(names)) != len(names):
        return "blank or repeated field names"
    header = next(csv.reader(io.StringIO(raw[:65536].decode("utf-8-sig", "replace"))), [])
    if header != [f["name"] for f in schema["fields"]]:
        return "header differs from the schema"
    return None


_CONSTRAINT_TYPES: dict[str, type | tuple[type, ...]] = {
    "required": bool,
    "unique": bool,
    "minLength": int,
    "maxLength": int,
    "pattern": str,
    "enum": list,
    "minimum": (int, float, str),
    "maximum": (int, float, str),
}


def _plain_constraints(f: dict[str, Any]) -> bool:
    """Constraints this engine screens, each of the type it expects."""
    cons = f.get("constraints") or {}
    if not isinstance(cons, dict):
        return False
    for name, value in cons.items():
        if name not in _CONSTRAINT_TYPES or not isinstance(value, _CONSTRAINT_TYPES[name]):
            return False
        if isinstance(value, bool) and name not in ("required", "unique"):
            return False
        if name in ("minimum", "maximum") and isinstance(value, str) != (f.get("type") == "date"):
            return False
    return True


def _has_blank_rows(columns: list[pa.Array], missing_values: list[str]) -> bool:
    """Is any row missing in every cell? Narrowed column by column, so usually one pass."""
    values = pa.array(missing_values, pa.string())
    rows = None
    for col in columns:
        candidates = col if rows is None else col.take(rows)
        rows_here = pc.indices_nonzero(pc.is_in(candidates, value_set=values))
        rows = rows_here if rows is None else rows.take(rows_here)
        if not len(rows):
            return False
    return True


def _readers(schema: dict[str, Any]) -> dict[str, Any]:
    """frictionless's cell reader for each field, refusing what stdhub cannot publish as read."""
    from frictionless import Schema

    fl = Schema.from_descriptor(schema)
    return {
        f.name: finite(f.create_cell_reader()) if f.type == "number" else f.create_cell_reader()
        for f in fl.fields
    }


def finite(reader: Any) -> Any:
    """A number reader that refuses NaN and infinities (`NaN`, `INF`, `-INF`, `1e400`).

    frictionless accepts them, but SQLite stores NaN as NULL and JSON has no way to write
    either: one policy everywhere, refused at validate as a type error naming the row.
    """

    def read(cell: Any) -> tuple[Any, dict[str, str]]:
        try:
            value, notes = reader(cell)
        except decimal.InvalidOperation:  # `sNaN`: frictionless's bound check raises
            return None, {"type": NON_FINITE}
        if value is not None and not notes and not math.isfinite(float(value)):
            return None, {"type": NON_FINITE}
        return value, notes

    return read


def _arrow_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "number":
        return float(value)
    if kind == "date":
        return value.isoformat()
    return value


def read(resource: dict[str, Any], raw: bytes) -> pa.Table:
    """The whole file as string columns, cells exactly as written ('' stays '')."""
    dialect = resource.get("dialect") or {}
    names = [f["name"] for f in resource["schema"]["fields"]]
    parse = pacsv.ParseOptions(
        delimiter=dialect.get("delimiter", ","),
        quote_char=dialect.get("quoteChar", '"'),
        double_quote=dialect.get("doubleQuote", True),
        newlines_in_values=b'"' in raw,
        ignore_empty_lines=False,  # a blank line fails the read: frictionless reports it
    )
    convert = pacsv.ConvertOptions(
        column_types={n: pa.string() for n in names},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    source = pa.BufferReader(pa.py_buffer(raw))
    return pacsv.read_csv(source, parse_options=parse, convert_options=convert)


def check(
    resource: dict[str, Any],
    ctx: Context,
    raw: bytes,
    lookups: dict[str, Checked],
) -> Checked | None:
    """Check one resource; None when the file turns out to need frictionless after all."""
    try:
        table = read(resource, raw)
    except pa.ArrowInvalid:  # rows of the wrong length, and the like
        return None
    schema = resource["schema"]
    fields = schema["fields"]
    missing_values = schema.get("missingValues", [""])
    n = table.num_rows
    raw_cols = {f["name"]: table.column(f["name"]).combine_chunks() for f in fields}
    if n and fields and _has_blank_rows([raw_cols[f["name"]] for f in fields], missing_values):
        return None  # frictionless reports a blank row alone: let it
    readers = _readers(schema)
    issues: list[Issue] = []
    typed: dict[str, pa.Array] = {}
    distinct: dict[str, pa.Array] = {}
    for number, f in enumerate(fields, start=1):
        col = raw_cols[f["name"]]
        uniques = pc.unique(col)
        distinct[f["name"]] = uniques
        try:
            typed[f["name"]] = _check_field(
                col, uniques, f, number, readers[f["name"]], missing_values, ctx, issues
            )
        except (OverflowError, TypeError, ValueError, pa.ArrowInvalid):
            return None  # e.g. an integer beyond 64 bits, an odd constraint: frictionless judges
    kinds = _field_types(schema)
    lookup = {name: (c.typed, c.kinds) for name, c in lookups.items()}
    issues += keys.unique_fields(fields, raw_cols, typed, ctx)
    issues += keys.primary_key(schema, raw_cols, typed, kinds, ctx)
    issues += keys.foreign_keys(resource, raw_cols, typed, kinds, lookup, ctx)
    return Checked(resource["name"], n, issues, raw_cols, typed, kinds=kinds, distinct=distinct)


def _check_field(
    col: pa.Array,
    uniques: pa.Array,
    f: dict[str, Any],
    number: int,
    reader: Any,
    missing_values: list[str],
    ctx: Context,
    issues: list[Issue],
) -> pa.Array:
    kind = f.get("type", "any")
    if len(uniques) <= UNIQUE_LIMIT or kind not in _VECTOR_TYPES:
        return _by_distinct_value(col, uniques, f, number, reader, ctx, issues)
    return _by_screening(col, f, number, reader, missing_values, ctx, issues)


def _notes_to_issues(ctx, f, number, row, cell, notes, issues) -> None:
    for name, note in notes.items():
        kind = "type-error" if name == "type" else "constraint-error"
        it = issue(ctx, kind, row=row, field=f["name"], field_number=number, cell=cell, note=note)
        if it:
            issues.append(it)


def _by_distinct_value(col, uniques, f, number, reader, ctx, issues) -> pa.Array:
    kind = f.get("type", "any")
    values = uniques.to_pylist()
    typed_values = []
    bad: dict[str, dict[str, str]] = {}
    for v in values:
        value, notes = reader(v)
        typed_values.append(_arrow_value(value, kind))
        if notes:
            bad[v] = notes
    if kind == "string":  # the values are the cells; only missing ones become null
        empty = pc.is_null(pa.array(typed_values, pa.string()))
        gone = uniques.filter(empty)
        typed = col if not len(gone) else pc.if_else(pc.is_in(col, value_set=gone), None, col)
    else:
        typed = pc.take(
            pa.array(typed_values, ARROW_TYPES[kind]), pc.index_in(col, value_set=uniques)
        )
    if bad:
        mask = pc.is_in(col, value_set=pa.array(list(bad), pa.string()))
        rows = pc.indices_nonzero(mask).to_pylist()
        cells = col.take(pa.array(rows, pa.int64())).to_pylist() if rows else []
        for i, cell in zip(rows, cells, strict=True):
            _notes_to_issues(ctx, f, number, i + 2, cell, bad[cell], issues)
    return typed


def _screen(col: pa.Array, f: dict[str, Any]) -> tuple[pa.Array, pa.Array]:
    """(cells certainly valid, typed values where they are): never accepts what frictionless rejects."""
    kind = f["type"]
    cons = f.get("constraints") or {}
    if kind in _FORMAT:
        ok = pc.match_substring_regex(col, _FORMAT[kind])
        if kind == "date":
            parsed = pc.strptime(
                pc.if_else(ok, col, None), format="%Y-%m-%d", unit="s", error_is_null=True
            )
            # arrow's strptime rolls 2021-02-30 over to March: a date is only certain if it round-trips
            ok = pc.and_(ok, pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), col))
            typed = pc.if_else(ok, col, None)
        else:
            typed = pc.cast(pc.if_else(ok, col, None), ARROW_TYPES[kind])
    else:
        ok = pa.array([True] * len(col), pa.bool_()) if len(col) else pa.array([], pa.bool_())
        typed = col
    ok = pc.fill_null(ok, False)
    if kind == "string":
        lengths = pc.utf8_length(col)
        if "minLength" in cons:
            ok = pc.and_(ok, pc.greater_equal(lengths, cons["minLength"]))
        if "maxLength" in cons:
            ok = pc.and_(ok, pc.less_equal(lengths, cons["maxLength"]))
        if "pattern" in cons:
            ok = pc.and_(ok, _pattern_screen(col, cons["pattern"]))
    for name, compare in (("minimum", pc.greater_equal), ("maximum", pc.less_equal)):
        if name in cons:
            bound = cons[name]
            ok = pc.and_(
                ok,
                pc.fill_null(
                    compare(typed, pa.scalar(bound if kind == "date" else float(bound))), False
                ),
            )
    if "enum" in cons:
        ok = pc.and_(
            ok,
            pc.fill_null(pc.is_in(col, value_set=pa.array([str(v) for v in cons["enum"]])), False),
        )
    return ok, typed


def _pattern_screen(col: pa.Array, pattern: str) -> pa.Array:
    """RE2 agrees with Python's `re` on printable ASCII; anything else goes to frictionless."""
    try:
        matched = pc.match_substring_regex(col, rf"\A(?:^{patterns.inner(pattern)}$)\z")
    except pa.ArrowInvalid:  # a pattern RE2 cannot compile (lookaround, backreference)
        return pc.equal(pc.utf8_length(col), -1)
    ascii_ = pc.match_substring_regex(col, r"^[\x20-\x7e]*$")
    return pc.and_(matched, ascii_)


def _by_screening(col, f, number, reader, missing_values, ctx, issues) -> pa.Array:
    kind = f["type"]
    missing = pc.is_in(col, value_set=pa.array(missing_values, pa.string()))
    ok, typed = _screen(col, f)
    required = bool((f.get("constraints") or {}).get("required"))
    suspect = pc.or_(
        pc.and_(pc.invert(missing), pc.invert(ok)), pc.and_(missing, pa.scalar(required))
    )
    typed = pc.if_else(missing, pa.scalar(None, typed.type), typed)
    rows = pc.indices_nonzero(suspect).to_pylist()
    if not rows:
        return typed
    patched: dict[int, Any] = {}
    for i, cell in zip(rows, col.take(pa.array(rows, pa.int64())).to_pylist(), strict=True):
        value, notes = reader(cell)
        if notes:
            _notes_to_issues(ctx, f, number, i + 2, cell, notes, issues)
        patched[i] = _arrow_value(value, kind)
    values = typed.to_pylist()
    for i, v in patched.items():
        values[i] = v
    return pa.array(values, ARROW_TYPES[kind])


def _field_types(schema: dict[str, Any]) -> dict[str, str]:
    return {f["name"]: f.get("type", "any") for f in schema["fields"]}
