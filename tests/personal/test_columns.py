"""Declared columns narrow the screen, never silence it (`stdhub.personal.columns`): in the
cells of a real dataset through `stdhub validate`, and over generated values."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pyarrow as pa
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from stdhub.cli import cli
from stdhub.personal.columns import element_fit
from stdhub.personal.recognize import _MOBILE, credit_code_valid, id18_valid
from stdhub.personal.screen import screen_values

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "tests/fixtures/cases/uscc-not-a-card"
GB_32100 = "^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"
CREDIT = {"name": "code", "type": "string", "constraints": {"pattern": GB_32100}}
# credit codes of 民办非企业单位 (5 2 …) whose 18 digits are also a valid ID number
BOTH = ["524301199005127369", "524301198603285282", "524301199705218384"]
MOBILE, IDNO = "13812345678", "430102199003077417"


def _screen(field: dict, cells: list[str]) -> dict:
    return screen_values(pa.array(cells), fits=element_fit(field))


def test_the_collisions_are_real() -> None:
    assert all(credit_code_valid(c) and id18_valid(c) for c in BOTH)


def test_a_credit_code_column_passes_its_codes_and_nothing_else() -> None:
    found = _screen(CREDIT, [*BOTH, MOBILE, f"{BOTH[0]} {MOBILE}", IDNO])
    assert set(found) == {MOBILE, f"{BOTH[0]} {MOBILE}", IDNO}
    assert _screen({"name": "note", "type": "string"}, BOTH).keys() == set(BOTH)  # elsewhere an ID


def test_a_bounded_number_column_passes_numbers_in_its_range_but_no_id() -> None:
    amount = {"name": "yuan", "type": "integer", "constraints": {"minimum": 0, "maximum": 10**12}}
    big = {"name": "n", "type": "number", "constraints": {"minimum": 0, "maximum": 10**19}}
    assert _screen(amount, [MOBILE, "1.3812345678e+10"]) == {}
    assert set(_screen(amount, ["138 1234 5678", "013812345678000"])) == {"138 1234 5678"}
    assert set(_screen(big, [IDNO])) == {IDNO}  # an ID is never a statistic's value
    for unbounded in (
        {"name": "n", "type": "integer"},
        {"name": "n", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "n", "type": "string", "constraints": {"minimum": 0, "maximum": 10**12}},
    ):
        assert set(_screen(unbounded, [MOBILE])) == {MOBILE}


@settings(max_examples=300, deadline=None)
@given(st.from_regex(re.compile(_MOBILE.pattern, re.ASCII), fullmatch=True), st.integers(0, 10**13))
def test_a_bound_decides_exactly(number: str, high: int) -> None:
    field = {"name": "n", "type": "integer", "constraints": {"minimum": 0, "maximum": high}}
    assert (_screen(field, [number]) == {}) == (int(number) <= high)


def test_validate_passes_a_credit_code_that_reads_as_an_id_only_in_its_column(
    tmp_path: Path, monkeypatch
) -> None:
    shutil.copytree(ROOT / "standards", tmp_path / "standards")
    shutil.copytree(CASE / "datasets", tmp_path / "datasets")
    data = tmp_path / "datasets/elderly-care-directory-2026/data/institutions.csv"
    rows = list(csv.DictReader(io.StringIO(data.read_text(encoding="utf-8"))))
    for row, code in zip(rows, BOTH, strict=False):
        row["institution_code"] = code
    rows[-1]["address"] = f"长沙市{BOTH[0]}号"  # the same 18 digits outside its column
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    data.write_text(out.getvalue(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate", "--today", "2026-12-06"])
    problems = [line for line in result.output.splitlines() if " P00" in line]
    assert result.exit_code == 1, result.output
    assert len(problems) == 1 and "address" in problems[0] and "P001" in problems[0], problems
    assert "524***********5369" not in result.output.replace(problems[0], "")
