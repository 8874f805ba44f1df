"""The site source for the builder: `docs/` (hand-written pages copied beside the generated
ones) and what the project's `mkdocs.yml` is read with, the navigation filled in.

The project's `mkdocs.yml` stays the one place for the theme, plugins and `extra.stdhub`;
it is never re-written: MkDocs reads it itself (`builder.run`) with the overrides from here,
so every tag and setting MkDocs accepts (e.g. Material's `!!python/name:` emoji settings)
works in `stdhub build` as in `mkdocs build`.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any

from stdhub.config import Config, as_section, read_mkdocs_yml
from stdhub.forking import THREAD_PREFIX
from stdhub.site.generate import Pages, write

# stdhub's own theme templates, before the theme's: the 404 page in Chinese
TEMPLATES = Path(__file__).parent / "overrides"
# the hook that gives every page's footer its 意见反馈 link
FOOTER_HOOK = Path(__file__).parent / "feedback_footer.py"


def overrides(
    pages: Pages,
    docs_dir: Path,
    site_dir: Path,
    site_url: str | None = None,
    *,
    config: Config | None = None,
    config_file: Path | None = None,
) -> dict[str, Any]:
    """Settings that replace the project's: the generated pages' folder, the output folder,
    the navigation; no hooks or watched paths (the hook does what `stdhub build` does, for
    `mkdocs serve`) but the footer's 意见反馈 link (`feedback_footer`); and, if given, the
    address the site is built for (`site_url` makes MkDocs' canonical links and sitemap:
    `stdhub serve --port N` builds for port N) and the configuration in effect (`config`,
    written into `extra.stdhub` of the project's `config_file` for the theme's templates)."""
    result: dict[str, Any] = {
        **({"site_url": site_url} if site_url else {}),
        "docs_dir": str(docs_dir.resolve()),
        "site_dir": str(site_dir.resolve()),
        "nav": pages.nav,
        "not_in_nav": "\n".join(pages.not_in_nav),
        "hooks": [str(FOOTER_HOOK)],
        "watch": [],
    }
    if config is not None and config_file is not None:
        extra = dict(read_mkdocs_yml(config_file).get("extra") or {})
        extra["stdhub"] = {**(extra.get("stdhub") or {}), **as_section(config)}
        result["extra"] = extra
    return result


def _retire(folder: Path) -> None:
    """Empty `folder` at once: rename it away and delete it in the background."""
    if not folder.exists():
        return
    old = folder.with_name(folder.name + ".old")
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
    folder.rename(old)
    name = f"{THREAD_PREFIX}retire"
    threading.Thread(target=shutil.rmtree, args=(old, True), name=name, daemon=True).start()


def write_docs(project: Path, pages: Pages, out: Path) -> Path:
    """Write the generated pages and the project's hand-written `docs/` into `out/docs/`;
    return that folder."""
    docs = out / "docs"
    _retire(docs)
    write(pages.files, docs, clean=False)
    handwritten = project / "docs"
    if handwritten.is_dir():
        shutil.copytree(handwritten, docs, dirs_exist_ok=True)
    return docs
