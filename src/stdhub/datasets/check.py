"""Check every dataset under `datasets/`: descriptor, metadata, conformance, files, data.

The data of a package is checked by the columnar engine when it can read every resource
the way frictionless does, otherwise by frictionless itself. Problems are collected for
all packages before anything is said; a package's rows are kept (typed, in memory) for
the loader only when asked (`keep=True`).
"""

from __future__ import annotations

import codecs
import copy
import json
import re
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any

from stdhub.codes import CODES
from stdhub.datasets import (
    amounts,
    categories,
    columnar,
    csvshape,
    issues,
    patterns,
    reference,
    sheets,
    sqlnames,
    validity,
    valuescan,
)
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
    for resource, lists in categories.code_lists(package).items():  # v2 `categories`
        for name, cl in lists.items():
            conformance.code_lists.setdefault(resource, {}).setdefault(name, cl)
    result = CheckedPackage(package, metadata, conformance, schemas, report=report)
    tables: dict[str, sheets.Sheet] = {}
    readable = _check_files(package, report, result, tables)
    if result.pending or not readable:
        return result, report
    effective = _effective(package, schemas, conformance, readable, tables)
    refused = _infer_schemas(package, effective, readable, tables, report)
    effective["resources"] = [r for r in effective["resources"] if r["name"] not in refused]
    for r in effective["resources"]:  # an inferred schema is the one loaded and published
        if not result.schemas.get(r["name"]) and isinstance(r.get("schema"), dict):
            result.schemas[r["name"]] = r["schema"]
    written = {r.get("name"): r for r in package.resources}
    contexts = {
        r["name"]: issues.Context(
            {  # as written: messages quote the author's own patterns
                f["name"]: f
                for f in _fields_of(written.get(r["name"], r))
                if isinstance(f, dict) and isinstance(f.get("name"), str)
            },
            {
                name: (cl.id, cl.title)
                for name, cl in conformance.code_lists.get(r["name"], {}).items()
                if cl.closed
            },
            tuple(_key(r)),
        )
        for r in effective["resources"]
    }
    totals = amounts.Sums(
        amounts.relations(conformance, {r["name"]: _key(r) for r in effective["resources"]})
    )
    checked = None
    if engine != "frictionless":
        checked = _columnar(package, effective, readable, contexts)
    if checked is None:
        inline = {name: t.rows for name, t in tables.items()}
        checked = reference.check_package(package.folder, effective, contexts, inline=inline)
    for r in effective["resources"]:
        c = checked[r["name"]]
        display = package.data_display(r["path"] if isinstance(r.get("path"), str) else r["name"])
        sheet = tables[r["name"]].name if r["name"] in tables else None
        found = _title_rows(package, r, readable[r["name"]], list(c.issues), sheet)
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
        if c.raw:
            found += csvshape.formula_issues(c, fields, missing)
            found += amounts.scan(c, fields, conformance, _key(r), totals.relations)
            totals.gather(c, fields, str(r.get("title") or r["name"]))
        issues.to_report(found, display, report)
        header = csvshape.first_header_row(_dialect(r, ""))
        if c.rows == 0 and not any(i.row <= header for i in c.issues):
            report.add("Q004", display, "数据文件只有表头")
        if not keep:
            c.raw, c.typed, c.distinct = {}, {}, {}
    summed = totals.issues()  # the totals, once every resource is summed
    for r in effective["resources"]:
        if totalled := summed.get(r["name"]):
            path = r["path"] if isinstance(r.get("path"), str) else r["name"]
            issues.to_report(totalled, package.data_display(path), report)
    _check_names(package, conformance, checked, report)
    result.resources = checked
    return result, report


def _title_rows(
    package: Package,
    resource: dict[str, Any],
    raw: bytes,
    found: list[issues.Issue],
    sheet: str | None,
) -> list[issues.Issue]:
    """Header problems caused by title rows above the header: one D006 naming the dialect
    to declare, instead of a problem per column and per row."""
    if not raw or not any(i.code == "D006" for i in found):
        return found
    written = next((w for w in package.resources if w.get("name") == resource["name"]), {})
    names = [n for n in _field_names(written) if isinstance(n, str)]
    titled = _title_row_issue(resource, raw, names or None, sheet)
    return [titled] if titled else found


