"""`stdhub new`: a valid new draft with the next free department number."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from stdhub.errors import UsageError
from stdhub.standards.model import slug
from stdhub.vocab import DataType, Kind, Status

PREFIX = "HNMZ/T"
# what `stdhub new` accepts: a kind in Chinese, or its English word
CHOICES = {**{k.value: k for k in Kind}, **{k.english: k for k in Kind}}
_NUMBER = re.compile(r"^id:\s*[\"']?HNMZ/T (\d{4})-\d{4}", re.M)


def next_id(root: Path, year: int) -> str:
    numbers = [
        int(m[1])
        for p in root.rglob("*.y*ml")
        for m in [_NUMBER.search(p.read_text(encoding="utf-8", errors="replace"))]
        if m
    ]
    return f"{PREFIX} {max(numbers, default=0) + 1:04d}-{year}"


def new_standard(root: Path, kind: str, *, title: str = "", today: dt.date) -> Path:
    if kind not in CHOICES:
        raise UsageError(f"未知的标准类别 {kind}")
    kind = CHOICES[kind]
    if not root.is_dir():
        raise UsageError(f"找不到标准目录 {root}；用 --root 指定")
    ident = next_id(root, today.year)
    record = template(kind, ident, title=title, today=today)
    folder = root / kind.folder
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug(ident)}.yaml"
    if path.exists():
        raise UsageError(f"{path} 已存在")
    text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(text, encoding="utf-8")
    return path


def template(kind: Kind, ident: str, *, title: str = "", today: dt.date) -> dict[str, Any]:
    """The record `stdhub new` writes: valid as a draft, its placeholders to be replaced."""
    record: dict[str, Any] = {
        "id": ident,
        "title": title or "（请填写标准名称）",
        "kind": kind.value,
        "level": "本单位规范",
        "nature": "推荐",
        "status": Status.DRAFT.value,
        "domains": ["综合"],
        "responsible_unit": "湖南省民政厅",
        "summary": "（请填写本标准的适用范围。）",
        "history": [{"date": today.isoformat(), "event": "立项", "note": "新建草案"}],
    }
    if kind == Kind.DATA:
        record["data_elements"] = [
            {
                "id": "DE0001",
                "name": "（数据元名称）",
                "name_en": "element_name",
                "definition": "（请填写定义）",
                "data_type": DataType.TEXT.value,
                "max_length": 50,
            }
        ]
    elif kind.schema == "service-standard":
        record["service"] = {
            "item_name": "（事项名称）",
            "item_code": "0000-00-000",
            "item_type": "公共服务",
            "legal_basis": ["（设定依据）"],
            "implementing_body": "湖南省民政厅",
            "conditions": ["（受理条件）"],
            "materials": [{"name": "（申请材料）"}],
            "steps": [{"name": "受理"}],
            "legal_time_limit": "（法定时限）",
        }
    else:
        record["scope"] = "（请填写范围）"
        record["clauses"] = [{"number": "1", "title": "范围", "text": "（条文）"}]
    return record


def _leaves(
    data: Any, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _leaves(v, (*path, i))
    else:
        yield path, data


_DAY = dt.date(2000, 1, 1)
PLACEHOLDERS = frozenset(
    value
    for k in Kind
    for path, value in _leaves(template(k, f"{PREFIX} 0000-2000", today=_DAY))
    if isinstance(value, str)
    and path[0] not in ("id", "kind", "status")
    and (value.startswith("（") or path[-1] in ("item_code", "name_en"))
)
"""The values `stdhub new` writes for staff to replace: （事项名称）, 0000-00-000, …"""


def placeholders_in(data: Any) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Each value of `data` (a standard's YAML) that is still a placeholder of `stdhub new`,
    with its path."""
    for path, value in _leaves(data):
        if isinstance(value, str) and value in PLACEHOLDERS:
            yield path, value
