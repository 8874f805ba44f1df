"""The data step of `stdhub build`: generate what is missing, check everything, then load.

Nothing is published unless every dataset passes its checks: the databases and the
manifest are written into a staging folder that `stdhub build` publishes together with
the site and Datasette's folder (`stdhub.atomic`), so a failure leaves `build/` untouched.
有条件开放 datasets get no database at all: their manifest entry has `db: null` and
tables with fields but no row counts.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from stdhub.datasets import manifest
from stdhub.datasets.check import CheckedPackage, check_package
from stdhub.datasets.descriptor import discover, find_descriptor, folder_ok, read_document
from stdhub.datasets.sqlite import SQLITE_TYPES, write_database
from stdhub.errors import DataBuildFailed, DataLoadFailed, StdhubError
from stdhub.personal import exceptions
from stdhub.problems import Report
from stdhub.progress import Steps
from stdhub.standards.model import Catalogue

GENERATOR_TIMEOUT = 600


def generate_missing(project: Path, root: Path) -> Report:
    """Run the generator of every package whose data files are missing (e.g. 1M sample rows)."""
    report = Report()
    for folder in discover(root):
        path = find_descriptor(folder)
        if path is None or not folder_ok(folder, project, Report()):
            continue
        read = read_document(path, str(path), Report())  # the checks report what is wrong
        data = read[0] if read else None
        if not isinstance(data, dict):
            continue
        generator = data.get("generator")
        if not isinstance(generator, dict) or not isinstance(generator.get("script"), str):
            continue
        resources = [r for r in data.get("resources") or [] if isinstance(r, dict)]
        missing = [
            r
            for r in resources
            if isinstance(r.get("path"), str) and not (folder / r["path"]).exists()
        ]
        script = (project / generator["script"]).resolve()
        if not missing or not script.is_relative_to((project / "scripts").resolve()):
            continue
        args = [str(a) for a in generator.get("args") or []]
        try:
            done = subprocess.run(
                [sys.executable, str(script), *args],
                cwd=project,
                capture_output=True,
                text=True,
                timeout=GENERATOR_TIMEOUT,
                check=False,
            )
            failed = done.returncode != 0
            detail = (done.stderr or done.stdout).strip().splitlines()[-1:] if failed else []
        except (OSError, subprocess.TimeoutExpired) as exc:
            failed, detail = True, [str(exc)]
        if failed:
            shown = str(path.relative_to(project)) if path.is_relative_to(project) else str(path)
            report.add(
                "D019",
                shown,
                f"{generator['script']} 运行失败：{' '.join(detail)}",
                path=("generator",),
            )
    return report


def _table(cp: CheckedPackage, table: dict[str, Any], published: bool) -> manifest.Table:
    resource = next(r for r in cp.package.resources if r.get("name") == table["name"])
    elements = cp.conformance.elements.get(table["name"], {})
    codes = cp.conformance.code_lists.get(table["name"], {})
    schema_fields = (cp.schemas.get(table["name"]) or {}).get("fields")
    written = {
        w["name"]: w
        for w in (schema_fields if isinstance(schema_fields, list) else [])
        if isinstance(w, dict) and isinstance(w.get("name"), str)
    }
    fields = []
    for f in table["fields"]:
        conformed = elements.get(f["name"])
        fmt = written.get(f["name"], {}).get("format")
        fields.append(
            manifest.Field(
                name=f["name"],
                title=f.get("title") or (conformed.element.name if conformed else f["name"]),
                type=f.get("type", "string"),
                sqlite_type=SQLITE_TYPES.get(f.get("type", "any"), "TEXT"),
                description=f.get("description") or "",
                unit=conformed.element.unit or None if conformed else None,
                code_list=codes[f["name"]].id if f["name"] in codes else None,
                element=conformed.ref if conformed else None,
                format=fmt if isinstance(fmt, str) and fmt != "default" else "",
                written=written.get(f["name"], {}),
            )
        )
    fts = table["fts"] if published else None
    return manifest.Table(
        name=table["name"],
        title=resource.get("title") or table["name"],
        description=resource.get("description") or "",
        rows=table["rows"] if published else None,
        primary_key=tuple(table["primary_key"]),
        fields=tuple(fields),
        foreign_keys=tuple(
            manifest.ForeignKey(tuple(fk["fields"]), fk["table"], tuple(fk["columns"]))
            for fk in (table["foreign_keys"] if published else [])
        ),
        indexes=tuple(tuple(i) for i in (table["indexes"] if published else [])),
        fts_table=fts["table"] if fts else None,
        fts_columns=tuple(fts["columns"]) if fts else (),
    )


def _schema_only(cp: CheckedPackage) -> list[dict[str, Any]]:
    """Tables of a dataset whose rows are not published: fields and keys only."""
    tables = []
    for r in cp.package.resources:
        schema = cp.schemas.get(r.get("name") or "") or {}
        pk = schema.get("primaryKey") or []
        tables.append(
            {
                "name": r.get("name"),
                "fields": schema.get("fields") or [],
                "primary_key": [pk] if isinstance(pk, str) else list(pk),
                "foreign_keys": [],
                "indexes": [],
                "fts": None,
                "rows": None,
            }
        )
    return tables


def _descriptor(cp: CheckedPackage) -> dict[str, Any]:
    """The descriptor as checked, JSON-safe (YAML dates as ISO text), each resource with the
    schema it was checked against (an inferred one where none was written)."""
    d: dict[str, Any] = json.loads(json.dumps(cp.package.data, ensure_ascii=False, default=str))
    d["resources"] = [r for r in d.get("resources") or [] if isinstance(r, dict)]
    for r in d["resources"]:
        r.pop("data", None)  # rows live in the database only
        schema = cp.schemas.get(r.get("name") or "")
        if schema:
            r["schema"] = json.loads(json.dumps(schema, ensure_ascii=False, default=str))
    return d


def dataset_entry(
    cp: CheckedPackage,
    tables: list[dict[str, Any]],
    code_tables: list[dict[str, Any]],
    db: str | None,
) -> manifest.Dataset:
    """The manifest's description of one checked (and, if `db`, loaded) package."""
    d = cp.package.data
    published = db is not None
    report = cp.report
    return manifest.Dataset(
        name=cp.package.name,
        title=d.get("title") or cp.package.name,
        description=d.get("description") or "",
        access=cp.metadata.access,
        access_conditions=cp.metadata.access_conditions,
        db=db,
        source=cp.package.display,
        conforms_to=tuple(cp.metadata.conforms_to),
        last_updated=manifest.parse_date(cp.metadata.fields.get("last_updated")),
        metadata={
            **{k: v for k, v in cp.metadata.fields.items() if k != "last_updated"},
            "version": str(d["version"])
            if isinstance(d.get("version"), (str, int, float))
            else None,
            "public_contact": exceptions.public_contact(d),
        },
        validation={
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            "rows_checked": sum(c.rows for c in cp.resources.values()),
            "engine": {name: c.engine for name, c in cp.resources.items()},
        },
        quality={"score": cp.metadata.quality, "missing": cp.metadata.missing},
        descriptor=_descriptor(cp),
        tables=tuple(_table(cp, t, published) for t in tables),
        code_tables=tuple(
            manifest.CodeTable(c["name"], c["title"], c["rows"], c["label_column"])
            for c in (code_tables if published else [])
        ),
    )


