"""stdhub runs at the floors of the ranges pyproject.toml declares (issue 27): the
minimum-versions job (`scripts/versions_job.py --min`) installs every direct dependency at
its floor in a venv of its own, from PyPI, then validates, builds and serves a small
project and reads a page of the site and a table of Datasette. About two minutes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]


def _declared() -> list[Requirement]:
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [Requirement(line) for line in data["project"]["dependencies"]]


@pytest.mark.slow
def test_stdhub_runs_at_the_declared_minimum_versions() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "versions_job.py"), "--min"],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    said = done.stdout + done.stderr[-3000:]
    assert done.returncode == 0, said
    ran = next(
        line for line in done.stdout.splitlines() if line.startswith("min: ") and "==" in line
    )
    installed = dict(pin.split("==") for pin in ran.removeprefix("min: ").split())
    for req in _declared():
        floor = next((s.version for s in req.specifier if s.operator == ">="), None)
        if floor is not None:  # each dependency ran at its declared floor
            assert Version(installed[req.name]) == Version(floor), (req, installed[req.name])
    for step in ("validate", "build", "serve"):
        assert f"min: {step} ok" in done.stdout, said
