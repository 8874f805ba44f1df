"""Scans over the cells as written: personal data in text columns, codes outside a list.

Both run on each column's distinct values (a code or a month repeats over thousands of
rows), then name the rows that hold a hit.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from stdhub.datasets import personal
from stdhub.datasets.columnar import Checked
from stdhub.datasets.issues import Issue
from stdhub.standards.formats import ENUM_LIMIT  # larger closed lists are checked here
from stdhub.standards.model import CodeList


def _rows_with(col: pa.Array, values: list[str]) -> list[int]:
    mask = pc.is_in(col, value_set=pa.array(values, pa.string()))
    return pc.indices_nonzero(mask).to_pylist()


def scan_personal(checked: Checked, fields: list[dict[str, Any]]) -> list[Issue]:
    """Every text column, by content: ID numbers, mobile numbers, bank card numbers."""
    out: list[Issue] = []
    for number, f in enumerate(fields, start=1):
        if f.get("type", "any") not in ("string", "any") or f["name"] not in checked.raw:
            continue
        col = checked.raw[f["name"]]
        uniques = checked.distinct_cells(f["name"])
        candidates = uniques.filter(pc.match_substring_regex(uniques, personal.PREFILTER))
        hits = personal.scan(candidates.to_pylist())
        if not hits:
            continue
        for i in _rows_with(col, list(hits)):
            value = col[i].as_py()
            kind = hits[value]
            what = personal.KIND_NAMES[kind]
            message = f"资源 {checked.name} 第 {i + 2} 行 {f['name']} 列含疑似{what}：{personal.mask(value)}"
            out.append(Issue(i + 2, number, f["name"], kind, message))
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
                out += [
                    Issue(i + 2, number, f["name"], "D013", message)
                    for i in _rows_with(col, [value])
                ]
            elif code is None and not cl.closed:
                rows = _rows_with(col, [value])
                message = (
                    f"代码 “{value}” 不在开放代码集 {cl.id}（{cl.title}）中，共 {len(rows)} 行"
                )
                out.append(Issue(rows[0] + 2, number, f["name"], "Q006", message))
    return out
