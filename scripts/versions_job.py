"""The minimum- and latest-versions job: stdhub at the floors of its declared ranges, or at
the newest versions they allow, in a venv of its own, through a short smoke run.

    python scripts/versions_job.py --min      # every direct dependency at its floor (>=)
    python scripts/versions_job.py --latest   # the newest versions pyproject.toml allows
    python scripts/versions_job.py --light    # the smoke only, in this environment (CI)

The smoke: `stdhub validate`, `stdhub build` of a small project (the shipped standards,
docs and one small dataset), then `stdhub serve`, fetching a page of the site and a table
of Datasette. It prints the versions it ran with and exits 1 naming the step that broke.
--min and --latest install from PyPI (a few minutes, mostly downloads): run them by hand
or on a schedule, and before widening a range in pyproject.toml (README, "Dependencies").
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
DATASET = "elderly-care-institutions"  # small, no generator
TODAY = "2026-11-28"
STEP_TIMEOUT = 900


def requirements() -> list[Requirement]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [Requirement(line) for line in data["project"]["dependencies"]]


def floors() -> list[str]:
    """`name==floor` for every direct dependency with a `>=` bound."""
    pins = []
    for req in requirements():
        lows = [s.version for s in req.specifier if s.operator == ">="]
        if lows:
            pins.append(f"{req.name}=={lows[0]}")
    return pins


def make_venv(where: Path, mode: str) -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    python = where / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    if mode == "min":
        constraints = where / "floors.txt"
        constraints.write_text("\n".join(floors()) + "\n", encoding="utf-8")
        subprocess.run([*pip, "-c", str(constraints), "-e", str(ROOT)], check=True)
    else:
        subprocess.run([*pip, "--upgrade", "-e", str(ROOT)], check=True)
    return python


def small_project(target: Path) -> Path:
    for name in ("standards", "docs"):
        shutil.copytree(ROOT / name, target / name)
    (target / "datasets").mkdir()
    shutil.copytree(ROOT / "datasets" / DATASET, target / "datasets" / DATASET)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for rel in ("src/stdhub/site/mkdocs_hook.py", "src/stdhub/site/theme"):
        config = config.replace(rel, str(ROOT / rel))
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    return target


def _free_port() -> int:
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        if port < 65000:
            return port


def _get(url: str, timeout: float = 60) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return str(response.read().decode("utf-8"))


def smoke(python: Path, project: Path) -> list[tuple[str, float]]:
    """Validate, build, serve and fetch; the seconds of each step. SystemExit naming a step
    that failed."""
    stdhub = [str(python), "-m", "stdhub"]
    env = {**os.environ, "STDHUB_TODAY": TODAY, "PYTHONUNBUFFERED": "1"}
    times = []
    for step, args in (
        ("validate", ["validate", "--root", str(project / "standards")]),
        ("build", ["build", "--project", str(project), "--quiet"]),
    ):
        start = time.monotonic()
        done = subprocess.run(
            [*stdhub, *args], capture_output=True, text=True, env=env, timeout=STEP_TIMEOUT
        )
        if done.returncode != 0:
            sys.exit(
                f"{step} failed ({done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
            )
        times.append((step, time.monotonic() - start))
    port = _free_port()
    start = time.monotonic()
    proc = subprocess.Popen(
        [*stdhub, "serve", "--project", str(project), "--port", str(port), "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        seen = []
        assert proc.stdout is not None
        for line in proc.stdout:
            seen.append(line)
            if line.startswith("logs: "):
                break
        else:
            sys.exit(f"serve stopped before serving:\n{''.join(seen)[-3000:]}")
        home = _get(f"http://127.0.0.1:{port}/")
        if "湖南省民政标准化信息平台" not in home:
            sys.exit("serve: the site's home page is not stdhub's")
        table = _get(f"http://127.0.0.1:{port + 1}/-/databases.json")
        if DATASET.replace("-", "_") not in table and DATASET not in table:
            sys.exit(f"serve: Datasette does not list {DATASET}: {table[:300]}")
        times.append(("serve", time.monotonic() - start))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    return times


def versions(python: Path) -> str:
    names = " ".join(r.name for r in requirements())
    code = (
        "import importlib.metadata as m, sys\n"
        "print(' '.join(f'{n}=={m.version(n)}' for n in sys.argv[1:]))"
    )
    done = subprocess.run(
        [str(python), "-c", code, *names.split()], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--min", action="store_const", const="min", dest="mode")
    mode.add_argument("--latest", action="store_const", const="latest", dest="mode")
    mode.add_argument("--light", action="store_const", const="light", dest="mode")
    parser.add_argument("--keep", type=Path, help="make the venv and project here, and keep them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="stdhub-versions-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        if args.mode == "light":
            python = Path(sys.executable)
        else:
            python = make_venv(work / "venv", args.mode)
        print(f"{args.mode}: {versions(python)}")
        project = small_project(work / "project")
        for step, seconds in smoke(python, project):
            print(f"{args.mode}: {step} ok ({seconds:.1f} s)")


if __name__ == "__main__":
    main()
