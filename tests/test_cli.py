"""The command line: exit codes, JSON output, `stdhub new`, the code catalogue."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from stdhub.cli import cli
from stdhub.codes import CODES

CASES = Path(__file__).parent / "cases"


def _run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args))


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert _run("validate", "--format", "xml").exit_code == 2
    result = _run("validate", "--root", str(tmp_path / "nope"))
    assert result.exit_code == 2 and "找不到标准目录" in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_json_report(tmp_path: Path) -> None:
    shutil.copytree(CASES / "S001" / "standards", tmp_path / "standards")
    result = _run(
        "validate",
        "--root",
        str(tmp_path / "standards"),
        "--format",
        "json",
        "--today",
        "2026-11-28",
    )
    assert result.exit_code == 1
    data = json.loads(result.output)
    [error] = data["errors"]
    assert error["code"] == "S001" and error["line"] == 9 and error["path"] == "$.dates.effectiv"
    assert (
        error["hint"] == "是不是写错了？把 `effectiv` 改为 `effective`"
        and error["severity"] == "error"
    )


@pytest.mark.parametrize("kind", ["data", "service", "management", "办事指南", "技术标准"])
def test_new_writes_a_valid_standard_with_the_next_id(kind: str, tmp_path: Path) -> None:
    root = tmp_path / "standards"
    shutil.copytree(CASES / "valid" / "standards", root)
    result = _run("new", kind, "--root", str(root), "--today", "2026-11-28", "--title", "新标准")
    assert result.exit_code == 0, result.output
    path = Path(result.output.strip())
    assert path.name == "HNMZ-T-0003-2026.yaml"
    check = _run("validate", "--root", str(root), "--today", "2026-11-28")
    assert check.exit_code == 0, check.output
    second = _run("new", kind, "--root", str(root), "--today", "2026-11-28")
    assert Path(second.output.strip()).name == "HNMZ-T-0004-2026.yaml"


def test_codes_catalogue_lists_every_code() -> None:
    out = _run("codes", "--markdown").output
    for code in CODES:
        assert f"`{code}`" in out


def _reference_generator(repo: Path):
    spec = importlib.util.spec_from_file_location(
        "gen_reference_docs", repo / "scripts/gen_reference_docs.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_reference_pages_are_current(repo: Path) -> None:
    """docs/reference/ is generated from --help and the code catalogue; if this fails run
    `python scripts/gen_reference_docs.py` and commit the result."""
    gen = _reference_generator(repo)
    assert (repo / "docs/reference/cli.md").read_text(encoding="utf-8") == gen.cli_page()
    assert (repo / "docs/reference/problem-codes.md").read_text(
        encoding="utf-8"
    ) == gen.codes_page()
    assert (repo / "docs/reference/mistakes.md").read_text(encoding="utf-8") == gen.mistakes_page()


def test_every_command_has_help(repo: Path) -> None:
    page = (repo / "docs/reference/cli.md").read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        assert command.help, f"`stdhub {name}` has no help text"
        assert f"## stdhub {name}" in page
