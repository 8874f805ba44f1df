"""MkDocs hook for `mkdocs serve` / `mkdocs build` run straight from the repository.

It does what `stdhub build` does before calling the builder: validate `standards/`,
generate the pages (into `build/.mkdocs-pages/`, never into `docs/`), add them to the
build and fill in the navigation; `mkdocs serve` also watches `standards/`, so an edited
YAML file shows on the page at once. Set STDHUB_TODAY=YYYY-MM-DD to pretend another day.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from pathspec.gitignore import GitIgnoreSpec

from stdhub.config import load_config
from stdhub.project import load_catalogue
from stdhub.site import builder
from stdhub.site.context import SiteContext
from stdhub.site.generate import generate, write
from stdhub.site.source import TEMPLATES

_generated: dict[str, Any] = {}


def _today() -> dt.date:
    value = os.environ.get("STDHUB_TODAY")
    return dt.date.fromisoformat(value) if value else dt.date.today()


@event_priority(100)  # before the other plugins
def on_config(config):
    builder.quiet_jieba()
    project = Path(config.config_file_path).resolve().parent
    catalogue, report = load_catalogue(project / "standards", today=_today(), base=project)
    if not report.ok:
        raise PluginError("standards/ 校验未通过（validation failed）：\n" + report.as_text())
    ctx = SiteContext(
        catalogue=catalogue, config=load_config(project), today=_today(), project=project
    )
    pages = generate(ctx, Path(config.docs_dir))
    out = project / "build" / ".mkdocs-pages"
    write(pages.files | pages.static, out)
    config.nav = pages.nav
    if str(TEMPLATES) not in config.theme.dirs:  # the site's own templates: the Chinese 404
        config.theme.dirs.insert(0, str(TEMPLATES))
    config.not_in_nav = GitIgnoreSpec.from_lines(pages.not_in_nav)
    _generated.update(project=project, out=out, files=[*pages.files, *pages.static])
    return config


def on_files(files: Files, config) -> Files:
    out = str(_generated["out"])
    for path in _generated["files"]:
        files.append(
            File(
                path,
                src_dir=out,
                dest_dir=config.site_dir,
                use_directory_urls=config.use_directory_urls,
            )
        )
    return files


def on_serve(server, config, builder):
    server.watch(str(Path(_generated["project"]) / "standards"))
    return server
