"""Benchmark the data step (check + load into SQLite) against the tools a user would reach for.

    python scripts/bench_data.py [--rows 100000 1000000] [--repeat 1] [--sheet-only]

For each size it writes a 9-column CSV of monthly 低保 figures by village (the schema of
HNMZ/T 0102-2025's record SQCDBTJ, generated as scripts/gen_datasets.py does) and times,
each in its own process so every tool pays its start-up:

- stdhub: the project's check (descriptor, metadata, conformance to the standard, closed
  code lists, types, constraints, primary key, personal-data screening) and load (typed
  table, primary and foreign keys to code tables, indexes) into SQLite;
  The personal-data screen's share of the check is shown, and the screen alone over as
  many distinct free-text cells (addresses with landlines, a few mobiles) and coordinate
  cells with eleven decimals (none personal data);
- the peers: `frictionless validate` on the same descriptor, then `sqlite-utils insert
  --csv` with every column's type (`--type`) and the primary key (`--pk`) declared;
- plain Python: `csv.reader` + `executemany` into a typed table (no checks);
- the floor: the `sqlite3` shell's `.import` (no types, no checks).

Then the spreadsheet reader: the 29,499 villages of the division library written as one
XLSX sheet, read by stdhub (`sheets.read`: python-calamine, then the cells as Excel shows
them) beside openpyxl's read-only reader (what frictionless reads XLSX with), best of
`--repeat` (at least 2) in the same run.

Prints seconds and the ratios. The goal (issue 4): 1M rows checked and loaded in at most
4 s, ten times ahead of the peers and within about 2x of the floor.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FIELDS = [
    ("stat_month", "text"),
    ("county_code", "text"),
    ("village_code", "text"),
    ("area_type_code", "text"),
    ("households", "integer"),
    ("persons", "integer"),
    ("disabled_persons", "integer"),
    ("funds_yuan", "float"),
    ("standard_yuan", "float"),
]


def make_package(folder: Path, rows: int) -> Path:
    """A one-resource package of about `rows` rows, its schema generated from the standard."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import gen_datasets

    from stdhub.datasets.descriptor import write_descriptor
    from stdhub.datasets.tableschema import schema_for
    from stdhub.project import load_catalogue

    catalogue, _ = load_catalogue(ROOT / "standards", base=ROOT)
    counties = gen_datasets.counties(ROOT / "datasets")
    per_county = max(1, round(rows / (len(counties) * len(gen_datasets.MONTHS))))
    out = folder / "datasets"
    out.mkdir(parents=True)
    # the villages are the real ones of the division library
    (out / "hunan-divisions").symlink_to(ROOT / "datasets" / "hunan-divisions")
    gen_datasets.dibao_villages(out, random.Random(1), counties, per_county)
    package = out / gen_datasets.LARGE
    (package / "data/villages.large.csv").unlink()
    schema = schema_for(catalogue, "HNMZ/T 0102-2025", "SQCDBTJ")
    descriptor = {
        "name": "bench",
        "title": "低保月度统计（基准测试）",
        "conforms_to": ["HNMZ/T 0102-2025"],
        "access": "无条件开放",
        "resources": [
            {"name": "monthly", "path": "data/monthly.large.csv", "format": "csv", "schema": schema}
        ],
    }
    write_descriptor(package / "datapackage.yaml", descriptor)
    return package


def run_stdhub(package: Path, db: Path) -> None:
    """Check and load one package (what `stdhub build` does for each dataset)."""
    t0 = time.perf_counter()
    from stdhub.datasets.check import check_package
    from stdhub.datasets.sqlite import write_database
    from stdhub.project import load_catalogue

    catalogue, _ = load_catalogue(ROOT / "standards", base=ROOT)
    t1 = time.perf_counter()
    checked, report = check_package(package, catalogue, package.parent.parent, keep=True)
    if not report.ok or checked is None:
        sys.exit(report.as_text())
    t2 = time.perf_counter()
    write_database(db, checked)
    t3 = time.perf_counter()
    timings = {
        "startup": t1 - t0,
        "check": t2 - t1,
        "load": t3 - t2,
        "rows": checked.resources["monthly"].rows,
        "screen": screen_cost(checked),
    }
    print(json.dumps(timings))


