"""`stdhub serve` on a copy of the project (the 1M-row dataset generated small): what it
prints, that it builds only what is stale, and that the JSON API gives back the source CSVs."""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from serve_helpers import SOURCE, TODAY

from stdhub.datasets.manifest import read_manifest
from stdhub.serve import ensure_built, fingerprint, local_config


def test_prints_where_one_line_each(served):
    assert served.lines == [f"site: {served.site}", f"data: {served.data}"]
    assert served.site == f"http://127.0.0.1:{served.port}/"
    assert served.data == f"http://127.0.0.1:{served.port + 1}/"


def test_both_answer_and_the_build_uses_their_addresses(served):
    page = httpx.get(served.site + "opendata/social-assistance-monthly/")
    assert page.status_code == 200
    assert f'href="{served.data}social-assistance-monthly/monthly"' in page.text
    meta = httpx.get(served.data + "-/metadata.json").json()
    assert meta["plugins"]["stdhub"]["site_url"] == served.site


def test_an_up_to_date_build_is_not_repeated(served):
    builds = []
    config = local_config(served.root, "127.0.0.1", served.port)

    def build(at):
        return lambda: builds.append(at)

    ensure_built(served.root, config, TODAY, build("first"))  # whatever changed since start
    assert not ensure_built(served.root, config, TODAY, build("again"))
    other = local_config(served.root, "127.0.0.1", served.port + 10)
    assert ensure_built(served.root, other, TODAY, build("other addresses"))
    tomorrow = TODAY + dt.timedelta(days=1)
    assert ensure_built(served.root, other, tomorrow, build("another day"))
    assert builds[-2:] == ["other addresses", "another day"] and "again" not in builds
    ensure_built(served.root, config, TODAY, build("back"))  # leave the stamp as serve made it


def test_stale_after_editing_a_standard(served, tmp_path):
    config = local_config(served.root, "127.0.0.1", served.port)
    before = fingerprint(served.root, config, TODAY)
    target = next((served.root / "standards" / "data").glob("*.yaml"))
    stat = target.stat()
    try:
        target.touch()
        assert fingerprint(served.root, config, TODAY) != before
    finally:
        import os

        os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert fingerprint(served.root, config, TODAY) == before


def _api_rows(client: httpx.Client, db: str, table: str) -> list[dict]:
    """Every row through the JSON API, page after page (at most 1,000 rows a page)."""
    rows, url = [], f"/{db}/{table}.json?_shape=objects&_size=max"
    while url:
        page = client.get(url).json()
        rows.extend(page["rows"])
        url = page.get("next_url")
    return rows


def _same(value: object, text: str, kind: str) -> bool:
    if text == "":
        return value in (None, "")
    if kind in ("integer", "number"):
        return value is not None and float(value) == float(text)
    return str(value) == text


@pytest.mark.parametrize(
    ("dataset", "table", "path"),
    [
        ("social-assistance-monthly", "monthly", "data/monthly.csv"),
        ("social-organizations", "organizations", "data/organizations.csv"),
        ("hunan-divisions", "divisions", "data/divisions.csv"),
        ("dibao-village-monthly", "villages", "data/villages.large.csv"),
    ],
)
def test_json_api_rows_and_counts_match_the_source_csv(served, dataset, table, path):
    source = served.root / SOURCE / dataset / path
    with source.open(encoding="utf-8-sig", newline="") as f:
        expected = list(csv.DictReader(f))
    spec = read_manifest(served.root / "build" / "data").dataset(dataset).table(table)
    fields = {f.name: f.type for f in spec.fields}
    with httpx.Client(base_url=served.data, timeout=60) as client:
        count = client.get(f"/{dataset}/{table}.json", params={"_size": 1}).json()
        got = _api_rows(client, dataset, table)
    assert count["filtered_table_rows_count"] == len(expected) == len(got)
    key = list(spec.primary_key)
    by_key = {tuple(str(r[k]) for k in key): r for r in got}
    assert len(by_key) == len(got)
    for want in expected:
        have = by_key[tuple(want[k] for k in key)]
        for name, kind in fields.items():
            assert _same(have[name], want[name], kind), (name, want, have)


