"""民政标准化动态: the standards' history events, newest first, as a page and an Atom feed."""

from __future__ import annotations

from stdhub import addresses
from stdhub.site import feed
from stdhub.site.context import Link, Section, SiteContext
from stdhub.site.render import render

ON_PAGE = 200
IN_FEED = 50


def changes_section(ctx: SiteContext) -> Section:
    items = feed.changes(ctx.catalogue, ctx.today)
    page = addresses.CHANGES
    site = ctx.config.site_url
    text = render(
        "changes.md",
        items=items[:ON_PAGE],
        total=len(items),
        addresses=addresses,
        u=lambda t: addresses.relative(t, page),
    )
    xml = feed.atom(
        items[:IN_FEED],
        site_url=addresses.absolute(site, page),
        feed_url=addresses.absolute(site, addresses.FEED),
        page_url=lambda address: addresses.absolute(site, address),
        title="民政标准化动态",
    )
    latest = items[0] if items else None
    return Section(
        name="changes",
        weight=50,
        files={addresses.docs_path(page): text, addresses.FEED: xml},
        nav=[{"标准化动态": addresses.docs_path(page)}],
        entry=Link(
            "民政标准化动态",
            page,
            f"最近：{latest.date.isoformat()} {latest.title}" if latest else "暂无动态",
        ),
    )
