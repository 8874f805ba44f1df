"""Check every dataset under `datasets/`: descriptor, metadata, conformance, files, data.

The data of a package is checked by the columnar engine when it can read every resource
the way frictionless does, otherwise by frictionless itself. Problems are collected for
all packages before anything is said; a package's rows are kept (typed, in memory) for
the loader only when asked (`keep=True`).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any

from stdhub.datasets import columnar, issues, reference, validity, valuescan
from stdhub.datasets.columnar import Checked
from stdhub.datasets.conformance import Conformance, check_conformance
from stdhub.datasets.descriptor import Package, discover, load_package
from stdhub.datasets.metadata import Metadata, check_metadata
from stdhub.problems import Report
from stdhub.standards.formats import enum
from stdhub.standards.model import Catalogue
from stdhub.vocab import Access
from stdhub.yamlsource import guess_encoding

_BLANK = re.compile(rb"(\xef\xbb\xbf)?[ \r\n\t]*")


@dataclass
class CheckedPackage:
    package: Package
    metadata: Metadata
    conformance: Conformance
    schemas: dict[str, dict[str, Any]]
    resources: dict[str, Checked] = field(default_factory=dict)
    report: Report = field(default_factory=Report)
    pending: bool = False  # a generated data file is missing: data not checked

    @property
    def published(self) -> bool:
        return self.metadata.access == Access.OPEN


def check_datasets(
    root: Path, catalogue: Catalogue, base: Path, *, keep: bool = False, engine: str = "auto"
) -> tuple[list[CheckedPackage], Report]:
    """Check every dataset folder below `root`; one report for all of them."""
    report = Report()
    out = []
    for folder in discover(root):
        checked, found = check_package(folder, catalogue, base, keep=keep, engine=engine)
        report.extend(found)
        if checked is not None:
            out.append(checked)
    return out, report


def check_package(
    folder: Path, catalogue: Catalogue, base: Path, *, keep: bool = False, engine: str = "auto"
) -> tuple[CheckedPackage | None, Report]:
    """Check one dataset folder; the package (None if its descriptor is unusable) and the report."""
    report = Report()
    package = load_package(folder, base, report)
    if package is None:
        return None, report
    metadata = check_metadata(package, report)
    declared = valuescan.screen_descriptor(
        package, report, published=metadata.access == Access.OPEN
    )
    schemas = {r.get("name", str(i)): _schema(package, r) for i, r in enumerate(package.resources)}
    conformance = check_conformance(
        package, schemas, catalogue, report, published=metadata.access == Access.OPEN
    )
    result = CheckedPackage(package, metadata, conformance, schemas, report=report)
    readable = _check_files(package, report, result)
    if result.pending or not readable:
        return result, report
    effective = _effective(package, schemas, conformance, readable)
    contexts = {
        r["name"]: issues.Context(
            {
                f["name"]: f
                for f in _fields_of(r)
                if isinstance(f, dict) and isinstance(f.get("name"), str)
            },
            {
                name: (cl.id, cl.title)
                for name, cl in conformance.code_lists.get(r["name"], {}).items()
                if cl.closed
            },
        )
        for r in effective["resources"]
    }
    checked = None
    if engine != "frictionless":
        checked = _columnar(package, effective, readable, contexts)
    if checked is None:
        checked = reference.check_package(package.folder, effective, contexts)
    for r in effective["resources"]:
        c = checked[r["name"]]
        display = package.data_display(r["path"] if isinstance(r.get("path"), str) else r["name"])
        found = list(c.issues)
        fields = _schema(package, r).get("fields") or [
            {"name": n, "type": k} for n, k in c.kinds.items()
        ]
        if c.raw:
            if result.published:
                found += valuescan.scan_personal(c, fields, declared)
            missing = _schema(package, r).get("missingValues", [""])
            lists = conformance.code_lists.get(r["name"], {})
            timed, judged = validity.scan(
                c,
                fields,
                lists,
                validity.period_field(r, conformance),
                package.data.get("temporal"),
            )
            found += timed + [
                i
                for i in valuescan.scan_codes(c, fields, lists, missing)
                if not (i.code == "Q003" and i.field in judged)
            ]
        issues.to_report(found, display, report)
        if c.rows == 0 and not any(i.row <= 1 for i in c.issues):
            report.add("Q004", display, "数据文件只有表头")
        if not keep:
            c.raw, c.typed, c.distinct = {}, {}, {}
    result.resources = checked
    return result, report


def _fields_of(resource: dict[str, Any]) -> list[Any]:
    schema = resource.get("schema")
    fields = schema.get("fields") if isinstance(schema, dict) else None
    return fields if isinstance(fields, list) else []


def _schema(package: Package, resource: dict[str, Any]) -> dict[str, Any]:
    schema = resource.get("schema")
    return schema if isinstance(schema, dict) else {}


def _check_files(package: Package, report: Report, result: CheckedPackage) -> dict[str, bytes]:
    """File-level checks; the bytes of every resource whose data can be checked."""
    readable: dict[str, bytes] = {}
    generator = package.data.get("generator")
    for i, r in enumerate(package.resources):
        relpath = r.get("path")
        if i in package.unsafe:
            continue
        if not isinstance(relpath, str):  # inline data or a multipart file: frictionless reads it
            parts = [p for p in relpath if isinstance(p, str)] if isinstance(relpath, list) else []
            absent = [p for p in parts if not (package.folder / p).is_file()]
            for part in absent:
                report.add(
                    "D003", package.data_display(part), f"资源 `{r.get('name')}` 的数据文件不存在"
                )
            if not absent:
                readable[r.get("name", str(i))] = b""
            continue
        display = package.data_display(relpath)
        path = package.folder / relpath
        if not path.is_file():
            if generator:
                result.pending = True
                report.add(
                    "Q005",
                    display,
                    f"由 {generator.get('script')} 生成；`stdhub build` 会先生成再检查",
                )
            else:
                report.add("D003", display, f"资源 `{r.get('name')}` 的数据文件不存在")
            continue
        raw = path.read_bytes()
        if _BLANK.fullmatch(raw):
            report.add("D005", display, "文件是空的，连表头也没有")
            continue
        if "encoding" not in r:
            try:
                raw.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                line = raw[: exc.start].count(b"\n") + 1
                report.add(
                    "D004",
                    display,
                    f"第 {line} 行第 {exc.start} 字节起不是 UTF-8，看起来是 {guess_encoding(raw)} 编码",
                    line=line,
                    hint=f"转换为 UTF-8：iconv -f GB18030 -t UTF-8 {relpath} > 新文件；"
                    "或在资源中声明实际编码，如 `encoding: gb18030`",
                )
                continue
        readable[r.get("name", str(i))] = raw
    return readable


def _effective(
    package: Package,
    schemas: dict[str, dict[str, Any]],
    conformance: Conformance,
    readable: dict[str, bytes],
) -> dict[str, Any]:
    """The descriptor as checked: readable resources only, defaults made explicit, and each
        closed code list as an `enum` (a list of thousands is checked by `valuescan.scan_codes`
    instead: an enum is searched linearly for each value). The package's own files are never
    changed."""
    d = copy.deepcopy(package.data)
    d["resources"] = [r for r in d.get("resources", []) if r.get("name") in readable]
    for r in d["resources"]:
        raw = readable[r["name"]]
        if "encoding" not in r:
            r["encoding"] = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
        schema = r.get("schema")
        if not isinstance(schema, dict):
            continue
        if isinstance(schema.get("foreignKeys"), list):  # not to resources left out
            schema["foreignKeys"] = [
                fk for fk in schema["foreignKeys"] if _target(fk) in (None, *readable)
            ]
        for f in schema.get("fields") or []:
            cl = conformance.code_lists.get(r["name"], {}).get(
                f.get("name") if isinstance(f, dict) else None
            )
            codes = enum(cl)
            if codes is not None and "enum" not in (f.get("constraints") or {}):
                f.setdefault("constraints", {})["enum"] = codes
    return d


def _target(fk: Any) -> str | None:
    """The resource a foreign key points to; None for the same resource (or a malformed key)."""
    reference = fk.get("reference") if isinstance(fk, dict) else None
    target = reference.get("resource") if isinstance(reference, dict) else None
    return target if isinstance(target, str) and target else None


def dependency_order(resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Referenced resources just before the first resource that needs them, the rest in the
    order given; in the order given when resources refer to each other in a cycle (each
    check then sees what it can)."""
    position = {r["name"]: i for i, r in enumerate(resources)}
    needs: dict[str, set[str]] = {}
    for r in resources:
        schema = r.get("schema")
        fks = schema.get("foreignKeys") if isinstance(schema, dict) else None
        targets = {_target(fk) for fk in fks} if isinstance(fks, list) else set()
        needs[r["name"]] = {t for t in targets if t in position and t != r["name"]}
    try:
        order = list(TopologicalSorter(needs).static_order())
    except CycleError:
        return list(resources)
    first_use = {}  # the position of the first resource that needs it (itself included)
    for name in reversed(order):
        users = [first_use[u] for u, targets in needs.items() if name in targets]
        first_use[name] = min([position[name], *users])
    sorter = TopologicalSorter(needs)
    sorter.prepare()
    ready: list[str] = []
    order = []
    while sorter.is_active():
        ready.extend(sorter.get_ready())
        ready.sort(key=lambda n: (first_use[n], position[n]))
        order.append(ready.pop(0))
        sorter.done(order[-1])
    return [resources[position[n]] for n in order]


def _columnar(
    package: Package,
    effective: dict[str, Any],
    readable: dict[str, bytes],
    contexts: dict[str, issues.Context],
) -> dict[str, Checked] | None:
    """Every resource by the columnar engine, or None to leave the package to frictionless."""
    resources = effective["resources"]
    if any(columnar.unsupported(r, readable[r["name"]]) for r in resources):
        return None
    out: dict[str, Checked] = {}
    for r in dependency_order(resources):
        checked = columnar.check(r, contexts[r["name"]], readable[r["name"]], out)
        if checked is None:
            return None
        out[r["name"]] = checked
    return out
