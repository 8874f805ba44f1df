"""Find and read dataset packages: `datasets/<name>/datapackage.yaml` (or `.yml`, `.json`).

A descriptor is checked by frictionless itself (Data Package v1, what frictionless-py 5
reads) and for safety: every resource path must stay inside the dataset folder, since a
descriptor from elsewhere could otherwise make the build read any file on the machine.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from stdhub.problems import Report
from stdhub.yamlsource import Source, parse, read_text

NAMES = ("datapackage.yaml", "datapackage.yml", "datapackage.json")
_AT_PROPERTY = re.compile(r"at property '([^']*)'")


@dataclass
class Package:
    """One dataset folder and its descriptor, as read (unchanged)."""

    name: str
    folder: Path
    path: Path
    display: str
    data: dict[str, Any]
    source: Source | None = None
    resources: list[dict[str, Any]] = field(default_factory=list)
    unsafe: set[int] = field(default_factory=set)  # resources whose path leaves the folder

    def where(self, *path: str | int) -> tuple[int, int]:
        return self.source.where(tuple(path)) if self.source else (1, 1)

    def add(
        self, report: Report, code: str, message: str, *path: str | int, hint: str = ""
    ) -> None:
        line, column = self.where(*path)
        report.add(code, self.display, message, line=line, column=column, path=path, hint=hint)

    def data_display(self, relpath: str) -> str:
        """How a data file is named in messages: beside the descriptor's own display path."""
        return str(Path(self.display).parent / relpath)


def display_path(path: Path, base: Path) -> str:
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)


def discover(root: Path) -> list[Path]:
    """Every dataset folder below `root` (a folder with files, hidden ones skipped)."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def _read(path: Path, display: str, report: Report) -> tuple[Any, Source | None] | None:
    text = read_text(path, report, display)
    if text is None:
        return None
    if path.suffix == ".json":
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            report.add(
                "Y001", display, f"JSON 语法错误：{exc.msg}", line=exc.lineno, column=exc.colno
            )
            return None
    source = parse(text, report, path, display)
    if source is None:
        if path.suffix != ".json":
            return None
        # valid JSON that YAML 1.1 cannot read (e.g. tabs): keep the data, lose positions
        report.problems[:] = [p for p in report.problems if p.file != display]
        return json.loads(text), None
    return source.data, source


def find_descriptor(folder: Path) -> Path | None:
    return next((folder / n for n in NAMES if (folder / n).is_file()), None)


def load_package(folder: Path, base: Path, report: Report) -> Package | None:
    """Read one dataset folder's descriptor; problems go to `report`, None if unusable."""
    path = find_descriptor(folder)
    if path is None:
        report.add(
            "D018",
            display_path(folder, base) + "/",
            f"没有 {' / '.join(NAMES)}",
        )
        return None
    display = display_path(path, base)
    read = _read(path, display, report)
    if read is None:
        return None
    data, source = read
    if not isinstance(data, dict):
        report.add("D001", display, "描述文件的顶层应是映射（键: 值）")
        return None
    package = Package(folder.name, folder, path, display, data, source)
    report.files_checked += 1
    if not _frictionless_valid(package, report):
        return None
    package.resources = [r for r in data.get("resources", []) if isinstance(r, dict)]
    _check_paths(package, report)
    return package


def _frictionless_valid(package: Package, report: Report) -> bool:
    """Let frictionless judge the descriptor; each of its errors becomes a D001."""
    from frictionless import Package as FrictionlessPackage

    try:
        errors = list(FrictionlessPackage.metadata_validate(package.data))
    except Exception as exc:  # frictionless raises on some malformed input
        errors = [exc]
    for error in errors:
        note = getattr(error, "note", None) or str(error)
        m = _AT_PROPERTY.search(note)
        path: list[str | int] = []
        if m:
            path = [int(p) if p.isdigit() else p for p in m.group(1).split("/") if p]
        package.add(report, "D001", f"frictionless：{note}", *path)
    return not errors


def _paths_of(resource: dict[str, Any]) -> list[str]:
    value = resource.get("path")
    items = value if isinstance(value, list) else [value]
    return [v for v in items if isinstance(v, str)]


def _check_paths(package: Package, report: Report) -> None:
    folder = package.folder.resolve()
    for i, resource in enumerate(package.resources):
        for relpath in _paths_of(resource):
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
