"""No input gives a traceback: mangled versions of valid files only ever give problems."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stdhub.project import load_catalogue

VALID = Path(__file__).parent / "cases" / "valid" / "standards"
TARGETS = sorted(p.relative_to(VALID) for p in VALID.rglob("*.yaml"))
TOKENS = [
    "",
    " ",
    ":",
    "- ",
    "[",
    "]",
    "{",
    "}",
    "&a ",
    "*a",
    "!!str ",
    "'",
    '"',
    "~",
    "null",
    "1",
    "-1.5",
    "2024-02-30",
    "2024-01-01",
    "现行",
    "被代替",
    "HNMZ/T 0001-2024",
    "CL-XB",
    "\t",
    "#",
    "|",
    ">",
    "\n",
    "id:",
    "kind: 代码集",
    "supersedes: [HNMZ/T 0002-2024]",
    "\x00",
    "\ufeff",
]

edit = st.tuples(
    st.integers(min_value=0, max_value=60),  # line
    st.sampled_from(["delete", "insert", "replace"]),
    st.lists(st.sampled_from(TOKENS), max_size=6).map("".join),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(target=st.sampled_from(TARGETS), edits=st.lists(edit, min_size=1, max_size=5))
def test_mangled_files_give_problems_not_tracebacks(tmp_path_factory, target: Path, edits) -> None:
    root = tmp_path_factory.mktemp("fuzz") / "standards"
    shutil.copytree(VALID, root)
    lines = (root / target).read_text(encoding="utf-8").split("\n")
    for line, action, text in edits:
        i = line % (len(lines) + 1)
        if action == "delete" and i < len(lines):
            del lines[i]
        elif action == "insert":
            lines.insert(i, text)
        elif i < len(lines):
            lines[i] = lines[i][: len(lines[i]) // 2] + text
    (root / target).write_text("\n".join(lines), encoding="utf-8")
    _, report = load_catalogue(root, today=dt.date(2026, 11, 28))
    for problem in report.problems:
        assert problem.line >= 1 and problem.column >= 1 and problem.message


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(blob=st.binary(max_size=300))
def test_random_bytes_give_problems_not_tracebacks(tmp_path_factory, blob: bytes) -> None:
    root = tmp_path_factory.mktemp("bytes") / "standards"
    root.mkdir(parents=True)
    (root / "x.yaml").write_bytes(blob)
    _, report = load_catalogue(root, today=dt.date(2026, 11, 28))
    assert report.files_checked == 1
