"""Row messages that are right to follow: declared `trueValues` and `missingValues` are
used in messages and checks, and a code a spreadsheet stored as a number is one message
per column ("设为文本格式") with the count and the first rows, not one per cell."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from data_helpers import (
    MARRIAGE_HEADER,
    MARRIAGE_ROWS,
    REPO_STANDARDS,
    csv_text,
    marriage_descriptor,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stdhub.datasets.check import check_datasets
from stdhub.datasets.issues import PER_GROUP, TEXT_FORMAT_HINT
from stdhub.project import load_catalogue

ENGINES = ["auto", "frictionless"]
TODAY = dt.date(2026, 11, 28)


def _descriptor(field: dict, **schema) -> dict:
    return {
        "name": "plain",
        "title": "测试",
        "access": "无条件开放",
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "resources": [
            {
                "name": "t",
                "path": "data/t.csv",
                "schema": {"fields": [{"name": "id", "type": "integer"}, field], **schema},
            }
        ],
    }


def _csv(cells: list[str]) -> str:
    return "id,v\n" + "".join(f"{i},{c}\n" for i, c in enumerate(cells, start=1))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_boolean_is_explained_in_its_declared_words(make_dataset, check, engine) -> None:
    field = {"name": "v", "type": "boolean", "trueValues": ["是"], "falseValues": ["否"]}
    make_dataset(_descriptor(field), {"data/t.csv": _csv(["是", "否", "对"])})
    [problem] = [p for p in check(engine).problems if p.code == "D007"]
    assert problem.line == 4 and "“对”" in problem.message
    assert "是" in problem.message and "否" in problem.message
    assert "true" not in problem.message


def test_a_declared_missing_value_is_no_formula(make_dataset, check) -> None:
    field = {"name": "v", "type": "string"}
    descriptor = _descriptor(field, missingValues=["", "-"])
    make_dataset(descriptor, {"data/t.csv": _csv(["-", "a", "-", "-1", "=A1"])})
    report = check()
    found = [(p.line, p.message) for p in report.problems if p.code == "Q008"]
    assert [line for line, _ in found] == [5, 6], report.as_text()  # `-1`, `=A1`, never `-`


@pytest.mark.parametrize("engine", ENGINES)
def test_codes_stored_as_numbers_are_one_message_per_column(make_dataset, check, engine) -> None:
    field = {"name": "v", "type": "string", "constraints": {"pattern": "[0-9]{6}"}}
    cells = ["430102", "12345", "ABC", *(str(n) for n in range(1000, 1012))]
    make_dataset(_descriptor(field), {"data/t.csv": _csv(cells)})
    report = check(engine)
    found = [p for p in report.problems if p.code in ("D009", "D099")]
    as_numbers = [p for p in found if p.hint == TEXT_FORMAT_HINT]
    assert len(as_numbers) == 1, report.as_text()
    [one] = as_numbers
    assert one.line == 3 and "13 个单元格" in one.message and "第 3、5、6、7、8 行等" in one.message
    assert "“12345”" in one.message and "文本" in one.hint
    others = [p for p in found if p.hint != TEXT_FORMAT_HINT]
    assert [(p.line, p.code) for p in others] == [(4, "D009")]  # ABC is wrong another way


@pytest.mark.parametrize("engine", ENGINES)
def test_scientific_notation_in_a_number_column_is_one_message(make_dataset, check, engine) -> None:
    field = {"name": "v", "type": "integer"}
    cells = ["430102", *(f"4.3010{n}E+05" for n in range(2, 9))]
    make_dataset(_descriptor(field), {"data/t.csv": _csv(cells)})
    found = [p for p in check(engine).problems if p.code in ("D007", "D099")]
    assert len(found) == 1 and "7 个单元格" in found[0].message and found[0].line == 3


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    codes=st.lists(st.integers(min_value=0, max_value=999), min_size=1, max_size=30),
    width=st.integers(min_value=4, max_value=8),
)
def test_any_column_of_codes_that_lost_their_zeros(make_dataset, check, codes, width) -> None:
    """Whatever the codes and their width: one message, the right count, the first rows."""
    field = {"name": "v", "type": "string", "constraints": {"pattern": f"[0-9]{{{width}}}"}}
    make_dataset(_descriptor(field), {"data/t.csv": _csv([str(c) for c in codes])})
    problems = [p for p in check().problems if p.path == "v"]
    assert len(problems) == 1, [p.format() for p in problems]
    [one] = problems
    assert f"{len(codes)} 个单元格" in one.message and one.line == 2
    rows = "、".join(str(r) for r in range(2, 2 + min(len(codes), PER_GROUP)))
    assert f"第 {rows} 行" in one.message


def test_a_dataset_of_a_standard_that_fails_to_parse_says_nothing_more(
    catalogue, make_dataset, tmp_path
) -> None:
    """The standard's own Y-message is the one to fix: no D015 "不在标准目录中" besides."""
    descriptor = marriage_descriptor(catalogue)  # made while the standard is sound
    root = tmp_path / "project"
    shutil.copytree(REPO_STANDARDS, root / "standards")
    path = root / "standards/data/HNMZ-T-0105-2025.yaml"
    path.write_text(path.read_text("utf-8").replace("title: ", "title：", 1), "utf-8")
    broken, report = load_catalogue(root / "standards", today=TODAY, base=root)
    assert [p.code for p in report.errors] == ["Y008"]
    datasets = make_dataset(
        descriptor, {"data/monthly.csv": csv_text(MARRIAGE_HEADER, MARRIAGE_ROWS)}
    )
    _, found = check_datasets(datasets, broken, tmp_path)
    assert "D015" not in {p.code for p in found.problems}, found.as_text()


@pytest.mark.parametrize("engine", ENGINES)
def test_the_same_problem_in_one_column_is_one_message(make_dataset, check, engine) -> None:
    field = {"name": "v", "type": "integer"}
    cells = ["多", "1", *["多"] * 8, "少"]
    make_dataset(_descriptor(field), {"data/t.csv": _csv(cells)})
    found = [(p.line, p.message) for p in check(engine).problems if p.code in ("D007", "D099")]
    assert found == [
        (2, "“多” 不是整数：共 9 行（第 2、4、5、6、7 行等）"),
        (12, "“少” 不是整数"),
    ], found
