"""Benchmark `stdhub validate` on a synthetic corpus of standards, next to plain YAML parsing.

    python scripts/bench_validate.py [--count 2000]

Prints seconds for: PyYAML's pure-Python `safe_load`, libyaml's `CSafeLoader` (the floor:
parsing only, no positions, no checks), and all of `stdhub validate` (positions, schema,
cross-checks) on the same files, with the ratio to the floor. The goal (issue 2) is
`stdhub validate` on 2,000 files of about 3 KB in at most 2 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from stdhub.problems import Report
from stdhub.project import load_catalogue

DOMAINS = ["社会救助", "养老服务", "儿童福利", "婚姻登记", "殡葬管理", "区划地名", "社会组织"]


def standard(n: int) -> str:
    """One management standard of about 3 KB, referencing its neighbour."""
    ref = f"\nreferences: [HNMZ/T {n - 1:04d}-2024]" if n > 1 else ""
    clauses = "".join(
        f"""  - number: "{c}"
    title: 第{c}章 要求
    text: 服务机构应当建立健全服务质量管理制度，明确岗位职责，定期开展服务质量评估，并向社会公开评估结果。第{n}号标准第{c}章。
    clauses:
      - number: "{c}.1"
        title: 一般要求
        text: 工作人员应当持证上岗，接受岗前培训和继续教育，熟悉相关法律法规和操作规程。
"""
        for c in range(1, 9)
    )
    return f"""id: HNMZ/T {n:04d}-2024
title: 第{n}号民政服务管理规范
kind: 管理标准
level: 本单位规范
nature: 推荐
status: 现行
dates:
  issued: 2024-01-10
  effective: 2024-03-01
domains: [{DOMAINS[n % len(DOMAINS)]}]
responsible_unit: 湖南省民政厅
keywords: [服务, 管理, 规范]{ref}
summary: 本标准规定了民政服务机构的服务内容、服务要求、管理要求和评价改进。
scope: 本标准适用于全省各级民政服务机构。
clauses:
{clauses}history:
  - {{date: 2023-05-01, event: 立项, note: 列入年度标准制修订计划}}
  - {{date: 2024-01-10, event: 批准发布}}
  - {{date: 2024-03-01, event: 实施}}
"""


def make_corpus(root: Path, count: int) -> int:
    folder = root / "standards" / "management"
    folder.mkdir(parents=True)
    total = 0
    for n in range(1, count + 1):
        text = standard(n)
        total += len(text.encode())
        (folder / f"HNMZ-T-{n:04d}-2024.yaml").write_text(text, encoding="utf-8")
    return total


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        size = make_corpus(root, args.count)
        files = sorted((root / "standards").rglob("*.yaml"))
        texts = [f.read_bytes() for f in files]  # warm the page cache for everyone
        print(f"corpus: {len(files)} files, {size / len(files) / 1024:.1f} KB each on average")

        t_pure = timed(lambda: [yaml.load(t, Loader=yaml.SafeLoader) for t in texts])
        t_c = timed(lambda: [yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader) for f in files])

        def run() -> None:
            _, report = load_catalogue(root / "standards", today=dt.date(2026, 11, 28))
            assert report.ok, report.as_text()[-2000:]

        t_lib = timed(run)
        start = time.perf_counter()
        cmd = [sys.executable, "-m", "stdhub", "validate", "--root", str(root / "standards")]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        t_cli = time.perf_counter() - start
        assert proc.returncode == 0, proc.stdout[-2000:]
        _ = Report

    print(f"{'yaml.safe_load (pure Python)':40s} {t_pure:7.2f} s")
    print(f"{'yaml CSafeLoader (libyaml, the floor)':40s} {t_c:7.2f} s")
    print(f"{'stdhub validate (in process)':40s} {t_lib:7.2f} s   {t_lib / t_c:4.1f}x the floor")
    print(
        f"{'stdhub validate (command, with start-up)':40s} {t_cli:7.2f} s   {t_cli / t_c:4.1f}x the floor"
    )
    goal = 2.0 * args.count / 2000
    verdict = "met" if t_cli <= goal else "NOT met"
    print(f"goal: all of `stdhub validate` in <= {goal:.1f} s for {args.count} files: {verdict}")


if __name__ == "__main__":
    main()
