"""The metadata a Chinese open-data portal expects, beside Data Package v1's own.

Data Package v1 allows extra properties; stdhub reads these (all optional, in the
descriptor's top level):

| property | 含义 | value |
| --- | --- | --- |
| `publisher` | 提供单位 | text (or a `contributors` entry with `role: publisher`) |
| `contact` | 联系方式 | `{name, phone, email, address}` |
| `domain` | 业务领域 | one of the catalogue's domains, e.g. `社会救助` |
| `update_frequency` | 更新频率 | 实时 每日 每周 每月 每季度 每半年 每年 不定期 不再更新 |
| `temporal` | 时间范围 | `{start, end}`, each `YYYY`, `YYYY-MM` or `YYYY-MM-DD` |
| `spatial` | 空间范围 | a six-digit division code, e.g. `"430000"` |
| `conforms_to` | 遵循的数据标准 | list of standard ids |
| `access` | 开放属性 | `无条件开放` (rows published) or `有条件开放` (metadata and schema only) |
| `access_conditions` | 申请方式 | required for 有条件开放: who may apply, and how |
| `updated` | 更新日期 | `YYYY-MM-DD` |
| `sample` | 示例数据 | `true` when the rows are made up |
| `generator` | 生成脚本 | `{script: scripts/….py, args: […]}`: makes missing data files |

A value of the wrong form is an error (D016): publishing depends on it. A missing item is
a warning (Q001) that lowers the dataset's quality indicator, so a sound package from
elsewhere is published as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator

from stdhub import schemas
from stdhub.datasets.descriptor import Package
from stdhub.problems import Report
from stdhub.vocab import Access

FREQUENCIES = ["实时", "每日", "每周", "每月", "每季度", "每半年", "每年", "不定期", "不再更新"]
_WHEN = {"type": "string", "pattern": r"^(19|20)\d\d(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"}


def _domains() -> list[str]:
    return schemas.schema("common")["$defs"]["domain"]["enum"]


def extension_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "publisher": {"type": "string", "minLength": 2},
            "contact": {
                "type": "object",
                "additionalProperties": False,
                "minProperties": 1,
                "properties": {
                    k: {"type": "string"} for k in ("name", "phone", "email", "address")
                },
            },
            "domain": {"enum": _domains()},
            "update_frequency": {"enum": FREQUENCIES},
            "temporal": {
                "type": "object",
                "additionalProperties": False,
                "properties": {"start": _WHEN, "end": _WHEN},
            },
            "spatial": {"type": "string", "pattern": r"^\d{6}$"},
            "conforms_to": {"type": "array", "items": {"type": "string", "minLength": 1}},
            "access": {"enum": [a.value for a in Access]},
            "access_conditions": {"type": "string", "minLength": 4},
            "updated": {"type": "string", "pattern": r"^\d{4}-\d\d-\d\d$"},
            "sample": {"type": "boolean"},
            "generator": {
                "type": "object",
                "additionalProperties": False,
                "required": ["script"],
                "properties": {
                    "script": {"type": "string", "pattern": r"^scripts/[A-Za-z0-9_\-]+\.py$"},
                    "args": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    }


_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Metadata:
    """What the publishing side shows about a dataset, normalised from its descriptor."""

    access: Access = Access.OPEN
    access_conditions: str | None = None
    conforms_to: list[str] = field(default_factory=list)
    quality: int = 0
    missing: list[str] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)


def _publisher(d: dict[str, Any]) -> str | None:
    if isinstance(d.get("publisher"), str):
        return d["publisher"]
    for c in d.get("contributors") or []:
        if isinstance(c, dict) and c.get("role") == "publisher":
            return c.get("title") or c.get("organization")
    return None


def _contact(d: dict[str, Any]) -> dict[str, str] | None:
    if isinstance(d.get("contact"), dict):
        return d["contact"]
    for c in d.get("contributors") or []:
        if isinstance(c, dict) and c.get("email"):
            return {"name": c.get("title", ""), "email": c["email"]}
    return None


def _fields_described(package: Package) -> bool:
    schemas = [r["schema"] for r in package.resources if isinstance(r.get("schema"), dict)]
    fields = [f for s in schemas for f in s.get("fields") or [] if isinstance(f, dict)]
    return bool(fields) and all(f.get("title") or f.get("description") for f in fields)


def _completeness(package: Package) -> list[tuple[str, str, bool]]:
    """(property, what it is, present?) for each item the quality indicator counts."""
    d = package.data
    return [
        ("title", "中文标题", bool(_CJK.search(str(d.get("title") or "")))),
        ("description", "中文描述", bool(_CJK.search(str(d.get("description") or "")))),
        ("licenses", "许可协议", bool(d.get("licenses"))),
        ("publisher", "提供单位", bool(_publisher(d))),
        ("contact", "联系方式", bool(_contact(d))),
        ("keywords", "关键词", bool(d.get("keywords"))),
        ("domain", "业务领域", bool(d.get("domain"))),
        ("update_frequency", "更新频率", bool(d.get("update_frequency"))),
        ("temporal", "时间范围", bool(d.get("temporal"))),
        ("spatial", "空间范围（行政区划代码）", bool(d.get("spatial"))),
        ("conforms_to", "遵循的数据标准", bool(d.get("conforms_to"))),
        ("access", "开放属性", bool(d.get("access"))),
        ("fields[].title", "字段的标题或说明", _fields_described(package)),
    ]


def check_metadata(package: Package, report: Report) -> Metadata:
    """Check the portal metadata of one package and work out its quality indicator."""
    d = package.data
    validator = Draft202012Validator(extension_schema())
    bad = set()
    for error in sorted(validator.iter_errors(d), key=lambda e: list(e.absolute_path)):
        path = list(error.absolute_path)
        bad.add(path[0] if path else "")
        package.add(report, "D016", f"`{'.'.join(map(str, path))}`：{error.message}", *path)
    access = Access(d["access"]) if d.get("access") in tuple(Access) else Access.OPEN
    if access == Access.CONDITIONAL and not d.get("access_conditions"):
        package.add(
            report,
            "D016",
            "有条件开放的数据集必须写明 access_conditions（申请条件和申请方式）",
            "access",
        )
    items = _completeness(package)
    missing = [what for key, what, present in items if not present]
    quality = round(100 * (len(items) - len(missing)) / len(items))
    if missing:
        keys = ", ".join(key for key, _, present in items if not present)
        package.add(
            report, "Q001", f"元数据缺少{'、'.join(missing)}（{keys}），质量指标 {quality}/100"
        )
    ids = d.get("conforms_to")
    conforms = [s for s in ids if isinstance(s, str)] if isinstance(ids, list) else []
    shown = {
        "publisher": _publisher(d),
        "contact": _contact(d),
        "licenses": d.get("licenses") or [],
        "keywords": d.get("keywords") or [],
        "domain": d.get("domain"),
        "update_frequency": d.get("update_frequency"),
        "temporal": d.get("temporal"),
        "spatial": d.get("spatial"),
        "sources": d.get("sources") or [],
        "sample": bool(d.get("sample")),
        "homepage": d.get("homepage"),
    }
    return Metadata(
        access=access,
        access_conditions=d.get("access_conditions"),
        conforms_to=conforms,
        quality=quality,
        missing=missing,
        fields={k: v for k, v in shown.items() if k not in bad},
    )
