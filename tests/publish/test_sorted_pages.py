"""Paging a sorted table through `_next` gives every row once, in order (through `stdhub
serve`, as an API client pages): Datasette 0.65 orders a sorted first page by the column
alone and the next pages by the column and the key, which repeated and skipped rows
wherever the column has ties (`stdhub.datasette.guard.first_page_token`)."""

from __future__ import annotations

import httpx
import pytest

from stdhub.datasets.manifest import read_manifest
from stdhub.datasette.sorting import sortable_columns

SIZE = 400  # rows a page: several pages for every table but the largest


def _pages(data: str, database: str, table: str, **params: str) -> tuple[list[dict], int]:
    url = f"{data}{database}/{table}.json"
    query = {"_shape": "objects", "_size": str(SIZE), **params}
    rows: list[dict] = []
    with httpx.Client(timeout=60) as client:
        while True:
            body = client.get(url, params=query).raise_for_status().json()
            rows += body["rows"]
            if not body.get("next") or len(rows) > 20_000:
                return rows, body["filtered_table_rows_count"]
            query["_next"] = body["next"]


def _cases(served) -> list[tuple[str, str, tuple[str, ...], str]]:
    found = []
    for d in read_manifest(served.root / "build" / "data").open_datasets:
        for t in d.tables:
            if d.db and t.rows and t.rows <= 20_000 and t.primary_key:
                for column in sortable_columns(t)[:6]:
                    found.append((d.name, t.name, t.primary_key, column))
    return found


@pytest.mark.parametrize("direction", ["_sort", "_sort_desc"])
def test_every_row_once_in_order_whatever_the_sort(served, direction) -> None:
    cases = _cases(served)
    assert any(t == "allocations" for _, t, _, _ in cases)  # text keys in Chinese, ties
    for database, table, key, column in cases:
        rows, count = _pages(served.data, database, table, **{direction: column})
        keys = [tuple(r[k] for k in key) for r in rows]
        where = (database, table, direction, column)
        assert len(keys) == len(set(keys)) == count, where
        values = [r[column] for r in rows if r[column] is not None]
        assert values == sorted(values, reverse=direction == "_sort_desc"), where


def test_a_sorted_first_page_starts_where_datasette_would(served) -> None:
    """The mended first page begins with the column's first value, and the same filtered
    count and facets as without sorting."""
    data = served.data
    base = f"{data}fund-allocations/allocations.json"
    plain = httpx.get(base, params={"_size": "1", "budget_year": "2024"}).json()
    for direction, first in (("_sort", min), ("_sort_desc", max)):
        page = httpx.get(
            base,
            params={
                "_size": "5",
                "_shape": "objects",
                "budget_year": "2024",
                direction: "amount_yuan",
            },
        ).json()
        everything = _pages(data, "fund-allocations", "allocations", budget_year="2024")[0]
        assert page["rows"][0]["amount_yuan"] == first(r["amount_yuan"] for r in everything)
        assert page["filtered_table_rows_count"] == plain["filtered_table_rows_count"]
