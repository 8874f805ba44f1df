"""YAML loading keeps positions, reads plain scalars as YAML 1.1 does, and refuses what can hurt."""

from __future__ import annotations

from pathlib import Path

from stdhub.problems import Report
from stdhub.yamlsource import load, parse


def _parse(text: str):
    report = Report()
    return parse(text, report, Path("x.yaml"), "x.yaml"), report


def test_scalars_and_positions() -> None:
    src, report = _parse("a: 1\nb:\n  - yes\n  - 2024-02-30\n  - '007'\n  - 0x1F\n  - ~\n  - 1.5\n")
    assert report.ok
    assert src.data == {"a": 1, "b": [True, "2024-02-30", "007", 31, None, 1.5]}
    assert src.where(("b", 1)) == (4, 5)
    assert src.where(("b",), key=True) == (2, 1)
    assert src.where(("b", 1, "missing")) == (4, 5)  # falls back to the nearest parent


def test_bom_is_accepted(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_bytes("\ufeffkind: 代码集\n".encode())
    report = Report()
    assert load(f, report).data == {"kind": "代码集"}


def test_gbk_is_named(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_bytes("title: 婚姻登记\n".encode("gbk"))
    report = Report()
    assert load(f, report) is None
    [problem] = report.errors
    assert problem.code == "F001" and "GBK" in problem.message


def test_merge_keys_and_non_string_keys_are_refused() -> None:
    for text, code in (("a: &x {b: 1}\nc:\n  <<: *x\n", "Y003"), ("? [1]\n: v\n", "Y006")):
        src, report = _parse(text)
        assert src is None and [p.code for p in report.errors] == [code]


def test_aliases_within_limits_are_fine() -> None:
    src, report = _parse("a: &x [1, 2]\nb: *x\n")
    assert report.ok and src.data == {"a": [1, 2], "b": [1, 2]}