def test_canned_statistic_matches_the_source_csv(served):
    source = served.root / SOURCE / "social-assistance-monthly" / "data" / "monthly.csv"
    with source.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    expected: dict[str, int] = {}
    for r in rows:
        expected[r["stat_month"][:4]] = expected.get(r["stat_month"][:4], 0) + int(r["persons"])
    url = served.data + "social-assistance-monthly/monthly_per_year.json?_shape=objects"
    got = httpx.get(url, timeout=60).json()["rows"]
    assert {r["年份"]: r["保障人数（人）"] for r in got} == expected


def test_conditional_dataset_shows_no_rows_anywhere(served):
    site = served.root / "build" / "site"
    assert not (site / "opendata" / "assistance-cases" / "downloads").exists()
    page = httpx.get(served.site + "opendata/assistance-cases/").text
    assert "有条件开放" in page and "如需使用，请按以下方式申请" in page
    assert served.data not in page.split("</header>", 1)[-1].split("<footer", 1)[0]
    assert httpx.get(served.data + "assistance-cases").status_code == 404
    dcat = json.loads((site / "opendata" / "catalog.jsonld").read_text(encoding="utf-8"))
    text = json.dumps(dcat, ensure_ascii=False)
    assert "assistance-cases/downloads" not in text
    with (served.root / SOURCE / "assistance-cases/data/cases.csv").open(encoding="utf-8") as f:
        case_ids = [r["case_id"] for r in csv.DictReader(f)][:20]
    published = [
        p.read_text(encoding="utf-8", errors="ignore")
        for p in site.rglob("*")
        if p.suffix in (".html", ".json", ".csv", ".jsonld", ".ttl", ".xml")
    ]
    published.append((served.root / "build" / "datasette" / "metadata.json").read_text())
    assert not [c for c in case_ids if any(c in text for text in published)]


