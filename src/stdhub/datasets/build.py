"""The data step of `stdhub build`: generate what is missing, check everything, then load.

Nothing is written unless every dataset passes its checks; the databases and the
manifest are then written into a staging folder that replaces `build/data/` at once
(`stdhub.atomic.staged_output`), so a failure leaves the previous one untouched.
有条件开放 datasets get no database at all: their manifest entry has `db: null` and
tables with fields but no row counts.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from stdhub.atomic import staged_output
from stdhub.datasets import manifest
from stdhub.datasets.check import CheckedPackage, check_package
from stdhub.datasets.descriptor import discover, find_descriptor
from stdhub.datasets.sqlite import SQLITE_TYPES, write_database
from stdhub.errors import StdhubError
from stdhub.personal import exceptions
from stdhub.problems import Report
from stdhub.standards.model import Catalogue

GENERATOR_TIMEOUT = 600


class DataBuildFailed(StdhubError):
    """A dataset failed its checks (or could not be generated); build/data/ is unchanged."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.as_text())
        self.report = report


class DataLoadFailed(StdhubError):
    """Writing a database failed (disk full, …); build/data/ is unchanged."""


def generate_missing(project: Path, root: Path) -> Report:
    """Run the generator of every package whose data files are missing (e.g. 1M sample rows)."""
    import yaml

    report = Report()
    for folder in discover(root):
        path = find_descriptor(folder)
        if path is None:
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError, UnicodeDecodeError):
            continue  # the checks report it
        generator = data.get("generator") if isinstance(data, dict) else None
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


def _table_entry(cp: CheckedPackage, table: dict[str, Any], published: bool) -> dict[str, Any]:
    resource = next(r for r in cp.package.resources if r.get("name") == table["name"])
    elements = cp.conformance.elements.get(table["name"], {})
    codes = cp.conformance.code_lists.get(table["name"], {})
    fields = []
    for f in table["fields"]:
        conformed = elements.get(f["name"])
        fields.append(
            {
                "name": f["name"],
                "title": f.get("title") or (conformed.element.name if conformed else f["name"]),
                "type": f.get("type", "string"),
                "sqlite_type": SQLITE_TYPES.get(f.get("type", "any"), "TEXT"),
                "description": f.get("description") or "",
                "unit": conformed.element.unit or None if conformed else None,
                "code_list": codes[f["name"]].id if f["name"] in codes else None,
                "element": conformed.ref if conformed else None,
            }
        )
    return {
        "name": table["name"],
        "title": resource.get("title") or table["name"],
        "description": resource.get("description") or "",
        "rows": table["rows"] if published else None,
        "primary_key": table["primary_key"],
        "fields": fields,
        "foreign_keys": table["foreign_keys"] if published else [],
        "indexes": table["indexes"] if published else [],
        "fts": table["fts"] if published else None,
    }


def _schema_only(cp: CheckedPackage) -> list[dict[str, Any]]:
    """Tables of a dataset whose rows are not published: fields and keys only."""
    tables = []
    for r in cp.package.resources:
        schema = cp.schemas.get(r.get("name")) or {}
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


def dataset_entry(
    cp: CheckedPackage,
    tables: list[dict[str, Any]],
    code_tables: list[dict[str, Any]],
    db: str | None,
) -> dict[str, Any]:
    d = cp.package.data
    published = db is not None
    report = cp.report
    return {
        "name": cp.package.name,
        "title": d.get("title") or cp.package.name,
        "description": d.get("description") or "",
        "access": cp.metadata.access,
        "access_conditions": cp.metadata.access_conditions,
        "db": db,
        "source": cp.package.display,
        "conforms_to": cp.metadata.conforms_to,
        "last_updated": d.get("updated") or d.get("last_modified"),
        "metadata": {
            **cp.metadata.fields,
            "version": d.get("version"),
            "public_contact": exceptions.public_contact(d),
        },
        "validation": {
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            "rows_checked": sum(c.rows for c in cp.resources.values()),
            "engine": {name: c.engine for name, c in cp.resources.items()},
        },
        "quality": {"score": cp.metadata.quality, "missing": cp.metadata.missing},
        "tables": [_table_entry(cp, t, published) for t in tables],
        "code_tables": code_tables if published else [],
    }


def build_data(
    project: Path,
    catalogue: Catalogue,
    *,
    root: Path | None = None,
    out: Path | None = None,
    engine: str = "auto",
) -> Report:
    """Generate, check and load every dataset into `out` (default `project/build/data`).

    Packages are checked one after another and each is loaded (into the staging folder)
    while nothing has failed so far, so only one package's rows are in memory at a time;
    every package is still checked, and any error discards the staging folder.
    """
    root = root or project / "datasets"
    out = out or project / "build" / "data"
    report = generate_missing(project, root)
    with staged_output(out) as stage:
        entries = []
        for folder in discover(root):
            checked, found = check_package(folder, catalogue, project, keep=True, engine=engine)
            report.extend(found)
            if checked is None or not report.ok:
                continue
            entries.append(_publish(checked, stage))
        if not report.ok:
            raise DataBuildFailed(report)
        manifest.write(stage, entries)
    return report


def _publish(cp: CheckedPackage, stage: Path) -> dict[str, Any]:
    """Load one checked package (if its rows are published); its manifest entry."""
    if cp.published:
        db = f"{cp.package.name}.db"
        try:
            tables, code_tables = write_database(stage / db, cp)
        except (sqlite3.Error, OSError) as exc:
            raise DataLoadFailed(
                f"装入 {db} 失败（loading failed）：{exc}；build/data/ 保持原样"
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
