"""The home page: the hand-written introduction, entry points of every section, open
consultations and the latest changes. Built after the other sections, from their entries."""

from __future__ import annotations

from pathlib import Path

from stdhub import addresses
from stdhub.site import feed
from stdhub.site.context import Link, Section, SiteContext
from stdhub.site.render import render

INTRO = "_home.md"  # in docs/: hand-written, not a page of its own
LATEST = 8


def home_section(ctx: SiteContext, entries: list[Link], docs: Path) -> Section:
    intro_file = docs / INTRO
    intro = intro_file.read_text(encoding="utf-8") if intro_file.exists() else ""
    today = ctx.today
    consulting = sorted(
        (s for s in ctx.catalogue.standards.values() if s.in_consultation(today)),
        key=lambda s: (s.dates.consultation_end or today, s.id),
    )
    text = render(
        "home.md",
        intro=intro,
        entries=entries,
        consulting=consulting,
        changes=feed.changes(ctx.catalogue, today)[:LATEST],
        addresses=addresses,
        u=lambda t: addresses.relative(t, ""),
        count=len(ctx.catalogue.standards),
    )
    return Section(name="home", weight=0, files={"index.md": text}, nav=[{"首页": "index.md"}])