def _title_row_issue(
    resource: dict[str, Any], raw: bytes, names: list[str] | None, sheet: str | None
) -> issues.Issue | None:
    """A D006 at the header's row saying which `dialect` to declare, if the header is not
    where the dialect says (below title rows, over several rows, above notes)."""
    path: str = resource["path"] if isinstance(resource.get("path"), str) else ""
    if not _is_csv(resource, path):
        return None
    dialect = _dialect(resource, path)
    table = {**resource, "dialect": dialect}
    rows = csvshape.leading_rows(raw, table, n=csvshape.TITLE_ROWS)
    header = csvshape.header_rows(rows, names)
    declared = dialect.get("headerRows", [1])
    if not header or header == declared:
        return None
    notes = csvshape.footer_rows(csvshape.all_rows(raw, table), header)
    k = header[0]
    said = [f"headerRows: {header}"]
    if dialect.get("headerJoin") not in (None, " ") and len(header) > 1:
        said.append(f"headerJoin: {json.dumps(dialect['headerJoin'], ensure_ascii=False)}")
    if notes:
        said.append(f"commentRows: {notes}")
    if sheet:
        said.insert(0, f"excel: {{sheet: {sheets.flow(sheet)}}}")
    where = f"表头在第 {k} 行" if len(header) == 1 else f"表头在第 {k}–{header[-1]} 行"
    above = f"，上面 {k - 1} 行像是标题或说明" if k > 1 else ""
    below = f"，表尾第 {notes[0]}–{notes[-1]} 行是空行或注释" if notes else ""
    message = (
        f"{where}{above}{below}：在资源中声明 `dialect: {{{', '.join(said)}}}`"
        "（标题与表头之间还有说明行时，把它们的行号也列入 commentRows）"
    )
    return issues.Issue(k, 0, "", "D006", message)


def _check_names(
    package: Package, conformance: Conformance, checked: dict[str, Checked], report: Report
) -> None:
    """Names SQLite would refuse or confuse (D021), at the descriptor line of the name."""
    index = {r.get("name"): i for i, r in enumerate(package.resources)}
    tables: dict[str, list[str]] = {}
    for name, c in checked.items():
        if name not in index:
            continue
        written = _field_names(package.resources[index[name]])
        tables[name] = (
            written if written and all(isinstance(n, str) for n in written) else list(c.kinds)
        )
    code_tables = {cl.id for lists in conformance.code_lists.values() for cl in lists.values()}
    for table, column, message in sqlnames.clashes(tables, code_tables):
        where: tuple[str | int, ...] = ("resources", index[table])
        where += ("name",) if column is None else ("schema", "fields", column, "name")
        package.add(report, "D021", message, *where)


def _field_names(resource: dict[str, Any]) -> list[Any]:
    return [f.get("name") if isinstance(f, dict) else None for f in _fields_of(resource)]


def _fields_of(resource: dict[str, Any]) -> list[Any]:
    schema = resource.get("schema")
    fields = schema.get("fields") if isinstance(schema, dict) else None
    return fields if isinstance(fields, list) else []


def _schema(package: Package, resource: dict[str, Any]) -> dict[str, Any]:
    schema = resource.get("schema")
    return schema if isinstance(schema, dict) else {}


