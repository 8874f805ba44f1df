"""Messages that are right to follow: one message per mistake, at the line of the cause,
whose proposed fix, applied literally, validates and keeps the value that was written.

The overlay cases of the bug hunt (tests/fixtures/cases/, copied from the shared cases)
run over a copy of this repository's standards; the kinds of fault they stand for are
tried on other inputs with Hypothesis: numbers with leading or trailing zeros, octal
and hex look-alikes, dates, yes/no/on/off, full-width colons, colons without a space,
Tabs and Chinese quotes at random lines.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from stdhub.codes import CODES
from stdhub.problems import Problem, Report, proposed
from stdhub.project import load_catalogue
from stdhub.standards.loader import Checked, check_file
from stdhub.yamlsource import parse

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "cases"
CASES = Path(__file__).parent / "cases"
TODAY = dt.date(2026, 11, 28)
SERVICE = "standards/service/HNMZ-T-0207-2026.yaml"


def _project(tmp_path: Path, case: str) -> Path:
    """A copy of the repository's standards and feedback with the case laid over it."""
    root = tmp_path / "project"
    for part in ("standards", "feedback"):
        if (REPO / part).is_dir():
            shutil.copytree(REPO / part, root / part)
    shutil.copytree(FIXTURES / case, root, dirs_exist_ok=True)
    (root / "README.md").unlink()
    return root


def _errors(root: Path) -> list[Problem]:
    _, report = load_catalogue(
        root / "standards", today=TODAY, base=root, datasets=REPO / "datasets"
    )
    return report.errors


