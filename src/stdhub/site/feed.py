"""The change feed (民政标准化动态) as Atom, written with ElementTree so every value is escaped."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from stdhub.standards.model import Catalogue, Event, Standard

ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class Change:
    date: dt.date
    event: Event
    standard: Standard

    @property
    def title(self) -> str:
        return f"{self.event.event}：{self.standard.id} {self.standard.title}"


def changes(cat: Catalogue, today: dt.date) -> list[Change]:
    """Every history event up to today, newest first."""
    found = [
        Change(e.date, e, s) for s in cat.standards.values() for e in s.history if e.date <= today
    ]
    return sorted(found, key=lambda c: (c.date, c.standard.id, c.event.event), reverse=True)


def _stamp(d: dt.date) -> str:
    return f"{d.isoformat()}T00:00:00+08:00"


def atom(items: list[Change], *, site_url: str, feed_url: str, page_url, title: str) -> bytes:
    """An Atom 1.0 document; `page_url(standard)` gives a standard's absolute address."""
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
        url = page_url(c.standard)
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
