"""The public site: catalogue -> Markdown pages and data files -> the site builder.

`build_site` is what `stdhub build` calls; `mkdocs_hook` does the same generation for
`mkdocs build` / `mkdocs serve` run straight from the repository.

    sections/      one module per part of the site; each a function
                   `(SiteContext) -> Section` (pages, static files, nav entry, home entry)
    templates/     Jinja2 (autoescape) templates of the generated Markdown pages
    render.py      the only ways YAML text reaches a page: escaped, Markdown without HTML
    generate.py    runs the sections, assembles files and navigation (no MkDocs API)
    source.py      writes docs/ and the overrides the project's mkdocs.yml is read with
    builder.py     runs the builder, MkDocs or Zensical (`extra.stdhub.builder`)
    diff.py, downloads.py, feed.py, status.py: what their names say

To add a section (e.g. 开放数据), pass `sections=[*default_sections(), mine]`; to add
content to a standard's page, pass `standard_blocks={id: [Block(...)]}`.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from stdhub.config import Config, load_config
from stdhub.errors import StdhubError
from stdhub.site import builder
from stdhub.site.background import meanwhile
from stdhub.site.context import Block, Link, Section, SectionGenerator, SiteContext
from stdhub.site.generate import generate
from stdhub.site.search import fix_query_segmentation
from stdhub.site.source import TEMPLATES, overrides, write_docs
from stdhub.standards.model import Catalogue

__all__ = ["Block", "Link", "Section", "SectionGenerator", "SiteContext", "build_site"]


def build_site(
    catalogue: Catalogue,
    project: Path,
    site_dir: Path,
    *,
    today: dt.date,
    config: Config | None = None,
    sections: Iterable[SectionGenerator] | None = None,
    standard_blocks: dict[str, list[Block]] | None = None,
    datasets: dict[str, str] | None = None,
    division_figures: Callable[[str, str], str] | None = None,
    work_dir: Path | None = None,
    timings: dict[str, float] | None = None,
) -> Path:
    """Generate the site source into `work_dir` (default `build/.site-src/`) and build it
    into `site_dir` with the project's `mkdocs.yml`. Returns the generated docs folder. `timings`, if given, receives the
    seconds of the two steps ("generate", "mkdocs": the builder, whichever it is) for the
    benchmark."""
    start = time.perf_counter()
    if not (project / "mkdocs.yml").is_file():
        raise StdhubError(f"找不到 {project / 'mkdocs.yml'}（the site configuration）")
    ctx = SiteContext(
        catalogue=catalogue,
        config=config or load_config(project),
        today=today,
        project=project,
        standard_blocks=standard_blocks or {},
        datasets=datasets,
        division_figures=division_figures,
        own_search=True,
    )
    pages = generate(ctx, project / "docs", sections)
    docs = write_docs(project, pages, work_dir or project / "build" / ".site-src")
    generated = time.perf_counter()
    with meanwhile(pages.static, pages.search, site_dir) as entries:
        builder.run(
            project / "mkdocs.yml",
            overrides(
                pages,
                docs,
                site_dir,
                ctx.config.site_url,
                config=ctx.config,
                config_file=project / "mkdocs.yml",
            ),
            templates=TEMPLATES,
            name=ctx.config.builder,
        )
    builder.add_search_entries(site_dir, entries)
    fix_query_segmentation(site_dir)
    if timings is not None:
        timings.update(generate=generated - start, mkdocs=time.perf_counter() - generated)
    return docs
