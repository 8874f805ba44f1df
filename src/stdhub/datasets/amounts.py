"""What a finance officer gets wrong in fund data: 万元 in a 元 field, totals that do not add
up, one document number written twice.

Driven by the data elements a resource's fields conform to (`stdhub.datasets.conformance`),
so any dataset conforming to a standard with such elements gets the checks:

- an element in 元 holds yuan to the fen: a cell with more than two decimals is an error
  (D060: `125.3456` is 万元 to the yuan); a positive cell over a thousand times smaller
  than the median of its group (the rows of one document where the resource is summed
  into a total, else the whole column; at least `GROUP` rows) is a warning (D061: one
  county typed in 万元);
- an element with `total_of` (下达总额, `total_of: FPJE`) is the sum of that element's
  amounts in another resource of the package holding the total's primary key (the
  document number), grouped by that key: a total that differs from the sum by half a fen
  or more, or that has no rows to sum, is an error at the total's row (D062);
- a field titled …文号 that is its resource's only primary key names one document: a
  number that differs from an earlier row's only in its brackets (`〔2025〕`, `[2025]`,
  `（2025）`, `【2025】`), width or spaces is an error at the later row (D063).

Rows are numbered as the other data checks number them (the header is row 1). Amounts are
compared as decimals, never floats.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from stdhub.datasets.columnar import Checked
from stdhub.datasets.conformance import Conformance
from stdhub.datasets.issues import Issue

YUAN = "元"
HALF_FEN = Decimal("0.005")
WAN = 10_000
SMALLER = 1000  # a cell this many times below its group's median looks like 万元
GROUP = 5  # the fewest rows a median is taken over
_BRACKETS = str.maketrans("[]()【】", "〔〕〔〕〔〕")


def doc_key(number: str) -> str:
    """A document number as compared: NFKC, brackets as 〔〕, no spaces or invisible
    characters (zero-width space, soft hyphen). `湘财社[2025] 12号`, `湘财社（2025）12号`,
    `湘\u200b财社〔２０２５〕12号` -> `湘财社〔2025〕12号`."""
    text = unicodedata.normalize("NFKC", number)  # （） -> (), ２ -> 2
    visible = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return re.sub(r"\s+", "", visible.translate(_BRACKETS))


def invisible(text: str) -> list[str]:
    """The invisible characters in `text`, as `U+200B`."""
    return [f"U+{ord(c):04X}" for c in text if unicodedata.category(c) == "Cf"]


def amount(cell: Any) -> Decimal | None:
    """A cell as written as a decimal (`1,234.50` too), or None: also for what is not an
    amount of yuan at all (NaN, infinities, 10^16 or more), which the type and range
    checks report. Finer than the fen is an amount: D060 reports it."""
    if cell is None:
        return None
    try:
        value = Decimal(str(cell).strip().replace(",", ""))
    except InvalidOperation:
        return None
    if not value.is_finite() or (value and value.adjusted() > 15):
        return None
    return value


def decimals(value: Decimal) -> int:
    """Its decimal places, trailing zeros left out: `12.345` 3, `100.000` 0."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def shown(value: Decimal) -> str:
    """An amount in yuan with separators, to the fen, or exactly when finer:
    `1234.5` -> `1,234.50`, `0.005` -> `0.005`."""
    return f"{value:,.{min(max(2, decimals(value)), 6)}f}"


@dataclass(frozen=True)
class Relation:
    """`total` in resource `totals` (by its primary key `key`) sums `part` in `parts`."""

    totals: str
    total: str
    key: tuple[str, ...]
    parts: str
    part: str


def relations(conformance: Conformance, keys: dict[str, list[str]]) -> list[Relation]:
    """The totals of a package: for each field whose element has `total_of`, the other
    resource holding that element and every field of the total's primary key (`keys`:
    resource -> its primary key)."""
    by_resource = {
        r: {name: c.element for name, c in fields.items()}
        for r, fields in conformance.elements.items()
    }
    found = []
    for r, fields in by_resource.items():
        key = tuple(keys.get(r) or ())
        for name, element in fields.items():
            if not element.total_of or not key:
                continue
            for other, its in by_resource.items():
                part = next((n for n, e in its.items() if e.id == element.total_of), None)
                if other != r and part and all(k in its for k in key):
                    found.append(Relation(r, name, key, other, part))
    return found


