"""Time-aware codes: is each code valid in the period its row is about?

A code list may say when a code came into use (`valid_from`) and when it stopped
(`deprecated.since`, with `replaced_by` and the reason, e.g. 撤县设市). A resource says
which field holds the period a row is about: the field named by `period_field` in the
resource, or else a field whose data element is marked `period: true` in its standard
(e.g. 统计月份 stat_month). Without one, the package's `temporal` range stands for every
row. A code used for a period on or after its abolition is an error (D025) naming its
successor and the date; one used before it came into use is a warning (Q009: the dates
of changes are often known only roughly); a 2016 row for 430124 宁乡县 is right. Codes missing from the list are left to the list check (D013).
"""

from __future__ import annotations

import re
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from stdhub.datasets.columnar import Checked
from stdhub.datasets.conformance import Conformance
from stdhub.datasets.issues import Issue
from stdhub.standards.divisions import KINDS
from stdhub.standards.model import Code, CodeList

_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def period_bounds(value: str) -> tuple[str, str] | None:
    """First and last day of a period as ISO strings that compare as dates:
    `2016` -> (`2016-01-01`, `2016-12-99`), `2016-05` -> (`2016-05-01`, `2016-05-99`),
    `2016-05-03` (or a datetime) -> that day twice; None when it is not a period."""
    m = _PERIOD.match(value.strip())
    if m is None:
        return None
    year, month, day = m.groups()
    if day:
        return (f"{year}-{month}-{day}",) * 2
    if month:
        return f"{year}-{month}-01", f"{year}-{month}-99"
    return f"{year}-01-01", f"{year}-12-99"


def period_field(resource: dict[str, Any], conformance: Conformance) -> str | None:
    """The field holding the period a row is about, if the resource has one."""
    declared = resource.get("period_field")
    if isinstance(declared, str) and declared:
        return declared
    for name, conformed in conformance.elements.get(resource.get("name", ""), {}).items():
        if getattr(conformed.element, "period", False):
            return name
    return None


def _timed(cl: CodeList) -> dict[str, Code]:
    return {c.code: c for c in cl.codes if c.deprecated or c.valid_from}


def _named(cl: CodeList, code: str) -> str:
    successor = cl.code(code)
    return f"{code} {successor.name}" if successor is not None else code


def message(code: Code, cl: CodeList, period: str) -> str:
    """`430124 宁乡县已于 2017 年撤县设市，请改用 430182 宁乡市（停用日期 2017-04-10，本行数据所属
    时期 2025-12）`, every successor named (a split has several: `请按本行所在地域改用 A 或 B`);
    a reason that is not a kind of division change is quoted after the date."""
    d = code.deprecated or {}
    since, reason = d.get("since", ""), d.get("reason", "")
    if reason in KINDS:
        said = f"{code.code} {code.name}已于 {since[:4]} 年{reason}"
    else:
        said = f"{code.code} {code.name}自 {since} 起停用" + (
            f"（{reason.rstrip('。')}）" if reason else ""
        )
    successors = d.get("replaced_by", "").split()
    named = [_named(cl, c) for c in successors]
    if len(named) == 1:
        said += f"，请改用 {named[0]}"
    elif named:
        said += f"，请按本行所在地域改用 {'、'.join(named[:-1])}或 {named[-1]}"
    dated = f"停用日期 {since}，" if reason in KINDS else ""
    return f"{said}（{dated}本行数据所属时期 {period}）"


def scan(
    checked: Checked,
    fields: list[dict[str, Any]],
    code_lists: dict[str, CodeList],
    period: str | None,
    temporal: Any,
) -> tuple[list[Issue], set[str]]:
    """D025 and Q009 issues, and the fields judged by period (their deprecated codes need
    no Q003)."""
    whole = _temporal_bounds(temporal) if period is None or period not in checked.raw else None
    if period is not None and period in checked.raw:
        col = checked.raw[period]
        starts, ends = _bounds_columns(checked.distinct_cells(period), col)
    elif whole is not None:
        starts = ends = None
    else:
        return [], set()
    out: list[Issue] = []
    judged: set[str] = set()
    for number, f in enumerate(fields, start=1):
        cl = code_lists.get(f["name"])
        if cl is None or f["name"] not in checked.raw:
            continue
        judged.add(f["name"])
        timed = _timed(cl)
        if not timed:
            continue
        values = checked.raw[f["name"]]
        for value in checked.distinct_cells(f["name"]).to_pylist():
            code = timed.get(value)
            if code is None:
                continue
            rows = pc.equal(values, value)
            since = (code.deprecated or {}).get("since")
            for bound, limit, after in ((starts, since, True), (ends, code.valid_from, False)):
                if not limit:
                    continue
                if bound is None:  # the package's temporal range stands for each row
                    assert whole is not None
                    hit = whole[0] >= limit if after else whole[1] < limit
                    mask = rows if hit else None
                else:
                    test = pc.greater_equal(bound, limit) if after else pc.less(bound, limit)
                    mask = pc.and_kleene(rows, test)
                if mask is None:
                    continue
                for i in pc.indices_nonzero(mask).to_pylist():
                    shown = (
                        checked.raw[period][i].as_py()
                        if bound is not None and period is not None
                        else "{start}—{end}（数据集的 temporal）".format(**temporal)
                    )
                    text = (
                        message(code, cl, shown)
                        if after
                        else f"{code.code} {code.name}自 {limit} 起才启用，本行数据所属时期 {shown} 在此之前"
                    )
                    out.append(Issue(i + 2, number, f["name"], "D025" if after else "Q009", text))
    return out, judged


def _bounds_columns(distinct: pa.Array, col: pa.Array) -> tuple[pa.Array, pa.Array]:
    values = distinct.to_pylist()
    bounds = [period_bounds(v) if isinstance(v, str) else None for v in values]
    index = pc.index_in(col, value_set=distinct)
    starts = pa.array([b[0] if b else None for b in bounds], pa.string())
    ends = pa.array([b[1] if b else None for b in bounds], pa.string())
    return pc.take(starts, index), pc.take(ends, index)


def _temporal_bounds(temporal: Any) -> tuple[str, str] | None:
    """The package's `temporal` as (first day, last day); a missing end is open."""
    if not isinstance(temporal, dict):
        return None
    temporal.setdefault("end", "")
    start = period_bounds(str(temporal.get("start", "")))
    end = period_bounds(str(temporal.get("end", ""))) if temporal.get("end") else None
    if start is None:
        return None
    return start[0], end[1] if end else "9999-12-99"
