"""Load test of the published Datasette against a bare `datasette` on the same rows.

    python scripts/bench_serve.py [--duration 20] [--connections 32] [--only mixed|compare]

Uses the largest table of `build/data/` (run `stdhub build` first; the 1M-row
`dibao-village-monthly.monthly`). Two instances on loopback, loaded one at a time with
wrk (bounded by `--duration`, 2 threads, 10 s timeout):

- stdhub: the generated configuration directory (immutable, counts from inspect data,
  declared facets, settings of `stdhub.datasette.settings`, the page cache);
- bare: `datasette bare.db --setting suggest_facets off`, the same rows loaded by
  `sqlite-utils insert --csv` (types detected; full-text index by `sqlite-utils
  enable-fts`), everything else default — what a user would otherwise run.

The mix (same addresses on both, 100+ distinct): the faceted table page unfiltered and
filtered by each division, filtered JSON, Chinese full-text search (on the villages table
of the same database: the statistics table has no text) and a canned statistic (on bare:
the same SQL through `?sql=`). It prints, per instance: first-request latencies (one
client, each address once: what an empty cache costs), then req/s, p50 and p99 of the
whole mix and of the faceted pages alone with 32 concurrent clients, errors and facet
time-outs, and the ratios.

First, the mixed run (`--only mixed` for just this): 32 connections for 30 s over the mix
above plus every canned statistic and row pages, every fourth request an address never
asked before (neither cache can help): errors, time-outs and p99 (goal 0, 0, <= 1 s) of
Datasette alone, and through nginx (`stdhub deploy nginx`) with one and two Datasette
processes.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import pwd
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, urlencode

from stdhub.config import Config
from stdhub.datasets.manifest import read_manifest
from stdhub.datasette.build import publish_datasette
from stdhub.datasette.queries import table_queries
from stdhub.datasette.roles import roles
from stdhub.deploy import find_nginx, write_nginx
from stdhub.errors import ManifestError
from stdhub.processes import start_datasette, stop, wait_until_up
from stdhub.project import load_catalogue

ROOT = Path(__file__).resolve().parent.parent
SEARCH_WORDS = ["桃花", "白沙", "金星", "红旗", "长乐", "龙泉", "清水", "东山", "和平", "幸福"]
MONTHS = ["2025-06", "2024-12", "2023-01", "2022-07", "2021-03"]
FILTERED_JSON = 20

LUA_DONE = r"""
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
"""
LUA = (
    r"""
local paths, n = {}, 0
for line in io.lines(os.getenv("WRK_PATHS")) do n = n + 1; paths[n] = line end
local counter = 0
function setup(thread) counter = counter + 1; thread:set("offset", counter * 7919) end
function init(args) i = offset end
function request() i = i + 1; return wrk.format("GET", paths[(i % n) + 1]) end
"""
    + LUA_DONE
)


# The mixed run: every fourth request is an address never asked before (a unique `_u=`
# parameter, which Datasette ignores), so neither cache can answer it.
LUA_MIXED = (
    r"""
local paths, n = {}, 0
for line in io.lines(os.getenv("WRK_PATHS")) do n = n + 1; paths[n] = line end
local counter = 0
function setup(thread) counter = counter + 1; thread:set("id", counter) end
function init(args) i = id * 7919 end
function request()
  i = i + 1
  local path = paths[(i % n) + 1]
  if i % 4 == 0 then
    local sep = string.find(path, "?", 1, true) and "&" or "?"
    path = path .. sep .. "_u=" .. id .. "-" .. i
  end
  return wrk.format("GET", path)
