"""征求意见: the standards open for comment with their deadlines, those about to open, and
closed consultations with their outcome."""

from __future__ import annotations

from stdhub import addresses
from stdhub.site.context import Link, Section, SiteContext
from stdhub.site.render import render
from stdhub.standards.model import Standard
from stdhub.vocab import Shown


def _was_consulted(std: Standard) -> bool:
    return any(e.event in ("征求意见开始", "征求意见结束") for e in std.history) or bool(
        std.dates.consultation_end
    )


def consultations_section(ctx: SiteContext) -> Section:
    today = ctx.today
    stds = ctx.catalogue.standards.values()
    open_ = sorted(
        (s for s in stds if s.in_consultation(today)),
        key=lambda s: (s.dates.consultation_end or today, s.id),
    )
    upcoming = sorted(
        (s for s in stds if s.display_status(today) == Shown.CONSULTATION_SOON),
        key=lambda s: (s.dates.consultation_start or today, s.id),
    )
    closed = sorted(
        (s for s in stds if _was_consulted(s) and s not in open_ and s not in upcoming),
        key=lambda s: s.dates.consultation_end or s.dates.issued or today,
        reverse=True,
    )
    page = addresses.CONSULTATIONS
    text = render(
        "consultations.md",
        open_=open_,
        upcoming=upcoming,
        closed=closed,
        today=today,
        addresses=addresses,
        u=lambda t: addresses.relative(t, page),
        status={s.id: s.display_status(today) for s in stds},
        feedback={
            s.id: ctx.feedback(
                id=s.id, title=s.title, page=addresses.standard(s), version=s.version
            )
            for s in open_
        },
    )
    note = f"{len(open_)} 项标准正在征求意见" if open_ else "目前没有正在征求意见的标准"
    return Section(
        name="consultations",
        weight=40,
        files={addresses.docs_path(page): text},
        nav=[{"征求意见": addresses.docs_path(page)}],
        entry=Link("征求意见", page, note),
    )
