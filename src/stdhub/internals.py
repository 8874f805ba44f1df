"""The versions stdhub runs with, and every place it relies on a dependency's undocumented
internals — one list, checked when a command starts (`stdhub.cli`).

The ranges are those of `pyproject.toml` (read back from the installed package's metadata,
so they cannot drift); `requirements.lock` pins the versions the tests ran with. Known bad
releases inside a range are excluded there with the reason beside them (`!=`, or a floor).

`check_versions()` is cheap (package metadata only) and runs for every command;
`check_internals()` imports the libraries and looks for each internal listed in
`INTERNALS`, for the commands that build or serve. Either raises `DependencyError`: one
Chinese message naming the package, the version found and what to do.

To rely on a new internal: add it to `INTERNALS` with a check, and say where it is used.
"""

from __future__ import annotations

import importlib.metadata as metadata
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement

from stdhub.errors import DependencyError

FIX = "请按 requirements.lock 重新安装：pip install -r requirements.lock && pip install --no-deps -e ."


def requirements() -> list[Requirement]:
    """stdhub's own dependencies (not the extras), as declared in pyproject.toml; none when
    stdhub runs from a source tree it was not installed from (nothing to compare with)."""
    try:
        declared = metadata.requires("stdhub") or []
    except metadata.PackageNotFoundError:
        return []
    found = []
    for line in declared:
        req = Requirement(line)
        if req.marker is None or req.marker.evaluate({"extra": ""}):
            found.append(req)
    return found


def _outside(reqs: list[Requirement]) -> list[str]:
    """One Chinese phrase for each of `reqs` not installed or installed outside its range."""
    wrong = []
    for req in reqs:
        try:
            version = metadata.version(req.name)
        except metadata.PackageNotFoundError:
            wrong.append(f"{req.name} 未安装（需要 {req.name}{req.specifier}）")
            continue
        if not req.specifier.contains(version, prereleases=True):
            wrong.append(f"{req.name} {version} 不可用（stdhub 需要 {req.name}{req.specifier}）")
    return wrong


def check_versions() -> None:
    """Every dependency installed at a version inside its declared range."""
    wrong = _outside(requirements())
    if wrong:
        raise DependencyError("依赖版本不符 dependency versions：" + "；".join(wrong) + "。" + FIX)


def extra_requirements(extra: str) -> list[Requirement]:
    """The dependencies of stdhub's optional extra `extra` (e.g. `zensical`), as declared."""
    try:
        declared = metadata.requires("stdhub") or []
    except metadata.PackageNotFoundError:
        return []
    reqs = [Requirement(line) for line in declared]
    return [r for r in reqs if r.marker is not None and r.marker.evaluate({"extra": extra})]


def check_extra(extra: str) -> None:
    """The dependencies of the optional extra `extra` installed inside their ranges, checked
    when a command is about to use them (the site builder Zensical: `stdhub.cli`)."""
    wrong = _outside(extra_requirements(extra))
    if wrong:
        raise DependencyError(
            f"可选依赖 {extra} 不可用 optional dependency：" + "；".join(wrong) + "。"
            f'请安装：pip install -r requirements.lock（或 pip install -e ".[{extra}]"）'
        )


@dataclass(frozen=True)
class Internal:
    """One undocumented thing stdhub relies on: in which package, what, where we use it."""

    package: str
    what: str
    used_in: str
    present: Callable[[], bool]


def _datasette_method(name: str) -> Callable[[], bool]:
    def present() -> bool:
        from datasette.app import Datasette

        return callable(getattr(Datasette, name, None))

    return present


def _datasette_lock() -> bool:
    from datasette.app import Datasette

    return "_refresh_schemas_lock" in Datasette.__init__.__code__.co_names


def _datasette_inspect() -> bool:
    from datasette import cli

    return inspect.iscoroutinefunction(getattr(cli, "inspect_", None))


