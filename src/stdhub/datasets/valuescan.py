"""Scans over the cells as written: personal data in every column, codes outside a list.

Both run on each column's distinct values (a code or a month repeats over thousands of
rows), then name the rows that hold a hit. The descriptor of every dataset is screened
too (`screen_descriptor`): its texts are published even when its rows are not.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from stdhub.datasets.columnar import Checked
from stdhub.datasets.descriptor import Package
from stdhub.datasets.issues import Issue, looks_like_number_for
from stdhub.personal import columns, exceptions, screen
from stdhub.problems import Report
from stdhub.standards.formats import ENUM_LIMIT  # larger closed lists are checked here
from stdhub.standards.model import CodeList

LIMIT = 1000  # distinct cells with personal data looked for per column: enough to say where


def _rows_with(col: pa.Array, values: list[str]) -> list[int]:
    mask = pc.is_in(col, value_set=pa.array(values, pa.string()))
    return pc.indices_nonzero(mask).to_pylist()


def screen_descriptor(
    package: Package, report: Report, *, published: bool
) -> exceptions.Exceptions:
    """Personal data in the descriptor's texts (errors), its reviewed exceptions (P006 when
    malformed), and fields named like personal data in a published dataset (P005)."""
    fields = {
        str(r.get("name", i)): [f.get("name") or "" for f in _fields(r)]
        for i, r in enumerate(package.resources)
    }
    declared, problems = exceptions.read(package.data, fields)
    for path, message in problems:
        package.add(report, "P006", message, *path)
    skip = {(exceptions.KEY, "allow")}
    screen.screen_tree(
        package.data,
        lambda path: package.where(*path),
        package.display,
        report,
        allowed=lambda path, hit: path[:2] in skip or declared.permits(hit),
    )
    if published:
        for i, r in enumerate(package.resources):
            for j, f in enumerate(_fields(r)):
                word = exceptions.personal_like(f)
                if word and not declared.is_contact(str(r.get("name", i)), str(f.get("name"))):
                    package.add(
                        report,
                        "P005",
                        f"无条件开放的数据集中，字段 `{f.get('name')}` 的名称或说明含“{word}”",
                        "resources", i, "schema", "fields", j,
                    )  # fmt: skip
    return declared


def _fields(resource: dict[str, Any]) -> list[dict[str, Any]]:
    schema = resource.get("schema")
    fields = schema.get("fields") if isinstance(schema, dict) else None
    return [f for f in fields if isinstance(f, dict)] if isinstance(fields, list) else []


def scan_personal(
    checked: Checked, fields: list[dict[str, Any]], declared: exceptions.Exceptions
) -> list[Issue]:
    """Every column whatever its declared type, by content: ID, mobile and bank card numbers."""
    out: list[Issue] = []
    for number, f in enumerate(fields, start=1):
        if f["name"] not in checked.raw:
            continue
        col = checked.raw[f["name"]]
        hits = screen.screen_values(
            checked.distinct_cells(f["name"]),
            keep=lambda hit, name=f["name"]: not declared.permits(hit, checked.name, name),  # type: ignore[misc]
            limit=LIMIT,
            fits=columns.element_fit(f),  # a declared element narrows, never silences
        )
        if not hits:
            continue
        for i in _rows_with(col, list(hits)):
            found = hits[col[i].as_py()]
            message = f"资源 {checked.name} 第 {i + 2} 行 {f['name']} 列含{screen.describe(found)}"
            out.append(Issue(i + 2, number, f["name"], found[0].kind, message))
    return out


def scan_codes(
    checked: Checked,
    fields: list[dict[str, Any]],
    code_lists: dict[str, CodeList],
    missing_values: list[str],
) -> list[Issue]:
    """Deprecated codes (any list) and codes missing from an open list: one warning per code;
    codes missing from a closed list too large for an `enum`: D013 on each row."""
    out: list[Issue] = []
    for number, f in enumerate(fields, start=1):
        cl = code_lists.get(f["name"])
        if cl is None or f["name"] not in checked.raw:
            continue
        col = checked.raw[f["name"]]
        listed = {c.code: c for c in cl.codes}
        for value in checked.distinct_cells(f["name"]).to_pylist():
            if value in missing_values:
                continue
            code = listed.get(value)
            if code is not None and code.is_deprecated:
                rows = _rows_with(col, [value])
                since = (code.deprecated or {}).get("since", "")
                message = f"代码 “{value}”（{code.name}）自 {since} 起停用，仍有 {len(rows)} 行使用"
                out.append(Issue(rows[0] + 2, number, f["name"], "Q003", message))
            elif code is None and cl.closed and len(cl.codes) > ENUM_LIMIT:
                message = f"代码 “{value}” 不在代码集 {cl.id}（{cl.title}）中"
                as_number = looks_like_number_for(value, listed.__contains__)
                out += [
                    Issue(i + 2, number, f["name"], "D013", message, as_number)
                    for i in _rows_with(col, [value])
                ]
            elif code is None and not cl.closed:
                rows = _rows_with(col, [value])
                message = (
                    f"代码 “{value}” 不在开放代码集 {cl.id}（{cl.title}）中，共 {len(rows)} 行"
                )
                out.append(Issue(rows[0] + 2, number, f["name"], "Q006", message))
    return out
