"""Find and read dataset packages: `datasets/<name>/datapackage.yaml` (or `.yml`, `.json`).

A descriptor is checked by frictionless itself (Data Package v1 and the v2 properties
frictionless-py 5 reads, after its own upgrades of v1 shorthands), each of its notes put at
the failing property's line in Chinese; and for safety: nothing is fetched from the network
(`schema`, `dialect`, `profile` URLs are refused; external schema and dialect files beside
the descriptor are read in place), every path stays inside the dataset folder, a folder
that is a symlink elsewhere is refused, and size and nesting are limited.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from stdhub.datasets.explain import explain, relative
from stdhub.problems import Report
from stdhub.yamlsource import MAX_DEPTH, Source, parse, read_text, too_deep

NAMES = ("datapackage.yaml", "datapackage.yml", "datapackage.json")
MAX_BYTES = 1024 * 1024  # a descriptor (or an external schema) larger than this is refused
# A dataset folder's name becomes a database file, a URL path and a download name.
FOLDER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_BUILTIN_PROFILES = {
    "data-package",
    "tabular-data-package",
    "data-resource",
    "tabular-data-resource",
}
_OFFICIAL_PROFILES = re.compile(r"^https://(datapackage\.org|specs\.frictionlessdata\.io)/")
_REMOTE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*:|//)")

Where = tuple[str | int, ...]


@dataclass
class Package:
    """One dataset folder and its descriptor, as read.

    `data` is the descriptor with each external `schema`/`dialect` file put in its place
    (frictionless' v1 shorthands, such as a string `primaryKey`, written out in full);
    `origins` says which file each such part came from, so problems name that file.
    """

    name: str
    folder: Path
    path: Path
    display: str
    data: dict[str, Any]
    source: Source | None = None
    resources: list[dict[str, Any]] = field(default_factory=list)
    unsafe: set[int] = field(default_factory=set)  # resources whose path leaves the folder
    origins: dict[Where, tuple[str, Source | None]] = field(default_factory=dict)

    def locate(self, *path: str | int) -> tuple[str, int, int]:
        """The file, line and column of the property at `path` (its nearest parent if absent)."""
        for prefix, (display, source) in self.origins.items():
            if tuple(path[: len(prefix)]) == prefix:
                rest = tuple(path[len(prefix) :])
                return (display, *(source.where(rest) if source else (1, 1)))
        return (self.display, *self.where(*path))

    def where(self, *path: str | int) -> tuple[int, int]:
        return self.source.where(tuple(path)) if self.source else (1, 1)

    def add(
        self, report: Report, code: str, message: str, *path: str | int, hint: str = ""
    ) -> None:
        display, line, column = self.locate(*path)
        report.add(code, display, message, line=line, column=column, path=path, hint=hint)

    def data_display(self, relpath: str) -> str:
        """How a data file is named in messages: beside the descriptor's own display path."""
        return str(Path(self.display).parent / relpath)


def display_path(path: Path, base: Path) -> str:
    try:
        return str(path.absolute().relative_to(base.absolute()))
    except ValueError:
        return str(path)


def discover(root: Path) -> list[Path]:
    """Every dataset folder below `root` (a folder with files, hidden ones skipped)."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def read_document(path: Path, display: str, report: Report) -> tuple[Any, Source | None] | None:
    """Read a YAML or JSON document within the size and nesting limits; None after a problem."""
    text = read_text(path, report, display, MAX_BYTES)
    if text is None:
        return None
    if path.suffix == ".json":
        try:
            json.loads(text)
        except RecursionError:
            report.add("Y007", display, f"嵌套超过 {MAX_DEPTH} 层")
            return None
        except json.JSONDecodeError as exc:
            report.add(
                "Y001", display, f"JSON 语法错误：{exc.msg}", line=exc.lineno, column=exc.colno
            )
            return None
    mark = len(report.problems)
    source = parse(text, report, path, display)
    if source is None:
        if path.suffix != ".json" or any(p.code == "Y007" for p in report.problems[mark:]):
            return None
        # valid JSON that YAML 1.1 cannot read (e.g. tabs): keep the data, lose positions
        del report.problems[mark:]
        data = json.loads(text)
        if too_deep(data):
            report.add("Y007", display, f"嵌套超过 {MAX_DEPTH} 层")
            return None
        return data, None
    return source.data, source


def find_descriptor(folder: Path) -> Path | None:
    return next((folder / n for n in NAMES if (folder / n).is_file()), None)


def folder_ok(folder: Path, base: Path, report: Report) -> bool:
    """A dataset folder is a real folder inside the repository with a name usable in URLs."""
    shown = display_path(folder, base) + "/"
    root = folder.parent.resolve()
    if folder.is_symlink() or not folder.resolve().is_relative_to(root):
        report.add("D032", shown, f"数据集目录 `{folder.name}` 是指向别处的符号链接，不予读取")
        return False
    if not FOLDER_NAME.match(folder.name):
        report.add(
            "D032",
            shown,
            f"数据集目录名 `{folder.name}` 含空格、`?`、`#`、`%` 或其他不能用在网址和文件名里的字符",
        )
        return False
    return True


def load_package(folder: Path, base: Path, report: Report) -> Package | None:
    """Read one dataset folder's descriptor; problems go to `report`, None if unusable."""
    if not folder_ok(folder, base, report):
        return None
    path = find_descriptor(folder)
    if path is None:
        report.add(
            "D018",
            display_path(folder, base) + "/",
            f"没有 {' / '.join(NAMES)}",
        )
        return None
    display = display_path(path, base)
    if not path.resolve().is_relative_to(folder.resolve()):
        report.add("D032", display, "描述文件是指向数据集目录之外的符号链接，不予读取")
        return None
    read = read_document(path, display, report)
    if read is None:
        return None
    data, source = read
    if not isinstance(data, dict):
        report.add("D001", display, "描述文件的顶层应是映射（键: 值）")
        return None
    package = Package(folder.name, folder, path, display, data, source)
    report.files_checked += 1
    if not _references_local(package, report):
        return None
    if not _frictionless_valid(package, report):
        return None
    _written_out(package.data)
    package.resources = [r for r in data.get("resources", []) if isinstance(r, dict)]
    _check_paths(package, report)
    _check_tabular(package, report)
    return package


_TABULAR = {"csv", "tsv", "txt", "xlsx", "xls", "ods", "json", "jsonl", "ndjson"}


def _check_tabular(package: Package, report: Report) -> None:
    """Only tables are published (SQLite, CSV downloads): GeoJSON, PDF … are refused (D033)."""
    for i, r in enumerate(package.resources):
        paths = _paths_of(r)
        declared = r.get("format") if isinstance(r.get("format"), str) else ""
        kinds = {declared.lower()} if declared else {Path(p).suffix.lower()[1:] for p in paths}
        if "data" in r and not paths:
            continue
        odd = sorted(k or "无扩展名" for k in kinds if k not in _TABULAR)
        if paths and any(Path(p).suffix.lower() == ".geojson" for p in paths):
            odd = odd or ["geojson"]
        if odd:
            package.add(
                report,
                "D033",
                f"资源 `{r.get('name', i)}` 是 {'、'.join(odd)} 文件，不是表格数据：本站不能把它装入数据库发布",
                "resources",
                i,
                "format" if declared else "path",
            )
            package.unsafe.add(i)


def _profiles(data: dict[str, Any]) -> list[tuple[Where, str]]:
    """Every `profile` and `$schema` a descriptor names, with where it stands."""
    found: list[tuple[Where, str]] = []

    def look(obj: Any, at: Where) -> None:
        if isinstance(obj, dict):
            for key in ("profile", "$schema"):
                if isinstance(obj.get(key), str):
                    found.append(((*at, key), obj[key]))

    look(data, ())
    for i, r in enumerate(data.get("resources") or []):
        if isinstance(r, dict):
            look(r, ("resources", i))
            for key in ("schema", "dialect"):
                look(r.get(key), ("resources", i, key))
    return found


def _references_local(package: Package, report: Report) -> bool:
    """Refuse URLs in `schema`, `dialect`, `profile` (never fetched); read local files in place."""
    ok = True
    for at, value in _profiles(package.data):
        official = at[-1] == "$schema" and _OFFICIAL_PROFILES.match(value)
        if value in _BUILTIN_PROFILES or official:
            continue
        if at[-1] == "profile" and len(at) in (1, 3):  # the package's or a resource's
            ok = _profile_valid(package, report, at, value) and ok
        elif at[-1] == "$schema" or _REMOTE.match(value):
            _remote(package, report, at, value)
            ok = False
    for i, r in enumerate(package.data.get("resources") or []):
        for key in ("schema", "dialect"):
            ref = r.get(key) if isinstance(r, dict) else None
            if isinstance(ref, str):
                ok = _inline(package, report, ("resources", i, key), ref) and ok
    return ok


def _remote(package: Package, report: Report, at: Where, value: str) -> None:
    key = str(at[-1])
    package.add(
        report,
        "D031",
        f"`{key}` 是网址 `{value}`：stdhub 不联网下载它",
        *at,
        hint=f"把该文件下载到数据集目录（如 {package.folder.name}/{key.lstrip('$')}.json），"
        f"再写相对路径 `{key}: {key.lstrip('$')}.json`"
        + ("；或删去 profile" if key == "profile" else ""),
    )


def _local(
    package: Package, report: Report, at: Where, relpath: str
) -> tuple[dict[str, Any], Source | None, str] | None:
    """The YAML/JSON file `relpath` inside the dataset folder: (data, positions, display)."""
    key = at[-1]
    if _REMOTE.match(relpath):
        _remote(package, report, at, relpath)
        return None
    folder = package.folder.resolve()
    target = None if "\x00" in relpath else (package.folder / relpath)
    if target is None or Path(relpath).is_absolute() or not target.resolve().is_relative_to(folder):
        package.add(report, "D002", f"`{key}` 的路径 `{relpath}` 指向数据集目录之外", *at)
        return None
    if not target.is_file():
        package.add(report, "D003", f"`{key}` 指向的文件 `{relpath}` 不存在", *at)
        return None
    shown = package.data_display(relpath)
    read = read_document(target, shown, report)
    if read is None:
        return None
    data, source = read
    if not isinstance(data, dict):
        report.add("D001", shown, f"`{key}` 文件的顶层应是映射（键: 值）")
        return None
    report.files_checked += 1
    return data, source, shown


def _inline(package: Package, report: Report, at: Where, relpath: str) -> bool:
    """Put the external file `relpath` (a schema or dialect) in place of its name."""
    found = _local(package, report, at, relpath)
    if found is None:
        return False
    data, source, shown = found
    package.data["resources"][at[1]][at[-1]] = data
    package.origins[at] = (shown, source)
    return True


def _profile_valid(package: Package, report: Report, at: Where, relpath: str) -> bool:
    """Validate the package (or resource) against a JSON Schema profile file beside it.

    Its `$ref`s may only point inside the file: anything else would be fetched (D031)."""
    from jsonschema import validators
    from referencing import Registry
    from referencing.exceptions import Unresolvable

    found = _local(package, report, at, relpath)
    if found is None:
        return False
    profile = found[0]
    target = package.data if len(at) == 1 else package.data["resources"][at[1]]

    def refuse(uri: str) -> Any:
        raise LookupError(uri)

    try:
        cls = validators.validator_for(profile, default=validators.Draft7Validator)
        validator = cls(profile, registry=Registry(retrieve=refuse))  # type: ignore[call-arg]
        errors = sorted(validator.iter_errors(target), key=lambda e: list(e.absolute_path))
    except (Unresolvable, LookupError) as exc:
        package.add(
            report,
            "D031",
            f"profile `{relpath}` 引用了别处的文件（{exc}）：stdhub 不联网读取",
            *at,
            hint="把被引用的内容并入这个 profile 文件，或删去 profile",
        )
        return False
    except Exception as exc:  # an invalid JSON Schema
        package.add(report, "D001", f"profile `{relpath}` 不是有效的 JSON Schema：{exc}", *at)
        return False
    for error in errors:
        path = (*at[:-1], *error.absolute_path)
        package.add(report, "D001", explain(error.message, f"profile {relpath}"), *path)
    target.pop("profile")  # checked here; frictionless would read it relative to the cwd
    return not errors


def _frictionless_valid(package: Package, report: Report) -> bool:
    """Let frictionless judge the descriptor (after its own v1 upgrades); each of its errors
    becomes a D001 at the property it names, in Chinese."""
    from frictionless import Package as FrictionlessPackage

    judged = copy.deepcopy(package.data)
    try:
        FrictionlessPackage.metadata_transform(judged)
    except Exception:  # a shape frictionless cannot upgrade: validation says why
        judged = copy.deepcopy(package.data)
    if not _notes(FrictionlessPackage, judged):
        return True
    for at, note in _placed(judged):
        package.add(report, "D001", explain(note), *at)
    return False


def _notes(cls: Any, descriptor: Any) -> list[str]:
    from frictionless.exception import FrictionlessException

    try:
        return [e.note for e in cls.metadata_validate(descriptor)]
    except FrictionlessException as exc:
        return [exc.error.note]
    except Exception as exc:  # frictionless raises on some malformed input
        return [f"{type(exc).__name__}: {exc}"]


def _placed(judged: dict[str, Any]) -> list[tuple[Where, str]]:
    """frictionless' notes, each at the deepest object (field, schema, resource) that has it."""
    from frictionless import Package as FrictionlessPackage
    from frictionless import Resource, Schema

    placed: list[tuple[Where, str]] = []
    seen: set[str] = set()

    def place(cls: Any, descriptor: Any, at: Where) -> None:
        new = [n for n in _notes(cls, descriptor) if n not in seen]
        for note in new:
            placed.append(((*at, *relative(note)) or _guess(judged, note), note))
        seen.update(new)

    resources = judged.get("resources")
    for i, r in enumerate(resources if isinstance(resources, list) else []):
        if not isinstance(r, dict):
            continue
        schema = r.get("schema")
        if isinstance(schema, dict):
            fields = schema.get("fields")
            level: set[str] = set()
            for j, f in enumerate(fields if isinstance(fields, list) else []):
                before = set(seen)
                place(Schema, {"fields": [f]}, ("resources", i, "schema", "fields", j))
                level |= seen - before
                seen.clear()
                seen.update(before)
            seen.update(level)
            place(Schema, schema, ("resources", i, "schema"))
        place(Resource, r, ("resources", i))
    place(FrictionlessPackage, judged, ())
    return placed


def _guess(judged: dict[str, Any], note: str) -> Where:
    """Where a package-level note without a property path points (licences, emails)."""
    if note.startswith("license requires"):
        for i, lic in enumerate(judged.get("licenses") or []):
            if isinstance(lic, dict) and not lic.get("path") and not lic.get("name"):
                return ("licenses", i)
    m = re.match(r'property "(\w+)\[\]\.email"', note)
    if m:
        items = [x if isinstance(x, dict) else {} for x in judged.get(m.group(1)) or []]
        emails = [(i, x["email"]) for i, x in enumerate(items) if x.get("email")]
        bad = [i for i, e in emails if not re.fullmatch(r"[^\s@]+@[^\s@]+\.[^\s@]+", str(e))]
        return (m.group(1), (bad or [emails[0][0]])[0], "email") if emails else ()
    return ()


def _written_out(data: dict[str, Any]) -> None:
    """frictionless' v1 shorthands in full: a string primary key or foreign-key field list."""
    for r in data.get("resources") or []:
        schema = r.get("schema") if isinstance(r, dict) else None
        if not isinstance(schema, dict):
            continue
        if isinstance(schema.get("primaryKey"), str):
            schema["primaryKey"] = [schema["primaryKey"]]
        for fk in schema.get("foreignKeys") or []:
            if isinstance(fk, dict) and isinstance(fk.get("fields"), str):
                fk["fields"] = [fk["fields"]]
            ref = fk.get("reference") if isinstance(fk, dict) else None
            if isinstance(ref, dict) and isinstance(ref.get("fields"), str):
                ref["fields"] = [ref["fields"]]


def _paths_of(resource: dict[str, Any]) -> list[str]:
    value = resource.get("path")
    items = value if isinstance(value, list) else [value]
    return [v for v in items if isinstance(v, str)]


def _check_paths(package: Package, report: Report) -> None:
    folder = package.folder.resolve()
    for i, resource in enumerate(package.resources):
        url = resource.get("url")
        if "path" not in resource and "data" not in resource and isinstance(url, str):
            _remote(package, report, ("resources", i, "url"), url)  # Data Package v0's `url`
            package.unsafe.add(i)
        for relpath in _paths_of(resource):
            if _REMOTE.match(relpath):
                _remote(package, report, ("resources", i, "path"), relpath)
                package.unsafe.add(i)
                continue
            target = None if "\x00" in relpath else (package.folder / relpath).resolve()
            unsafe = (
                target is None
                or "://" in relpath
                or Path(relpath).is_absolute()
                or ".." in Path(relpath).parts
                or not target.is_relative_to(folder)
            )
            if unsafe:
                package.add(
                    report,
                    "D002",
                    f"资源 `{resource.get('name', i)}` 的 path `{relpath}` 指向数据集目录之外",
                    "resources",
                    i,
                    "path",
                )
                package.unsafe.add(i)


def write_descriptor(path: Path, descriptor: dict[str, Any], *, header: str = "") -> None:
    """Write a descriptor as readable YAML (Chinese kept as is, keys in the given order)."""
    text = yaml.safe_dump(descriptor, allow_unicode=True, sort_keys=False, width=100)
    if header:
        text = f"# {header}\n" + text
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
