"""What every section generator is given (`SiteContext`) and what it gives back (`Section`).

A section owns some pages and files of the site and, optionally, a navigation entry and
an entry point on the home page. A later module adds a section by writing one function
`(SiteContext) -> Section` and adding it to `stdhub.site.sections.default_sections()`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stdhub import addresses
from stdhub.config import Config
from stdhub.standards.model import Catalogue


@dataclass(frozen=True)
class Link:
    """A titled link to a site address (or an absolute URL) with an optional note."""

    title: str
    url: str
    note: str = ""


@dataclass(frozen=True)
class Block:
    """Extra content for a standard's page, given by another part of stdhub.

    E.g. the open-data step gives each data standard a block "符合本标准的数据集" listing
    the datasets that conform to it.
    """

    title: str
    anchor: str
    links: tuple[Link, ...]
    text: str = ""


@dataclass
class SiteContext:
    catalogue: Catalogue
    config: Config
    today: dt.date
    project: Path
    # standard id -> extra blocks shown on its page (see Block)
    standard_blocks: dict[str, list[Block]] = field(default_factory=dict)
    # the published open datasets, name -> title, for links to their pages; None when the
    # site is built without the open-data step (links then name every dataset by its name)
    datasets: dict[str, str] | None = None
    # the 主要数据 of a division's page, (code, page address) -> Markdown ("" for none),
    # given by the open-data step (stdhub.opendata.divisionfigures)
    division_figures: Callable[[str, str], str] | None = None
    # make the standards' search entries here rather than in the theme's plugin (search.py)
    own_search: bool = False

    def feedback(
        self, *, id: str, title: str, page: str, version: str = "", anchor: str = ""
    ) -> str:
        """The 意见反馈 address for something on the site address `page`."""
        return self.config.feedback_link(
            id=id,
            title=title,
            url=addresses.absolute(self.config.site_url, page),
            version=version,
            anchor=anchor,
        )


@dataclass
class Section:
    """The pages and files a section adds, and where it appears.

    `files` maps a path under the docs folder to its content (pages, and files pages link
    to in Markdown). `static` maps a site path to a file that is published as it is, beside
    what the builder makes (downloads: thousands of files the builder need not copy). `nav` is in `mkdocs.yml`'s
    `nav` format. `not_in_nav` lists gitignore-style patterns of pages reached from
    other pages rather than the navigation. `entry` is shown on the home page.
    """

    name: str
    weight: int
    files: dict[str, str | bytes] = field(default_factory=dict)
    static: dict[str, str | bytes] = field(default_factory=dict)
    # jobs making search entries (search.py), run beside the builder (background.py)
    search: list[Callable[[], list[dict[str, Any]]]] = field(default_factory=list)
    nav: list[Any] = field(default_factory=list)
    not_in_nav: list[str] = field(default_factory=list)
    entry: Link | None = None


SectionGenerator = Callable[[SiteContext], Section]
