"""Regenerate `requirements.lock`: exact versions and hashes of stdhub's dependencies and of
its `test`, `bench` and `zensical` extras, resolved from PyPI for CPython 3.11 on Linux x86-64.

    python scripts/lock.py            # needs uv: `pip install uv` (anywhere on PATH)
    python scripts/lock.py --upgrade  # newest versions inside pyproject.toml's ranges

Resolved for Python 3.11.0 and later, so any 3.11 installs it (Debian 12's is 3.11.2):
hence pymdown-extensions 12 (13 needs 3.11.5). Without --upgrade the versions already in the lock are kept where they still fit. Then
install from it (README): `pip install -r requirements.lock && pip install --no-deps -e .`
and run the tests before committing the new lock.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"


def command(upgrade: bool) -> list[str]:
    uv = shutil.which("uv")
    if uv is None:
        sys.exit("找不到 uv：请先 pip install uv（uv not found: pip install uv）")
    return [
        uv,
        "pip",
        "compile",
        "pyproject.toml",
        "--extra",
        "test",
        "--extra",
        "bench",
        "--extra",
        "zensical",
        "--generate-hashes",
        "--python-version",
        "3.11",
        "--python-platform",
        "x86_64-manylinux_2_28",
        "--no-config",  # PyPI only: what a fresh machine installs from
        "--index-url",
        "https://pypi.org/simple",
        "--custom-compile-command",
        "python scripts/lock.py",
        "--quiet",
        *(["--upgrade"] if upgrade else []),
        "-o",
        str(LOCK.relative_to(ROOT)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upgrade", action="store_true", help="newest versions in the ranges")
    args = parser.parse_args()
    subprocess.run(command(args.upgrade), cwd=ROOT, check=True)
    print(f"{LOCK.relative_to(ROOT)}: {LOCK.read_text(encoding='utf-8').count('==')} pins")


if __name__ == "__main__":
    main()
