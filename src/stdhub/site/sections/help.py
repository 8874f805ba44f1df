"""The hand-written pages in `docs/`: the public help (about, how to read a standard,
feedback) in the 帮助 tab; the staff documentation (contributing, deployment, Datasette
settings, the reference pages) outside the navigation and the search, reached from the
about page's 维护人员文档 list."""

from __future__ import annotations

from pathlib import Path

from stdhub.site.context import Section

HELP_PAGES = ("about.md", "how-to-read.md", "feedback.md")
STAFF_PAGES = (
    "contributing.md",
    "handbook.md",
    "deploy.md",
    "datasette-settings.md",
    "feedback-service.md",
    "reference/",
)


def help_section(docs: Path) -> Section:
    pages = [p for p in HELP_PAGES if (docs / p).exists()]
    return Section(
        name="help",
        weight=90,
        nav=[{"帮助": pages}] if pages else [],
        not_in_nav=[f"/{p}" for p in STAFF_PAGES],
    )