def screen_cost(checked) -> float:
    """Seconds the personal-data screen takes within the check: every column, whatever its type
    (the distinct cells are already there, as in the check)."""
    from stdhub.datasets import valuescan
    from stdhub.personal.exceptions import Exceptions

    resource = checked.resources["monthly"]
    fields = checked.schemas["monthly"]["fields"]
    t = time.perf_counter()
    found = valuescan.scan_personal(resource, fields, Exceptions())
    assert not found
    return time.perf_counter() - t


def screen_text(rows: int) -> dict[str, float]:
    """The screen over `rows` distinct free-text cells (addresses, landlines; one in a thousand
    with a mobile number): the pyarrow first look, then Python on the candidates only."""
    import pyarrow as pa

    from stdhub.personal.screen import candidates, screen_values

    rng = random.Random(2)
    cells = [
        f"长沙市芙蓉区白沙镇{i}号，电话0731-{rng.randint(22000000, 89999999)}"
        + (
            f"，联系人手机1{rng.choice('3589')}{rng.randint(10**8, 10**9 - 1)}"
            if i % 1000 == 0
            else ""
        )
        for i in range(rows)
    ]
    values = pa.array(cells)
    t0 = time.perf_counter()
    n = len(candidates(values))  # the first look alone
    t1 = time.perf_counter()
    hits = screen_values(values)  # first look + Python on the candidates
    t2 = time.perf_counter()
    points = pa.array(  # coordinates with many decimals: none a hit
        [
            f"经度{rng.uniform(108.8, 114.3):.11f}，纬度{rng.uniform(24.6, 30.1):.11f}"
            for _ in range(rows)
        ]
    )
    t3 = time.perf_counter()
    decimal_hits = screen_values(points)
    t4 = time.perf_counter()
    assert not decimal_hits
    return {"text_cells": rows, "text_candidates": n, "text_first_look": t1 - t0,
            "text_screen": t2 - t1, "text_hits": len(hits),
            "decimal_screen": t4 - t3}  # fmt: skip


REPEAT = 1


def timed(command: list[str], output: Path | None = None) -> tuple[float, str]:
    """The best of REPEAT runs (every tool gets the same number, each a fresh `output`)."""
    best = float("inf")
    for _ in range(REPEAT):
        if output is not None:
            output.unlink(missing_ok=True)
        t = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        best = min(best, time.perf_counter() - t)
        if done.returncode != 0:
            raise SystemExit(
                f"{' '.join(command[:3])} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
            )
    return best, done.stdout


PLAIN_PYTHON = """
import csv, sqlite3, sys
con = sqlite3.connect(sys.argv[2])
con.execute("CREATE TABLE monthly (stat_month TEXT, county_code TEXT, village_code TEXT, area_type_code TEXT,"
            " households INTEGER, persons INTEGER, disabled_persons INTEGER, funds_yuan REAL, standard_yuan REAL,"
            " PRIMARY KEY (stat_month, village_code))")
with open(sys.argv[1], encoding="utf-8", newline="") as f:
    rows = csv.reader(f)
    next(rows)
    with con:
        con.executemany("INSERT INTO monthly VALUES (?,?,?,?,?,?,?,?,?)", rows)
"""


def bench(rows: int, work: Path) -> dict[str, float]:
    package = make_package(work, rows)
    csv_path = package / "data/monthly.large.csv"
    n = sum(1 for _ in csv_path.open(encoding="utf-8")) - 1
    out: dict[str, float] = {"rows": n}

    db = work / "stdhub.db"
    seconds, stdout = timed([sys.executable, __file__, "--stdhub-once", str(package), str(db)], db)
    inner = json.loads(stdout.strip().splitlines()[-1])
    assert inner["rows"] == n
    out.update(
        stdhub=seconds,
        stdhub_check=inner["check"],
        stdhub_load=inner["load"],
        stdhub_startup=inner["startup"],
        stdhub_screen=inner["screen"],
    )
    out.update(screen_text(rows))

    out["frictionless"], _ = timed(
        [str(BIN / "frictionless"), "validate", str(package / "datapackage.yaml")]
    )
    db = work / "sqlite-utils.db"
    insert = [str(BIN / "sqlite-utils"), "insert", str(db), "monthly", str(csv_path), "--csv"]
    insert += ["--pk", "stat_month", "--pk", "village_code"]
    for name, kind in FIELDS:
        insert += ["--type", name, kind]
    out["sqlite_utils"], _ = timed(insert, db)
    out["peers"] = out["frictionless"] + out["sqlite_utils"]

    db = work / "plain.db"
    out["python_csv"], _ = timed([sys.executable, "-c", PLAIN_PYTHON, str(csv_path), str(db)], db)
    sqlite3_shell = shutil.which("sqlite3")
    if sqlite3_shell:
        db = work / "floor.db"
        out["sqlite3_import"], _ = timed(
            [sqlite3_shell, str(db), ".mode csv", f".import {csv_path} monthly"], db
        )
    return out


