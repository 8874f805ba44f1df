"""`stdhub new`: a valid new draft with the next free department number."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from stdhub.errors import UsageError
from stdhub.standards.model import slug

PREFIX = "HNMZ/T"
_KINDS = {
    "data": "数据标准",
    "service": "服务标准",
    "guide": "办事指南",
    "management": "管理标准",
    "technical": "技术标准",
}
_FOLDERS = {
    "数据标准": "data",
    "服务标准": "service",
    "办事指南": "service",
    "管理标准": "management",
    "技术标准": "management",
}
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
    kind = _KINDS.get(kind, kind)
    if kind not in _FOLDERS:
        raise UsageError(f"未知的标准类别 {kind}")
    if not root.is_dir():
        raise UsageError(f"找不到标准目录 {root}；用 --root 指定")
    ident = next_id(root, today.year)
    record: dict = {
        "id": ident,
        "title": title or "（请填写标准名称）",
        "kind": kind,
        "level": "本单位规范",
        "nature": "推荐",
        "status": "草案",
        "domains": ["综合"],
        "responsible_unit": "湖南省民政厅",
        "summary": "（请填写本标准的适用范围。）",
        "history": [{"date": today.isoformat(), "event": "立项", "note": "新建草案"}],
    }
    if kind == "数据标准":
        record["data_elements"] = [
            {
                "id": "DE0001",
                "name": "（数据元名称）",
                "name_en": "element_name",
                "definition": "（请填写定义）",
                "data_type": "字符型",
                "max_length": 50,
            }
        ]
    elif kind in ("服务标准", "办事指南"):
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
    folder = root / _FOLDERS[kind]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug(ident)}.yaml"
    if path.exists():
        raise UsageError(f"{path} 已存在")
    text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(text, encoding="utf-8")
    return path
