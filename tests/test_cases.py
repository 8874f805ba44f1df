"""Example trees, one per problem code: `stdhub validate` prints exactly `expected.txt`.

Regenerate an expectation after a deliberate change with
`STDHUB_UPDATE_CASES=1 pytest tests/test_cases.py` and review the diff.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from stdhub.cli import cli
from stdhub.codes import CODES
from stdhub.validate import validate_all

CASES = Path(__file__).parent / "cases"
NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())


def _prepare(name: str, tmp_path: Path) -> Path:
    tree = tmp_path / name
    shutil.copytree(CASES / name, tree, symlinks=True)
    if name == "F002":  # 2.4 MB is not worth committing: make it here
        (tree / "standards/management/big.yaml").write_text("# " + "填充" * 400_000 + "\n")
    return tree


@pytest.mark.parametrize("name", NAMES)
def test_case_output(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = _prepare(name, tmp_path)
    monkeypatch.chdir(tree)
    result = CliRunner().invoke(cli, ["validate", "--today", "2026-11-28"])
    expected_file = CASES / name / "expected.txt"
    if os.environ.get("STDHUB_UPDATE_CASES"):
        expected_file.write_text(result.output, encoding="utf-8")
        pytest.skip(f"{expected_file} rewritten: review the diff, then run without the variable")
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.output == expected_file.read_text(encoding="utf-8")
    has_errors = any(
        f" {code} " in line
        for line in result.output.splitlines()
        for code in CODES
        if CODES[code].severity == "error"
    )
    assert result.exit_code == (1 if has_errors else 0)


@pytest.mark.parametrize("name", [n for n in NAMES if n in CODES])
def test_case_shows_its_code(name: str) -> None:
    """Each case tree exists to show its own code."""
    assert f" {name} " in (CASES / name / "expected.txt").read_text(encoding="utf-8")


def test_every_standards_code_has_a_case() -> None:
    owned_here = [c for c in CODES if c[0] in "FYSXW"]
    missing = [c for c in owned_here if not (CASES / c).is_dir()]
    assert not missing, f"no example tree under tests/cases/ for {missing}"


def test_valid_tree_is_clean() -> None:
    assert (CASES / "valid" / "expected.txt").read_text().startswith("4 个文件, 0 个错误, 0 个警告")


@pytest.mark.parametrize("name", NAMES)
def test_every_reported_line_says_how_to_fix_it(name: str, tmp_path: Path) -> None:
    """A problem without a hint of its own shows its code's catalogued hint."""
    tree = _prepare(name, tmp_path)
    report = validate_all(tree / "standards", today=dt.date(2026, 11, 28))
    assert report.problems or name == "valid"
    for problem in report.problems:
        assert problem.hint, problem
        assert problem.format().endswith(f" ({problem.hint})")