def report(r: dict[str, float]) -> None:
    print(f"\n{int(r['rows']):,} rows × 9 columns")
    print(
        f"  stdhub check + load          {r['stdhub']:6.2f} s   (start-up {r['stdhub_startup']:.2f}, check {r['stdhub_check']:.2f}, load {r['stdhub_load']:.2f})"
    )
    print(
        f"  of which personal-data screen {r['stdhub_screen']:5.2f} s   (all 9 columns, whatever their type)"
    )
    print(
        f"  screen {int(r['text_cells']):,} distinct text cells {r['text_screen']:.2f} s   (pyarrow first look"
        f" {r['text_first_look']:.2f} s, {int(r['text_candidates']):,} candidates to Python, {int(r['text_hits'])} hits)"
    )
    print(
        f"  screen {int(r['text_cells']):,} coordinate cells (11 decimals) {r['decimal_screen']:.2f} s   (fractions taken out by the first look; must be 0 hits)"
    )
    print(f"  frictionless validate        {r['frictionless']:6.2f} s")
    print(f"  sqlite-utils typed insert    {r['sqlite_utils']:6.2f} s")
    print(
        f"  peers together               {r['peers']:6.2f} s   -> stdhub is {r['peers'] / r['stdhub']:.1f}x faster"
    )
    print(
        f"  python csv + executemany     {r['python_csv']:6.2f} s   (no checks; stdhub/this = {r['stdhub'] / r['python_csv']:.2f})"
    )
    if "sqlite3_import" in r:
        print(
            f"  sqlite3 .import (floor)      {r['sqlite3_import']:6.2f} s   (no types, no checks; stdhub/floor = {r['stdhub'] / r['sqlite3_import']:.2f})"
        )


def sheet_read(work: Path) -> dict[str, float]:
    """The division library's villages as an XLSX sheet, read by stdhub and by openpyxl."""
    import csv
    import io

    from openpyxl import Workbook, load_workbook

    from stdhub.datasets import sheets

    book = Workbook(write_only=True)
    sheet = book.create_sheet("村级区划")
    with (ROOT / "datasets/hunan-divisions/data/villages.csv").open(encoding="utf-8") as f:
        for row in csv.reader(f):
            sheet.append(row)
    path = work / "villages.xlsx"
    book.save(path)
    raw = path.read_bytes()

    def ours() -> int:
        return len(sheets.read(raw, {"path": "villages.xlsx"}).rows)

    def openpyxl_rows() -> int:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        n = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
        wb.close()
        return n

    out: dict[str, float] = {}
    for name, read in (("stdhub", ours), ("openpyxl", openpyxl_rows)):
        best = float("inf")
        for _ in range(max(2, REPEAT)):
            start = time.perf_counter()
            out["sheet_rows"] = read()
            best = min(best, time.perf_counter() - start)
        out[f"sheet_{name}"] = best
    return out


def report_sheet(r: dict[str, float]) -> None:
    villages = int(r["sheet_rows"]) - 1
    print(f"\nXLSX read of the divisions sheet ({villages:,} villages × 4 columns)")
    print(f"  stdhub (python-calamine)     {r['sheet_stdhub']:6.2f} s")
    print(
        f"  openpyxl read-only           {r['sheet_openpyxl']:6.2f} s   -> stdhub is {r['sheet_openpyxl'] / r['sheet_stdhub']:.1f}x faster"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=1, help="runs per tool; the best is shown")
    parser.add_argument("--sheet-only", action="store_true", help="only the XLSX read")
    parser.add_argument("--stdhub-once", nargs=2, metavar=("PACKAGE", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    global REPEAT
    REPEAT = max(1, args.repeat)
    if args.stdhub_once:
        run_stdhub(Path(args.stdhub_once[0]), Path(args.stdhub_once[1]))
        return 0
    for rows in [] if args.sheet_only else args.rows:
        with tempfile.TemporaryDirectory(prefix="bench-data-") as tmp:
            report(bench(rows, Path(tmp)))
    with tempfile.TemporaryDirectory(prefix="bench-sheet-") as tmp:
        report_sheet(sheet_read(Path(tmp)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
