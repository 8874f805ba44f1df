"""复审 (staff): the standards in force that are due for review, with the comments each
clause received since it took effect or was last reviewed — a page and the same list as
CSV and JSON (`stdhub.feedback.review`). Out of the navigation and the search, like the
staff documentation (`help.py`); reached from the about page's 维护人员文档 list."""

from __future__ import annotations

from stdhub import addresses
from stdhub.feedback import review
from stdhub.site.context import Section, SiteContext
from stdhub.site.render import render


def review_section(ctx: SiteContext) -> Section:
    rows = review.review_list(ctx.catalogue, ctx.today)
    page = addresses.REVIEW
    text = render(
        "review.md",
        due=[d for d in rows if d.due],
        later=[d for d in rows if not d.due],
        today=ctx.today,
        years=review.REVIEW_YEARS,
        threshold=review.REVIEW_COMMENTS,
        addresses=addresses,
        u=lambda t: addresses.relative(t, page),
        clause_anchor=lambda key: (
            f"clause-{key.replace('.', '-')}"
            if key[:1].isdigit()
            else key
            if key != review.WHOLE
            else ""
        ),
    )
    return Section(
        name="review",
        weight=95,
        files={
            addresses.docs_path(page): text,
            addresses.REVIEW_CSV: review.as_csv(rows),
            addresses.REVIEW_JSON: review.as_json(rows, ctx.today),
        },
        not_in_nav=[f"/{page}"],
    )
