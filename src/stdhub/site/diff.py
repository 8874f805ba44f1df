"""What changed between two versions of a standard, computed from the two files.

Compared: catalogue-record fields, scope, data elements (by id), record structures
(by id), codes of the code lists each version defines (by list and code), clauses (by
number) and the service guide (conditions, materials, steps and the single fields).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from stdhub.standards.model import Catalogue, Clause, CodeList, Standard

ADDED, REMOVED, CHANGED = "新增", "删除", "修改"

_RECORD_FIELDS = {
    "title": "标准名称",
    "title_en": "英文名称",
    "level": "级别",
    "nature": "性质",
    "responsible_unit": "归口单位",
    "scope": "范围",
}
_ELEMENT_FIELDS = {
    "name": "名称",
    "name_en": "英文名称",
    "definition": "定义",
    "data_type": "数据类型",
    "format": "表示格式",
    "min_length": "最小长度",
    "max_length": "最大长度",
    "pattern": "格式规则",
    "minimum": "最小值",
    "maximum": "最大值",
    "code_list": "代码集",
    "unit": "计量单位",
    "personal": "个人信息",
    "note": "备注",
}
_SERVICE_FIELDS = {
    "item_name": "事项名称",
    "item_code": "事项编码",
    "item_type": "事项类型",
    "implementing_body": "实施主体",
    "service_objects": "服务对象",
    "legal_time_limit": "法定时限",
    "promised_time_limit": "承诺时限",
    "fees": "收费标准",
    "location": "办理地点",
    "office_hours": "办理时间",
    "phone": "咨询电话",
    "complaint": "监督投诉渠道",
    "online_url": "网上办理地址",
}
_MATERIAL_FIELDS = {
    "form": "形式",
    "copies": "份数",
    "required": "必须提供",
    "note": "说明",
}
_STEP_FIELDS = {"description": "办理内容", "time_limit": "时限"}


@dataclass(frozen=True)
class Change:
    area: str  # 目录信息, 数据元, 记录结构, 代码, 条款, 受理条件, 申请材料, 办理流程, 办事信息
    action: str  # 新增, 删除, 修改
    key: str  # what changed: an element id, a clause number, a code…
    detail: str = ""
    before: str = ""  # for a changed text: the old and new wording, shown as an inline diff
    after: str = ""
    anchor: str = ""  # where the thing is on the new version's page


def _show(value: Any) -> str:
    if value is None or value == "":
        return "（无）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(_show(v) for v in value)
    return str(value)


def _fields(old: Mapping[str, Any], new: Mapping[str, Any], labels: dict[str, str]) -> list[str]:
    return [
        f"{label}：{_show(old.get(k))} → {_show(new.get(k))}"
        for k, label in labels.items()
        if old.get(k) != new.get(k)
    ]


def _keyed(
    area: str,
    old: dict[str, Any],
    new: dict[str, Any],
    name: Any,
    compare: Any,
    anchor: Any = lambda key: "",
) -> Iterable[Change]:
    """Changes between two dicts of things keyed by id: added, removed, changed."""
    for key, item in new.items():
        if key not in old:
            yield Change(area, ADDED, key, name(item), anchor=anchor(key))
    for key, item in old.items():
        if key not in new:
            yield Change(area, REMOVED, key, name(item))
    for key in old.keys() & new.keys():
        details = compare(old[key], new[key])
        if isinstance(details, Change):
            yield Change(
                area, CHANGED, key, details.detail, details.before, details.after, anchor(key)
            )
        elif details:
            yield Change(area, CHANGED, key, "；".join(details), anchor=anchor(key))


def _clauses(std: Standard) -> dict[str, Clause]:
    return {c.number: c for top in std.clauses for c in top.walk()}


def _clause_change(a: Clause, b: Clause) -> Change | list[str]:
    title = [f"标题：{a.title} → {b.title}"] if a.title != b.title else []
    if a.text.strip() != b.text.strip():
        return Change(
            "", CHANGED, "", "；".join([*title, "条文："]), a.text.strip(), b.text.strip()
        )
    return title


def _codes(lists: list[CodeList]) -> dict[str, Any]:
    return {f"{cl.id} {c.code}": c for cl in lists for c in cl.codes}


CODE_CHANGES_LISTED = 100  # per code list and action; more are counted in one row


def _summarised(changes: Iterable[Change]) -> list[Change]:
    """Code changes, with those of a list that changed by thousands (e.g. the village codes
    of a new division standard) counted in one row per action instead of listed."""
    groups: dict[tuple[str, str], list[Change]] = {}
    for c in changes:
        groups.setdefault((c.key.split(" ", 1)[0], c.action), []).append(c)
    out: list[Change] = []
    for (list_id, action), items in groups.items():
        if len(items) <= CODE_CHANGES_LISTED:
            out += items
        else:
            out.append(
                Change("代码", action, list_id, f"{action} {len(items)} 个代码，见代码集页面")
            )
    return out


def _code_change(a: Any, b: Any) -> list[str]:
    out = []
    if a.name != b.name:
        out.append(f"名称：{a.name} → {b.name}")
    if a.is_deprecated != b.is_deprecated:
        out.append("停用" if b.is_deprecated else "恢复使用")
    return out


def _service(old: Standard, new: Standard) -> list[Change]:
    a, b = old.service or {}, new.service or {}
    changes: list[Change] = []
    for area, key in (("受理条件", "conditions"), ("设定依据", "legal_basis")):
        changes += _wording(area, a.get(key, []), b.get(key, []))
    # inside a changed material or step, each field old → new; what an omitted field means
    # is filled in (a material is required unless `required: false`)
    for area, key, labels, omitted in (
        ("申请材料", "materials", _MATERIAL_FIELDS, {"required": True}),
        ("办理流程", "steps", _STEP_FIELDS, {}),
    ):
        changes += _keyed(
            area,
            {m["name"]: {**omitted, **m} for m in a.get(key, [])},
            {m["name"]: {**omitted, **m} for m in b.get(key, [])},
            name=lambda m: "",
            compare=lambda x, y, labels=labels: _fields(x, y, labels),
        )
    details = _fields(a, b, _SERVICE_FIELDS)
    changes += [Change("办事信息", CHANGED, d.split("：", 1)[0], d) for d in details]
    return changes


def _wording(area: str, before: list[str], after: list[str]) -> list[Change]:
    """Items of a list of sentences (conditions, legal basis): one reworded in place is a
    change shown old → new; the others are added or removed."""
    gone = [c for c in before if c not in after]
    came = [c for c in after if c not in before]
    changes = []
    if len(gone) == len(came):  # reworded where they stood
        changes += [Change(area, CHANGED, "", "", x, y) for x, y in zip(gone, came, strict=True)]
    else:
        changes += [Change(area, ADDED, "", c) for c in came]
        changes += [Change(area, REMOVED, "", c) for c in gone]
    return changes


def diff(cat: Catalogue, old: Standard, new: Standard) -> list[Change]:
    """Every difference from `old` to `new` that a reader of the standard would care about."""
    changes = [
        Change(
            "目录信息", CHANGED, label, f"{label}：", str(getattr(old, key)), str(getattr(new, key))
        )
        if key == "scope"
        else Change("目录信息", CHANGED, label, d)
        for key, label in _RECORD_FIELDS.items()
        for d in _fields(vars(old), vars(new), {key: label})
    ]
    changes += _keyed(
        "数据元",
        {e.id: asdict(e) for e in old.data_elements},
        {e.id: asdict(e) for e in new.data_elements},
        name=lambda e: e["name"],
        compare=lambda x, y: _fields(x, y, _ELEMENT_FIELDS),
        anchor=lambda key: f"de-{key}",
    )
    changes += _keyed(
        "记录结构",
        {r.id: r for r in old.records},
        {r.id: r for r in new.records},
        name=lambda r: r.name,
        compare=lambda x, y: ["数据元组成有修改"] if x.elements != y.elements else [],
    )
    changes += _summarised(
        _keyed(
            "代码",
            _codes(cat.defined_code_lists(old)),
            _codes(cat.defined_code_lists(new)),
            name=lambda c: c.name,
            compare=_code_change,
        )
    )
    changes += _keyed(
        "条款",
        _clauses(old),
        _clauses(new),
        name=lambda c: c.title,
        compare=_clause_change,
        anchor=lambda n: "clause-" + n.replace(".", "-"),
    )
    changes += _service(old, new)
    order = {
        a: i
        for i, a in enumerate(
            [
                "目录信息",
                "数据元",
                "记录结构",
                "代码",
                "条款",
                "事项信息",
                "受理条件",
                "设定依据",
                "申请材料",
                "办理流程",
                "办事信息",
            ]
        )
    }
    return sorted(changes, key=lambda c: (order.get(c.area, 99), _natural(c.key), c.action))


def _natural(key: str) -> tuple[Any, ...]:
    """Sort clause numbers 2 < 10 and 4.2 < 4.10."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in key.replace(" ", ".").split("."))