end
"""
    + LUA_DONE
)


def largest_table(manifest):
    return max(
        ((d, t) for d in manifest.open_datasets for t in d.tables),
        key=lambda dt_: dt_[1].rows or 0,
    )


def mix(dataset, table, db: Path, bare: bool) -> dict[str, list[str]]:
    """The addresses of each kind; `bare` asks for the facets the metadata declares for us."""
    r = roles(table)
    division = r.division.name
    facets = [f.name for f in r.coded] + ([r.month.name] if r.month else [])
    base = f"/{dataset.name}/{table.name}"
    extra = [("_facet", f) for f in facets] if bare else []
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    codes = [c for (c,) in conn.execute(f"select distinct {division} from {table.name} order by 1")]
    conn.close()
    category = next(iter(r.categories), None)
    faceted = [base + ("?" + urlencode(extra) if extra else "")]
    faceted += [f"{base}?{urlencode([(division, c), *extra])}" for c in codes]
    filtered = []
    for c in codes[:FILTERED_JSON]:
        params = [(division, c)] + ([(category.name, "2")] if category else [])
        filtered.append(f"{base}.json?{urlencode(params)}")
    fts_table = next(t for t in dataset.tables if t.fts_table)
    search = [f"/{dataset.name}/{fts_table.name}?_search={quote(w)}" for w in SEARCH_WORDS]
    query = next(q for q in table_queries(table) if q.name.endswith("_by_division_month"))
    if bare:
        canned = [
            f"/{dataset.name}.json?{urlencode({'sql': query.sql, 'month': m})}" for m in MONTHS
        ]
    else:
        canned = [f"/{dataset.name}/{query.name}?month={m}" for m in MONTHS]
    return {"faceted": faceted, "filtered json": filtered, "search": search, "canned": canned}


def load_bare(db: Path, dataset, out: Path) -> Path:
    """The same rows through sqlite-utils, as someone without stdhub would load them.

    Kept in `out` (build/bench/) while the source database is unchanged: loading a
    million rows through sqlite-utils takes over a minute.
    """
    out.mkdir(parents=True, exist_ok=True)
    bare = out / f"{dataset.name}.db"
    stamp = out / f"{dataset.name}.stamp"
    source = f"{db.stat().st_size}:{db.stat().st_mtime_ns}"
    if bare.exists() and stamp.exists() and stamp.read_text() == source:
        return bare
    bare.unlink(missing_ok=True)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    tables = [(t.name, [f.name for f in t.fields], t) for t in dataset.tables]
    tables += [(c.name, ["code", c.label_column], None) for c in dataset.code_tables]
    for name, columns, t in tables:
        path = out / f"{name}.csv"
        cursor = conn.execute(f"select {', '.join(columns)} from [{name}]")
        with path.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow([d[0] for d in cursor.description])
            w.writerows(cursor)
        tool = Path(sys.executable).with_name("sqlite-utils")
        quiet = {"check": True, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        subprocess.run([tool, "insert", bare, name, path, "--csv"], **quiet)
        path.unlink()
        if t and t.fts_table:
            subprocess.run([tool, "enable-fts", bare, t.name, *t.fts_columns], **quiet)
    conn.close()
    stamp.write_text(source)
    return bare


def tune(bare: Path, table, out: Path) -> tuple[Path, Path]:
    """A copy of the bare database with indexes on the faceted columns, and inspect data
    for immutable mode: the best a user can do with Datasette's own options."""
    tuned = out / "tuned" / bare.name
    tuned.parent.mkdir(exist_ok=True)
    shutil.copy(bare, tuned)
    r = roles(table)
    tool = Path(sys.executable).with_name("sqlite-utils")
    for f in [*r.coded, *([r.month] if r.month else [])]:
        subprocess.run([tool, "create-index", tuned, table.name, f.name], check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
    inspect = out / "tuned" / "inspect.json"
    subprocess.run([sys.executable, "-m", "datasette", "inspect", tuned, "--inspect-file", inspect],
                   check=True)  # fmt: skip
    return tuned, inspect


def start_bare(db: Path, port: int, inspect: Path | None = None) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "datasette", "serve", "--port", str(port),
           "--setting", "suggest_facets", "off"]  # fmt: skip
    cmd += ["-i", str(db), "--inspect-file", str(inspect)] if inspect else [str(db)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_up(f"http://127.0.0.1:{port}/-/versions.json", proc, 60)
    return proc


def first_requests(base: str, paths: list[str]) -> tuple[list[float], int]:
    """Each address once, one client: (latencies in ms, responses with timed-out facets)."""
    times, timed_out = [], 0
    for path in paths:
        start = time.perf_counter()
        with urllib.request.urlopen(base + path, timeout=60) as response:
            body = response.read()
        times.append((time.perf_counter() - start) * 1000)
        timed_out += b'class="facets-timed-out"' in body or b'"facets_timed_out": ["' in body
    return times, timed_out


def wrk(
    base: str, paths: list[str], duration: int, connections: int, work: Path, lua: str = LUA
) -> dict:
    (work / "paths.txt").write_text("\n".join(paths) + "\n", encoding="utf-8")
    (work / "mix.lua").write_text(lua, encoding="utf-8")
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
           "-s", str(work / "mix.lua"), base]  # fmt: skip
    env = {"WRK_PATHS": str(work / "paths.txt"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=duration + 60)
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["errors"] = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
    # Throughput counts answered requests only: a timed-out request is not served.
    result["ok"] = max(0, result["requests"] - result["errors"])
    result["rps"] = result["ok"] / (result["duration_us"] / 1e6)
    return result


def pct(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100)[int(p) - 1] if len(values) > 1 else values[0]


def run_instance(name, base, kinds, args, work) -> dict:
    everything = [p for paths in kinds.values() for p in paths]
    out = {"name": name, "distinct": len(set(everything))}
    if name.startswith("stdhub"):
        times, timed_out = first_requests(base, everything)
        out["first"] = (pct(times, 50), pct(times, 99), max(times), timed_out)
    out["mix"] = wrk(base, everything, args.duration, args.connections, work)
    out["faceted"] = wrk(base, kinds["faceted"], args.duration, args.connections, work)
    _, out["timed_out"] = first_requests(
        base, kinds["faceted"][:: max(1, len(kinds["faceted"]) // 10)]
    )
    return out


def show(r: dict) -> None:
    print(f"\n{r['name']}: {r['distinct']} distinct addresses")
    if "first" in r:
        p50, p99, worst, timed_out = r["first"]
        print(f"  first request of each (empty cache, 1 client): p50 {p50:.0f} ms, p99 {p99:.0f} ms, "
              f"max {worst:.0f} ms, facet time-outs {timed_out}")  # fmt: skip
    for key in ("mix", "faceted"):
        m = r[key]
        print(f"  {key:8s} {m['rps']:8.1f} req/s  p50 {m['p50_us'] / 1000:7.1f} ms  "
              f"p99 {m['p99_us'] / 1000:7.1f} ms  answered {m['ok']}  errors {m['errors']} "
              f"(timeouts {m['timeout']}, non-2xx {m['status']})")  # fmt: skip
    print(f"  facet time-outs on a sample of faceted pages afterwards: {r['timed_out']}")


def mixed_paths(dataset, table, db: Path, manifest) -> dict[str, list[str]]:
    """The mixed run's known addresses by kind: our mix, every canned statistic of the
    dataset (every month and all months) and row pages."""
    kinds = mix(dataset, table, db, False)
    kinds["canned"] += [
        f"/{dataset.name}/{q.name}" + ("?month=" if q.where else "")
        for t in dataset.tables
        for q in table_queries(t)
    ]
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    keys = conn.execute(f"select rowid from {table.name} order by rowid limit 10").fetchall()
    conn.close()
    rows = [f"/{dataset.name}/{table.name}/{k}" for (k,) in keys]
    if table.primary_key:  # a row address is its key values
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        cols = ", ".join(table.primary_key)
        found = conn.execute(f"select {cols} from {table.name} limit 10").fetchall()
        conn.close()
        rows = [f"/{dataset.name}/{table.name}/" + ",".join(map(str, r)) for r in found]
    kinds["row"] = rows
    return kinds


PROBE_KINDS = {  # what the probe asks, in turn: a kept page, then new ones of each kind
    "kept table page": ("faceted", False),
    "new table page": ("faceted", True),
    "new filtered JSON": ("filtered json", True),
    "new search": ("search", True),
    "new canned statistic": ("canned", True),
    "new row page": ("row", True),
}


def probe(base: str, kinds: dict[str, list[str]], stop: threading.Event) -> dict[str, list[float]]:
    """One more client during the run, asking one request at a time, each kind in turn:
    latencies in ms by kind (what a person waits for each kind of page under the load)."""
    times: dict[str, list[float]] = {name: [] for name in PROBE_KINDS}
    i = 0
    while not stop.is_set():
        for name, (kind, new) in PROBE_KINDS.items():
            i += 1
            paths = kinds[kind]
            path = paths[0] if not new else paths[i % len(paths)]
            if new:
                path += ("&" if "?" in path else "?") + f"_u=probe-{i}"
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(base + path, timeout=30) as response:
                    response.read()
            except OSError:
                continue
            times[name].append((time.perf_counter() - start) * 1000)
    return times


def start_nginx(work: Path, site: Path, ports: list[int], listen: int) -> subprocess.Popen:
    """nginx from `stdhub deploy nginx` in front of Datasette processes on `ports`.

    All load comes from one address, so the per-client limits (rate, connections) are
    lifted here.
    """
    prefix = work / f"nginx-{len(ports)}"
    config = Config(site_url="http://site.invalid/", data_url="http://127.0.0.1/")
    upstreams = [f"127.0.0.1:{p}" for p in ports]
    user = pwd.getpwuid(os.getuid()).pw_name
    conf = write_nginx(
        config, site, upstreams, prefix, f"127.0.0.1:{listen}", user, rate="100000r/s", conn=1000
    )
    proc = subprocess.Popen(
        [find_nginx() or "nginx", "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"]
    )
    wait_until_up(f"http://127.0.0.1:{listen}/-/versions.json", proc, 30)
    return proc


def mixed(args, work: Path, ours: Path, kinds: dict[str, list[str]]) -> list[tuple[str, dict]]:
    """32 connections, 30 s, a quarter never-seen addresses: Datasette alone, then behind
    nginx with one and with two processes. Each starts with empty caches and is warmed
    by asking each known address once."""
    setups = [("stdhub, 1 Datasette process", [18993], None)]
    if find_nginx():
        setups += [("nginx + 1 Datasette process", [18994], 18990)]
        setups += [("nginx + 2 Datasette processes", [18994, 18995], 18990)]
    else:
        print("nginx is not installed: the runs through nginx are left out")
    results = []
    for name, ports, front in setups:
        procs = [start_datasette(ours, "127.0.0.1", p) for p in ports]
        proxy = start_nginx(work, work / "site", ports, front) if front else None
        base = f"http://127.0.0.1:{front or ports[0]}"
        paths = [p for paths in kinds.values() for p in paths]
        try:
            first_requests(base, paths)
            stop_probe = threading.Event()
            with ThreadPoolExecutor(1) as pool:
                probed = pool.submit(probe, base, kinds, stop_probe)
                load = os.getloadavg()[0]
                result = wrk(base, paths, args.mixed_duration, 32, work, LUA_MIXED)
                stop_probe.set()
                result["probe"], result["load"] = probed.result(), load
            results.append((name, result))
        finally:
            if proxy:
                proxy.terminate()
                proxy.wait(timeout=20)
            for proc in procs:
                stop(proc)
    return results


def show_mixed(results: list[tuple[str, dict]], distinct: int, duration: int) -> bool:
    print(f"\nmixed run: 32 connections, {duration} s, {distinct} known addresses, every fourth "
          "request never seen before, canned statistics included")  # fmt: skip
    met = True
    for name, m in results:
        print(f"  {name:31s} {m['rps']:8.1f} req/s  p50 {m['p50_us'] / 1000:7.1f} ms  "
              f"p99 {m['p99_us'] / 1000:7.1f} ms  max {m['max_us'] / 1000:7.1f} ms  "
              f"errors {m['errors']} (time-outs {m['timeout']}, non-2xx {m['status']})")  # fmt: skip
        print(f"    load average at the start {m['load']:.1f}; one more client asking each kind "
              "in turn (ms):")  # fmt: skip
        for kind, times in m["probe"].items():
            if times:
                print(f"      {kind:22s} n {len(times):4d}  median {statistics.median(times):7.1f}"
                      f"  max {max(times):7.1f}")  # fmt: skip
        met = met and m["errors"] == 0 and m["p99_us"] <= 1_000_000
    print(f"goal (0 errors, 0 time-outs, p99 <= 1 s in every setup): {'met' if met else 'NOT met'}")
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--mixed-duration", type=int, default=30, help="seconds per mixed run")
    parser.add_argument("--only", choices=["all", "mixed", "compare"], default="all")
    parser.add_argument("--data", type=Path, default=ROOT / "build" / "data")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    try:
        manifest = read_manifest(args.data)
    except ManifestError as exc:  # no build yet: say what to run, no traceback
        sys.exit(str(exc))
    dataset, table = largest_table(manifest)
    db = args.data / (dataset.db or "")
    print(f"largest table: {dataset.name}/{table.name}, {table.rows:,} rows; "
          f"{args.connections} connections, {args.duration} s per run, loopback only")  # fmt: skip
    catalogue, _ = load_catalogue(ROOT / "standards", base=ROOT)
    with tempfile.TemporaryDirectory(prefix="stdhub-bench-") as tmp:
        work = Path(tmp)
        if args.only in ("all", "mixed"):
            config = Config(site_url="http://site.invalid/", data_url="http://127.0.0.1/")
            ours = publish_datasette(args.data, work / "datasette", catalogue, config, manifest)
            (work / "site").mkdir()
            kinds = mixed_paths(dataset, table, db, manifest)
            results = mixed(args, work, ours, kinds)
            distinct = len({p for paths in kinds.values() for p in paths})
            show_mixed(results, distinct, args.mixed_duration)
            shutil.rmtree(work / "datasette")
        if args.only == "mixed":
            return
        t0 = time.perf_counter()
        bare_db = load_bare(db, dataset, ROOT / "build" / "bench")
        print(f"bare database (sqlite-utils) ready in {time.perf_counter() - t0:.1f} s")
        tuned_db, inspect = tune(bare_db, table, work)
        config = Config(site_url="http://127.0.0.1:18000/", data_url="http://127.0.0.1:18993/")
        ours = publish_datasette(args.data, work / "datasette", catalogue, config, manifest)
        bare_mix, our_mix = mix(dataset, table, db, True), mix(dataset, table, db, False)
        instances = [
            ("bare", lambda: start_bare(bare_db, 18991), bare_mix),
            ("bare, indexed + immutable", lambda: start_bare(tuned_db, 18992, inspect), bare_mix),
            ("stdhub", lambda: start_datasette(ours, "127.0.0.1", 18993), our_mix),
        ]
        results = []
        for port, (name, start, paths) in enumerate(instances, start=18991):
            proc = start()
            try:
                results.append(run_instance(name, f"http://127.0.0.1:{port}", paths, args, work))
            finally:
                stop(proc)
    for r in results:
        show(r)
    bare, tuned, ours = results
    print("\nthroughput ratios:      stdhub / bare   stdhub / indexed+immutable")
    for key in ("mix", "faceted"):
        ratios = [
            ours[key]["rps"] / b[key]["rps"] if b[key]["rps"] else float("inf")
            for b in (bare, tuned)
        ]
        print(f"  {key:8s}          {ratios[0]:10.1f}x   {ratios[1]:10.1f}x")
    goal = ours["faceted"]["p99_us"] <= 300_000 and ours["faceted"]["errors"] == 0
    goal = goal and ours["mix"]["errors"] == 0 and ours["timed_out"] == 0
    goal = goal and ours["faceted"]["rps"] >= 10 * bare["faceted"]["rps"]
    print(
        f"\ngoal (no errors, no facet time-outs, faceted p99 <= 300 ms, >= 10x bare): {'met' if goal else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
