#!/usr/bin/env python3
"""Benchmark the public site: validate, generate and build the shipped content and synthetic
catalogues of 200 and 2,000 standards, each in a temporary folder, with each site builder
(MkDocs + Material, and Zensical where installed) on the same generated pages.

Prints the seconds of each step, wall and CPU (this process and its children: the
background writer, and Zensical, which runs as its own command), the output size and the
search index size (raw and gzipped, which is what a phone downloads); the builders side by
side; and compares with what a user would otherwise do: plain mkdocs-material on the same
generated pages with every page in the navigation, with and without `navigation.prune`.

    python scripts/bench_site.py              # shipped, 200, 2000 (+ baselines at 200)
    python scripts/bench_site.py --sizes 200  # quicker
    python scripts/bench_site.py --builders mkdocs   # one builder only
    python scripts/bench_site.py --baseline-2000   # also the naive build of 2,000 (≈1.5 min)
    python scripts/bench_site.py --short      # 20 standards, each builder: CI runs it (tests/)
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gzip
import importlib.util
import logging
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 28)
DOMAINS = [
    "社会救助",
    "养老服务",
    "儿童福利",
    "婚姻登记",
    "殡葬管理",
    "区划地名",
    "社会组织",
    "慈善事业",
    "社会工作",
    "残疾人福利",
]
WORDS = [
    "申请人",
    "家庭",
    "收入",
    "财产",
    "核对",
    "审核",
    "确认",
    "公示",
    "发放",
    "救助",
    "保障",
    "标准",
    "服务",
    "机构",
    "老年人",
    "护理",
    "评估",
    "等级",
    "登记",
    "证书",
    "材料",
    "窗口",
    "办理",
    "时限",
    "监督",
    "投诉",
    "信息",
    "系统",
    "数据",
    "共享",
    "交换",
    "安全",
    "档案",
    "管理",
    "检查",
    "考核",
    "培训",
    "人员",
    "设施",
    "设备",
    "消防",
    "应急",
    "预案",
    "村",
    "社区",
    "街道",
    "乡镇",
    "县级",
    "民政",
    "部门",
    "儿童",
    "福利",
    "殡仪",
    "火化",
    "墓地",
    "地名",
    "区划",
    "社会组织",
    "慈善",
    "捐赠",
    "志愿",
    "社工",
    "残疾人",
    "补贴",
]


def _text(rng: random.Random, n: int) -> str:
    parts = []
    while sum(len(p) for p in parts) < n:
        parts.append("".join(rng.choice(WORDS) for _ in range(rng.randint(4, 9))))
    return "，".join(parts) + "。"


def _record(i: int, kind: str, rng: random.Random) -> dict:
    year = 2015 + i % 11
    sid = f"HNMZ/T {i:04d}-{year}"
    return {
        "id": sid,
        "title": f"{rng.choice(DOMAINS)}{_text(rng, 8)[:10]}{['规范', '指南', '数据元', '要求'][i % 4]}",
        "kind": kind,
        "level": "本单位规范",
        "nature": "推荐",
        "status": "现行",
        "dates": {"issued": f"{year}-03-01", "effective": f"{year}-05-01"},
        "domains": [rng.choice(DOMAINS)],
        "responsible_unit": "湖南省民政厅测试处",
        "keywords": rng.sample(WORDS, 3),
        "summary": _text(rng, 120),
        "history": [
            {"date": f"{year}-03-01", "event": "批准发布"},
            {"date": f"{year}-05-01", "event": "实施"},
        ],
    }


def synthetic(root: Path, n: int, seed: int = 1) -> None:
    """n standards (40% management, 30% data, 30% service guides), 20 code lists, 4 lists."""
    rng = random.Random(seed)
    std = root / "standards"
    for folder in ("data", "service", "management", "codelists", "lists"):
        (std / folder).mkdir(parents=True)
    for c in range(20):
        doc = {
            "kind": "代码集",
            "id": f"CL-BENCH-{c:02d}",
            "title": f"测试代码集{c}",
            "codes": [{"code": f"{k:02d}", "name": _text(rng, 6)[:8]} for k in range(12)],
        }
        _dump(std / "codelists" / f"CL-BENCH-{c:02d}.yaml", doc)
    ids = []
    for i in range(1, n + 1):
        kind = ("管理标准", "数据标准", "办事指南")[0 if i % 10 < 4 else 1 if i % 10 < 7 else 2]
        doc = _record(i, kind, rng)
        if kind == "管理标准":
            doc["scope"] = _text(rng, 60)
            doc["clauses"] = [
                {
                    "number": str(k),
                    "title": _text(rng, 6)[:6],
                    "clauses": [
                        {"number": f"{k}.{m}", "title": _text(rng, 6)[:6], "text": _text(rng, 90)}
                        for m in (1, 2)
                    ],
                }
                for k in range(1, 5)
            ]
            folder = "management"
        elif kind == "数据标准":
            doc["data_elements"] = [
                {
                    "id": f"E{k:02d}",
                    "name": _text(rng, 6)[:6],
                    "definition": _text(rng, 40),
                    "data_type": "字符型",
                    "max_length": 50,
                    **({"code_list": f"CL-BENCH-{rng.randrange(20):02d}"} if k % 4 == 0 else {}),
                }
                for k in range(12)
            ]
            doc["records"] = [
                {
                    "id": "REC",
                    "name": "记录",
                    "elements": [{"element": f"E{k:02d}", "required": k < 3} for k in range(12)],
                }
            ]
            folder = "data"
        else:
            doc["service"] = {
                "item_name": doc["title"],
                "item_code": f"BENCH-{i:05d}",
                "item_type": "公共服务",
                "legal_basis": ["《社会救助暂行办法》"],
                "implementing_body": "县级民政部门",
                "conditions": [_text(rng, 30) for _ in range(4)],
                "materials": [{"name": _text(rng, 8)[:8], "form": "原件"} for _ in range(4)],
                "steps": [
                    {"name": n_, "description": _text(rng, 40)}
                    for n_ in ("申请", "受理", "审核", "决定")
                ],
                "legal_time_limit": "20 个工作日",
                "fees": "不收费",
            }
            folder = "service"
        ids.append(doc["id"])
        _dump(std / folder / f"{doc['id'].replace('/', '-').replace(' ', '-')}.yaml", doc)
    for kind, lid, prefix, category in (  # the category each list's vocabulary requires
        ("权力清单", "power-list", "QL", "行政给付"),
        ("责任清单", "responsibility-list", "ZR", ""),
        ("公共服务清单", "public-service-list", "GG", "咨询服务"),
        ("政策法规", "policies", "ZC", "规范性文件"),
    ):
        items = [
            {
                "id": f"{prefix}-{k:04d}",
                "name": _text(rng, 10)[:12],
                "domain": rng.choice(DOMAINS),
                "governed_by": [rng.choice(ids)],
                "description": _text(rng, 40),
                **({"category": category} if category else {}),
                **({"text": _text(rng, 60)} if kind == "政策法规" else {}),
            }
            for k in range(max(5, n // 20))
        ]
        _dump(
            std / "lists" / f"{lid}.yaml",
            {
                "kind": kind,
                "id": lid,
                "title": f"测试{kind}",
                "updated": "2026-11-01",
                "items": items,
            },
        )


def _dump(path: Path, doc: dict) -> None:
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def _prepare(project: Path) -> None:
    shutil.copytree(REPO / "docs", project / "docs")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")


def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _index(site: Path) -> bytes:
    """The search index a phone downloads (Material's, or Zensical's own)."""
    for rel in ("search/search_index.json", "search.json"):
        if (site / rel).exists():
            return (site / rel).read_bytes()
    return b""


def run(project: Path, label: str, builder: str = "mkdocs") -> dict:
    """Validate, generate and build one project, as `stdhub build` does; print the figures."""
    from stdhub.config import load_config
    from stdhub.project import load_catalogue
    from stdhub.site import build_site

    t0, cpu0 = time.perf_counter(), _cpu()
    catalogue, report = load_catalogue(project / "standards", today=TODAY, base=project)
    if not report.ok:
        sys.exit(report.as_text())
    t1 = time.perf_counter()
    site = project / "build" / f"site-{builder}"
    steps: dict[str, float] = {}
    config = dataclasses.replace(load_config(project), builder=builder)
    cpu1 = _cpu()
    build_site(catalogue, project, site, today=TODAY, config=config, timings=steps)
    t3, cpu = time.perf_counter(), _cpu() - cpu0
    t2 = t1 + steps["generate"]
    raw = _index(site)
    figures = {
        "label": label,
        "builder": builder,
        "standards": len(catalogue.standards),
        "validate": t1 - t0,
        "generate": t2 - t1,
        "build": t3 - t2,
        "total": t3 - t0,
        "cpu": cpu,
        "site_cpu": _cpu() - cpu1,
        "output": _size(site),
        "index": len(raw),
        "index_gz": len(gzip.compress(raw, 6)),
        "pages": sum(1 for _ in site.rglob("index.html")),
    }
    print(
        f"{label:>10} {figures['standards']:>6} standards {figures['pages']:>6} pages "
        f"{builder:>8} | validate {figures['validate']:6.2f} s  generate "
        f"{figures['generate']:6.2f} s  {builder} {figures['build']:6.2f} s  total "
        f"{figures['total']:6.2f} s (CPU {cpu:6.2f} s, load {os.getloadavg()[0]:.1f}) | "
        f"output {_mb(figures['output'])}, search index {_mb(figures['index'])} "
        f"({_mb(figures['index_gz'])} gzipped)",
        flush=True,
    )
    return figures


def compare(by_builder: dict[str, dict]) -> None:
    """The builders side by side on the same pages: wall and CPU seconds of the site step
    (generate + builder + what runs beside it)."""
    if len(by_builder) < 2:
        return
    mk, ze = by_builder["mkdocs"], by_builder["zensical"]
    wall = {b: f["generate"] + f["build"] for b, f in by_builder.items()}
    print(
        f"{'':>10} same pages, site step: mkdocs-material {wall['mkdocs']:6.2f} s wall "
        f"{mk['site_cpu']:6.2f} s CPU; Zensical {wall['zensical']:6.2f} s wall "
        f"{ze['site_cpu']:6.2f} s CPU (Zensical/mkdocs: {wall['zensical'] / wall['mkdocs']:.2f}× "
        f"wall, {ze['site_cpu'] / mk['site_cpu']:.2f}× CPU)",
        flush=True,
    )


def naive(project: Path, prune: bool) -> float:
    """What a user would otherwise do: the same pages, every one in the navigation."""
    from stdhub.config import read_mkdocs_yml
    from stdhub.site import builder

    src = project / "build" / ".site-src"
    for page in (src / "docs" / "standards").rglob("index.md"):  # let the theme index them
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace('search: {"exclude": true}\n', ""), encoding="utf-8")
    pages = sorted(
        str(p.relative_to(src / "docs"))
        for p in (src / "docs").rglob("*.md")
        if not p.name.startswith("_")
    )
    theme = read_mkdocs_yml(project / "mkdocs.yml")["theme"]
    features = [f for f in theme["features"] if f != "navigation.prune"]
    theme["features"] = features + (["navigation.prune"] if prune else [])
    out = project / "build" / f"naive-{'prune' if prune else 'full'}"
    overrides = {
        "docs_dir": str(src / "docs"),
        "site_dir": str(out),
        "nav": pages,
        "not_in_nav": "",
        "theme": theme,
        "hooks": [],
        "watch": [],
    }
    t = time.perf_counter()
    builder.run(project / "mkdocs.yml", overrides, strict=False)
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[200, 2000])
    parser.add_argument("--no-baseline", action="store_true", help="skip the naive builds")
    parser.add_argument(
        "--builders",
        nargs="+",
        choices=["mkdocs", "zensical"],
        default=["mkdocs", *(["zensical"] if importlib.util.find_spec("zensical") else [])],
        help="the site builders to measure [default: mkdocs, and zensical where installed]",
    )
    parser.add_argument(
        "--baseline-2000",
        action="store_true",
        help="also build 2,000 standards the naive way (slow: ≈1.5 min)",
    )
    parser.add_argument(
        "--short", action="store_true", help="20 synthetic standards only, no baseline (CI)"
    )
    args = parser.parse_args()
    if args.short:
        args.sizes, args.no_baseline = [20], True
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    results = {}
    with tempfile.TemporaryDirectory(prefix="stdhub-bench-") as tmp:
        shipped = Path(tmp) / "shipped"
        shipped.mkdir()
        shutil.copytree(REPO / "standards", shipped / "standards")
        _prepare(shipped)
        if not args.short:
            by = {b: run(shipped, "shipped", b) for b in args.builders}
            compare(by)
            results["shipped"] = by[args.builders[0]]
        for n in args.sizes:
            project = Path(tmp) / f"n{n}"
            synthetic(project, n)
            _prepare(project)
            by = {b: run(project, "synthetic", b) for b in args.builders}
            compare(by)
            results[n] = by[args.builders[0]]
            if not args.no_baseline and (n <= 200 or args.baseline_2000):
                full, pruned = naive(project, prune=False), naive(project, prune=True)
                print(
                    f"{'':>10} baseline, same pages all in the navigation: "
                    f"mkdocs {full:6.2f} s; with navigation.prune {pruned:6.2f} s "
                    f"(stdhub's {args.builders[0]} step: {results[n]['build'] / full:.2f}× and "
                    f"{results[n]['build'] / pruned:.2f}× of them)",
                    flush=True,
                )
    print(
        f"\n(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs: on a busy machine "
        "wall seconds grow; compare the CPU seconds)"
    )
    if 200 in results and 2000 in results:
        small, big = results[200], results[2000]
        ratio = big["total"] / small["total"]
        print(
            f"\n2,000 standards ({args.builders[0]}): {big['total']:.1f} s all told "
            f"({'OK' if big['total'] <= 10 else 'OVER'} the 10 s goal of issue 25); "
            f"{ratio:.1f}× the time of 200 ({'OK' if ratio <= 11 else 'OVER'} the 11× goal); "
            f"search index {_mb(big['index'])}, {_mb(big['index_gz'])} gzipped "
            f"({big['index_gz'] / big['standards'] / 1000:.1f} KB a standard)"
        )


if __name__ == "__main__":
    main()
