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

`access` must be declared: a package without it is an error (D016), never published as
无条件开放 by default. Any other value of the wrong form is an error (D016): publishing
depends on it. A missing item is a warning (Q001) that lowers the dataset's quality
indicator, so a sound package from elsewhere is published as it is.

Data Package v1 itself (and what frictionless reads of v2) is shown as written, in one
normalised form (`Metadata.fields`) that the site, Datasette and DCAT all read:

- `licenses`: `[{name?, title, path?}]`: the licence's address from `path`, `uri` or `url`
- `sources`: `[{title, path?, email?}]`: the title from `title` or `name`, the address
  from `path`, `web` or `url`
- `contact`: `{name, phone, email, address}` from `contact`, else the `contributors`
  entry with `role: contact` (or `maintainer`), else the first contributor with an email
- `temporal`: `{start?, end?}`; `spatial`: a division code, or absent (a GeoJSON `spatial`
  is accepted and not shown, with a D034 warning)
- `last_updated`: `YYYY-MM-DD` from `updated`, else `last_modified`/`modified` (a date or
  an ISO date-time; any other form is a D034 warning and not shown)

Only `http`, `https` and `mailto` addresses become links; an address with any other scheme
(`javascript:`, `data:` …) in a licence, source, contributor or `homepage` is an error (D030).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator

from stdhub import schemas
from stdhub.datasets.descriptor import Package
from stdhub.datasets.explain import explain, visible
from stdhub.problems import Report
from stdhub.vocab import Access

DESCRIPTION_CHARS = (50, 5000)
"""The length of a dataset's `description` Google's dataset guidelines ask for (Q010)."""
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
                    "name": {"type": "string"},
                    "phone": {"type": "string"},
                    "address": {"type": "string"},
                    "email": {"type": "string", "pattern": r"^\s*[^\s@]+@[^\s@]+\s*$"},
                },
            },
            "domain": {"enum": _domains()},
            "update_frequency": {"enum": FREQUENCIES},
            "temporal": {
                "type": "object",
                "additionalProperties": False,
                "properties": {"start": _WHEN, "end": _WHEN},
            },
            "spatial": {"oneOf": [{"type": "string", "pattern": r"^\d{6}$"}, {"type": "object"}]},
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

    access: Access = Access.CONDITIONAL  # never 无条件开放 by default
    access_conditions: str | None = None
    conforms_to: list[str] = field(default_factory=list)
    quality: int = 0
    missing: list[str] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)


_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")
_SAFE = re.compile(r"^(https?://[^\s/?#]+\S*|mailto:[^\s@]+@\S+)$", re.IGNORECASE)
_DATE = re.compile(r"^\d{4}-\d\d-\d\d")
# (list property, keys that may hold its address, in order of preference)
_LINKS = {
    "licenses": ("path", "uri", "url"),
    "sources": ("path", "web", "url"),
    "contributors": ("path",),
}


