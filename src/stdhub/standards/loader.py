"""Load every file under `standards/` into a Catalogue, collecting every problem on the way."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from stdhub import schemas
from stdhub.problems import Report
from stdhub.standards import checks, schemacheck
from stdhub.standards.model import (
    CODELIST_KIND,
    LIST_KINDS,
    Catalogue,
    CodeList,
    Located,
    PublicList,
    Standard,
    slug,
)
from stdhub.yamlsource import Source, load


def discover(root: Path) -> list[Path]:
    """Every YAML file below `root`, in a stable order."""
    return sorted(
        p
        for p in root.rglob("*")
        if p.suffix in (".yaml", ".yml") and (p.is_file() or p.is_symlink())
    )


def _display(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def load_file(path: Path, report: Report, base: Path) -> tuple[Source, str | None] | None:
    """Load and schema-check one file; return it with its schema name (None if invalid)."""
    source = load(path, report, _display(path, base))
    if source is None:
        return None
    if not isinstance(source.data, dict):
        got = "列表" if isinstance(source.data, list) else "单个值"
        report.add("S009", source.display, f"顶层应是映射，实际是{got}")
        return None
    kind = source.data.get("kind")
    if kind is None:
        report.add(
            "S002", source.display, "缺少必填字段 `kind`", hint="写明文件类别，如 `kind: 数据标准`"
        )
        return None
    name = schemas.SCHEMA_FOR_KIND.get(kind) if isinstance(kind, str) else None
    if name is None:
        known = list(schemas.SCHEMA_FOR_KIND)
        hint = schemacheck._did_you_mean(kind, known) or "可选：" + "、".join(known)
        line, col = source.where(("kind",))
        report.add(
            "S010",
            source.display,
            f"未知的文件类别 `{kind}`",
            line=line,
            column=col,
            path=("kind",),
            hint=hint,
        )
        return None
    if not schemacheck.check(source, name, report):
        return source, None
    return source, name


def load_catalogue(
    root: Path,
    report: Report | None = None,
    *,
    today: dt.date | None = None,
    base: Path | None = None,
) -> tuple[Catalogue, Report]:
    """Load, validate and cross-check `root`. The catalogue holds every valid file."""
    report = report if report is not None else Report()
    base = base if base is not None else root.parent
    today = today or dt.date.today()
    catalogue = Catalogue(root=root)
    sources: dict[str, Source] = {}
    paths = discover(root)
    report.files_checked += len(paths)
    ids_seen: dict[str, str] = {}
    for path in paths:
        loaded = load_file(path, report, base)
        if loaded is None:
            continue
        source, schema_name = loaded
        data = source.data
        if schema_name is None:
            # Known to exist though invalid: references to it are not dangling.
            if isinstance(data.get("id"), str):
                catalogue.invalid_ids.add(data["id"])
            for cl in data.get("code_lists") or []:
                if isinstance(cl, dict) and isinstance(cl.get("id"), str):
                    catalogue.invalid_ids.add(cl["id"])
            continue
        ident = data["id"]
        if ident in ids_seen:
            line, col = source.where(("id",))
            report.add(
                "X001",
                source.display,
                f"编号 `{ident}` 已在 {ids_seen[ident]} 中使用",
                line=line,
                column=col,
                path=("id",),
            )
            continue
        ids_seen[ident] = source.display
        expected = slug(ident)
        if path.stem != expected:
            report.add(
                "F003",
                source.display,
                f"编号 `{ident}` 的文件应命名为 `{expected}{path.suffix}`",
                hint=f"git mv {path.name} {expected}{path.suffix}",
            )
        sources[source.display] = source
        kind = data["kind"]
        if kind == CODELIST_KIND:
            catalogue.code_lists[ident] = CodeList.from_dict(data, Located(source.display))
        elif kind in LIST_KINDS:
            catalogue.lists[ident] = PublicList.from_dict(data, source.display)
        else:
            std = Standard.from_dict(data, source.display)
            catalogue.standards[ident] = std
            for cl in std.code_lists:
                if cl.id in ids_seen or cl.id in catalogue.code_lists:
                    line, col = source.where((*cl.where.path, "id"))
                    report.add(
                        "X001",
                        source.display,
                        f"代码集编号 `{cl.id}` 重复",
                        line=line,
                        column=col,
                        path=(*cl.where.path, "id"),
                    )
                    continue
                catalogue.code_lists[cl.id] = cl
    checks.run(catalogue, sources, report, today)
    return catalogue, report
