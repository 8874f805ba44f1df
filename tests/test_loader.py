"""Loading: parallel and serial checking say exactly the same; positions survive the workers."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from stdhub.project import load_catalogue
from stdhub.standards import loader

CASES = Path(__file__).parent / "cases"


def _tree_with_many_problems(tmp_path: Path) -> Path:
    """Every case tree side by side: dozens of files, most problems at once."""
    root = tmp_path / "standards"
    for case in sorted(CASES.iterdir()):
        if (case / "standards").is_dir() and case.name not in ("F004",):
            shutil.copytree(case / "standards", root / case.name)
    return root


def test_parallel_and_serial_reports_are_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _tree_with_many_problems(tmp_path)
    today = dt.date(2026, 11, 28)
    monkeypatch.setattr(loader, "PARALLEL_FROM", 10**9)
    _, serial = load_catalogue(root, today=today)
    monkeypatch.setattr(loader, "PARALLEL_FROM", 1)
    monkeypatch.setattr(loader.os, "cpu_count", lambda: 2)
    _, parallel = load_catalogue(root, today=today)
    assert serial.as_text() == parallel.as_text()
    assert len(serial.errors) > 30  # the comparison means something
    # cross-check problems (found after the workers) still carry real positions
    assert any(p.code == "X001" and p.line > 1 for p in parallel.errors)


def test_catalogue_indexes_versions_and_users(tmp_path: Path) -> None:
    root = tmp_path / "standards"
    shutil.copytree(CASES / "valid" / "standards", root)
    cat, report = load_catalogue(root, today=dt.date(2026, 11, 28))
    assert report.ok
    assert set(cat.standards) == {"HNMZ/T 0001-2024", "HNMZ/T 0002-2024"}
    assert cat.latest("HNMZ/T 0001").id == "HNMZ/T 0001-2024"
    assert [u.id for u, _ in cat.code_list_users("CL-XB")] == ["HNMZ/T 0002-2024"]
    assert [i.id for _, i in cat.governed_items("HNMZ/T 0001-2024")] == ["ZC-001"]
