"""The project's one gate: style, lint, types, then the tests. Exit code: the first failure's.

    python scripts/check.py            # everything, as `.ci/run` and the README run it
    python scripts/check.py --no-tests # the fast part, as pre-commit runs it
    python scripts/check.py -- -k yaml # anything after `--` goes to pytest

Each step is a well-kept tool run as it is: `ruff format --check`, `ruff check`,
`mypy src`, `pytest` (its strictness, `--strict-markers` and warnings as errors, lives in
`pyproject.toml`).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PATHS = ["src", "tests", "scripts"]
STEPS = [
    ("ruff format", [str(BIN / "ruff"), "format", "--check", *PATHS]),
    ("ruff check", [str(BIN / "ruff"), "check", *PATHS]),
]
TESTS = [sys.executable, "-m", "pytest"]


def main(argv: list[str]) -> int:
    extra = argv[argv.index("--") + 1 :] if "--" in argv else []
    steps = list(STEPS)
    if "--no-tests" not in argv:
        steps.append(("pytest", TESTS + extra))
    for name, command in steps:
        print(f"== {name}", flush=True)
        done = subprocess.run(command, cwd=ROOT, check=False)
        if done.returncode != 0:
            print(f"== {name} failed (exit {done.returncode})", file=sys.stderr)
            return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