def safe_link(value: Any) -> str | None:
    """`value` if it is an http(s) or mailto address, else None: the only links shown."""
    if isinstance(value, str) and _SAFE.match(value.strip()):
        return value.strip()
    return None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _items(d: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = d.get(key)
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


def _address(item: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    return next((safe_link(item[k]) for k in keys if isinstance(item.get(k), str)), None)


def _licenses(d: dict[str, Any]) -> list[dict[str, str]]:
    out = []
    for lic in _items(d, "licenses"):
        shown = {
            "name": _text(lic.get("name")),
            "title": _text(lic.get("title") or lic.get("name")),
        }
        shown["path"] = _address(lic, _LINKS["licenses"]) or ""
        out.append({k: v for k, v in shown.items() if v})
    return [x for x in out if x]


def _sources(d: dict[str, Any]) -> list[dict[str, str]]:
    out = []
    for src in _items(d, "sources"):
        shown = {
            "title": _text(src.get("title") or src.get("name")),
            "path": _address(src, _LINKS["sources"]) or "",
            "email": _text(src.get("email")),
        }
        shown["title"] = shown["title"] or shown["path"]
        out.append({k: v for k, v in shown.items() if v})
    return [x for x in out if x]


def _roles(contributor: dict[str, Any]) -> set[str]:
    """A contributor's roles: v1's `role`, v2's `roles` list."""
    roles = contributor.get("roles")
    found = {r for r in roles if isinstance(r, str)} if isinstance(roles, list) else set()
    return found | ({contributor["role"]} if isinstance(contributor.get("role"), str) else set())


def _publisher(d: dict[str, Any]) -> str | None:
    if isinstance(d.get("publisher"), str):
        return d["publisher"]
    for c in _items(d, "contributors"):
        if "publisher" in _roles(c):
            return _text(c.get("title") or c.get("organization")) or None
    return None


def _contact(d: dict[str, Any]) -> dict[str, str] | None:
    """`{name, phone, email, address}` (every key present, "" when unknown) or None."""
    found = d.get("contact") if isinstance(d.get("contact"), dict) else None
    if found is None:
        people = _items(d, "contributors")
        found = next(
            (c for c in people if _roles(c) & {"contact", "maintainer", "pointOfContact"}),
            None,
        ) or next((c for c in people if c.get("email")), None)
        if found is not None:
            found = {
                "name": found.get("title") or found.get("organization"),
                "email": found.get("email"),
            }
    if not found:
        return None
    contact = {k: _text(found.get(k)) for k in ("name", "phone", "email", "address")}
    if not safe_link(f"mailto:{contact['email']}"):
        contact["email"] = ""
    return contact if any(contact.values()) else None


def _temporal(d: dict[str, Any]) -> dict[str, str] | None:
    t = d.get("temporal")
    if not isinstance(t, dict):
        return None
    shown = {k: str(t[k]) for k in ("start", "end") if isinstance(t.get(k), (str, int))}
    return shown or None


def _day(value: Any) -> str | None:
    """`YYYY-MM-DD` of an ISO date or date-time (`2023-02-06T11:23:03Z`), else None."""
    if not isinstance(value, str) or not _DATE.match(value.strip()):
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text).isoformat()
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return None


def _last_updated(package: Package, report: Report) -> str | None:
    d = package.data
    for key in ("updated", "last_modified", "modified"):
        if key not in d:
            continue
        day = _day(d[key])
        if day is None and key != "updated":  # `updated`'s form is checked by the schema (D016)
            package.add(
                report,
                "D034",
                f"`{key}` 的值 `{visible(str(d[key]))}` 不是 ISO 日期（YYYY-MM-DD）或日期时间，网站不显示更新日期",
                key,
            )
        return day
    return None


def _markdown_links(text: Any) -> list[str]:
    """The link targets in a Markdown text (the site renders `description` as Markdown)."""
    if not isinstance(text, str) or not text:
        return []
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False})
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # see every target, even those markdown-it would drop
    found = []
    for token in md.parse(text):
        for child in token.children or []:
            if child.type == "link_open" and isinstance(child.attrs.get("href"), str):
                found.append(str(child.attrs["href"]))
    return found


def _unsafe_links(package: Package, report: Report) -> None:
    """Every address with a scheme other than http, https or mailto (D030)."""
    d = package.data
    where: list[tuple[tuple[str | int, ...], Any]] = [(("homepage",), d.get("homepage"))]
    for key, props in _LINKS.items():
        items = d.get(key)
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict):
                where += [((key, i, p), item.get(p)) for p in props]
    for i, r in enumerate(package.resources):
        where.append((("resources", i, "homepage"), r.get("homepage")))
        for key in ("licenses", "sources"):
            listed = r.get(key)
            for j, item in enumerate(listed if isinstance(listed, list) else []):
                if isinstance(item, dict):
                    where += [(("resources", i, key, j, p), item.get(p)) for p in _LINKS[key]]
    where += [(("description",), href) for href in _markdown_links(d.get("description"))]
    for path, value in where:
        if not isinstance(value, str) or not _SCHEME.match(value):
            continue
        if safe_link(value) is None:
            shown = visible(value if len(value) <= 60 else value[:59] + "…")
            package.add(
                report,
                "D030",
                f"地址 `{shown}` 不是 http、https 或 mailto 链接，不能发布",
                *path,
            )


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


