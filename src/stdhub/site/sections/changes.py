"""民政标准化动态: the standards' history events, newest first, as a page and an Atom feed."""

from __future__ import annotations

from stdhub import addresses
from stdhub.site import feed
from stdhub.site.context import Link, Section, SiteContext
from stdhub.site.render import render

ON_PAGE = 200


def changes_section(ctx: SiteContext) -> Section:
    items = feed.changes(ctx.catalogue, ctx.today)
    page = addresses.CHANGES
    text = render(
        "changes.md",
        items=items[:ON_PAGE],
        total=len(items),
        addresses=addresses,
        u=lambda t: addresses.relative(t, page),
    )
    files: dict[str, str | bytes] = {addresses.docs_path(page): text, **_feeds(ctx, items)}
    latest = items[0] if items else None
    return Section(
        name="changes",
        weight=50,
        files=files,
        nav=[{"标准化动态": addresses.docs_path(page)}],
        entry=Link(
            "民政标准化动态",
            page,
            f"最近：{latest.date.isoformat()} {latest.title}" if latest else "暂无动态",
        ),
    )


def _feeds(ctx: SiteContext, items: list[feed.Change]) -> dict[str, bytes]:
    """The site-wide feed with its archives (RFC 5005), and one feed per standard."""
    site = ctx.config.site_url

    def url(address: str) -> str:
        return addresses.absolute(site, address)

    pages = feed.archive_pages(items)
    current = url(addresses.FEED)
    files: dict[str, bytes] = {}
    for n, entries in enumerate(pages, start=1):
        links = feed.FeedLinks(
            current=current,
            prev_archive=url(addresses.feed_archive(n - 1)) if n > 1 else "",
            next_archive=url(addresses.feed_archive(n + 1)) if n < len(pages) else "",
            archived=True,
        )
        files[addresses.feed_archive(n)] = feed.atom(
            entries,
            feed_id=feed.permanent_id("changes"),
            self_url=url(addresses.feed_archive(n)),
            site_url=url(addresses.CHANGES),
            page_url=url,
            title=f"民政标准化动态（存档第 {n} 页）",
            links=links,
        )
    prev = url(addresses.feed_archive(len(pages))) if pages else ""
    files[addresses.FEED] = feed.atom(
        items[: feed.ARCHIVE_PAGE],
        feed_id=feed.permanent_id("changes"),
        self_url=current,
        site_url=url(addresses.CHANGES),
        page_url=url,
        title="民政标准化动态",
        links=feed.FeedLinks(current=current, prev_archive=prev),
    )
    for std in ctx.catalogue.standards.values():
        own = [c for c in items if c.standard.id == std.id]
        files[addresses.standard_feed(std)] = feed.atom(
            own,
            feed_id=feed.permanent_id("standard", std.id),
            self_url=url(addresses.standard_feed(std)),
            site_url=url(addresses.standard(std)),
            page_url=url,
            title=f"{std.id} {std.title} 的动态",
        )
    return files
