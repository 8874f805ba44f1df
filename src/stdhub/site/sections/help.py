"""The hand-written pages in `docs/` (about, how to read a standard, feedback, the staff
guide, and the reference pages): they need no generating, only a place in the navigation."""

from __future__ import annotations

from pathlib import Path

from stdhub.site.context import Section

HELP_PAGES = (
    "about.md",
    "how-to-read.md",
    "feedback.md",
    "contributing.md",
    "deploy.md",
    "datasette-settings.md",
)


def help_section(docs: Path) -> Section:
    pages: list[object] = [p for p in HELP_PAGES if (docs / p).exists()]
    reference = sorted(docs.glob("reference/*.md"), key=lambda p: (p.name != "index.md", p.name))
    if reference:
        pages.append({"参考": [f"reference/{p.name}" for p in reference]})
    return Section(name="help", weight=90, nav=[{"帮助": pages}] if pages else [])
