"""Reproducible builds: the same sources, built in two fresh copies (at other paths, other
hash seeds, a second apart), give byte-identical `build/` trees, so a release that changes
nothing looks unchanged to harvesters (issue 20)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from test_build import REPO, TODAY, _project, snapshot

LEXICAL = REPO / "tests" / "fixtures" / "cases" / "download-lexical-options" / "datasets"


def _build(project: Path, seed: str) -> None:
    env = {**os.environ, "STDHUB_TODAY": TODAY.isoformat(), "PYTHONHASHSEED": seed}
    env.pop("SOURCE_DATE_EPOCH", None)
    done = subprocess.run(
        [sys.executable, "-m", "stdhub", "build", "--project", str(project)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_two_fresh_copies_build_byte_identical_trees(tmp_path: Path) -> None:
    trees = []
    for i, seed in enumerate(("1", "2")):
        project = _project(tmp_path / f"copy{i}")
        shutil.copytree(LEXICAL / "bh-lexical", project / "datasets" / "bh-lexical")
        if i:
            time.sleep(2)  # ZIP dates have a two-second resolution
        _build(project, seed)
        trees.append(snapshot(project / "build"))
    first, second = trees
    assert any(k.endswith(".zip") for k in first) and any(k.endswith(".xlsx") for k in first)
    assert any(k.endswith("catalog.jsonld") for k in first)
    differ = sorted(k for k in first.keys() | second.keys() if first.get(k) != second.get(k))
    assert differ == []
    downloads = tmp_path / "copy1" / "build" / "site" / "opendata" / "bh-lexical" / "downloads"
    for path in [*downloads.glob("*.zip"), *downloads.glob("*.xlsx")]:
        with zipfile.ZipFile(path) as zf:  # the package's `updated`: 2026-01-15
            assert {i.date_time for i in zf.infolist()} == {(2026, 1, 15, 0, 0, 0)}, path


def test_archive_date_is_source_date_epoch_else_updated(monkeypatch) -> None:
    from stdhub.datasets.manifest import Dataset
    from stdhub.opendata.downloads import archive_date
    from stdhub.vocab import Access

    d = Dataset("x", "x", "", Access.OPEN, (), last_updated=TODAY)
    assert archive_date(d) == (2026, 11, 28, 0, 0, 0)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert archive_date(d) == (2023, 11, 14, 22, 13, 20)
