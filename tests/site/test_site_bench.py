"""The site benchmark runs in CI in its short mode, so it cannot rot: each builder builds the
same 20 synthetic standards and the two are compared (scripts/bench_site.py --short)."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys

from site_helpers import REPO


def test_the_site_benchmark_runs_in_its_short_mode() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "bench_site.py"), "--short"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    builders = ["mkdocs"]
    if importlib.util.find_spec("zensical") or os.environ.get("STDHUB_REQUIRE_ZENSICAL"):
        builders.append("zensical")
    for builder in builders:
        line = re.search(
            rf"20 standards +(\d+) pages +{builder} \|.*total +([\d.]+) s", done.stdout
        )
        assert line, (builder, done.stdout)
        assert int(line.group(1)) > 20 and float(line.group(2)) > 0
    if len(builders) == 2:
        assert re.search(r"Zensical/mkdocs: [\d.]+× wall, [\d.]+× CPU", done.stdout), done.stdout
