"""Load every file under `standards/` into a Catalogue, collecting every problem on the way."""

from __future__ import annotations

import datetime as dt
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stdhub.forking import fork_context
from stdhub.personal.exceptions import project_exceptions
from stdhub.personal.screen import screen_tree
from stdhub.problems import Problem, Report, rename_command
from stdhub.standards import checks, schemacheck
from stdhub.standards.codefile import read_codes
from stdhub.standards.divisions import CROSSWALK_KIND, Crosswalk
from stdhub.standards.model import (
    Catalogue,
    CodeList,
    Located,
    PublicList,
    Standard,
    slug,
)
from stdhub.vocab import CODELIST_KIND, SCHEMA_FOR_KIND, Kind
from stdhub.yamlsource import MAX_BYTES, Source, load, parse, read_text

if TYPE_CHECKING:
    from stdhub.feedback.dispositions import Feedback


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


@dataclass
class Checked:
    """One file after loading and its schema check: picklable, so workers can make it."""

    path: Path
    display: str
    data: Any = None  # None when the file could not be read or parsed
    schema: str | None = None  # None unless the file is schema-valid
    problems: list[Problem] = field(default_factory=list)
    written_ids: list[str] = field(default_factory=list)  # of a file that failed to parse


# `id: X`, `- id: "X"`, `{id: X, …}`: the ids a file that failed to parse meant to define
_ID_LINE = re.compile(r"""^\s*(?:-\s+)?\{?\s*id:\s*(?:"([^"]+)"|'([^']+)'|([^\s#,{}][^#,{}]*))""")


def ids_in_text(text: str) -> list[str]:
    """The ids written in a YAML text, read line by line (for a file YAML could not parse:
    what refers to them is not dangling, the parse error is the one thing to fix)."""
    found = []
    for line in text.splitlines():
        m = _ID_LINE.match(line)
        if m:
            found.append(next(g for g in m.groups() if g).strip())
    return found


def check_file(path: Path, base: Path) -> Checked:
    """Load one file and check it against the schema its `kind` selects."""
    report = Report()
    result = Checked(path, _display(path, base), problems=report.problems)
    text = read_text(path, report, result.display, MAX_BYTES)
    source = None if text is None else parse(text, report, path, result.display)
    if source is None:
        result.written_ids = ids_in_text(text or "")
        return result
    result.data = source.data
    allowed = project_exceptions(base)[0]  # published text: screened for personal data
    screen_tree(source.data, source.where, source.display, report, allowed=allowed.permits_at)
    if not isinstance(source.data, dict):
        got = "列表" if isinstance(source.data, list) else "单个值"
        report.add("S009", source.display, f"顶层应是映射，实际是{got}")
        return result
    kind = source.data.get("kind")
    if kind is None:
        report.add(
            "S002",
            source.display,
            "缺少必填字段 `kind`",
            hint=f"写明文件类别，如 `kind: {Kind.DATA}`",
        )
        return result
    name = SCHEMA_FOR_KIND.get(kind) if isinstance(kind, str) else None
    if name is None:
        known = list(SCHEMA_FOR_KIND)
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
        return result
    if schemacheck.check(source, name, report):
        result.schema = name
        codes_file = source.data.get("codes_file") if kind == CODELIST_KIND else None
        if codes_file:
            line, _ = source.where(("codes_file",))
            display = f"{Path(result.display).parent / codes_file}"
            codes = read_codes(path.parent / codes_file, display, report)
            if codes is None:
                result.schema = None
            else:
                result.data["codes"] = codes
    return result


def _check_chunk(paths: list[Path], base: Path) -> list[Checked]:
    return [check_file(p, base) for p in paths]


PARALLEL_FROM = 400  # below this many files a second process costs more than it saves


