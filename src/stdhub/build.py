"""`stdhub build`: validate, then build the site and the data, each published all at once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from stdhub.atomic import staged_output
from stdhub.config import Config, load_config
from stdhub.datasette.build import publish_datasette
from stdhub.errors import StdhubError
from stdhub.opendata.prepare import prepare_open_data
from stdhub.opendata.section import opendata_section
from stdhub.personal.screen import screen_pages
from stdhub.problems import Report
from stdhub.site import build_site
from stdhub.site.sections import default_sections
from stdhub.standards.loader import load_catalogue


class BuildFailed(StdhubError):
    """Validation found errors; nothing was published."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.as_text())
        self.report = report


def build_all(
    project: Path, *, today: dt.date | None = None, config: Config | None = None
) -> Report:
    """Validate everything; on success build `build/data/`, `build/site/` and
    `build/datasette/`. `config` replaces `mkdocs.yml`'s addresses (`stdhub serve`)."""
    today = today or dt.date.today()
    config = config or load_config(project)
    catalogue, report = load_catalogue(project / "standards", today=today, base=project)
    screen_pages(project / "docs", project, report)
    if not report.ok:
        raise BuildFailed(report)
    from stdhub.datasets.build import DataBuildFailed, build_data

    try:  # data first: its checks must pass before anything is published
        report.extend(build_data(project, catalogue))
    except DataBuildFailed as failed:
        report.extend(failed.report)
        raise BuildFailed(report) from None
    opendata = prepare_open_data(project, catalogue, config, today=today)
    with staged_output(project / "build" / "site") as staging:
        build_site(
            catalogue,
            project,
            staging,
            today=today,
            config=config,
            sections=[*default_sections(), lambda ctx: opendata_section(ctx, opendata)],
            standard_blocks=opendata.standard_blocks(),
        )
        opendata.install_downloads(staging)
        # inside: if Datasette's directory fails, the new site is not published either
        publish_datasette(
            project / "build" / "data",
            project / "build" / "datasette",
            catalogue,
            config,
            opendata.manifest,
        )
    return report
