"""The change feed (民政标准化动态) as Atom, written with ElementTree so every value is escaped.

Its items are the standards' history events and the published outcomes of comments: a
feedback file (`feedback/`) about a standard announces its 意见采纳情况 page on the day of
its latest answer (`answered`).

Feeds last: every id is a `urn:uuid:` made from what the entry is (standard, date, event),
never from the site's address, so moving the site changes no id (RFC 4287 §4.2.6: ids are
permanent); the whole history stays reachable through archived feeds (RFC 5005 §4): pages
of `ARCHIVE_PAGE` entries, oldest first, each complete page fixed once it is full, linked
`prev-archive` / `next-archive` / `current` from the current feed back to the first entry.
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

from stdhub import addresses
from stdhub.standards.model import Catalogue, Event, Standard

OUTCOME = "意见处理结果公布"  # the event of a published outcome (not a history event)

ATOM = "http://www.w3.org/2005/Atom"
ARCHIVE_NS = "http://purl.org/syndication/history/1.0"  # RFC 5005's <fh:archive/>
ARCHIVE_PAGE = 50  # entries per archived feed document
# the namespace of every feed and entry id (uuid5): fixed, whatever the site's address
IDS = uuid.UUID("6b1f4c0e-2f7a-5d0e-9a57-6d7a2c1e8b42")


def permanent_id(*parts: str) -> str:
    """`urn:uuid:…` of what `parts` name (`permanent_id("standard", "HNMZ/T 0001-2024")`)."""
    return uuid.uuid5(IDS, "\x1f".join(parts)).urn


@dataclass(frozen=True)
class Change:
    date: dt.date
    event: Event
    standard: Standard
    page: str = ""  # the site address it links to; "" for the standard's page

    @property
    def title(self) -> str:
        return f"{self.event.event}：{self.standard.id} {self.standard.title}"

    @property
    def address(self) -> str:
        """The site address of the page it announces."""
        return self.page or addresses.standard(self.standard)

    @property
    def id(self) -> str:
        return permanent_id("change", self.standard.id, self.date.isoformat(), self.event.event)

    @property
    def summary(self) -> str:
        return self.event.note or self.standard.summary

    @property
    def category(self) -> str:
        return self.event.event


@dataclass(frozen=True)
class Release:
    """An entry of a dataset's feed that is no standard's event: a version of the data
    published, or the outcome of the comments on it; `key` names it for its permanent id."""

    date: dt.date
    title: str
    address: str
    summary: str
    category: str
    key: tuple[str, ...]

    @property
    def id(self) -> str:
        return permanent_id(*self.key)


Item = Change | Release


def changes(cat: Catalogue, today: dt.date) -> list[Change]:
    """Every history event and published outcome of comments up to today, newest first."""
    found = [
        Change(e.date, e, s) for s in cat.standards.values() for e in s.history if e.date <= today
    ]
    found += outcomes(cat, today)
    return sorted(found, key=lambda c: (c.date, c.standard.id, c.event.event), reverse=True)


def outcomes(cat: Catalogue, today: dt.date) -> list[Change]:
    """One change per feedback file about a standard with answers published by `today`:
    dated by its latest `answered`, noting the counts, linking to its 意见采纳情况 page."""
    found = []
    for about, f in (cat.feedback.files if cat.feedback else {}).items():
        std = cat.standards.get(about)
        day = f.published_on()
        if std is None or day is None or day > today:
            continue
        counts = "，".join(f"{d} {n} 条" for d, n in f.counts().items() if n)
        note = f"公开 {len(f.answered)} 条意见的处理情况：{counts}"
        found.append(Change(day, Event(day, OUTCOME, note), std, addresses.consultation(about)))
    return found


def _stamp(d: dt.date) -> str:
    return f"{d.isoformat()}T00:00:00+08:00"


@dataclass(frozen=True)
class FeedLinks:
    """Where a feed document stands among its archives (RFC 5005 §4): absolute addresses."""

    current: str
    prev_archive: str = ""
    next_archive: str = ""
    archived: bool = False  # an archived document (<fh:archive/>), not the current feed


def atom(
    items: list[Change] | list[Item],
    *,
    feed_id: str,
    self_url: str,
    site_url: str,
    page_url: Callable[[str], str],
    title: str,
    links: FeedLinks | None = None,
) -> bytes:
    """An Atom 1.0 document; `page_url(address)` gives a site address's absolute address."""
    ET.register_namespace("", ATOM)
    ET.register_namespace("fh", ARCHIVE_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "zh-CN"})
    sub(feed, "title", title)
    sub(feed, "id", feed_id)
    sub(feed, "link", href=self_url, rel="self", type="application/atom+xml")
    sub(feed, "link", href=site_url, rel="alternate", type="text/html")
    if links is not None:
        if links.archived:
            ET.SubElement(feed, f"{{{ARCHIVE_NS}}}archive")
            sub(feed, "link", href=links.current, rel="current", type="application/atom+xml")
        for rel, href in (
            ("prev-archive", links.prev_archive),
            ("next-archive", links.next_archive),
        ):
            if href:
                sub(feed, "link", href=href, rel=rel, type="application/atom+xml")
    newest = max((c.date for c in items), default=None)
    sub(feed, "updated", _stamp(newest) if newest else "1970-01-01T00:00:00Z")
    author = sub(feed, "author")
    sub(author, "name", "湖南省民政厅")
    for c in items:
        url = page_url(c.address)
        entry = sub(feed, "entry")
        sub(entry, "title", c.title)
        sub(entry, "id", c.id)
        sub(entry, "link", href=url, rel="alternate", type="text/html")
        sub(entry, "updated", _stamp(c.date))
        sub(entry, "summary", c.summary[:500])
        sub(entry, "category", term=c.category)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def archive_pages(items: list[Change]) -> list[list[Change]]:
    """The complete archive pages of `items` (newest first, as `changes` gives them): oldest
    first, `ARCHIVE_PAGE` entries each, oldest entry first; entries after the last complete
    page are only in the current feed (which shows the newest `ARCHIVE_PAGE`)."""
    oldest_first = items[::-1]
    full = len(oldest_first) // ARCHIVE_PAGE
    return [oldest_first[i * ARCHIVE_PAGE : (i + 1) * ARCHIVE_PAGE][::-1] for i in range(full)]