def _check_files(
    package: Package, report: Report, result: CheckedPackage, tables: dict[str, sheets.Sheet]
) -> dict[str, bytes]:
    """File-level checks; the bytes of every resource whose data can be checked. A sheet
    is read into `tables` and checked as the CSV of its cells (`sheets`)."""
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
        if sheets.is_spreadsheet(r, relpath):
            sheet = sheets.read(raw, r)
            issues.to_report(sheet.issues, display, report)
            if all(CODES[it.code].severity != "error" for it in sheet.issues):
                tables[r.get("name", str(i))] = sheet
                readable[r.get("name", str(i))] = sheet.to_csv()
            continue
        text = _decode(raw, r, relpath, display, report)
        if text is None:
            continue
        damaged = csvshape.quote_issues(text, _dialect(r, relpath)) if _is_csv(r, relpath) else []
        if damaged:
            issues.to_report(damaged, display, report)
            continue
        readable[r.get("name", str(i))] = raw
    return readable


def _infer_schemas(
    package: Package,
    effective: dict[str, Any],
    readable: dict[str, bytes],
    tables: dict[str, sheets.Sheet],
    report: Report,
) -> set[str]:
    """A cautious schema for each table without one (`csvshape.infer_schema`), warned.
    Returns the resources refused instead: title rows above the header, undeclared."""
    index = {r.get("name"): i for i, r in enumerate(package.resources)}
    refused = set()
    for r in effective["resources"]:
        path = r.get("path")
        if "schema" in r or not isinstance(path, str):
            continue
        if not _is_csv(r, path):
            continue  # not a table stdhub reads (GeoJSON, PDF): frictionless says what it is
        dialect = _dialect(r, path)
        sheet = tables.get(r["name"])
        titled = (
            None
            if "headerRows" in dialect
            else _title_row_issue(r, readable[r["name"]], None, sheet.name if sheet else None)
        )
        if titled:
            issues.to_report([titled], package.data_display(path), report)
            refused.add(r["name"])
            continue
        if sheet is not None:
            r["schema"] = sheets.infer_schema(sheet, dialect)
        else:
            encoding = r["encoding"] if isinstance(r.get("encoding"), str) else "utf-8-sig"
            text = readable[r["name"]].decode(encoding, "replace")
            r["schema"] = csvshape.infer_schema(text, dialect)
        unnamed = _unnamed_columns(r["schema"]["fields"])
        if unnamed:
            issues.to_report(unnamed, package.data_display(path), report)
            refused.add(r["name"])
            continue
        kinds = "、".join(
            f"{f['name']} {csvshape.TYPE_WORDS[f['type']]}" for f in r["schema"]["fields"]
        )
        package.add(
            report,
            "Q007",
            f"资源 `{r['name']}` 没有 schema，已按内容推断字段类型：{kinds}",
            "resources",
            index[r["name"]],
        )
    return refused


def _unnamed_columns(fields: list[dict[str, Any]]) -> list[issues.Issue]:
    """D006 for each blank or repeated column name of a header read without a schema."""
    out, seen = [], set()
    for number, f in enumerate(fields, start=1):
        name = f["name"].strip()
        if not name or name in seen:
            what = "列名为空" if not name else f"列名 “{name}” 与前面的列重名"
            out.append(issues.Issue(1, number, "", "D006", f"表头第 {number} 列{what}"))
        seen.add(name)
    return out


def _dialect(resource: dict[str, Any], relpath: str) -> dict[str, Any]:
    """The resource's CSV dialect, with a tab as the delimiter of a TSV file."""
    dialect = dict(resource["dialect"]) if isinstance(resource.get("dialect"), dict) else {}
    if resource.get("format") == "tsv" or relpath.lower().endswith(".tsv"):
        dialect.setdefault("delimiter", "\t")
    return dialect


def _is_csv(resource: dict[str, Any], relpath: str) -> bool:
    """A delimited text table: declared `csv`/`tsv`, or so named when no format is declared."""
    fmt = resource.get("format")
    if isinstance(fmt, str):
        return fmt.lower() in ("csv", "tsv")
    return relpath.lower().endswith((".csv", ".tsv", ".txt"))


