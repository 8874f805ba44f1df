"""Run the section generators and put their pages together: files, navigation, home page.

Nothing here knows about MkDocs: the result is Markdown, static files and a navigation
in `mkdocs.yml`'s format, which any builder reading that format can turn into a site.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stdhub.errors import StdhubError
from stdhub.site.context import Section, SectionGenerator, SiteContext
from stdhub.site.sections import default_sections
from stdhub.site.sections.help import help_section
from stdhub.site.sections.home import home_section

ASSETS = Path(__file__).parent / "assets"


@dataclass
class Pages:
    files: dict[str, str | bytes] = field(default_factory=dict)
    static: dict[str, str | bytes] = field(default_factory=dict)
    search: list[Callable[[], list[dict[str, Any]]]] = field(default_factory=list)
    nav: list[Any] = field(default_factory=list)
    not_in_nav: list[str] = field(default_factory=list)


def generate(
    ctx: SiteContext, docs: Path, sections: Iterable[SectionGenerator] | None = None
) -> Pages:
    """Every generated file of the site, with the navigation, for hand-written `docs`."""
    built = [make(ctx) for make in (sections if sections is not None else default_sections())]
    entries = [s.entry for s in sorted(built, key=lambda s: s.weight) if s.entry]
    built += [home_section(ctx, entries, docs), help_section(docs), _assets()]
    pages = Pages()
    for section in sorted(built, key=lambda s: s.weight):
        clash = (pages.files.keys() | pages.static.keys()) & (
            section.files.keys() | section.static.keys()
        )
        if clash:
            raise StdhubError(f"section {section.name} writes {sorted(clash)[0]} twice")
        pages.files.update(section.files)
        pages.static.update(section.static)
        pages.search.extend(section.search)
        pages.nav.extend(section.nav)
        pages.not_in_nav.extend(section.not_in_nav)
    handwritten = [p for p in pages.files if (docs / p).exists()]
    if handwritten:
        raise StdhubError(
            f"docs/{handwritten[0]} 与生成的页面同名（the page is generated; rename or remove it）"
        )
    return pages


def _assets() -> Section:
    files: dict[str, str | bytes] = {
        f"assets/{p.name}": p.read_bytes() for p in sorted(ASSETS.iterdir()) if p.is_file()
    }
    return Section(name="assets", weight=100, files=files)


def write(files: dict[str, str | bytes], out: Path, *, clean: bool = True) -> None:
    """Write `files` (path -> content) into `out`, emptied first unless `clean` is false."""
    if clean and out.exists():
        shutil.rmtree(out)
    made: set[Path] = set()
    for rel, content in files.items():
        path = out / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
