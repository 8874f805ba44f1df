"""Addresses of the open-data pages and files on the site, and of tables in Datasette.

Site addresses are site-relative like those of `stdhub.site.urls`; `absolute` joins them
to a base address from the configuration.
"""

from __future__ import annotations

from urllib.parse import quote

from datasette.utils import tilde_encode

from stdhub.standards.model import slug

OPENDATA = "opendata/"
DCAT_JSONLD = "opendata/catalog.jsonld"
DCAT_TURTLE = "opendata/catalog.ttl"


def dataset(name: str) -> str:
    return f"{OPENDATA}{name}/"


def download(name: str, file: str) -> str:
    return f"{OPENDATA}{name}/downloads/{file}"


def standard(std_id: str) -> str:
    return f"standards/{slug(std_id)}/"


def absolute(base: str, address: str) -> str:
    return base.rstrip("/") + "/" + address


def datasette_table(data_url: str, database: str, table: str, query: str = "") -> str:
    """A table (or canned query) page in Datasette; names are tilde-encoded as it expects."""
    address = f"{data_url.rstrip('/')}/{quote(tilde_encode(database))}/{quote(tilde_encode(table))}"
    return f"{address}?{query}" if query else address


def datasette_database(data_url: str, database: str) -> str:
    return f"{data_url.rstrip('/')}/{quote(tilde_encode(database))}"
