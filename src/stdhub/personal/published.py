"""The build's last check: every text file about to be published, read as a reader gets it.

Each source is screened where it is written (standards, descriptors, cells, pages, feedback
files); this check catches what slipped through on the way: a number that two screened
texts make together on a generated page, a number in a file that no other check reads.
The names of the files are read too (a folder named after a number). It runs on the
staged `site/` and `datasette/` (and `data/`'s file names) before they are swapped in: a hit fails the
build (P001–P003, at the file and line, masked) and leaves `build/` as it was.

Read as published: an HTML page by its text (script, style and SVG left out: code and
drawings, not prose), every other text file whole (`.json`, `.xml`, `.ttl`, `.txt`, `.csv`,
`.md`, `.yaml`…). Left out, because they were screened cell by cell with each dataset's
reviewed exceptions: the data downloads (`site/opendata/*/downloads/`) and the databases;
the charts' data (`site/opendata/*/charts/`: code names from the screened code lists and
sums of measure columns, where a fund's yearly total in yuan is any 11-digit number);
and the theme's own scripts and styles (`site/assets/javascripts/`, `…/stylesheets/`).
"""

from __future__ import annotations

import bisect
import hashlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import yaml

from stdhub.personal.recognize import MOBILE, Hit, digest, find_all
from stdhub.personal.screen import describe
from stdhub.problems import Report

TEXT_SUFFIXES = frozenset(
    {".html", ".htm", ".json", ".jsonld", ".xml", ".ttl", ".txt", ".md", ".yaml", ".yml"}
    | {".csv", ".tsv", ".atom", ".rss", ".webmanifest"}
)
SKIPPED = (
    ("opendata", "*", "downloads"),
    ("opendata", "*", "charts"),
    ("assets", "javascripts"),
    ("assets", "stylesheets"),
)
_HIDDEN = frozenset({"script", "style", "svg", "template"})


_BLOCKS = frozenset({"br", "p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "dd", "dt"})


class _Text(HTMLParser):
    """The text of a page; where each piece starts in the page (its line)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.starts: list[int] = [0]  # offset in the text of each part
        self.lines: list[int] = []  # line in the page of each part
        self.hidden = 0

    def _add(self, text: str) -> None:
        self.parts.append(text)
        self.lines.append(self.getpos()[0])
        self.starts.append(self.starts[-1] + len(text))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BLOCKS:
            self._add("\n")  # block boundaries end a number, as a reader sees

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN and self.hidden:
            self.hidden -= 1
        elif tag in _BLOCKS:
            self._add("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self._add(data)


@dataclass
class Published:
    """One published text file as read: `text`, and the line in the file of an offset."""

    path: Path  # below the staging folder
    text: str
    _page: _Text | None = None

    def line(self, offset: int) -> int:
        if self._page is None:
            return self.text.count("\n", 0, offset) + 1
        i = bisect.bisect_right(self._page.starts, offset) - 1
        part = self._page.parts[i]
        return self._page.lines[i] + part.count("\n", 0, offset - self._page.starts[i])


def page_text(html: str) -> str:
    """What a reader of an HTML page reads. Shapes: str -> str."""
    return _read_page(html).text


def _read_page(html: str, path: Path = Path()) -> Published:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return Published(path, "".join(parser.parts), parser)


def _skipped(rel: Path) -> bool:
    parts = rel.parts[1:]  # below site/ or datasette/
    return any(
        len(parts) > len(skip)
        and all(s == "*" or p == s for p, s in zip(parts, skip, strict=False))
        for skip in SKIPPED
    )


def published_texts(staging: Path) -> Iterator[Published]:
    """Every text file in `site/` and `datasette/`, as read;
    a file with the same bytes as one before (a `latest/` copy) only once."""
    seen: set[bytes] = set()
    for top in ("site", "datasette"):
        for path in sorted((staging / top).rglob("*")):
            rel = path.relative_to(staging)
            if path.suffix.lower() not in TEXT_SUFFIXES or _skipped(rel) or not path.is_file():
                continue
            try:
                raw = path.read_bytes()
                text = raw.decode("utf-8")
            except (OSError, UnicodeDecodeError):
                continue  # not text after all
            digest = hashlib.sha256(raw).digest()
            if digest in seen:
                continue
            seen.add(digest)
            html = path.suffix.lower() in (".html", ".htm")
            yield _read_page(text, rel) if html else Published(rel, text)


def screen_published(
    staging: Path, report: Report, permits: Callable[[Hit], bool] = lambda hit: False
) -> None:
    """Add one error (P001–P003) per personal number in what is about to be published: at
    the first file and line it is in, with how many files hold it."""
    found: dict[str, list[tuple[Published, Hit]]] = {}
    for name in _names(staging):  # every published file's name, of any kind
        for hit in find_all(name.as_posix()):
            if not permits(hit):
                found.setdefault(hit.number, []).append((Published(name, name.as_posix()), hit))
    for published in published_texts(staging):
        for hit in find_all(published.text):
            if not permits(hit):
                found.setdefault(hit.number, []).append((published, hit))
    for places in found.values():
        published, hit = places[0]
        files = list(dict.fromkeys(p.path.as_posix() for p, _ in places))
        more = f"（共 {len(files)} 个文件，如 {'、'.join(files[1:4])}）" if len(files) > 1 else ""
        report.add(
            hit.kind,
            f"build/{published.path.as_posix()}",
            f"即将发布的文件含{describe([hit])}{more}；请在它所来自的标准、数据集、页面、"
            "意见或配置中删去（本次构建未发布，build/ 保持原样）",
            line=published.line(hit.start),
        )


def _names(staging: Path) -> Iterator[Path]:
    for top in ("site", "datasette", "data"):
        if (staging / top).is_dir():
            yield from (p.relative_to(staging) for p in sorted((staging / top).rglob("*")))


Contact = tuple[Path, str, str]  # (a published database, its table or "" for any, a field)


def permits(base: Path, contacts: Iterable[Contact]) -> Callable[[Hit], bool]:
    """What the reviewed exceptions let through, wherever it is published: the project's
    allow-list (`personal-data.yaml`), every dataset's `allow` entries, and the mobile numbers
    in the declared `public_contact` fields of the published databases."""
    from stdhub.personal.exceptions import KEY, project_exceptions, read

    prefixes = list(project_exceptions(base)[0].allowed)
    for descriptor in sorted((base / "datasets").glob("*/datapackage.*")):
        try:
            data = yaml.safe_load(descriptor.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue  # validate reported it
        block = data.get(KEY) if isinstance(data, dict) else None
        if isinstance(block, dict):
            prefixes += read({KEY: {"allow": block.get("allow") or []}}, {})[0].allowed
    numbers = {hit.number for value in _contact_values(contacts) for hit in find_all(value)}
    return lambda hit: (
        (hit.kind == MOBILE and hit.number in numbers)
        or any(digest(hit.number).startswith(p) for p in prefixes)
    )


def _contact_values(contacts: Iterable[Contact]) -> Iterator[str]:
    for db, table, field in contacts:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            tables = [table] if table else [r[0] for r in conn.execute(_TABLES)]
            for name in tables:
                columns = {r[1] for r in conn.execute(f'PRAGMA table_info("{_quote(name)}")')}
                if field in columns:
                    query = f'SELECT DISTINCT "{_quote(field)}" FROM "{_quote(name)}"'
                    yield from (str(r[0]) for r in conn.execute(query) if r[0] is not None)
        finally:
            conn.close()


_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table'"


def _quote(name: str) -> str:
    return name.replace('"', '""')
