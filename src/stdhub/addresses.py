"""Every address of the site and of Datasette, in one place, so pages, downloads, feeds,
Datasette's metadata and DCAT agree.

Site addresses are site-relative (`standards/GB-T-2261.1-2003/`); `docs_path` gives the
Markdown file that produces a page, `relative` the link from one page to another
(links inside generated HTML are not rewritten by the builder, so they are written
relative and work under any base path), `absolute` joins an address to a base address
from the configuration (`site_url`, `data_url`). Datasette addresses are absolute,
with database and table names tilde-encoded as Datasette expects.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote, urljoin

from datasette.utils import tilde_encode

from stdhub.standards.model import Standard, slug

CATALOGUE = "catalogue/"
CODELISTS = "codelists/"
LISTS = "lists/"
CONSULTATIONS = "consultations/"
CHANGES = "changes/"
DIVISIONS = "divisions/"
FEED = "changes/feed.xml"
CATALOGUE_JSON = "catalogue.json"
CATALOGUE_CSV = "catalogue.csv"
OPENDATA = "opendata/"
DCAT_JSONLD = "opendata/catalog.jsonld"
DCAT_TURTLE = "opendata/catalog.ttl"
CATALOGUE_DB = "catalogue"  # the Datasette database of the standards, lists and comments
API = "opendata/api/"  # the developer page: the JSON/CSV API with examples from our data
REVIEW = "review/"  # staff: standards due for review (复审), out of the navigation
REVIEW_CSV = "review/due.csv"
REVIEW_JSON = "review/due.json"


def standard(std: Standard | str) -> str:
    return f"standards/{slug(std if isinstance(std, str) else std.id)}/"


def standard_feed(std: Standard | str) -> str:
    """The Atom feed of one standard's events (beside its page)."""
    return f"{standard(std)}feed.xml"


def feed_archive(n: int) -> str:
    """The n-th archived page of the change feed (RFC 5005), n from 1 for the oldest."""
    return f"{CHANGES}archive/{n}.xml"


def standard_print(std: Standard | str) -> str:
    """The readable full text of a standard (its print view)."""
    return f"{standard(std)}full-text/"


# the national platform's search (全国标准信息公共服务平台), for a standard without a known
# full-text address
NATIONAL_SEARCH = "https://std.samr.gov.cn/search/std?q="


def national_search(std_id: str) -> str:
    """The national platform's search for a standard number, e.g. `GB/T 2260-2007`."""
    return NATIONAL_SEARCH + quote(std_id, safe="")


def official_text(std: Standard) -> str:
    """Where a national or industry standard's official full text is: its `official_url`,
    else the national platform's search for its number; "" for the department's own
    standards (their full text is `standard_print`)."""
    if std.official_url:
        return std.official_url
    return national_search(std.id) if std.is_national else ""


def codelist(list_id: str) -> str:
    return f"{CODELISTS}{slug(list_id)}/"


def codelist_csv(list_id: str) -> str:
    return f"downloads/codelists/{slug(list_id)}.csv"


def division(code: str) -> str:
    """The page of a prefecture or county-level division (6-digit code)."""
    return f"{DIVISIONS}{code}/"


def public_list(list_id: str) -> str:
    return f"{LISTS}{list_id}/"


def list_item(list_id: str, item_id: str) -> str:
    return f"{LISTS}{list_id}/{slug(item_id)}/"


def consultation(about: str) -> str:
    """The 意见采纳情况 page of the comments on one standard (or dataset, code list…)."""
    return f"{CONSULTATIONS}{slug(about)}/"


def downloads(std: Standard, *, latest: bool = False) -> str:
    """The folder of one version's downloads, or the `latest` folder of its series."""
    return f"downloads/{std.series_slug}/{'latest' if latest else slug(std.version)}/"


def dataset(name: str) -> str:
    """The page of an open dataset."""
    return f"{OPENDATA}{name}/"


def dataset_feed(name: str) -> str:
    """The Atom feed of one open dataset (beside its page)."""
    return f"{dataset(name)}feed.xml"


def resource_name(table: str) -> str:
    """Data Package resource names are lower case (`CL-HNMZ-0101` -> `cl-hnmz-0101`)."""
    return table.lower()


def csv_file(table: str) -> str:
    """The name of a table's CSV download (`<table>.csv`), in its dataset's downloads folder."""
    return f"{table}.csv"


def download(name: str, file: str) -> str:
    """A download of an open dataset (`file` empty: its downloads folder)."""
    return f"{OPENDATA}{name}/downloads/{file}"


def docs_path(url: str) -> str:
    """The Markdown source of a page address (`a/b/` -> `a/b/index.md`, `` -> `index.md`)."""
    return f"{url}index.md" if url.endswith("/") or not url else url


def relative(target: str, page: str) -> str:
    """The link from page `page` (a folder address) to `target`, e.g. `../../catalogue/`."""
    rel = posixpath.relpath(target or ".", page.rstrip("/") or ".")
    if target.endswith("/") or not target:
        rel = rel.rstrip("/") + "/"
    return "./" if rel == "./" else rel.removeprefix("./")


def absolute(base: str, address: str) -> str:
    """`address` (site-relative) under `base` (`http://host/sub/` or `http://host/sub`)."""
    return urljoin(base.rstrip("/") + "/", address)


def datasette_database(data_url: str, database: str) -> str:
    return absolute(data_url, quote(tilde_encode(database)))


def datasette_table(data_url: str, database: str, table: str, query: str = "") -> str:
    """A table (or canned query) page in Datasette; names are tilde-encoded as it expects."""
    address = f"{datasette_database(data_url, database)}/{quote(tilde_encode(table))}"
    return f"{address}?{query}" if query else address
