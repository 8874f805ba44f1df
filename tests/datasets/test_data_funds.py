"""What a finance officer gets wrong in the fund allocations (HNMZ/T 0106-2026), each a
failing case with a Chinese message at its row: totals that do not add up, 万元 in a 元
field, a division not valid in the fund's year, one 文号 written twice. And the shipped
sample: every document's allocations add up to its total, to the fen."""

from __future__ import annotations

import csv
import shutil
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stdhub.datasets import amounts
from stdhub.datasets.check import check_datasets
from stdhub.problems import Report
from stdhub.standards.model import Catalogue

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "datasets" / "fund-allocations"


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the shipped fund-allocations package under tmp_path/datasets."""
    target = tmp_path / "datasets" / PACKAGE.name
    shutil.copytree(PACKAGE, target)
    return target


def _check(package: Path, catalogue: Catalogue) -> Report:
    _, report = check_datasets(package.parent, catalogue, package.parent.parent)
    return report


def _problems(report: Report, code: str) -> list:
    return [p for p in report.problems if p.code == code]


def test_the_shipped_allocations_add_up_to_every_total_to_the_fen() -> None:
    docs = _read(PACKAGE / "data/documents.csv")
    rows = _read(PACKAGE / "data/allocations.csv")
    head, ahead = docs[0], rows[0]
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for r in rows[1:]:
        sums[r[ahead.index("doc_number")]] += Decimal(r[ahead.index("amount_yuan")])
    assert len(docs) > 30
    for d in docs[1:]:
        number, total = d[head.index("doc_number")], Decimal(d[head.index("total_yuan")])
        assert sums[number] == total, number
    # and by fund and year: what a document says is what its rows say
    by_doc = {d[0]: (d[head.index("fund_code")], d[head.index("budget_year")]) for d in docs[1:]}
    for r in rows[1:]:
        fund, year = by_doc[r[ahead.index("doc_number")]]
        assert (r[ahead.index("fund_code")], r[ahead.index("budget_year")]) == (fund, year)


def test_the_shipped_package_is_clean(package: Path, catalogue: Catalogue) -> None:
    report = _check(package, catalogue)
    assert report.ok, report.as_text()
    assert not [p for p in report.problems if p.code.startswith("D06")]


def test_a_total_that_does_not_add_up_is_an_error_at_its_row(
    package: Path, catalogue: Catalogue
) -> None:
    docs = _read(package / "data/documents.csv")
    i = docs[0].index("total_yuan")
    docs[3][i] = str(Decimal(docs[3][i]) + Decimal("100.00"))
    _write(package / "data/documents.csv", docs)
    found = _problems(_check(package, catalogue), "D062")
    assert len(found) == 1, found
    p = found[0]
    assert p.severity == "error" and p.line == 4 and "documents.csv" in p.file
    assert docs[3][0] in p.message and "相差 100.00" in p.message
    assert "合计与明细之和不符" in p.message or "合计" in p.message


def test_an_allocation_in_wan_yuan_is_named_at_its_row(package: Path, catalogue: Catalogue) -> None:
    rows = _read(package / "data/allocations.csv")
    i = rows[0].index("amount_yuan")
    yuan = Decimal(rows[10][i])
    rows[10][i] = str((yuan / 10000).quantize(Decimal("0.0001")))  # 万元 to the yuan
    _write(package / "data/allocations.csv", rows)
    report = _check(package, catalogue)
    assert not report.ok
    d060 = _problems(report, "D060")
    assert [(p.line, p.path) for p in d060] == [(11, "amount_yuan")], report.as_text()
    assert "万元" in d060[0].message
    small = _problems(report, "D061")
    assert [p.line for p in small] == [11]
    total = _problems(report, "D062")  # and the document's total no longer adds up
    assert len(total) == 1 and rows[10][0] in total[0].message


def test_a_whole_number_of_wan_yuan_is_caught_by_its_document(
    package: Path, catalogue: Catalogue
) -> None:
    rows = _read(package / "data/allocations.csv")
    i = rows[0].index("amount_yuan")
    rows[20][i] = str(round(Decimal(rows[20][i]) / 10000))  # 1035 for 10,352,421.00
    _write(package / "data/allocations.csv", rows)
    report = _check(package, catalogue)
    assert [p.line for p in _problems(report, "D061")] == [21]
    assert len(_problems(report, "D062")) == 1 and not report.ok


def test_an_allocation_to_a_division_abolished_before_its_year_is_an_error(
    package: Path, catalogue: Catalogue
) -> None:
    rows = _read(package / "data/allocations.csv")
    h = rows[0]
    row = next(
        n
        for n, r in enumerate(rows)
        if n and r[h.index("county_code")] == "430182" and r[h.index("budget_year")] == "2025"
    )
    rows[row][h.index("county_code")] = "430124"  # 宁乡县, 撤县设市 in 2017
    _write(package / "data/allocations.csv", rows)
    found = _problems(_check(package, catalogue), "D025")
    assert [(p.line, p.path) for p in found] == [(row + 1, "county_code")]
    assert "430182" in found[0].message and "2025" in found[0].message


def test_one_document_number_in_two_spellings_is_an_error(
    package: Path, catalogue: Catalogue
) -> None:
    docs = _read(package / "data/documents.csv")
    copy = list(docs[5])
    copy[0] = copy[0].replace("〔", "[").replace("〕", "]")
    docs.append(copy)
    _write(package / "data/documents.csv", docs)
    report = _check(package, catalogue)
    found = _problems(report, "D063")
    assert [p.line for p in found] == [len(docs)]
    assert docs[5][0] in found[0].message and "同一个文号" in found[0].message
    assert not report.ok


@given(
    st.sampled_from(["[", "(", "（", "【", "〔"]),
    st.sampled_from(["]", ")", "）", "】", "〕"]),
    st.sampled_from(["", " ", "\u3000"]),
    st.integers(2000, 2099),
    st.integers(1, 999),
)
@settings(max_examples=60, deadline=None)
def test_document_numbers_compare_across_brackets_widths_and_spaces(
    left: str, right: str, space: str, year: int, n: int
) -> None:
    written = f"湘财社{space}{left}{year}{right}{space}{n}号"
    assert amounts.doc_key(written) == f"湘财社〔{year}〕{n}号"
    assert amounts.doc_key(f"湘财社〔{year}〕{n + 1}号") != amounts.doc_key(written)


def _set(package: Path, file: str, row: int, column: str, value: str) -> list[list[str]]:
    rows = _read(package / "data" / file)
    rows[row][rows[0].index(column)] = value
    _write(package / "data" / file, rows)
    return rows


@pytest.mark.parametrize("total", ["0", "0.00"])
def test_a_document_with_a_zero_total_and_no_allocations_is_an_error(
    package: Path, catalogue: Catalogue, total: str
) -> None:
    docs = _read(package / "data/documents.csv")
    extra = list(docs[1])
    extra[0], extra[docs[0].index("total_yuan")] = "湘财社〔2030〕1号", total
    _write(package / "data/documents.csv", [*docs, extra])
    found = _problems(_check(package, catalogue), "D062")
    assert [p.line for p in found] == [len(docs) + 1] and "没有它的行" in found[0].message


def test_a_half_fen_difference_is_shown_exactly(package: Path, catalogue: Catalogue) -> None:
    docs = _read(package / "data/documents.csv")
    total = Decimal(docs[2][docs[0].index("total_yuan")])
    _set(package, "documents.csv", 2, "total_yuan", str(total + Decimal("0.005")))
    found = _problems(_check(package, catalogue), "D062")
    assert len(found) == 1 and "相差 0.005 元" in found[0].message, found
    _set(package, "documents.csv", 2, "total_yuan", str(total + Decimal("0.004")))
    assert not _problems(_check(package, catalogue), "D062")


def test_trailing_zeros_are_exact_yuan_not_wan(package: Path, catalogue: Catalogue) -> None:
    rows = _read(package / "data/allocations.csv")
    yuan = rows[7][rows[0].index("amount_yuan")]
    _set(package, "allocations.csv", 7, "amount_yuan", yuan + "0")  # 10352421.000
    report = _check(package, catalogue)
    assert report.ok and not _problems(report, "D060"), report.as_text()


def test_a_document_number_with_an_invisible_character_is_the_same_document(
    package: Path, catalogue: Catalogue
) -> None:
    docs = _read(package / "data/documents.csv")
    copy = list(docs[5])
    copy[0] = copy[0][0] + "\u200b" + copy[0][1:]
    _write(package / "data/documents.csv", [*docs, copy])
    found = _problems(_check(package, catalogue), "D063")
    assert [p.line for p in found] == [len(docs) + 1]
    assert "U+200B" in found[0].message


@pytest.mark.parametrize("cell", ["sNaN", "1e999999", "1e-999999", "-sNaN", "NaN"])
def test_numbers_no_amount_can_be_are_errors_not_tracebacks(
    package: Path, catalogue: Catalogue, cell: str
) -> None:
    _set(package, "allocations.csv", 3, "amount_yuan", cell)
    _set(package, "documents.csv", 4, "total_yuan", cell)
    report = _check(package, catalogue)  # raised decimal.Overflow / InvalidOperation
    assert not report.ok
    assert any(p.line == 4 and "allocations.csv" in p.file for p in report.problems)
