"""Datasette's settings for a public, read-only service, each value with its reason.

`docs/datasette-settings.md` explains the same values for people; a test checks that
every value here appears there, so the two cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    value: Any
    reason: str


SETTINGS: dict[str, Setting] = {
    "suggest_facets": Setting(
        False,
        "Suggesting facets runs a GROUP BY per column on every table page: about 1 s per "
        "request on a million rows. The useful facets are declared in the metadata instead.",
    ),
    "default_page_size": Setting(
        20,
        "Twenty rows fill a screen. Rendering the rows is most of what a table page costs "
        "Datasette's one Python thread: 20 instead of 50 cut the CPU time of a mixed load "
        "by a fifth (`scripts/bench_serve.py`); `_size=` asks for up to `max_returned_rows`.",
    ),
    "max_returned_rows": Setting(
        1000,
        "The cap on `_size=` and on SQL results; whole tables are downloads on the site "
        "(CSV, JSON, data package), not API pages.",
    ),
    "sql_time_limit_ms": Setting(
        3000,
        "Every canned statistic reads a summary table made at build time (milliseconds) "
        "and filtered table pages use indexes; 3 s is room for a busy CPU, not for work, "
        "and stops anything unforeseen before it ties up a query thread for long.",
    ),
    "facet_time_limit_ms": Setting(
        1500,
        "A declared facet over a million rows takes 100–300 ms alone but longer when the "
        "CPU is shared; the page cache keeps each result, so paying up to 1.5 s once beats "
        "showing 'facet timed out'.",
    ),
    "allow_facet": Setting(
        True, "Developers may facet by any column (`?_facet=`); the time limit bounds the cost."
    ),
    "default_facet_size": Setting(
        30, "Covers the 14 cities and prefectures of Hunan and every coded category in one list."
    ),
    "default_allow_sql": Setting(
        False,
        "Arbitrary SQL (`?sql=`, `_where=`) is off for the public: the time limit and the row "
        "cap bound neither memory nor response size (1,000 rows of 100 columns of 100 KB "
        "blobs is 10 GB), so one GET could exhaust the server. The canned statistics stay "
        "(read from summary tables made at build time); any other question is answered by "
        "downloading the database file and querying it locally.",
    ),
    "allow_download": Setting(
        False,
        "Whole files are downloads of the static site (a web server or CDN serves large "
        "files better); Datasette's processes stay free for queries.",
    ),
    "allow_csv_stream": Setting(
        True, "A developer can export all rows of a filtered table as CSV in one request."
    ),
    "max_csv_mb": Setting(
        50, "Bounds one streamed CSV; the complete table is a static download instead."
    ),
    "default_cache_ttl": Setting(
        600,
        "Pages never change between builds; ten minutes of browser and proxy caching "
        "saves requests while a new release still shows within ten minutes.",
    ),
    "num_sql_threads": Setting(
        3, "Datasette's default; two cores plus one thread to overlap I/O waits."
    ),
    "cache_size_kb": Setting(
        32000,
        "32 MB of SQLite page cache per connection keeps the indexes of the largest table "
        "in memory (three threads × each database; files are opened read-only).",
    ),
    "truncate_cells_html": Setting(
        2048, "Datasette's default: long text is cut in HTML pages, complete in JSON and CSV."
    ),
    "template_debug": Setting(False, "Never expose template context in public."),
    "trace_debug": Setting(False, "Never expose SQL traces in public."),
    "base_url": Setting(
        "/",
        "Datasette runs at the root of its own host; sub-path deployments (`base_url`) have "
        "a long record of broken links.",
    ),
}


def datasette_settings(data_url: str) -> dict[str, Any]:
    """The `settings.json` of the configuration directory."""
    values = {name: s.value for name, s in SETTINGS.items()}
    # Links Datasette makes absolute (facets, pagination) must keep the public scheme when
    # a TLS proxy in front speaks plain HTTP to it.
    values["force_https_urls"] = data_url.startswith("https://")
    return values
