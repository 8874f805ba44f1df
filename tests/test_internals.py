"""The versions stdhub runs with and the dependency internals it relies on (stdhub.internals)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from stdhub import internals

SRC = Path(__file__).resolve().parents[1] / "src"


def test_the_installed_versions_and_internals_are_the_ones_stdhub_runs_with() -> None:
    internals.check_versions()
    internals.check_internals()
    names = {r.name for r in internals.requirements()}
    assert {"datasette", "mkdocs-material", "rich"} <= names  # read from pyproject.toml
    assert not {"pytest", "playwright"} & names  # the extras are not the app's


def test_every_internal_names_a_file_that_uses_it() -> None:
    for internal in internals.INTERNALS:
        path = SRC / internal.used_in.split("（")[0]
        assert path.is_file(), internal
        assert internal.package in {r.name for r in internals.requirements()} | {"uvicorn"}


@pytest.mark.parametrize(("package", "version"), [("datasette", "0.65.3"), ("mkdocs", "1.5.3")])
def test_a_version_outside_the_range_is_refused_at_start(
    tmp_path: Path, package: str, version: str
) -> None:
    """A distribution found first on the path at a version stdhub cannot run with: the
    command stops before doing anything, naming the package and its version, in Chinese."""
    done = _stdhub_with(tmp_path, package, version, "codes")
    assert done.returncode == 1, done
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
    assert f"{package} {version} 不可用" in done.stderr, done.stderr
    assert "requirements.lock" in done.stderr


def test_an_optional_builder_outside_its_range_is_refused_at_start(tmp_path: Path) -> None:
    """`--builder zensical` with a Zensical stdhub cannot run with (0.1 needs a package that
    is not on PyPI): refused before anything is built, naming the version and the fix."""
    project = tmp_path / "project"  # never reached: nothing is read or built
    done = _stdhub_with(
        tmp_path, "zensical", "0.1.1", "build", "--builder", "zensical", "--project", str(project)
    )
    assert done.returncode == 1, done
    assert "Traceback" not in done.stderr
    assert "zensical 0.1.1 不可用（stdhub 需要 zensical<0.1,>=0.0.73）" in done.stderr, done.stderr
    assert not (project / "build").exists()
    assert internals.extra_requirements("zensical")  # declared in pyproject.toml


def _stdhub_with(
    tmp_path: Path, package: str, version: str, *args: str
) -> subprocess.CompletedProcess[str]:
    """`python -m stdhub *args` with a distribution `package` at `version` first on the path
    (a dist-info in `tmp_path`), as a floating install or a stray site-packages would put it."""
    info = tmp_path / f"{package.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {package}\nVersion: {version}\n", encoding="utf-8"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "stdhub", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