def test_every_published_data_package_passes_frictionless_validate(served):
    downloads = sorted(
        (served.root / "build" / "site" / "opendata").glob("*/downloads/datapackage.json")
    )
    manifest = read_manifest(served.root / "build" / "data")
    # every 无条件开放 dataset, none of the 有条件开放 one
    assert [p.parent.parent.name for p in downloads] == sorted(
        d.name for d in manifest.open_datasets
    )
    assert len(downloads) < len(manifest.datasets)
    for package in downloads:
        done = subprocess.run(
            [sys.executable, "-m", "frictionless", "validate", "--json", str(package)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        report = json.loads(done.stdout)
        assert done.returncode == 0 and report["valid"], (package, done.stdout[-2000:])


def test_published_dcat_parses_and_lists_every_dataset(served):
    from rdflib import Graph
    from rdflib import namespace as ns

    site = served.root / "build" / "site" / "opendata"
    turtle = Graph().parse(site / "catalog.ttl", format="turtle")
    from_jsonld = Graph().parse(site / "catalog.jsonld", format="json-ld")
    assert len(turtle) == len(from_jsonld) > 100
    published = read_manifest(served.root / "build" / "data").datasets
    assert len(set(turtle.subjects(ns.RDF.type, ns.DCAT.Dataset))) == len(published) >= 7
    served_ttl = httpx.get(served.site + "opendata/catalog.ttl")
    assert served_ttl.headers["content-type"].startswith("text/turtle")


def test_canonical_links_and_sitemap_follow_the_port(served):
    assert served.port != 8000
    page = httpx.get(served.site + "catalogue/").text
    assert f'<link rel="canonical" href="{served.site}catalogue/">' in page
    sitemap = httpx.get(served.site + "sitemap.xml").text
    assert f"<loc>{served.site}catalogue/</loc>" in sitemap
    assert ":8000/" not in sitemap and ":8000/" not in page


@pytest.mark.parametrize("path", ["no-such-page/", "standards/HNMZ-T-9999-2099/", "x.json"])
def test_a_missing_page_is_the_sites_own_404(served, path):
    answer = httpx.get(served.site + path)
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert "<h1>找不到这个页面</h1>" in answer.text and "Error response" not in answer.text
    assert httpx.head(served.site + path).status_code == 404


def test_no_directory_listings(served):
    folder = next(p for p in (served.root / "build/site/downloads").iterdir() if p.is_dir())
    assert not (folder / "index.html").exists()
    answer = httpx.get(f"{served.site}downloads/{folder.name}/")
    assert answer.status_code == 404
    assert "Directory listing" not in answer.text and "找不到这个页面" in answer.text
    assert httpx.get(served.site + "downloads/").status_code == 404


def test_a_rebuild_under_serve_switches_whole_old_then_new(served, catalogue, tmp_path):
    """Clients asking all through a rebuild get old answers, then new ones, never mixed,
    and every request is answered: none refused or reset while the processes change.

    The rebuild is what `stdhub build` publishes: a new `build/data/` file (one row
    changed) and `build/datasette/` swapped in; then the original is published back.
    """
    import shutil
    import sqlite3
    import threading

    from stdhub.atomic import staged_build
    from stdhub.datasette.build import publish_datasette

    def publish(data_dir: Path) -> None:
        """Swap in a new `build/datasette/` the way `stdhub build` publishes (stdhub.atomic)."""
        with staged_build(served.root / "build") as staging:
            publish_datasette(data_dir, staging / "datasette", catalogue, config)

    config = local_config(served.root, "127.0.0.1", served.port)
    data = served.root / "build" / "data"
    db = "social-assistance-monthly"
    with httpx.Client(base_url=served.data, timeout=30) as client:
        url = f"/{db}/monthly.json?_shape=objects&_size=1&_nocache={{}}"
        old = client.get(url.format(0)).json()["rows"][0]
    changed = tmp_path / "data"
    shutil.copytree(data, changed, copy_function=shutil.copy2)  # new files, as a build makes
    conn = sqlite3.connect(changed / f"{db}.db")
    column = next(k for k, v in old.items() if isinstance(v, int) and k != "rowid")
    conn.execute(f"update monthly set [{column}] = [{column}] + 1000000 where rowid = 1")
    conn.commit()
    conn.close()

    seen: dict[int, list[str]] = {}
    failed: list[str] = []
    asked = [0]
    stop = threading.Event()

    def ask(n: int) -> None:
        answers = seen.setdefault(n, [])
        i = 0
        with httpx.Client(base_url=served.data, timeout=30) as client:
            while not stop.is_set():
                i += 1
                try:  # a unique address each time: never the page cache's answer
                    answer = client.get(url.format(f"{n}-{i}"))
                    row = answer.raise_for_status().json()["rows"][0]
                except httpx.HTTPError as error:  # refused, reset, 5xx: none may fail
                    failed.append(f"{type(error).__name__}: {error}")
                    continue
                asked[0] += 1
                version = "old" if row[column] == old[column] else "new"
                if not answers or answers[-1] != version:
                    answers.append(version)

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    try:
        publish(changed)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not all(a[-1:] == ["new"] for a in seen.values()):
            time.sleep(0.2)
        time.sleep(1)
    finally:
        stop.set()
        for t in threads:
            t.join()
        publish(data)
    assert all(answers == ["old", "new"] for answers in seen.values()), seen
    assert not failed and asked[0] > 20, (failed[:5], asked[0])  # answered all through
    with httpx.Client(base_url=served.data, timeout=30) as client:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if client.get(url.format("back")).json()["rows"][0] == old:
                break
            time.sleep(0.2)
        assert client.get(url.format("back again")).json()["rows"][0] == old