def _datasette_table_js() -> bool:
    import datasette

    from stdhub.datasette.zh import TABLE_JS

    path = Path(datasette.__file__).parent / "static" / "table.js"
    upstream = path.read_text(encoding="utf-8") if path.exists() else ""
    return all(english in upstream for english in TABLE_JS)


def _datasette_serves_through_uvicorn_run() -> bool:
    from datasette import cli

    source = inspect.getsource(cli.serve.callback)
    return getattr(cli, "uvicorn", None) is not None and "uvicorn.run(" in source


def _uvicorn_server() -> bool:
    import uvicorn

    startup = getattr(uvicorn.Server, "startup", None)
    return (
        startup is not None
        and "sockets" in inspect.signature(startup).parameters
        and "should_exit" in uvicorn.Server.__init__.__code__.co_names
        and "servers" in startup.__code__.co_names
        and "loaded_app" in uvicorn.Config.load.__code__.co_names
    )


def _material_worker() -> bool:
    import material

    from stdhub.site.search import WORKER_FIX

    workers = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "workers"
    code = "".join(p.read_text(encoding="utf-8") for p in workers.glob("search.*.min.js"))
    return all(old in code for old, _ in WORKER_FIX)


def _material_index() -> bool:
    from material.plugins.search.plugin import SearchIndex

    return callable(getattr(SearchIndex, "add_entry_from_context", None))


def _mkdocs_build() -> bool:
    from mkdocs.commands.build import build

    return list(inspect.signature(build).parameters)[:1] == ["config"]


INTERNALS: tuple[Internal, ...] = (
    Internal(
        "datasette",
        "Datasette._table_permission_allows / absolute_url / refresh_schemas（按实例替换）",
        "stdhub/datasette/fastpath.py",
        lambda: all(
            _datasette_method(n)()
            for n in ("_table_permission_allows", "absolute_url", "refresh_schemas")
        ),
    ),
    Internal(
        "datasette",
        "Datasette._refresh_schemas_lock",
        "stdhub/datasette/fastpath.py",
        _datasette_lock,
    ),
    Internal(
        "datasette", "datasette.cli.inspect_", "stdhub/datasette/configdir.py", _datasette_inspect
    ),
    Internal(
        "datasette",
        "static/table.js 的英文短语（替换为中文）",
        "stdhub/datasette/zh.py（TABLE_JS）",
        _datasette_table_js,
    ),
    Internal(
        "datasette",
        "`datasette serve` 以 uvicorn.run(…) 启动（被替换为交接服务器）",
        "stdhub/handover.py",
        _datasette_serves_through_uvicorn_run,
    ),
    Internal(
        "uvicorn",
        "uvicorn.Server.startup(sockets) / should_exit / servers、Config.loaded_app",
        "stdhub/handover.py",
        _uvicorn_server,
    ),
    Internal(
        "mkdocs-material",
        "压缩后的搜索 worker 中的两处分词表达式（字符串替换）",
        "stdhub/site/search.py（WORKER_FIX）",
        _material_worker,
    ),
    Internal(
        "mkdocs-material",
        "搜索索引的格式（search/search_index.json 的 docs 条目、tags 排序）",
        "stdhub/site/builder.py（add_search_entries）、stdhub/site/search.py",
        _material_index,
    ),
    Internal(
        "mkdocs",
        "mkdocs.commands.build.build(config)（以代码调用构建）",
        "stdhub/site/builder.py",
        _mkdocs_build,
    ),
)


def check_internals() -> None:
    """Every internal in `INTERNALS` is where stdhub expects it."""
    missing = []
    for internal in INTERNALS:
        try:
            ok = internal.present()
        except Exception:  # an import or attribute that moved is what we look for
            ok = False
        if not ok:
            version = _version(internal.package)
            missing.append(
                f"{internal.package} {version} 中没有 {internal.what}（{internal.used_in} 用到）"
            )
    if missing:
        raise DependencyError(
            "依赖的内部接口已变化 dependency internals changed：" + "；".join(missing) + "。" + FIX
        )


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "（未安装）"