def _decode(
    raw: bytes, resource: dict[str, Any], relpath: str, display: str, report: Report
) -> str | None:
    """The file's text in its declared encoding (UTF-8 if none); None, reported, if it is not."""
    declared = resource.get("encoding")
    encoding = declared if isinstance(declared, str) else "utf-8-sig"
    try:
        codecs.lookup(encoding)
    except LookupError:
        resource_name = resource.get("name")
        report.add("D004", display, f"资源 `{resource_name}` 声明的编码 “{encoding}” 不存在")
        return None
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        encoding = "utf-8-sig"
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        guessed = guess_encoding(raw)
        said = "不是 UTF-8" if declared is None else f"不是声明的 {declared} 编码"
        report.add(
            "D004",
            display,
            f"第 {line} 行第 {column} 字节起{said}，看起来是 {guessed} 编码",
            line=line,
            column=column,
            hint=f"转换为 UTF-8：iconv -f GB18030 -t UTF-8 {relpath} > 新文件；"
            "或在资源中声明实际编码：`encoding: gb18030`（GB18030 包含 GBK 和 GB2312）",
        )
        return None


def _effective(
    package: Package,
    schemas: dict[str, dict[str, Any]],
    conformance: Conformance,
    readable: dict[str, bytes],
    tables: dict[str, sheets.Sheet],
) -> dict[str, Any]:
    """The descriptor as checked: readable resources only, defaults made explicit (a sheet
    read into `tables` is the CSV of its cells), and each
    closed code list as an `enum` (a list of thousands is checked by `valuescan.scan_codes`
    instead: an enum is searched linearly for each value), patterns matching the whole cell
    with ASCII digits (`patterns.whole`). The package's own files are never changed."""
    d = copy.deepcopy(package.data)
    d["resources"] = [r for r in d.get("resources", []) if r.get("name") in readable]
    for r in d["resources"]:
        raw = readable[r["name"]]
        if r["name"] in tables:  # read by `sheets`: its sheet chosen, its cells text
            r.update(format="csv", encoding="utf-8")
            r.pop("mediatype", None)
            if isinstance(r.get("dialect"), dict):
                r["dialect"] = {
                    k: v for k, v in r["dialect"].items() if k not in ("excel", "sheet")
                }
        elif "encoding" not in r:
            r["encoding"] = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
        schema = r.get("schema")
        if not isinstance(schema, dict):
            continue
        for f in schema.get("fields") or []:  # every part of the primary key is required
            if isinstance(f, dict) and f.get("name") in _key(r):
                cons = f.setdefault("constraints", {})
                if isinstance(cons, dict):
                    cons["required"] = True
        if isinstance(schema.get("foreignKeys"), list):  # not to resources left out
            schema["foreignKeys"] = [
                fk for fk in schema["foreignKeys"] if _target(fk) in (None, *readable)
            ]
        for f in schema.get("fields") or []:
            listed = categories.values(f) if isinstance(f, dict) else None
            if listed and "enum" not in (f.get("constraints") or {}):
                f.setdefault("constraints", {})["enum"] = listed  # typed as written
            cons = f.get("constraints") if isinstance(f, dict) else None
            if isinstance(cons, dict) and isinstance(cons.get("pattern"), str):
                cons["pattern"] = patterns.whole(cons["pattern"])
            cl = conformance.code_lists.get(r["name"], {}).get(
                (f.get("name") or "") if isinstance(f, dict) else ""
            )
            codes = enum(cl)
            if codes is not None and "enum" not in (f.get("constraints") or {}):
                f.setdefault("constraints", {})["enum"] = codes
    return d


def _key(resource: dict[str, Any]) -> list[str]:
    """The primary key's field names (a v1 string written out)."""
    schema = resource.get("schema")
    key = schema.get("primaryKey") if isinstance(schema, dict) else None
    key = [key] if isinstance(key, str) else key
    return [k for k in key if isinstance(k, str)] if isinstance(key, list) else []


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
        needs[r["name"]] = {
            t for t in targets if t is not None and t in position and t != r["name"]
        }
    try:
        order = list(TopologicalSorter(needs).static_order())
    except CycleError:
        return list(resources)
    first_use: dict[
        str, int
    ] = {}  # the position of the first resource that needs it (itself included)
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
