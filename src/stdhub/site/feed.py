"""The change feed (民政标准化动态) as Atom, written with ElementTree so every value is escaped.

Its items are the standards' history events and the published outcomes of comments: a
feedback file (`feedback/`) about a standard announces its 意见采纳情况 page on the day of
its latest answer (`answered`)."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from stdhub import addresses
from stdhub.standards.model import Catalogue, Event, Standard

OUTCOME = "意见处理结果公布"  # the event of a published outcome (not a history event)

ATOM = "http://www.w3.org/2005/Atom"


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


def atom(items: list[Change], *, site_url: str, feed_url: str, page_url, title: str) -> bytes:
    """An Atom 1.0 document; `page_url(address)` gives a site address's absolute address."""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "zh-CN"})
    sub(feed, "title", title)
    sub(feed, "id", feed_url)
    sub(feed, "link", href=feed_url, rel="self", type="application/atom+xml")
    sub(feed, "link", href=site_url, rel="alternate", type="text/html")
    sub(feed, "updated", _stamp(items[0].date) if items else "1970-01-01T00:00:00Z")
    author = sub(feed, "author")
    sub(author, "name", title)
    for c in items:
        url = page_url(c.address)
        entry = sub(feed, "entry")
        sub(entry, "title", c.title)
        sub(entry, "id", f"{url}#{c.date.isoformat()}-{c.event.event}")
        sub(entry, "link", href=url, rel="alternate", type="text/html")
        sub(entry, "updated", _stamp(c.date))
        summary = c.event.note or c.standard.summary
        sub(entry, "summary", summary[:500])
        sub(entry, "category", term=c.event.event)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
