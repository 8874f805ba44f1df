"""Reviewed exceptions to the screen, declared in a dataset's descriptor (`personal_data:`).

    personal_data:
      public_contact:            # fields that carry an organisation's published contact
        - resource: institutions # optional: any resource with this field
          field: phone
          reason: 各福利院对外公布的值班电话（含手机），经办公室审核
      allow:                     # single values, each reviewed
        - sha256: 9f86d081884c7d65   # shown by `stdhub validate` beside the masked number
          reason: 救助热线，对外公布的手机号码
          reviewer: 张某（办公室）
          date: 2026-01-15

A `public_contact` field may publish mobile numbers (a hotline, a duty phone): never an ID
number or a bank card. An `allow` entry lets one value through wherever it appears in
the dataset (its cells and its descriptor); `sha256` is the hash of the number's digits
(at least its first 16 hex characters). A malformed declaration is an error (P006) and
grants nothing. Fields named or described like personal data (姓名, 身份证, 住址, 手机,
联系电话) in a 无条件开放 dataset are a warning (P005) until declared here.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stdhub.personal.recognize import MOBILE, Hit, digest

KEY = "personal_data"
PERSONAL_WORDS = ("姓名", "身份证", "住址", "手机", "联系电话")
_HEX = re.compile(r"[0-9a-f]{16,64}")
_ENTRY_KEYS = {
    "public_contact": ({"field", "reason"}, {"resource"}),
    "allow": ({"sha256", "reason", "reviewer", "date"}, set()),
}


@dataclass
class Exceptions:
    """What a dataset's reviewers declared; grants nothing when the declaration is invalid."""

    contact: dict[tuple[str | None, str], str] = field(default_factory=dict)  # -> reason
    allowed: list[str] = field(default_factory=list)  # sha256 prefixes

    def is_contact(self, resource: str, name: str) -> bool:
        return (resource, name) in self.contact or (None, name) in self.contact

    def permits(self, hit: Hit, resource: str | None = None, name: str | None = None) -> bool:
        """May this number be published here (in this resource's field, or in the descriptor)?"""
        if hit.kind == MOBILE and name is not None and self.is_contact(resource or "", name):
            return True
        h = digest(hit.number)
        return any(h.startswith(prefix) for prefix in self.allowed)

    def permits_at(self, path: tuple, hit: Hit) -> bool:
        """`permits` for a value anywhere in a document (an allow-list entry only)."""
        return self.permits(hit)


def read(
    data: dict[str, Any], fields: dict[str, list[str]]
) -> tuple[Exceptions, list[tuple[tuple, str]]]:
    """The declaration in a descriptor, and its problems as (JSON path, message).

    `fields`: resource name -> its field names, to check what `public_contact` names."""
    block = data.get(KEY)
    if block is None:
        return Exceptions(), []
    problems: list[tuple[tuple, str]] = []
    if not isinstance(block, dict) or set(block) - set(_ENTRY_KEYS):
        extra = sorted(set(block) - set(_ENTRY_KEYS)) if isinstance(block, dict) else []
        what = f"未知的键 {'、'.join(map(str, extra))}" if extra else "应是映射"
        return Exceptions(), [((KEY,), f"{what}；只能有 public_contact、allow")]
    for name, (required, optional) in _ENTRY_KEYS.items():
        entries = block.get(name, [])
        if not isinstance(entries, list):
            problems.append(((KEY, name), "应是列表"))
            continue
        for i, entry in enumerate(entries):
            path = (KEY, name, i)
            if not isinstance(entry, dict):
                problems.append((path, "每一项应是映射"))
                continue
            missing = required - set(entry)
            unknown = set(entry) - required - optional
            if missing or unknown:
                parts = [f"缺少 {'、'.join(sorted(missing))}"] if missing else []
                parts += [f"未知的键 {'、'.join(sorted(map(str, unknown)))}"] if unknown else []
                problems.append((path, "；".join(parts)))
                continue
            problems += [(path + p, m) for p, m in _entry_problems(name, entry, fields)]
    if problems:
        return Exceptions(), problems
    exc = Exceptions()
    for entry in block.get("public_contact", []):
        exc.contact[(entry.get("resource"), entry["field"])] = entry["reason"]
    exc.allowed = [entry["sha256"] for entry in block.get("allow", [])]
    return exc, []