def _as_json(error: Any) -> str:
    """jsonschema's message with the value as the author wrote it (JSON), not Python's repr
    (`None`, `True`, `'x'`)."""
    shown = repr(error.instance)
    if not error.message.startswith(shown):
        return str(error.message)
    return json.dumps(error.instance, ensure_ascii=False) + error.message[len(shown) :]


def check_metadata(package: Package, report: Report) -> Metadata:
    """Check the portal metadata of one package and work out its quality indicator."""
    d = package.data
    validator = Draft202012Validator(extension_schema())
    bad = set()
    # Data Package v2 writes `null` for an optional property left empty (`"spatial": null`)
    given = {k: v for k, v in d.items() if v is not None or k == "access"}
    for error in sorted(validator.iter_errors(given), key=lambda e: list(e.absolute_path)):
        path = list(error.absolute_path)
        bad.add(path[0] if path else "")
        package.add(report, "D016", explain(_as_json(error), "JSON Schema"), *path)
    if "updated" in d and "updated" not in bad and _day(d["updated"]) is None:
        bad.add("updated")
        package.add(
            report,
            "D016",
            f"`updated` 的值 `{visible(str(d['updated']))}` 不是日历上的日期",
            "updated",
        )
    if "access" not in d:
        package.add(
            report,
            "D016",
            f"没有声明开放属性 access：写 `access: {Access.OPEN}`（公开数据）或 "
            f"`access: {Access.CONDITIONAL}`（只公开说明，数据依申请提供）",
        )
    access = Access(d["access"]) if d.get("access") in tuple(Access) else Access.CONDITIONAL
    if d.get("access") == Access.CONDITIONAL and not d.get("access_conditions"):
        package.add(
            report,
            "D016",
            "有条件开放的数据集必须写明 access_conditions（申请条件和申请方式）",
            "access",
        )
    _unsafe_links(package, report)
    spatial = d.get("spatial")
    if isinstance(spatial, dict) and "spatial" not in bad:
        package.add(
            report,
            "D034",
            "`spatial` 是 GeoJSON：照常发布，网站只显示行政区划代码形式的空间范围",
            "spatial",
        )
    described = d.get("description")
    if isinstance(described, str) and described.strip():
        length = len(described.strip())
        if not DESCRIPTION_CHARS[0] <= length <= DESCRIPTION_CHARS[1]:
            package.add(
                report,
                "Q010",
                f"描述 description 有 {length} 个字，应在 {DESCRIPTION_CHARS[0]} 到 "
                f"{DESCRIPTION_CHARS[1]} 个字之间"
                + (
                    "：请补充数据的内容、来源、时间和地区范围"
                    if length < DESCRIPTION_CHARS[0]
                    else "：请精简，细节可放在数据集的说明文档中"
                ),
                "description",
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
        "licenses": _licenses(d),
        "keywords": [k for k in d.get("keywords") or [] if isinstance(k, str)]
        if isinstance(d.get("keywords"), list)
        else [],
        "domain": d.get("domain"),
        "update_frequency": d.get("update_frequency"),
        "temporal": _temporal(d),
        "spatial": spatial if isinstance(spatial, str) else None,
        "sources": _sources(d),
        "sample": bool(d.get("sample")),
        "homepage": safe_link(d.get("homepage")),
        "last_updated": _last_updated(package, report),
    }
    return Metadata(
        access=access,
        access_conditions=d.get("access_conditions"),
        conforms_to=conforms,
        quality=quality,
        missing=missing,
        fields={k: v for k, v in shown.items() if k not in bad},
    )
