"""A problem found in the sources, and the report that collects them all before anything is said."""

from __future__ import annotations

import difflib
import json
import re
import shlex
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from stdhub.codes import CODES


def json_path(path: Iterable[str | int]) -> str:
    """Render a path inside a document as `$.a.b[0].c`."""
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def proposal(written: str, replacement: str) -> str:
    """The one form of a hint that proposes a value: `把 `01` 改为 `"01"``. `written` is the
    text as it stands in the file (never a converted value), so following the hint
    literally, replacing the one by the other, keeps what the author meant."""
    return f"把 `{written}` 改为 `{replacement}`"


def quoted(text: str) -> str:
    """`text` as a YAML double-quoted string that reads back as exactly that text."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_PROPOSAL = re.compile(r"把 `([^`]*)` 改为 `([^`]*)`")


def proposed(hint: str) -> tuple[str, str] | None:
    """The (written, replacement) pair a hint proposes, or None (the inverse of `proposal`)."""
    m = _PROPOSAL.search(hint)
    return (m.group(1), m.group(2)) if m else None


def rename_command(display: str, expected: str) -> str:
    """The hint that renames a file: a `git mv` run from the project root, which is what
    every message's file name is relative to."""
    old = Path(display)
    new = old.with_name(expected)
    return f"在仓库根目录运行 `git mv {shlex.quote(old.as_posix())} {shlex.quote(new.as_posix())}`"


def did_you_mean(written: str, choices: Iterable[str], exclude: Iterable[str] = ()) -> str:
    """`是不是写错了？把 `X` 改为 `Y``, for the closest of `choices` that is not `written`
    itself nor in `exclude` (e.g. the file's own id); "" when none is close."""
    skip = {str(written), *exclude}
    pool = sorted(c for c in choices if c not in skip)
    close = difflib.get_close_matches(str(written), pool, n=1, cutoff=0.6)
    return f"是不是写错了？{proposal(str(written), close[0])}" if close else ""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or worth a warning) at one place in one file.

    `hint` says how to fix it: the one given for this place, else the code's catalogued hint,
    so every reported line has one. Raises KeyError for a code not in the catalogue."""

    file: str
    line: int
    column: int
    code: str
    message: str
    path: str = "$"
    hint: str = ""

    def __post_init__(self) -> None:
        if not self.hint:
            object.__setattr__(self, "hint", CODES[self.code].hint)

    @property
    def severity(self) -> str:
        return CODES[self.code].severity

    def format(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        loc = "" if self.path == "$" else f"{self.path}: "
        text = f"{where}: {self.code} {loc}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


@dataclass
class Report:
    """Collects every problem; the exit code comes from the result, not from the first failure."""

    problems: list[Problem] = field(default_factory=list)
    files_checked: int = 0

    def add(
        self,
        code: str,
        file: str | Path,
        message: str,
        *,
        line: int = 1,
        column: int = 1,
        path: Iterable[str | int] = (),
        hint: str = "",
    ) -> None:
        if code not in CODES:  # a programming error, not a user error
            raise KeyError(f"unknown problem code {code}")
        self.problems.append(Problem(str(file), line, column, code, message, json_path(path), hint))

    def extend(self, other: Report) -> None:
        self.problems.extend(other.problems)
        self.files_checked += other.files_checked

    @property
    def errors(self) -> list[Problem]:
        return sorted({p for p in self.problems if p.severity == "error"})

    @property
    def warnings(self) -> list[Problem]:
        return sorted({p for p in self.problems if p.severity == "warning"})

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_text(self) -> str:
        lines = [p.format() for p in self.errors]
        warnings = self.warnings
        if warnings:
            if lines:
                lines.append("")
            lines.append("警告 warnings:")
            lines.extend(p.format() for p in warnings)
        summary = (
            f"{self.files_checked} 个文件, {len(self.errors)} 个错误, {len(warnings)} 个警告"
            f" ({self.files_checked} files, {len(self.errors)} errors, {len(warnings)} warnings)"
        )
        lines.append(summary)
        return "\n".join(lines)

    def as_json(self) -> str:
        def item(p: Problem) -> dict:
            return {**asdict(p), "severity": p.severity}

        return json.dumps(
            {
                "files_checked": self.files_checked,
                "errors": [item(p) for p in self.errors],
                "warnings": [item(p) for p in self.warnings],
            },
            ensure_ascii=False,
            indent=2,
        )
