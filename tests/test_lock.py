"""requirements.lock pins every declared dependency (the app's and its test, bench and
zensical extras') inside its range, with hashes; the versions job's floors are the ranges' own
(scripts/lock.py, scripts/versions_job.py); and stdhub runs at those floors."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s\\;]+)", re.MULTILINE)


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    locked = [*extras["test"], *extras["bench"], *extras["zensical"]]
    return [Requirement(r) for r in [*project["dependencies"], *locked]]


def _pins() -> dict[str, str]:
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    return {canonicalize_name(name): version for name, version in PIN.findall(text)}


def test_every_declared_dependency_is_pinned_inside_its_range() -> None:
    pins = _pins()
    for req in _declared():
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is not in requirements.lock: python scripts/lock.py"
        assert req.specifier.contains(pins[name], prereleases=True), (req, pins[name])


def test_every_pin_has_hashes() -> None:
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=[A-Za-z0-9._-]+==)", text.split("\n", 2)[2])
    assert len(blocks) == len(_pins()) > 50
    for block in blocks:
        assert re.search(r"--hash=sha256:[0-9a-f]{64}", block), block[:80]


def test_the_lock_says_how_it_is_made() -> None:
    head = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()[:2]
    assert head[1].strip("# ") == "python scripts/lock.py"


def _versions_job():
    spec = importlib.util.spec_from_file_location("versions_job", ROOT / "scripts/versions_job.py")
    assert spec and spec.loader
    job = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(job)
    return job


def test_the_floors_of_the_versions_job_are_inside_the_ranges() -> None:
    job = _versions_job()
    ranges = {canonicalize_name(r.name): r.specifier for r in _declared()}
    floors = dict(pin.split("==") for pin in job.floors())
    assert floors["datasette"] == "0.65.4"
    for name, version in floors.items():
        assert ranges[canonicalize_name(name)].contains(version), (name, version)


@pytest.mark.slow
def test_stdhub_runs_at_the_declared_minimum_versions() -> None:
    """The minimum-versions job (`scripts/versions_job.py --min`, issue 27): every direct
    dependency at its floor in a venv of its own, from PyPI; then validate, build and serve
    a small project and read a page of the site and a table of Datasette. About 1½ min."""
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
    for pin in _versions_job().floors():  # each dependency ran at its declared floor
        name, floor = pin.split("==")
        assert Version(installed[name]) == Version(floor), (pin, installed[name])
    for step in ("validate", "build", "serve"):
        assert f"min: {step} ok" in done.stdout, said