def build_data(
    project: Path,
    catalogue: Catalogue,
    *,
    out: Path,
    root: Path | None = None,
    engine: str = "auto",
    steps: Steps | None = None,
) -> tuple[manifest.Manifest, Report]:
    """Generate, check and load every dataset into the new folder `out` (`build/.staging/data`
    during `stdhub build`, which publishes it with the site: `stdhub.atomic`). Returns what
    was published (the manifest, also written into `out`) and the report (warnings).

    Packages are checked one after another and each is loaded while nothing has failed so
    far, so only one package's rows are in memory at a time; every package is still
    checked. Raises DataBuildFailed (the report) or DataLoadFailed (disk full, …); the
    caller discards `out` then.
    """
    root = root or project / "datasets"
    steps = steps or Steps("quiet")
    with steps.step("生成示例数据"):
        report = generate_missing(project, root)
    folders = list(discover(root))
    check = steps.start("检查数据", total=len(folders), unit="个数据集")
    load = steps.start("装入数据库", total=len(folders), unit="个数据集")
    entries = []
    for folder in folders:
        with check.active():
            checked, found = check_package(folder, catalogue, project, keep=True, engine=engine)
        check.advance()
        report.extend(found)
        if checked is None or not report.ok:
            continue
        out.mkdir(parents=True, exist_ok=True)
        with load.active():
            entries.append(_publish(checked, out))
        load.advance()
    check.finish(f"{len(folders)} 个数据集，{len(report.errors)} 个错误")
    rows = sum(t.rows or 0 for e in entries for t in e.tables)
    load.finish(f"{len(entries)} 个数据集，{rows:,} 行")
    if not report.ok:
        raise DataBuildFailed(report)
    out.mkdir(parents=True, exist_ok=True)
    published = manifest.Manifest(tuple(entries))
    manifest.write(out, published)
    return published, report


def _publish(cp: CheckedPackage, stage: Path) -> manifest.Dataset:
    """Load one checked package (if its rows are published); its manifest entry."""
    if cp.published:
        db = f"{cp.package.name}.db"
        try:
            tables, code_tables = write_database(stage / db, cp)
        except (sqlite3.Error, OSError) as exc:
            raise DataLoadFailed(
                f"装入 {db} 失败（loading failed）：{exc}；build/ 保持原样"
            ) from None
        for t in tables:
            source = cp.resources[t["name"]].rows
            if t["rows"] != source:  # a loader bug, never the user's: say so plainly
                raise StdhubError(f"{db} 表 {t['name']} 装入 {t['rows']} 行，源文件 {source} 行")
    else:
        db, tables, code_tables = None, _schema_only(cp), []
    entry = dataset_entry(cp, tables, code_tables, db)
    for c in cp.resources.values():
        c.raw, c.typed, c.distinct = {}, {}, {}
    return entry