@dataclass
class Sums:
    """What the totals check gathers while each resource's cells are at hand."""

    relations: list[Relation]
    totals: dict[Relation, dict[tuple[str, ...], tuple[int, Decimal]]] = field(default_factory=dict)
    sums: dict[Relation, dict[tuple[str, ...], Decimal]] = field(default_factory=dict)
    numbers: dict[Relation, int] = field(default_factory=dict)  # the total's field number
    titles: dict[Relation, str] = field(default_factory=dict)  # the parts' resource title
    labels: dict[str, str] = field(default_factory=dict)  # field name -> its title

    def gather(self, checked: Checked, fields: list[dict[str, Any]], title: str) -> None:
        numbers = {f["name"]: i for i, f in enumerate(fields, start=1)}
        for f in fields:
            self.labels.setdefault(f["name"], str(f.get("title") or f["name"]))
        for rel in self.relations:
            if not all(k in checked.raw for k in rel.key):
                continue
            keys = list(zip(*(checked.raw[k].to_pylist() for k in rel.key), strict=True))
            if rel.totals == checked.name and rel.total in checked.raw:
                self.numbers[rel] = numbers.get(rel.total, 0)
                cells = checked.raw[rel.total].to_pylist()
                self.totals[rel] = {
                    k: (i + 2, v)
                    for i, (k, cell) in enumerate(zip(keys, cells, strict=True))
                    if all(k) and (v := amount(cell)) is not None
                }
            if rel.parts == checked.name and rel.part in checked.raw:
                self.titles[rel] = title
                sums: dict[tuple[str, ...], Decimal] = defaultdict(Decimal)
                for k, cell in zip(keys, checked.raw[rel.part].to_pylist(), strict=True):
                    if (v := amount(cell)) is not None:
                        sums[k] += v
                self.sums[rel] = sums

    def issues(self) -> dict[str, list[Issue]]:
        """D062 issues by the resource of the totals."""
        out: dict[str, list[Issue]] = defaultdict(list)
        for rel, totals in self.totals.items():
            sums = self.sums.get(rel)
            if sums is None:
                continue
            where = self.titles.get(rel) or rel.parts
            for k, (row, total) in totals.items():
                got = sums.get(k, Decimal(0))
                if k in sums and abs(got - total) < HALF_FEN:
                    continue
                label = self.labels.get
                named = "、".join(f"{label(n, n)} {v}" for n, v in zip(rel.key, k, strict=True))
                total_of, part = label(rel.total, rel.total), label(rel.part, rel.part)
                if k not in sums:  # also a total of 0: a document allocates something
                    text = f"{named} 的{total_of}为 {shown(total)} 元，但{where}（{rel.parts}）中没有它的行"
                else:
                    text = (
                        f"{named} 的{total_of}为 {shown(total)} 元，{where}（{rel.parts}）中它的"
                        f"{part}合计 {shown(got)} 元，相差 {shown(total - got)} 元"
                    )
                    if _wan_apart(total, got):
                        text += "（约一万倍：有金额以万元填写了吗？）"
                out[rel.totals].append(
                    Issue(row, self.numbers.get(rel, 0), rel.total, "D062", text)
                )
        return out


def _about(ratio: Decimal, target: int) -> bool:
    return Decimal(target) / 2 <= ratio <= Decimal(target) * 2


def _wan_apart(a: Decimal, b: Decimal) -> bool:
    """Are two amounts about ten thousand times apart (one of them in 万元)?"""
    if not a or not b or min(abs(a).adjusted(), abs(b).adjusted()) < -2:
        return False
    return _about(a / b, WAN) or _about(b / a, WAN)


def scan(
    checked: Checked,
    fields: list[dict[str, Any]],
    conformance: Conformance,
    key: list[str],
    relations: list[Relation],
) -> list[Issue]:
    """D060, D061 and D063 in one resource."""
    elements = {n: c.element for n, c in conformance.elements.get(checked.name, {}).items()}
    numbers = {f["name"]: i for i, f in enumerate(fields, start=1)}
    titles = {f["name"]: str(f.get("title") or "") for f in fields}
    groups = next((r.key for r in relations if r.parts == checked.name), ())
    out: list[Issue] = []
    for name, element in elements.items():
        if element.unit != YUAN or name not in checked.raw:
            continue
        cells = checked.raw[name].to_pylist()
        values = [amount(c) if c else None for c in cells]
        number = numbers.get(name, 0)
        for i, (cell, v) in enumerate(zip(cells, values, strict=True)):
            places = decimals(v) if v is not None else 0
            if v is not None and places > 2:
                text = f"`{cell}` 元有 {places} 位小数"
                if places <= 6:  # 万元 to the yuan (4), or finer
                    text += f"（若是 {shown(v * WAN)} 元，就是以万元填写的）"
                out.append(Issue(i + 2, number, name, "D060", text))
        grouping = (
            list(zip(*(checked.raw[k].to_pylist() for k in groups), strict=True))
            if groups and all(k in checked.raw for k in groups)
            else [()] * len(cells)
        )
        out += _small(values, grouping, name, number)
    if len(key) == 1 and key[0] in checked.raw and titles.get(key[0], "").endswith("文号"):
        out += _same_document(checked.raw[key[0]].to_pylist(), key[0], numbers.get(key[0], 0))
    return out


def _small(
    values: list[Decimal | None], grouping: list[tuple], name: str, number: int
) -> list[Issue]:
    """D061: positive amounts over `SMALLER` times below their group's median."""
    groups: dict[tuple, list[tuple[int, Decimal]]] = defaultdict(list)
    for i, (v, g) in enumerate(zip(values, grouping, strict=True)):
        if v is not None and v > 0:
            groups[g].append((i, v))
    out = []
    for rows in groups.values():
        if len(rows) < GROUP:
            continue
        median: Decimal = statistics.median(v for _, v in rows)
        for i, v in rows:
            if v * SMALLER < median:
                out.append(
                    Issue(
                        i + 2,
                        number,
                        name,
                        "D061",
                        f"{shown(v)} 元不到同组金额中位数 {shown(median)} 元的千分之一"
                        f"（若以万元填写，应为 {shown(v * WAN)} 元）",
                    )
                )
    return out


def _same_document(cells: list[Any], name: str, number: int) -> list[Issue]:
    """D063: a document number that is an earlier row's in other brackets or spacing."""
    first: dict[str, tuple[int, str]] = {}
    out = []
    for i, cell in enumerate(cells):
        if not cell:
            continue
        k = doc_key(str(cell))
        if k in first and first[k][1] != cell:
            row, earlier = first[k]
            hidden = invisible(str(cell))
            how = (
                f"含不可见字符 {'、'.join(hidden)}"
                if hidden
                else "只是括号、全角半角或空格写法不同"
            )
            out.append(
                Issue(
                    i + 2,
                    number,
                    name,
                    "D063",
                    f"`{cell}` 与第 {row} 行的 `{earlier}` 是同一个文号（{how}）",
                )
            )
        first.setdefault(k, (i + 2, str(cell)))
    return out
