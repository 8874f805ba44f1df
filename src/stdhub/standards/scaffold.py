"""`stdhub new`: a valid new draft with the next free department number."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

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
    record: dict = {
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
    folder = root / kind.folder
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug(ident)}.yaml"
    if path.exists():
        raise UsageError(f"{path} 已存在")
    text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(text, encoding="utf-8")
    return path