def check_files(paths: list[Path], base: Path) -> list[Checked]:
    """Check every file, on every core when there are enough files to be worth it and
    forking is safe (`stdhub.forking`: not in `mkdocs serve`'s threads); else here."""
    workers = min(os.cpu_count() or 1, 8)
    context = fork_context() if len(paths) >= PARALLEL_FROM and workers >= 2 else None
    if context is None:
        return _check_chunk(paths, base)
    chunks = [paths[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        parts = list(pool.map(_check_chunk, chunks, [base] * workers))
    by_path = {c.path: c for part in parts for c in part}
    return [by_path[p] for p in paths]


class Positions:
    """Line and column for a JSON path in a file, parsed again only when a message needs it.

    Workers drop the position tables (they are large to send back); a cross-check that
    finds a problem asks here, which re-reads that one file with the same loader, so
    the position is the one the careful path computes.
    """

    def __init__(self, files: dict[str, Path]) -> None:
        self.files = files
        self._sources: dict[str, Source | None] = {}

    def where(self, display: str, path: tuple, *, key: bool = False) -> tuple[int, int]:
        if display not in self._sources:
            file = self.files.get(display)
            self._sources[display] = load(file, Report(), display) if file else None
        source = self._sources[display]
        return source.where(path, key=key) if source else (1, 1)


def load_standards(
    root: Path,
    report: Report,
    *,
    today: dt.date,
    base: Path,
    dataset_names: set[str] | None,
    feedback: Feedback | None = None,
) -> tuple[Catalogue, Positions]:
    """Load, validate and cross-check the standards, code lists, lists and crosswalks under
    `root`; problems go to `report`. The catalogue holds every valid file, and `feedback`
    (the answered comments, read before: the checks look at them, W004). `dataset_names`:
    the dataset packages list items may name (None: not checked). Also the positions of
    every file, for the checks that come after (`stdhub.project.load_catalogue`)."""
    catalogue = Catalogue(root=root)
    catalogue.feedback = feedback
    paths = discover(root)
    report.files_checked += len(paths)
    checked = check_files(paths, base)
    positions = Positions({c.display: c.path for c in checked})
    ids_seen: dict[str, str] = {}

    def add(code: str, display: str, path: tuple, message: str) -> None:
        line, col = positions.where(display, path)
        report.add(code, display, message, line=line, column=col, path=path)

    for result in checked:
        report.problems.extend(result.problems)
        data = result.data
        if result.schema is None:
            if isinstance(data, dict):
                _remember_invalid(catalogue, data)
            catalogue.invalid_ids.update(result.written_ids)
            continue
        ident, display = data["id"], result.display
        if ident in ids_seen:
            add("X001", display, ("id",), f"编号 `{ident}` 已在 {ids_seen[ident]} 中使用")
            continue
        ids_seen[ident] = display
        expected = slug(ident) + result.path.suffix
        if result.path.name != expected:
            report.add(
                "F003",
                display,
                f"编号 `{ident}` 的文件应命名为 `{expected}`",
                hint=rename_command(display, expected),
            )
        kind = data["kind"]
        if kind == CODELIST_KIND:
            catalogue.code_lists[ident] = CodeList.from_dict(data, Located(display))
        elif SCHEMA_FOR_KIND[kind] == "list":
            catalogue.lists[ident] = PublicList.from_dict(data, display)
        elif kind == CROSSWALK_KIND:
            catalogue.crosswalks[ident] = Crosswalk.from_dict(data, Located(display))
        else:
            std = Standard.from_dict(data, display)
            catalogue.standards[ident] = std
            for cl in std.code_lists:
                if cl.id in ids_seen or cl.id in catalogue.code_lists:
                    add("X001", display, (*cl.where.path, "id"), f"代码集编号 `{cl.id}` 重复")
                    continue
                catalogue.code_lists[cl.id] = cl
    checks.run(catalogue, positions, report, today, dataset_names)
    return catalogue, positions


def _remember_invalid(catalogue: Catalogue, data: dict) -> None:
    """Known to exist though invalid: references to it are not dangling."""
    if isinstance(data.get("id"), str):
        catalogue.invalid_ids.add(data["id"])
    for part in ("code_lists", "items"):  # a standard's code lists, a list's items
        for sub in data.get(part) or []:
            if isinstance(sub, dict) and isinstance(sub.get("id"), str):
                catalogue.invalid_ids.add(sub["id"])
