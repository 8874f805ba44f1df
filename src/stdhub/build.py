"""`stdhub build`: validate, then build the data, the site and Datasette's folder side by
side in `build/.staging/` and publish the three together (`stdhub.atomic`).

    validate -> data (build/.staging/data) -> open data (downloads, cached in build/.opendata)
             -> site (build/.staging/site, from build/.staging/site-src)
             -> Datasette (build/.staging/datasette) -> swap

A failure at any step (a check, a full disk, `kill -9`) leaves `build/data/`,
`build/site/` and `build/datasette/` exactly as they were.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from stdhub.atomic import staged_build
from stdhub.config import Config, load_config
from stdhub.datasets.build import build_data
from stdhub.datasette.build import publish_datasette
from stdhub.errors import BuildFailed, BuildWriteFailed, DataBuildFailed
from stdhub.opendata.prepare import prepare_open_data
from stdhub.opendata.section import opendata_section
from stdhub.personal.published import permits, screen_published
from stdhub.personal.screen import screen_pages
from stdhub.problems import Report
from stdhub.site import build_site
from stdhub.site.sections import default_sections
from stdhub.standards.loader import load_catalogue


def build_all(
    project: Path, *, today: dt.date | None = None, config: Config | None = None
) -> Report:
    """Validate everything; on success publish `build/data/`, `build/site/` and
    `build/datasette/` together. `config` replaces `mkdocs.yml`'s addresses (`stdhub serve`).

    Returns the report (warnings). Raises BuildFailed (the report of what failed to
    validate), BuildWriteFailed (disk full, …) or another StdhubError of a step; `build/`
    is then unchanged.
    """
    today = today or dt.date.today()
    config = config or load_config(project)
    catalogue, report = load_catalogue(project / "standards", today=today, base=project)
    screen_pages(project / "docs", project, report)
    if not report.ok:
        raise BuildFailed(report)
    build_dir = project / "build"
    try:
        with staged_build(build_dir) as staging:
            data, site = staging / "data", staging / "site"
            try:  # data first: its checks must pass before anything is built from it
                report.extend(build_data(project, catalogue, out=data))
            except DataBuildFailed as failed:
                report.extend(failed.report)
                raise BuildFailed(report) from None
            opendata = prepare_open_data(project, data, catalogue, config, today=today)
            site.mkdir()
            build_site(
                catalogue,
                project,
                site,
                today=today,
                config=config,
                sections=[*default_sections(), lambda ctx: opendata_section(ctx, opendata)],
                standard_blocks=opendata.standard_blocks(),
                datasets={d.name: d.title for d in opendata.manifest.datasets},
                work_dir=staging / "site-src",  # the generated Markdown, discarded after
            )
            opendata.install_downloads(site)
            publish_datasette(data, staging / "datasette", catalogue, config, opendata.manifest)
            contacts = [  # the last check: every published text, as a reader gets it
                (data / d.db, e["resource"], e["field"])
                for d in opendata.manifest.datasets
                if d.db
                for e in d.metadata.get("public_contact") or []
            ]
            screen_published(staging, report, permits(project, contacts))
            if not report.ok:
                raise BuildFailed(report)
    except OSError as exc:
        raise BuildWriteFailed(
            f"写入 {build_dir} 失败（write failed）：{exc.strerror or exc}"
            f"{'：' + str(exc.filename) if exc.filename else ''}；"
            "请腾出磁盘空间或检查权限后重新运行 stdhub build；build/ 保持原样"
        ) from None
    return report
