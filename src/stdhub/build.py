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
from stdhub.opendata.divisionfigures import division_figures
from stdhub.opendata.funds import funds_sections
from stdhub.opendata.prepare import prepare_open_data
from stdhub.opendata.section import opendata_section
from stdhub.personal.published import permits, screen_published
from stdhub.problems import Report
from stdhub.progress import Steps
from stdhub.project import check_sources
from stdhub.site import build_site
from stdhub.site.sections import default_sections


def build_all(
    project: Path,
    *,
    today: dt.date | None = None,
    config: Config | None = None,
    steps: Steps | None = None,
) -> Report:
    """Validate everything; on success publish `build/data/`, `build/site/` and
    `build/datasette/` together. `config` replaces `mkdocs.yml`'s addresses (`stdhub serve`).
    `steps` shows each step and ends with the summary (`stdhub.progress`; default: silent).

    Returns the report (warnings). Raises BuildFailed (the report of what failed to
    validate), BuildWriteFailed (disk full, …) or another StdhubError of a step; `build/`
    is then unchanged.
    """
    today = today or dt.date.today()
    steps = steps or Steps("quiet")
    config = config or load_config(project)
    with steps.step("检查标准") as step:
        catalogue, report = check_sources(project / "standards", today=today)
        step.detail = f"{len(catalogue.standards)} 项标准，{len(catalogue.code_lists)} 个代码集"
    if not report.ok:
        steps.close()
        raise BuildFailed(report)
    build_dir = project / "build"
    try:
        with staged_build(build_dir) as staging:
            data, site = staging / "data", staging / "site"
            try:  # data first: its checks must pass before anything is built from it
                published, found = build_data(project, catalogue, out=data, steps=steps)
                report.extend(found)
            except DataBuildFailed as failed:
                report.extend(failed.report)
                raise BuildFailed(report) from None
            with steps.step("生成下载文件"):
                opendata = prepare_open_data(
                    project, data, catalogue, config, today=today, manifest=published
                )
            site.mkdir()
            with steps.step("生成网站") as step:
                build_site(
                    catalogue,
                    project,
                    site,
                    today=today,
                    config=config,
                    sections=[
                        *default_sections(),
                        lambda ctx: opendata_section(ctx, opendata),
                        *funds_sections(opendata),
                    ],
                    standard_blocks=opendata.standard_blocks(),
                    datasets={d.name: d.title for d in opendata.manifest.datasets},
                    division_figures=division_figures(opendata),
                    work_dir=staging / "site-src",  # the generated Markdown, discarded after
                )
                opendata.install_downloads(site)
                pages = sum(1 for _ in site.rglob("*.html"))
                step.detail = f"{pages} 个页面"
            with steps.step("准备数据服务") as step:
                publish_datasette(
                    data, staging / "datasette", catalogue, config, opendata.manifest, today
                )
                dbs = [d for d in opendata.manifest.datasets if d.db]
                step.detail = f"{len(dbs) + 1} 个数据库"  # and the catalogue's
            with steps.step("检查发布内容"):
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
        steps.close()
        raise BuildWriteFailed(
            f"写入 {build_dir} 失败（write failed）：{exc.strerror or exc}"
            f"{'：' + str(exc.filename) if exc.filename else ''}；"
            "请腾出磁盘空间或检查权限后重新运行 stdhub build；build/ 保持原样"
        ) from None
    except BaseException:
        steps.close()
        raise
    facts = [f"网站 {project / 'build' / 'site'}：{pages} 个页面"]
    for d in opendata.manifest.datasets:
        rows = sum(t.rows or 0 for t in d.tables)
        facts.append(
            f"{d.title}（{d.name}）：{rows:,} 行"
            if d.db
            else f"{d.title}（{d.name}）：不公开数据行"
        )
    steps.summary(facts)
    return report
