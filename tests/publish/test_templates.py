"""The Chinese templates are translations of Datasette 0.65's own; an upgrade that changes
one of those must be noticed, so the translation can follow it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import datasette

from stdhub.datasette.configdir import TEMPLATES

# sha256 (first 16 hex digits) of the Datasette templates the translations follow.
TRANSLATED_FROM = {
    "_crumbs.html": "882c9d69e13363b4",
    "_description_source_license.html": "13fcf73b733dadc5",
    "_facet_results.html": "622d3c764aa14f17",
    "_footer.html": "d190d9e7dc5046c1",
    "_table.html": "f75a8872713f28fd",
    "base.html": "bb22df33caea147e",
    "database.html": "4fd5e97823bb5380",
    "error.html": "c2115d1fdbff1a48",
    "index.html": "ed57b14bb5656bcd",
    "query.html": "bc3559df0e209da9",
    "row.html": "ff5dde41541c39dd",
    "table.html": "81cec4b0f7948bf0",
}
UPSTREAM = Path(datasette.__file__).parent / "templates"
# and of the script whose English stdhub.datasette.zh.TABLE_JS translates
TABLE_JS = "static/table.js"


def test_every_translation_is_listed():
    assert sorted(p.name for p in TEMPLATES.glob("*.html")) == sorted(TRANSLATED_FROM)


def test_datasette_templates_are_the_ones_translated():
    changed = [
        name
        for name, digest in TRANSLATED_FROM.items()
        if hashlib.sha256((UPSTREAM / name).read_bytes()).hexdigest()[:16] != digest
    ]
    table_js = (UPSTREAM.parent / TABLE_JS).read_bytes()
    if hashlib.sha256(table_js).hexdigest()[:16] != "3f88398838479a18":
        changed.append(TABLE_JS)
    assert not changed, (
        f"Datasette {datasette.__version__} changed {changed}: compare them with "
        "stdhub/datasette/templates/, carry the change over, then update TRANSLATED_FROM"
    )
