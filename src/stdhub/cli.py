"""Thin commands: parse options, call the library, return an exit code."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from stdhub import __version__
from stdhub.config import BUILDERS, DEFAULT_BUILDER, Config
from stdhub.errors import StdhubError
from stdhub.vocab import Kind


def _project(what: str) -> Any:
    """The `--project` option of the commands that work on a whole project."""
    return click.option(
        "--project",
        type=click.Path(path_type=Path, file_okay=False),
        default=Path(),
        show_default=True,
        help=f"The project folder (with {what}).",
    )


_QUIET = click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="No steps or progress bars (for scripts); the report and errors still print.",
)

_BUILDER = click.option(
    "--builder",
    type=click.Choice(BUILDERS),
    default=None,
    help=f"The site builder [default: extra.stdhub.builder in mkdocs.yml, else {DEFAULT_BUILDER}].",
)

_TODAY = click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    envvar="STDHUB_TODAY",
    help="Pretend today is this date (YYYY-MM-DD) when deriving statuses; default: today.",
)


def _today(value: dt.datetime | None) -> dt.date:
    return value.date() if value else dt.date.today()


class _Group(click.Group):
    """Expected failures (StdhubError) become one message and their exit code, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except StdhubError as exc:
            click.echo(f"错误 error: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="stdhub")
def cli() -> None:
    """stdhub: 民政标准目录与开放数据 — validate, build and serve the catalogue and open data."""
    from stdhub.internals import check_versions
    from stdhub.progress import quiet_dependencies

    check_versions()  # a dependency outside its range: refused here, with its version
    quiet_dependencies()  # jieba's loading messages are not the user's business


@cli.command()
@click.option(
    "--root",
    type=click.Path(path_type=Path),
    default=Path("standards"),
    show_default=True,
    help="The folder of standards YAML.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report as lines for people or JSON for machines.",
)
@click.option(
    "--datasets",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="The folder of dataset packages [default: datasets/ beside the standards folder].",
)
@_TODAY
@_QUIET
def validate(
    root: Path, fmt: str, datasets: Path | None, today: dt.datetime | None, quiet: bool
) -> None:
    """Check every standard, code list, public list and dataset; report all problems at once.

    Exit 0 when there are no errors (warnings allowed), 1 when there are errors. On a
    terminal its steps show as progress bars on stderr; elsewhere only the report prints.
    """
    from stdhub.progress import Steps
    from stdhub.validate import validate_all

    steps = Steps.for_terminal(quiet=quiet or not sys.stderr.isatty())
    report = validate_all(root, today=_today(today), datasets=datasets, steps=steps)
    click.echo(report.as_json() if fmt == "json" else report.as_text())
    sys.exit(0 if report.ok else 1)


@cli.command()
@click.argument(
    "kind",
    type=click.Choice([*(k.value for k in Kind), *(k.english for k in Kind)]),
)
@click.option(
    "--root", type=click.Path(path_type=Path), default=Path("standards"), show_default=True
)
@click.option("--title", default="", help="The Chinese title (default: a placeholder to edit).")
@_TODAY
def new(kind: str, root: Path, title: str, today: dt.datetime | None) -> None:
    """Write a valid new draft standard of KIND with the next free id, and print its path."""
    from stdhub.standards.scaffold import new_standard

    path = new_standard(root, kind, title=title, today=_today(today))
    click.echo(str(path))


@cli.command()
@click.option(
    "--markdown", is_flag=True, help="Print the catalogue as the Markdown table of the docs."
)
def codes(markdown: bool) -> None:
    """List every problem code with its severity, title and hint."""
    from stdhub import codes as catalogue

    if markdown:
        click.echo(catalogue.as_markdown(), nl=False)
        return
    for c in sorted(catalogue.CODES.values(), key=lambda c: c.code):
        click.echo(f"{c.code}\t{c.severity}\t{c.title}\t{c.hint}")


@cli.command("table-schema")
@click.argument("standard_id")
@click.argument("record", required=False)
@click.option(
    "--root", type=click.Path(path_type=Path), default=Path("standards"), show_default=True
)
def table_schema(standard_id: str, record: str | None, root: Path) -> None:
    """Print the Frictionless Table Schema (JSON) of a data standard's record structure.

    A dataset that uses it conforms to the standard by construction, e.g.
    `stdhub table-schema "HNMZ/T 0105-2025" HYDJTJ > schema.json`.
    """
    import json

    from stdhub.datasets.tableschema import UnknownRecord, schema_for
    from stdhub.errors import UsageError
    from stdhub.project import load_catalogue

    if not root.is_dir():
        raise UsageError(f"找不到标准目录 {root}（no such folder）；用 --root 指定")
    catalogue, _ = load_catalogue(root, base=root.parent)
    try:
        schema = schema_for(catalogue, standard_id, record)
    except UnknownRecord as exc:
        raise UsageError(str(exc)) from None
    click.echo(json.dumps(schema, ensure_ascii=False, indent=2))


@cli.group()
def divisions() -> None:
    """Administrative-division codes: compare editions, draft the crosswalk of changes."""


@divisions.command("diff")
@click.argument("old", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("new", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--date",
    default="YYYY-MM-DD",
    show_default=True,
    help="The date written into each drafted entry (the change's approval date).",
)
def divisions_diff(old: Path, new: Path, date: str) -> None:
    """List codes added, removed and renamed from edition OLD to NEW (CSV: code, name,
    level, parent_code, codes padded to 12 digits) and print draft crosswalk entries
    (YAML) for staff to confirm and add to standards/crosswalks/.
    """
    import yaml

    from stdhub.errors import StdhubError
    from stdhub.standards import divisions as dv

    try:
        d = dv.diff(dv.read_edition(old), dv.read_edition(new))
    except dv.EditionError as exc:
        raise StdhubError(str(exc)) from None
    click.echo(
        f"# {old.name} → {new.name}: 新增 {len(d.added)}，减少 {len(d.removed)}，"
        f"更名 {len(d.renamed)}（added, removed, renamed）"
    )
    levels = "、".join(dv.LEVEL_NAMES[lv] for lv in d.levels)
    click.echo(f"# 只比较两版都有的层级：{levels}（levels compared: {d.levels}）")
    for name, only in ((old.name, d.old_only), (new.name, d.new_only)):
        if only:
            said = "、".join(dv.LEVEL_NAMES[lv] for lv in only)
            click.echo(f"# {said}只在 {name} 中，未比较；要比较，换一个也含{said}的版次")
    for label, rows in (("新增 added", d.added), ("减少 removed", d.removed)):
        for r in rows:
            click.echo(f"# {label}: {r.code} {r.name}")
    for a, b in d.renamed:
        click.echo(f"# 更名 renamed: {a.code} {a.name} → {b.name}")
    entries = dv.draft(d, date)
    if entries:
        text = yaml.safe_dump({"changes": entries}, allow_unicode=True, sort_keys=False, width=200)
        click.echo(text, nl=False)


@divisions.command("generate")
@_project("standards/, scripts/data/divisions-hunan/")
def divisions_generate(project: Path) -> None:
    """Write the division code lists (CL-HNMZ-0101/0107/0108) and datasets/hunan-divisions/
    from every edition listed in standards/crosswalks/CW-HNMZ-0101.yaml (their files in
    scripts/data/divisions-hunan/) and the crosswalk's changes. Run it after adding an
    edition or a change, then `stdhub validate`.
    """
    from stdhub.divisionlib import generate

    written, divisions = generate(project)
    for path in written:
        click.echo(path.relative_to(project))
    levels = [sum(d.level == lv for d in divisions.values()) for lv in range(1, 6)]
    click.echo(f"{len(divisions)} 个代码，按层级 1–5：{levels}（codes by level）")


def _with_builder(config: Config, builder: str | None) -> Config:
    """`config` with the builder `--builder` names; Zensical's version checked now, before
    anything is built (it is an optional extra)."""
    from stdhub.internals import check_extra

    config = replace(config, builder=builder) if builder else config
    if config.builder == "zensical":
        check_extra("zensical")
    return config


@cli.command()
@_project("standards/, docs/, mkdocs.yml")
@_BUILDER
@_TODAY
@_QUIET
def build(project: Path, builder: str | None, today: dt.datetime | None, quiet: bool) -> None:
    """Validate, then build build/data/, build/site/ and build/datasette/, published together.

    Each step is announced on stderr (progress bars on a terminal, a line at its start and
    end elsewhere) and a summary ends it: rows per dataset, pages, time per step.
    Exit 1 with the report when validation or any step fails (a full disk included); the
    previous build/data/, build/site/ and build/datasette/ are then left exactly as they were.
    Beside a running `stdhub serve` of the project it builds for serve's addresses, so the
    served site's 意见反馈 links keep opening the feedback form.
    """
    from stdhub.build import build_all
    from stdhub.config import load_config
    from stdhub.errors import BuildFailed
    from stdhub.internals import check_internals
    from stdhub.progress import Steps
    from stdhub.serve import record
    from stdhub.serving import running

    check_internals()
    served = running(project)  # a `stdhub serve` beside: keep its addresses and its form
    if served:
        click.echo(
            f"stdhub serve（进程 {served[0]}）正在提供本项目：按它的地址生成，意见反馈链接仍打开"
            f"其意见反馈服务 {served[1].feedback_service}（built for the running serve）",
            err=True,
        )
    day = _today(today)
    config = _with_builder(served[1] if served else load_config(project), builder)
    try:
        report = build_all(project, today=day, config=config, steps=Steps.for_terminal(quiet=quiet))
    except BuildFailed as failed:
        click.echo(failed.report.as_text())
        sys.exit(1)
    record(project, config, day)  # a `stdhub serve` for the same addresses reuses it
    click.echo(report.as_text())
    click.echo(f"网站已生成 site built: {project / 'build' / 'site'}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(1, 65534),
    default=8000,
    show_default=True,
    help="The site's port; Datasette listens on the next one, the feedback service on the one after.",
)
@_project("standards/, docs/, mkdocs.yml")
@_BUILDER
@_TODAY
@_QUIET
def serve(
    host: str,
    port: int,
    project: Path,
    builder: str | None,
    today: dt.datetime | None,
    quiet: bool,
) -> None:
    """Build what is stale, then serve the site, the open data (Datasette) and the feedback
    form locally.

    Prints `site: http://HOST:PORT/`, `data: http://HOST:PORT+1/` and
    `feedback: http://HOST:PORT+2/feedback/`; Ctrl-C stops them all. The build uses these
    addresses, so every link between them works and every 意见反馈 link opens the form.

    A build made from the same inputs for the same addresses (by `stdhub build` or an
    earlier `stdhub serve`) is reused; otherwise it says why it rebuilds, and does so again
    whenever an input changes while it serves.
    """
    from stdhub.build import build_all
    from stdhub.errors import BuildFailed
    from stdhub.internals import check_internals
    from stdhub.progress import Steps
    from stdhub.serve import Rebuilder, ensure_built, local_config
    from stdhub.serve import serve as run
    from stdhub.serving import record

    check_internals()
    config = _with_builder(local_config(project, host, port), builder)
    day = _today(today)

    def note(line: str) -> None:
        if not quiet:
            click.echo(line, err=True)

    def rebuild() -> None:
        build_all(project, today=day, config=config, steps=Steps.for_terminal(quiet=quiet))

    try:
        built = ensure_built(project, config, day, rebuild, say=note)
    except BuildFailed as failed:
        click.echo(failed.report.as_text(), err=True)
        sys.exit(1)
    note("已重新生成 rebuilt" if built else "已是最新，沿用上次的构建 up to date")
    watch = Rebuilder(project, config, day, rebuild, note)
    with record(project, config):  # `stdhub build` beside it builds for these addresses
        run(project, host, port, config, say=lambda line: click.echo(line), watch=watch.check)


@cli.group()
def deploy() -> None:
    """Configurations for production servers."""


@deploy.command("nginx")
@_project("build/site/ and build/datasette/ built")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("build/nginx"),
    show_default=True,
    help="nginx's folder: nginx.conf, logs, proxy cache.",
)
@click.option("--listen", default="0.0.0.0:80", show_default=True, help="nginx's address.")
@click.option(
    "--processes",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="How many Datasette processes (one per core is a good start).",
)
@click.option(
    "--first-port",
    type=click.IntRange(1, 65000),
    default=8101,
    show_default=True,
    help="Datasette processes listen on 127.0.0.1 from this port on.",
)
@click.option(
    "--release",
    is_flag=True,
    help="Copy the build into OUT/releases/<name>/ and switch nginx to it (see docs/deploy.md).",
)
@click.option(
    "--feedback-port",
    type=click.IntRange(1, 65535),
    default=8201,
    show_default=True,
    help="The feedback service listens on 127.0.0.1 at this port (with feedback_service set).",
)
def deploy_nginx(
    project: Path,
    out: Path,
    listen: str,
    processes: int,
    first_port: int,
    release: bool,
    feedback_port: int,
) -> None:
    """Write an nginx configuration serving the site and N Datasette processes at one address.

    Host names come from `site_url` and `data_url` of mkdocs.yml; with `feedback_service`
    set there, `/feedback/new` is proxied to the feedback service. Prints the commands that
    start the Datasette processes, the feedback service and nginx. With --release, the build
    is copied into a release folder of its own with its own ports, and the commands printed
    start the new processes, reload nginx and then stop the previous release's processes.
    """
    from stdhub.config import load_config
    from stdhub.deploy import find_nginx, host_names, make_release, write_nginx
    from stdhub.feedback.service import command as feedback_command
    from stdhub.processes import datasette_command

    config = load_config(project)
    host_names(config)  # refused before anything is copied: one host name for both
    site, datasette = project / "build" / "site", project.resolve() / "build" / "datasette"
    ports, name, previous = list(range(first_port, first_port + processes)), "", None
    if release:
        made = make_release(site, datasette, out, processes, first_port)
        site, datasette, ports, name, previous = (
            made.site, made.datasette, made.ports, made.name, made.previous
        )  # fmt: skip
    feedback = f"127.0.0.1:{feedback_port}" if config.feedback_service else None
    upstreams = [f"127.0.0.1:{p}" for p in ports]
    conf = write_nginx(config, site, upstreams, out, listen, release=name, feedback=feedback)
    nginx = f"{find_nginx() or 'nginx'} -p {out.resolve()} -c {conf.resolve()}"
    click.echo(f"# nginx 配置 written: {conf}" + (f"（版本 release {name}）" if name else ""))
    for p in ports:
        click.echo(" ".join(datasette_command(datasette, "127.0.0.1", p)) + " &")
    if feedback and previous is None:
        line = feedback_command(
            project.resolve(), "127.0.0.1", feedback_port, config.site_url, config.data_url,
            proxy="127.0.0.1",  # nginx: the one peer whose X-Forwarded-For is believed
        )  # fmt: skip
        click.echo(" ".join(line) + " &")
    elif not feedback:
        click.echo("# 未设置 extra.stdhub.feedback_service：意见反馈链接仍是 mailto:（无反馈服务）")
    if previous is None:
        click.echo(nginx)
        return
    click.echo("# 新进程回答 /-/versions.json 之后 once they answer:")
    click.echo(f"{nginx} -t && {nginx} -s reload")
    click.echo(f"# 60 秒后停止旧版本 {previous.name} 的进程 then stop the previous release's:")
    click.echo(f"# 端口 ports {', '.join(map(str, previous.ports))}")


@cli.group(invoke_without_command=True)
@click.pass_context
def feedback(ctx: click.Context) -> None:
    """Public comments: pull new ones into feedback/, list those waiting for a disposition.

    Without a subcommand: the same as `stdhub feedback list`.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(feedback_list)


@feedback.command("pull")
@_project("standards/ and feedback/")
@click.option(
    "--store",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The comment store [default: var/feedback/feedback.sqlite3 in the project].",
)
def feedback_pull(project: Path, store: Path | None) -> None:
    """Append the comments not yet pulled to feedback/<id>.yaml (text, date, target, id;
    never name or contact; personal numbers masked) and mark them pulled.

    Exit 1 if a file could not take its comments (they stay in the store for the next pull).
    """
    from stdhub.feedback.pull import pull
    from stdhub.feedback.store import DEFAULT_PATH
    from stdhub.project import load_catalogue

    standards = project / "standards"
    # what the comments are about, to file each under its subject (none: as named)
    catalogue = load_catalogue(standards, base=project)[0] if standards.is_dir() else None
    result = pull(project, store or project / DEFAULT_PATH, catalogue)
    for file, count in sorted(result.written.items()):
        click.echo(f"{file}: 新增意见 {count} 条 (added {count})")
    if result.masked:
        click.echo(f"已隐去个人信息 {result.masked} 处 (masked {result.masked} personal numbers)")
    for why in result.failed.values():
        click.echo(f"错误 error: {why}", err=True)
    if not result.written and not result.failed:
        click.echo("没有新意见 (nothing new)")
    sys.exit(1 if result.failed else 0)


@feedback.command("list")
@_project("feedback/")
def feedback_list(project: Path = Path()) -> None:
    """List the comments waiting for a disposition, oldest first: received (UTC), file,
    id, target, the start of the text."""
    from stdhub.feedback.dispositions import NOT_FOUND
    from stdhub.feedback.pull import waiting_entries

    entries, report = waiting_entries(project)
    for e in entries:
        where = " ".join(x for x in (e.about, e.anchor) if x)
        if e.not_found:
            where += f"（{NOT_FOUND}：{e.not_found}）"
        text = " ".join(e.text.split())
        text = text if len(text) <= 40 else text[:39] + "…"
        click.echo(f"{e.received}\t{e.file}\t{e.id}\t{where}\t{text}")
    click.echo(f"待处理意见 {len(entries)} 条 ({len(entries)} waiting)")
    if report.problems:
        click.echo(
            f"有 {len(report.problems)} 个问题，部分文件未列出；运行 stdhub validate 查看",
            err=True,
        )


@feedback.command("review")
@_project("standards/ and feedback/")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json"]),
    default="csv",
    show_default=True,
    help="CSV for spreadsheets, JSON for programs.",
)
@click.option(
    "--all", "everything", is_flag=True, help="List every standard in force, not only those due."
)
@_TODAY
def feedback_review(project: Path, fmt: str, everything: bool, today: dt.datetime | None) -> None:
    """List the department's standards due for review (复审): in force five years or more
    since taking effect or their last 复审 event, or with ten comments or more since then;
    with their comments counted by clause. The site's staff page review/ shows the same.
    """
    from stdhub.errors import UsageError
    from stdhub.feedback import review
    from stdhub.project import load_catalogue

    root = project / "standards"
    if not root.is_dir():
        raise UsageError(f"找不到标准目录 {root}（no such folder）；用 --project 指定")
    day = _today(today)
    catalogue, _ = load_catalogue(root, today=day, base=project)
    rows = [d for d in review.review_list(catalogue, day) if everything or d.due]
    text = review.as_csv(rows) if fmt == "csv" else review.as_json(rows, day) + "\n"
    click.echo(text, nl=False)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
