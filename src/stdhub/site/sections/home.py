"""The home page, which starts with finding: a search box with status and kind filters,
the 办事指南 by life event, then the entry points of every section, the hand-written
introduction, open consultations and the latest changes. Built after the other sections,
from their entries."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stdhub import addresses
from stdhub.site import feed
from stdhub.site.context import Link, Section, SiteContext
from stdhub.site.render import render
from stdhub.site.status import ORDER
from stdhub.standards.model import Catalogue, Standard
from stdhub.vocab import Kind, Shown

INTRO = "_home.md"  # in docs/: hand-written, not a page of its own
LATEST = 8

# life events (生活事项) a resident looks for, each with the domains (业务领域, the controlled
# vocabulary of common.json) of the guides that belong to it; a guide of several domains
# is under each of their events; one of none of them is under OTHER
LIFE_EVENTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("救助", "rescue", ("社会救助",)),
    ("婚姻", "marriage", ("婚姻登记",)),
    ("养老", "elderly", ("养老服务",)),
    ("殡葬", "funeral", ("殡葬管理",)),
    ("社会组织", "organisations", ("社会组织", "慈善事业")),
    ("残疾人", "disability", ("残疾人福利",)),
)
OTHER = ("其他事项", "other")
# what no longer applies is not offered to someone about to go to the counter
_GONE = (Shown.SUPERSEDED, Shown.WITHDRAWN, Shown.DRAFT)


@dataclass(frozen=True)
class LifeEvent:
    name: str
    slug: str  # the anchor on the home page: #event-<slug>
    guides: list[Standard]


def life_events(catalogue: Catalogue, today) -> list[LifeEvent]:
    """The service guides (every standard with a `service` block: 办事指南 and 服务标准), the
    latest applicable version of each series, grouped by life event in LIFE_EVENTS order;
    events without a guide are left out; guides sorted by id."""
    guides = sorted(
        (
            s
            for s in catalogue.standards.values()
            if s.service
            and catalogue.latest(s.series) is s
            and catalogue.status(s, today) not in _GONE
        ),
        key=lambda s: s.id,
    )
    events = [
        LifeEvent(name, slug, [g for g in guides if set(g.domains) & set(domains)])
        for name, slug, domains in LIFE_EVENTS
    ]
    known = {d for _, _, domains in LIFE_EVENTS for d in domains}
    events.append(LifeEvent(*OTHER, [g for g in guides if not set(g.domains) & known]))
    return [e for e in events if e.guides]


def home_section(ctx: SiteContext, entries: list[Link], docs: Path) -> Section:
    intro_file = docs / INTRO
    intro = intro_file.read_text(encoding="utf-8") if intro_file.exists() else ""
    # the intro's title stays the page's title; the finder comes right under it
    title, rest = intro.split("\n", 1) if intro.startswith("# ") else ("", intro)
    today = ctx.today
    standards = ctx.catalogue.standards.values()
    consulting = sorted(
        (s for s in standards if s.in_consultation(today)),
        key=lambda s: (s.dates.consultation_end or today, s.id),
    )
    shown = {ctx.catalogue.status(s, today) for s in standards}
    text = render(
        "home.md",
        title=title,
        intro=rest,
        entries=entries,
        statuses=[s for s in ORDER if s in shown],
        kinds=[k for k in Kind if any(s.kind == k for s in standards)],
        events=life_events(ctx.catalogue, today),
        consulting=consulting,
        changes=feed.changes(ctx.catalogue, today)[:LATEST],
        addresses=addresses,
        u=lambda t: addresses.relative(t, ""),
        count=len(ctx.catalogue.standards),
    )
    return Section(name="home", weight=0, files={"index.md": text}, nav=[{"首页": "index.md"}])