def _entry_problems(
    name: str, entry: dict[str, Any], fields: dict[str, list[str]]
) -> list[tuple[tuple, str]]:
    out: list[tuple[tuple, str]] = []
    reason = entry["reason"]
    if not isinstance(reason, str) or len(reason.strip()) < 4:
        out.append((("reason",), "reason 应写明为何可以公开（至少 4 个字）"))
    if name == "public_contact":
        resource, field_name = entry.get("resource"), entry["field"]
        if not isinstance(field_name, str) or not isinstance(resource, str | None):
            out.append(((), "field 和 resource 应是字段名、资源名（文本）"))
        elif resource is not None and resource not in fields:
            out.append((("resource",), f"没有名为 `{resource}` 的资源"))
        elif not any(field_name in names for r, names in fields.items() if resource in (None, r)):
            out.append((("field",), f"没有名为 `{field_name}` 的字段"))
        return out
    if not isinstance(entry["sha256"], str) or not _HEX.fullmatch(entry["sha256"]):
        out.append(
            (("sha256",), "sha256 应是 `stdhub validate` 给出的十六进制摘要（至少 16 位小写）")
        )
    reviewer = entry["reviewer"]
    if not isinstance(reviewer, str) or len(reviewer.strip()) < 2:
        out.append((("reviewer",), "reviewer 应写明审核人"))
    when = entry["date"]
    if isinstance(when, str):
        try:
            when = dt.date.fromisoformat(when)
        except ValueError:
            when = None
    if not isinstance(when, dt.date) or isinstance(when, dt.datetime):
        out.append((("date",), "date 应是审核日期 YYYY-MM-DD"))
    return out


PROJECT_FILE = "personal-data.yaml"


Located = tuple[tuple[int, int, tuple, str], ...]


def project_exceptions(base: Path) -> tuple[Exceptions, Located]:
    """The project's allow-list for standards and pages (`<project>/personal-data.yaml`:
    `allow:` entries as in a descriptor), and its problems as (line, column, path, message).
    Read again whenever the file changes (`stdhub serve` rebuilds in one process)."""
    path = base / PROJECT_FILE
    try:
        stat = path.stat()
    except OSError:
        return Exceptions(), ()
    return _project_exceptions(path.resolve(), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _project_exceptions(path: Path, mtime_ns: int, size: int) -> tuple[Exceptions, Located]:
    from stdhub.problems import Report
    from stdhub.yamlsource import load

    report = Report()
    source = load(path, report, PROJECT_FILE)
    if source is None:
        return Exceptions(), tuple((p.line, p.column, (), p.message) for p in report.problems)
    data = source.data if isinstance(source.data, dict) else {"": source.data}
    if set(data) - {"allow"}:
        line, column = source.where(())
        return Exceptions(), ((line, column, (), "顶层只能有 allow（放行的号码列表）"),)
    declared, problems = read({KEY: {"allow": data.get("allow") or []}}, {})
    located = tuple((*source.where(p[1:]), p[1:], m) for p, m in problems)
    return declared, located


def report_project_exceptions(base: Path, report: Any) -> None:
    """Add the project allow-list's problems (P006) to `report`."""
    for line, column, path, message in project_exceptions(base)[1]:
        report.add("P006", PROJECT_FILE, message, line=line, column=column, path=path)


def public_contact(data: dict[str, Any]) -> list[dict[str, str]]:
    """The declared public-contact fields of a descriptor that validate passed:
    `[{"resource": name or "", "field": name, "reason": text}]`."""
    block = data.get(KEY)
    entries = block.get("public_contact") if isinstance(block, dict) else None
    return [
        {"resource": e.get("resource") or "", "field": e["field"], "reason": e["reason"]}
        for e in entries or []
        if isinstance(e, dict) and isinstance(e.get("field"), str)
    ]


def personal_like(f: dict[str, Any]) -> str | None:
    """The personal-data word a field's name, title or description uses, or None."""
    text = " ".join(str(f.get(k) or "") for k in ("name", "title", "description"))
    return next((w for w in PERSONAL_WORDS if w in text), None)