def _apply(root: Path, problem: Problem) -> None:
    """Follow the hint literally: on the problem's line, replace what it quotes as written."""
    pair = proposed(problem.hint)
    assert pair, f"the hint proposes no replacement: {problem.format()}"
    written, replacement = pair
    path = root / problem.file
    lines = path.read_text(encoding="utf-8").split("\n")
    line = lines[problem.line - 1]
    assert written in line, f"the hint quotes `{written}`, line {problem.line} is {line!r}"
    lines[problem.line - 1] = line.replace(written, replacement, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def test_the_repository_standards_are_clean(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(REPO / "standards", root / "standards")
    assert _errors(root) == []


def test_unquoted_leading_zero_quotes_what_was_written(tmp_path: Path) -> None:
    root = _project(tmp_path, "unquoted-leading-zero")
    errors = _errors(root)
    by_file = {p.file: p for p in errors}
    assert len(errors) == 2 and len(by_file) == 2, [p.format() for p in errors]
    code = by_file["standards/codelists/CL-GB-T-3304.yaml"]
    ics = by_file[SERVICE]
    assert (code.line, code.code, code.path) == (9, "S003", "$.codes[0].code")
    assert (ics.line, ics.code, ics.path) == (5, "S003", "$.ics")
    assert proposed(code.hint) == ("01", '"01"') and "`01`" in code.message
    assert proposed(ics.hint) == ("03.080", '"03.080"') and "`03.080`" in ics.message
    for p in errors:
        _apply(root, p)
    assert _errors(root) == []
    catalogue, _ = load_catalogue(root / "standards", today=TODAY, base=root)
    assert catalogue.code_lists["CL-GB-T-3304"].codes[0].code == "01"  # 01 汉族, not 1
    assert catalogue.standards["HNMZ/T 0207-2026"].ics == "03.080"


def test_fullwidth_colon_is_named_at_its_line(tmp_path: Path) -> None:
    root = _project(tmp_path, "yaml-fullwidth-colon")
    [error] = _errors(root)
    assert (error.file, error.line, error.code) == (SERVICE, 66, "Y008")
    assert "全角冒号 `：`" in error.message and "fees" in error.message
    assert proposed(error.hint) == ("fees：", "fees: ")
    _apply(root, error)
    assert _errors(root) == []
    written = (FIXTURES / "yaml-fullwidth-colon" / SERVICE).read_text(encoding="utf-8")
    assert (root / SERVICE).read_text(encoding="utf-8") == written.replace("fees：", "fees: ")


def test_one_wrong_category_is_one_message(tmp_path: Path) -> None:
    root = _project(tmp_path, "list-category-cascade")
    [error] = _errors(root)
    assert (error.file, error.line, error.code) == ("standards/lists/power-list.yaml", 27, "S004")
    assert "`行政审批`" in error.message and "行政许可" in error.hint
    path = root / error.file
    path.write_text(path.read_text(encoding="utf-8").replace("行政审批", "行政许可"), "utf-8")
    assert _errors(root) == []


def test_unparsable_files_cause_no_messages_about_others(tmp_path: Path) -> None:
    """Three files that YAML cannot read: three messages, none about what refers to them."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "standards", root / "standards")
    referred = _most_referred(root)
    for i, path in enumerate(referred):
        text = path.read_text(encoding="utf-8")
        broken = ["title：", "\ttitle: ", 'title: "'][i]
        path.write_text(text.replace("title: ", broken, 1), encoding="utf-8")
    errors = _errors(root)
    assert sorted(p.file for p in errors) == sorted(str(p.relative_to(root)) for p in referred), [
        p.format() for p in errors
    ]
    assert [p.code for p in errors if p.code[0] != "Y"] == []


def _most_referred(root: Path) -> list[Path]:
    """Three standards other files name (so that a cascade would show)."""
    catalogue, _ = load_catalogue(root / "standards", today=TODAY, base=root)
    counts: dict[str, int] = {}
    for std in catalogue.standards.values():
        for ref in std.references:
            counts[ref] = counts.get(ref, 0) + 1
    for lst in catalogue.lists.values():
        for item in lst.items:
            for ref in item.governed_by:
                counts[ref] = counts.get(ref, 0) + 1
    top = sorted(counts, key=lambda k: -counts[k])[:3]
    assert len(top) == 3
    return [root / catalogue.standards[t].where.file for t in top]


# --- other inputs of the same kinds -------------------------------------------------

_digits = st.text("0123456789", min_size=1, max_size=6)
WRITTEN_SCALARS = st.one_of(
    _digits.map(lambda d: "0" + d),  # leading zeros: 01, 007
    st.builds(lambda a, b: f"{a}.{b}0", _digits, _digits),  # trailing zeros: 03.080
    st.text("01234567", min_size=1, max_size=5).map(lambda d: "0" + d),  # octal-looking
    st.sampled_from(["0o17", "0x1F", "0b101", "1_000", ".5", "1e3", "+12", "-0", "1.0"]),
    st.sampled_from(["yes", "no", "on", "off", "Yes", "NO", "On", "OFF", "y", "n", "true"]),
    st.dates().map(dt.date.isoformat),  # dates stay text, checked by the schema
    st.integers(min_value=0, max_value=10**9).map(str),
)


def _check(tmp_path: Path, rel: str, text: str) -> Checked:
    root = tmp_path / "p"
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return check_file(path, root)


def _value(data: object, json_path: str) -> object:
    for part in json_path.removeprefix("$").replace("[", ".").replace("]", "").split("."):
        if part:
            data = data[int(part)] if isinstance(data, list) else data[part]  # type: ignore[index]
    return data


CODE_LIST = "standards/codelists/CL-GB-T-3304.yaml"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(written=WRITTEN_SCALARS)
def test_a_code_as_written_is_kept(tmp_path: Path, written: str) -> None:
    """Any unquoted code: either it is text as written, or one S003 whose fix keeps it."""
    original = (REPO / CODE_LIST).read_text(encoding="utf-8")
    text = original.replace('{code: "01",', f"{{code: {written},", 1)
    assert text != original
    checked = _check(tmp_path, CODE_LIST, text)
    errors = [p for p in checked.problems if CODES[p.code].severity == "error"]
    if checked.schema is not None:
        assert checked.data["codes"][0]["code"] == written
        return
    [error] = errors
    assert (error.code, error.line, error.path) == ("S003", 9, "$.codes[0].code")
    assert f"`{written}`" in error.message
    assert proposed(error.hint) == (written, f'"{written}"')
    fixed = _check(
        tmp_path, CODE_LIST, text.replace(f"{{code: {written},", f'{{code: "{written}",')
    )
    assert fixed.schema is not None and fixed.data["codes"][0]["code"] == written


# lines `key: value` (or `- key: value`) of block mappings, where a mistake can be typed
def _key_lines(text: str) -> list[int]:
    import re

    lines = text.split("\n")
    return [
        i
        for i, line in enumerate(lines)
        if re.match(r"^\s*(- )?[a-z_]+: [^\s\"'{\[|>#]", line) and i > 0
    ]


FILES = [
    SERVICE.replace("0207-2026", "0031-2024"),
    "standards/lists/power-list.yaml",
    "standards/data/HNMZ-T-0101-2025.yaml",
    "standards/lists/responsibility-list.yaml",
]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), rel=st.sampled_from(FILES), mistake=st.sampled_from(["：", ":", "”", '"']))
def test_a_colon_or_quote_typed_wrong_is_named_at_its_line(
    tmp_path: Path, data: st.DataObject, rel: str, mistake: str
) -> None:
    original = (REPO / rel).read_text(encoding="utf-8")
    lines = original.split("\n")
    n = data.draw(st.sampled_from(_key_lines(original)))
    key, value = lines[n].split(": ", 1)
    if mistake in '”"':  # an English quote opened, closed by a Chinese one or not at all
        assume(isinstance(yaml.safe_load(value), str) and '"' not in value)
        lines[n] = f'{key}: "{value}{mistake if mistake == "”" else ""}'
    else:
        lines[n] = f"{key}{mistake}{value}"
    checked = _check(tmp_path, rel, "\n".join(lines))
    errors = [p for p in checked.problems if CODES[p.code].severity == "error"]
    assert len(errors) == 1, [p.format() for p in errors]
    [error] = errors
    assert error.line == n + 1, error.format()
    assert error.code in ({"Y011"} if mistake in '”"' else {"Y008", "S003"}), error.format()
    written, replacement = proposed(error.hint) or ("", "")
    assert written in lines[n], error.format()
    lines[n] = lines[n].replace(written, replacement, 1)
    fixed = _check(tmp_path, rel, "\n".join(lines))
    assert fixed.schema is not None, [p.format() for p in fixed.problems]
    assert fixed.data == _check(tmp_path, rel, original).data  # the value is kept


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), rel=st.sampled_from(FILES))
def test_a_tab_is_named_at_its_line(tmp_path: Path, data: st.DataObject, rel: str) -> None:
    original = (REPO / rel).read_text(encoding="utf-8")
    lines = original.split("\n")
    indented = [i for i in _key_lines(original) if lines[i].startswith("  ")]
    n = data.draw(st.sampled_from(indented))
    lines[n] = "\t" + lines[n][2:]
    checked = _check(tmp_path, rel, "\n".join(lines))
    [error] = [p for p in checked.problems if CODES[p.code].severity == "error"]
    assert (error.code, error.line, error.column) == ("Y009", n + 1, 1), error.format()
    assert "Tab" in error.message


# --- the catalogue ----------------------------------------------------------------


def _case_problems(tmp_path: Path) -> list[tuple[Path, Problem]]:
    found = []
    for tree in sorted(p for p in CASES.iterdir() if p.is_dir()):
        if tree.name == "F002":
            continue  # made at run time by tests/test_cases.py, nothing to propose
        root = tmp_path / tree.name
        shutil.copytree(tree, root, symlinks=True)
        _, report = load_catalogue(root / "standards", today=TODAY, base=root)
        found.extend((root, p) for p in report.problems)
    return found


def test_every_proposed_replacement_quotes_the_text_as_written(tmp_path: Path) -> None:
    """Over the example of every code in the catalogue: a hint that proposes a value names
    the text it replaces as it stands in the file, at the line the message gives."""
    problems = _case_problems(tmp_path)
    proposing = [(root, p) for root, p in problems if proposed(p.hint)]
    assert {p.code for _, p in proposing} >= {"S001", "S003", "S004", "Y008", "Y011", "Y012"}
    for root, p in proposing:
        written, replacement = proposed(p.hint)  # type: ignore[misc]
        assert written != replacement, p.format()
        line = (root / p.file).read_text(encoding="utf-8").split("\n")[p.line - 1]
        assert written in line, f"{p.format()}: line {p.line} is {line!r}"


def test_no_hint_proposes_in_another_form(tmp_path: Path) -> None:
    """`did you mean`, `写成文本："…"`: the old forms, which quoted the converted value."""
    for _, p in _case_problems(tmp_path):
        assert "did you mean" not in p.hint and '写成文本："' not in p.hint, p.format()
    for code in CODES.values():
        assert "did you mean" not in code.hint


def test_a_report_with_a_proposal_round_trips() -> None:
    report = Report()
    report.add("S003", "x.yaml", "m", hint='加引号写成文本：把 `01` 改为 `"01"`')
    assert proposed(report.problems[0].hint) == ("01", '"01"')


def test_a_fullwidth_colon_in_a_flow_mapping_is_one_message(tmp_path: Path) -> None:
    """`{code：01, …}` is valid YAML (a key `code：01`): one S001, not S001 and S002."""
    original = (REPO / CODE_LIST).read_text(encoding="utf-8")
    text = original.replace('{code: "01",', '{code："01",', 1)
    [error] = _check(tmp_path, CODE_LIST, text).problems
    assert (error.code, error.line) == ("S001", 9) and "全角" in error.hint
    assert proposed(error.hint) == ('code："01"', 'code: "01"')
    fixed = _check(tmp_path, CODE_LIST, text.replace('code："01"', 'code: "01"'))
    assert fixed.schema is not None and fixed.data["codes"][0]["code"] == "01"


@pytest.mark.parametrize(
    ("text", "code", "line", "names"),
    [
        ("a: 1\nb:\n  c: 1\n  fees：不收费\n  d: 2\n", "Y008", 4, "全角冒号"),
        ("a: 1\nfees:不收费\nd: 2\n", "Y008", 2, "没有空格"),
        ("contact:\n  name：区划处\n  phone: 1\n", "Y008", 2, "全角冒号"),
        ("items:\n  - id：QL-1\n    name: x\n", "Y008", 2, "全角冒号"),
        ("a:\n  - 注：本项不收费\n  b: 1\n", "Y010", 3, "混写列表项和键"),  # `注：` is text
        ("a: 1\nb:\n  c: 1\n\td: 2\n", "Y009", 4, "Tab"),
        ("a:\n  b: 1\n c: 2\n", "Y010", 3, "缩进"),
        ('x: 1\na: "养老服务”\nb: 1\nc: 3\n', "Y011", 2, "中文引号"),
        ("a: 'abc\nb: 1\n", "Y011", 1, "没有闭合"),
        ("a: 上午: 8:30\nb: 1\n", "Y012", 1, "冒号加空格"),
        ("a: 1\n---\nb: 2\n", "Y001", 2, "`---`"),
        ("on: 1\n", "Y006", 1, "键 `on`"),
        ("a: &x {b: 1}\nc:\n  <<: *x\n", "Y003", 3, "合并键"),
    ],
)
def test_parser_errors_name_their_cause_in_chinese(text, code, line, names) -> None:
    report = Report()
    assert parse(text, report, Path("x.yaml"), "x.yaml") is None
    [problem] = report.problems
    assert (problem.code, problem.line) == (code, line), problem.format()
    assert names in problem.message and problem.message.isascii() is False
    assert "!!python" not in problem.hint and "True" not in problem.format()


@pytest.mark.parametrize("written", ["综合", '"综合"'])
def test_one_item_without_brackets(tmp_path: Path, written: str) -> None:
    """Plain `综合` gets the fix `[综合]`; quoted, replacing inside the quotes would keep it a
    text, so nothing is proposed."""
    rel = "standards/management/HNMZ-T-0001-2024.yaml"
    original = (CASES / "valid" / rel).read_text(encoding="utf-8")
    text = original.replace("domains: [综合]", f"domains: {written}")
    [error] = _check(tmp_path, rel, text).problems
    assert error.code == "S003"
    if written.startswith('"'):
        assert proposed(error.hint) is None
        return
    assert proposed(error.hint) == ("综合", "[综合]")
    fixed = _check(tmp_path, rel, text.replace("domains: 综合", "domains: [综合]"))
    assert fixed.schema is not None


@given(year=st.integers(min_value=1990, max_value=2030).filter(lambda y: y != 2024))
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_did_you_mean_never_proposes_the_file_itself(tmp_path: Path, year: int) -> None:
    """A `supersedes` that points nowhere: following the hint must not make a cycle."""
    root = tmp_path / f"p{year}"
    shutil.copytree(CASES / "valid", root, dirs_exist_ok=True)
    rel = "standards/management/HNMZ-T-0001-2024.yaml"
    path = root / rel
    text = path.read_text(encoding="utf-8")
    path.write_text(text + f"supersedes: [HNMZ/T 0001-{year}]\n", encoding="utf-8")
    [error] = _errors(root)
    assert error.code == "X002" and "did you mean" not in error.hint
    pair = proposed(error.hint)
    assert pair is None or (pair[0] == f"HNMZ/T 0001-{year}" and pair[1] != "HNMZ/T 0001-2024")


def test_the_rename_hint_runs_from_the_repository_root(tmp_path: Path) -> None:
    """F003's `git mv`, run as written from the root, renames the file; validate is clean."""
    import re
    import subprocess

    root = tmp_path / "repo"
    shutil.copytree(CASES / "F003", root)
    (root / "expected.txt").unlink()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "."], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "x"], cwd=root, check=True)
    [error] = _errors(root)
    assert error.code == "F003"
    command = re.search(r"`(git mv [^`]+)`", error.hint)
    assert command, error.hint
    subprocess.run(command.group(1), shell=True, cwd=root, check=True)
    assert _errors(root) == []
