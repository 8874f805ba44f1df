"""征求意见: the standards open for comment with their deadlines, those about to open, and
closed consultations with their outcome; and one 意见采纳情况 page per feedback file
(`feedback/`) with every answered comment: its text, date, disposition, reason and change.

The outcome of a closed consultation is its answered comments when `feedback/` holds any
(counts by disposition, linked to its page), else the hand-written `consultation_outcome`
sentence. A standard's page gets a block counting the comments each clause received, linked
to the answered ones (`comment_blocks`).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from urllib.parse import urlencode

from stdhub import addresses
from stdhub.feedback.dispositions import Disposition, Entry, FeedbackFile
from stdhub.feedback.public import COLUMNS, comment_rows, where
from stdhub.feedback.targets import dataset_names, dataset_title
from stdhub.site.context import Block, Link, Section, SiteContext
from stdhub.site.downloads import as_json
from stdhub.site.render import render
from stdhub.site.status import live_attrs
from stdhub.standards.model import Catalogue, Standard
from stdhub.vocab import Shown

COMMENTS_CSV = "comments.csv"  # beside each 意见采纳情况 page: its comments as data
COMMENTS_JSON = "comments.json"


def comments_csv(rows: list[dict]) -> str:
    """The published comments of one file as CSV (`stdhub.feedback.public.COLUMNS`), the
    same columns as the `comments` table of the `catalogue` database."""
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return out.getvalue()


def answered_files(cat: Catalogue) -> dict[str, FeedbackFile]:
    """The feedback files with at least one answered comment, by their `about`."""
    files = cat.feedback.files if cat.feedback else {}
    return {about: f for about, f in files.items() if f.answered}


def summary(f: FeedbackFile) -> str:
    """`网上收到意见 7 条：采纳 3 条，部分采纳 1 条，不采纳 2 条，已答复 1 条`, waiting ones
    counted: the comments sent through the site (letters and meetings are not in the files)."""
    counts = f.counts()
    parts = [f"{d} {n} 条" for d, n in counts.items() if n]
    waiting = len(f.waiting)
    if waiting:
        parts.append(f"正在处理 {waiting} 条")
    return f"网上收到意见 {len(f.entries)} 条：" + "，".join(parts)


def consultations_section(ctx: SiteContext) -> Section:
    today = ctx.today
    cat = ctx.catalogue
    stds = cat.standards.values()
    open_ = sorted(
        (s for s in stds if s.in_consultation(today)),
        key=lambda s: (s.dates.consultation_end or today, s.id),
    )
    upcoming = sorted(
        (s for s in stds if s.display_status(today) == Shown.CONSULTATION_SOON),
        key=lambda s: (s.dates.consultation_start or today, s.id),
    )
    closed = sorted(
        (s for s in stds if s.was_consulted() and s not in open_ and s not in upcoming),
        key=lambda s: s.dates.consultation_end or s.dates.issued or today,
        reverse=True,
    )
    answered = answered_files(cat)
    page = addresses.CONSULTATIONS
    text = render(
        "consultations.md",
        open_=open_,
        upcoming=upcoming,
        closed=closed,
        today=today,
        addresses=addresses,
        u=lambda t: addresses.relative(t, page),
        status={s.id: ctx.catalogue.status(s, today) for s in stds},
        live={s.id: live_attrs(s, ctx.catalogue.successor(s)) for s in stds},
        answered={about: summary(f) for about, f in answered.items()},
        others=[f for about, f in answered.items() if about not in cat.standards],
        feedback={
            s.id: ctx.feedback(
                id=s.id, title=s.title, page=addresses.standard(s), version=s.version
            )
            for s in open_
        },
    )
    files: dict[str, str | bytes] = {addresses.docs_path(page): text}
    for about, f in answered.items():
        address = addresses.consultation(about)
        files[addresses.docs_path(address)] = outcome_page(ctx, f, address)
        rows = comment_rows(cat, f, ctx.config.site_url)
        files[address + COMMENTS_CSV] = comments_csv(rows)
        files[address + COMMENTS_JSON] = as_json({"about": about, "comments": rows})
    note = f"{len(open_)} 项标准正在征求意见" if open_ else "目前没有正在征求意见的标准"
    return Section(
        name="consultations",
        weight=40,
        files=files,
        nav=[{"征求意见": addresses.docs_path(page)}],
        not_in_nav=[f"/{addresses.consultation(a)}" for a in answered],
        entry=Link("征求意见", page, note),
    )


def _target(ctx: SiteContext, about: str) -> tuple[str, str]:
    """(title, site address) of what comments are about; the address is "" when it has no
    page of its own (the site as a whole, the open-data search)."""
    cat = ctx.catalogue
    if about in cat.standards:
        std = cat.standards[about]
        return std.title, addresses.standard(std)
    if about in cat.code_lists:
        return cat.code_lists[about].title, addresses.codelist(about)
    if about in cat.lists:
        return cat.lists[about].title, addresses.public_list(about)
    if about in dataset_names(ctx.project / "datasets"):
        return dataset_title(ctx.project / "datasets" / about), addresses.dataset(about)
    return "", ""


def outcome_page(ctx: SiteContext, f: FeedbackFile, page: str) -> str:
    """The 意见采纳情况 page of one feedback file: its answered comments, oldest first."""
    cat = ctx.catalogue
    std = cat.standards.get(f.about)
    title, target = _target(ctx, f.about)
    dataset = f.about in dataset_names(ctx.project / "datasets")
    return render(
        "consultation.md",
        f=f,
        std=std,
        name=(title or f.title or f.about) if dataset else f.about,  # a dataset by its title
        title="" if dataset else title or f.title,
        target=target,
        entries=sorted(f.answered, key=lambda e: (e.received, e.id)),
        summary=summary(f),
        where=lambda e: where(std, e),
        anchor_of=lambda e: e.anchor if std and e.anchor else "",
        dispositions=list(Disposition),
        data_url=addresses.datasette_table(
            ctx.config.data_url, addresses.CATALOGUE_DB, "comments", urlencode({"about": f.about})
        ),
        addresses=addresses,
        u=lambda t: addresses.relative(t, page),
    )


def comment_blocks(ctx: SiteContext, std: Standard) -> list[Block]:
    """The 公众意见 block of a standard's page: how many comments each clause (and data
    element, and the whole) received, each linked to its answered ones; [] without any."""
    f = ctx.catalogue.feedback.for_about(std.id) if ctx.catalogue.feedback else None
    if f is None or not f.entries:
        return []
    page = addresses.consultation(std.id)
    received = Counter(where(std, e) for e in f.entries)
    answered: dict[str, list[Entry]] = {}
    for e in sorted(f.answered, key=lambda e: (e.received, e.id)):
        answered.setdefault(where(std, e), []).append(e)
    order = {where(std, e): _order(std, e) for e in f.entries}
    links = []
    for place in sorted(received, key=lambda p: order[p]):
        done = answered.get(place, [])
        note = f"收到意见 {received[place]} 条，已答复 {len(done)} 条"
        url = f"{page}#{done[0].id}" if done else page
        links.append(Link(place, url if done else "", note))
    linked = (
        Link("全部意见及其处理结果", page, "意见采纳情况"),
        *(link for link in links if link.url),
    )
    unlinked = "；".join(f"{link.title}：{link.note}" for link in links if not link.url)
    text = summary(f) + "。" + (f"尚未答复：{unlinked}。" if unlinked else "")
    return [Block("公众意见", "public-comments", linked, text)]


def clause_comments(ctx: SiteContext, std: Standard) -> dict[str, Link]:
    """Clause number -> a Link whose note reads `本条收到意见 3 条，已答复 2 条` and whose
    url is its first answered comment ("" while none is answered), for the line under
    each clause of a standard's page."""
    f = ctx.catalogue.feedback.for_about(std.id) if ctx.catalogue.feedback else None
    entries = sorted(
        (e for e in (f.entries if f else []) if e.clause), key=lambda e: (e.received, e.id)
    )
    received = Counter(e.clause for e in entries)
    answered = Counter(e.clause for e in entries if e.disposition is not None)
    first: dict[str, str] = {}
    for e in entries:
        if e.disposition is not None:
            first.setdefault(e.clause, f"{addresses.consultation(std.id)}#{e.id}")
    return {
        number: Link(
            number, first.get(number, ""), f"本条收到意见 {n} 条，已答复 {answered[number]} 条"
        )
        for number, n in received.items()
    }


def _order(std: Standard, e: Entry) -> tuple[int, ...]:
    """Clauses in the standard's order (by number), then data elements, then the whole."""
    if e.clause:
        try:
            return (0, *(int(p) for p in e.clause.split(".")))
        except ValueError:
            return (0, 9999)
    return (1,) if e.anchor else (2,)
