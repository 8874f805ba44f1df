"""Each division's page shows its figures (issue 24, item 2), and they are what Datasette
answers for that division: every current county-level division of the library, each
prefecture and the province, through `stdhub serve`'s own site and Datasette."""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

import httpx
import pytest
from serve_helpers import TODAY

from stdhub import addresses
from stdhub.datasets.manifest import read_manifest
from stdhub.datasette.roles import roles
from stdhub.project import load_catalogue
from stdhub.site.sections.divisions import tree


class Figures(HTMLParser):
    """The `.stdhub-figures` blocks of a page: their data attributes and their figures."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[dict] = []

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        if "stdhub-figures" in (a.get("class") or "").split():
            self.blocks.append({**a, "figures": {}})
        elif "data-figure" in a and self.blocks:
            key = (a["data-figure"], a["data-split"])
            self.blocks[-1]["figures"][key] = float(a["data-value"])


def _blocks(url: str) -> list[dict]:
    page = httpx.get(url, timeout=60)
    assert page.status_code == 200, url
    parser = Figures()
    parser.feed(page.text)
    return parser.blocks


def _rows(data: str, block: dict, code: str) -> list[dict]:
    """Every row of the block's table Datasette gives for the division, by plain filters."""
    field = block["data-division-field"]
    scope = block["data-scope"]
    params = {"_shape": "objects", "_size": "max"}
    if scope == "county":
        params[field] = code
    else:
        params[f"{field}__startswith"] = code[:2] if scope == "province" else code[:4]
    if block.get("data-period"):
        params[block["data-period-field"]] = block["data-period"]
    url = f"{data}{block['data-dataset']}/{block['data-table']}.json"
    rows: list[dict] = []
    with httpx.Client(timeout=60) as client:
        while True:
            answer = client.get(url, params=params)
            assert answer.status_code == 200, (url, params, answer.text[:300])
            body = answer.json()
            rows += body["rows"]
            if not body.get("next"):
                break
            params["_next"] = body["next"]
    assert len(rows) == body["filtered_table_rows_count"], (url, params)
    return rows


def _expected(rows: list[dict], block: dict) -> dict[tuple[str, str], float]:
    split = block.get("data-split-field")
    sums: dict[tuple[str, str], float] = defaultdict(float)
    keys = {k for k, _ in block["figures"]}
    for row in rows:
        parts = ["", str(row[split] if row[split] is not None else "")] if split else [""]
        for key in keys:
            value = 1.0 if key == "count" else float(row[key] or 0)
            for part in parts:
                sums[(key, part)] += value
    return sums


@pytest.fixture(scope="module")
def divisions(served):
    """The current divisions with a page: code -> level (1 province, 2 prefecture, 3 county)."""
    cat, _ = load_catalogue(served.root / "standards", today=TODAY, base=served.root)
    nodes = tree(cat, next(iter(cat.crosswalks.values())))
    return {c: n.level for c, n in nodes.items() if n.level in (1, 2, 3) and n.current}


def _check(served, code: str, level: int) -> tuple[str, int]:
    page = addresses.DIVISIONS if level == 1 else addresses.division(code)
    blocks = _blocks(served.site + page)
    for block in blocks:
        got = block["figures"]
        want = _expected(_rows(served.data, block, code), block)
        assert got, (code, block["data-dataset"])
        for key, value in got.items():
            assert value == pytest.approx(want.get(key, 0.0), abs=0.006), (
                code,
                block["data-dataset"],
                key,
            )
    return code, len(blocks)


def test_every_division_page_shows_what_datasette_answers(served, divisions) -> None:
    manifest = read_manifest(served.root / "build" / "data")
    keyed = {  # the open tables keyed by a county-level division: each must show
        (d.name, t.name)
        for d in manifest.open_datasets
        for t in d.tables
        if (r := roles(t)).division is not None and r.division.title.startswith("县级") and r.period
    }
    assert len(keyed) >= 4
    with ThreadPoolExecutor(4) as pool:
        shown = dict(pool.map(lambda item: _check(served, *item), divisions.items()))
    counties = [c for c, level in divisions.items() if level == 3]
    with_figures = [c for c in counties if shown[c] >= len(keyed)]
    print(f"{len(counties)} county-level divisions, {len(with_figures)} with every keyed table")
    # every county of the library that the datasets report on shows all of them; the
    # sample datasets cover every current county-level division but the statistical zones
    assert len(with_figures) >= 122
    assert shown[next(c for c, level in divisions.items() if level == 1)] >= len(keyed)
    assert all(shown[c] >= len(keyed) for c, level in divisions.items() if level == 2)


def test_a_prefecture_adds_up_its_counties(served, divisions) -> None:
    """The rolled-up figures are sums: a prefecture's latest 保障人数 is its counties'."""
    prefecture = next(c for c, level in divisions.items() if level == 2)
    counties = [c for c, level in divisions.items() if level == 3 and c[:4] == prefecture[:4]]
    name = "social-assistance-monthly"
    top = next(
        b
        for b in _blocks(served.site + addresses.division(prefecture))
        if b["data-dataset"] == name
    )
    total = 0.0
    for c in counties:
        for b in _blocks(served.site + addresses.division(c)):
            if b["data-dataset"] == name:
                total += b["figures"][("persons", "")]
    assert total > 0 and top["figures"][("persons", "")] == pytest.approx(total)
