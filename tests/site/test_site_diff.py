"""What changed between versions is computed from the two files."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stdhub.site.diff import ADDED, CHANGED, REMOVED, diff


def _by(changes, area):
    return {(c.action, c.key): c for c in changes if c.area == area}


def test_data_elements_and_codes(fixture_catalogue) -> None:
    cat = fixture_catalogue
    new = cat.standards["HNMZ/T 9001-2025"]
    old = cat.previous(new)
    assert old is cat.standards["HNMZ/T 9001-2020"]
    changes = diff(cat, old, new)
    elements = _by(changes, "数据元")
    assert (ADDED, "QHDM") in elements and elements[(ADDED, "QHDM")].anchor == "de-QHDM"
    assert (REMOVED, "JTDZ") in elements
    changed = elements[(CHANGED, "BZJE")].detail
    assert "最大值：（无） → 100000" in changed
    assert "定义" in elements[(CHANGED, "XM")].detail
    assert "代码集：CL-HNMZ-9001 → CL-HNMZ-9001X" in elements[(CHANGED, "JZLB")].detail
    codes = _by(changes, "代码")
    # the inline code list was renamed, so every old code is removed and every new one added
    assert (ADDED, "CL-HNMZ-9001X 08") in codes
    assert (REMOVED, "CL-HNMZ-9001 09") in codes
    # the standalone list whose source is the new version counts as defined by it
    assert (ADDED, "CL-HNMZ-9100 3") in codes
    assert (CHANGED, "JZDX") in _by(changes, "记录结构")


def test_service_guide(fixture_catalogue) -> None:
    cat = fixture_catalogue
    new = cat.standards["HNMZ/T 9002-2024"]
    changes = diff(cat, cat.previous(new), new)
    conditions = _by(changes, "受理条件")
    assert [c.detail for c in conditions.values()] == ["持有本省居住证"]
    materials = _by(changes, "申请材料")
    assert (ADDED, "申请书") in materials and (REMOVED, "收入证明") in materials
    assert (CHANGED, "审批") in _by(changes, "办理流程")
    info = {c.key: c.detail for c in changes if c.area == "办事信息"}
    assert info["法定时限"] == "法定时限：15 个工作日 → 10 个工作日"
    assert "实施主体" in info and "咨询电话" in info


def test_first_version_has_no_previous(fixture_catalogue) -> None:
    cat = fixture_catalogue
    assert cat.previous(cat.standards["HNMZ/T 9001-2020"]) is None
    assert cat.previous(cat.standards["HNMZ/T 9003-2026"]) is None


_MATERIAL = st.fixed_dictionaries(
    {"name": st.just("老年人能力评估报告")},
    optional={
        "form": st.sampled_from(["原件", "复印件", "原件和复印件"]),
        "copies": st.integers(1, 3),
        "required": st.booleans(),
        "note": st.sampled_from(["以失能、半失能申请的提供", "现场核验后退还"]),
    },
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=_MATERIAL, after=_MATERIAL, limits=st.tuples(st.integers(1, 30), st.integers(1, 30)))
def test_a_changed_item_shows_its_old_and_new_values(fixture_catalogue, before, after, limits):
    """Inside a changed material (and a step's time limit), every field that differs is
    shown as old → new, and nothing else; a material is required unless it says otherwise."""
    cat = fixture_catalogue
    std = cat.standards["HNMZ/T 9002-2024"]
    step = {"name": "受理"}

    def guide(material, limit):
        service = {**std.service, "materials": [material], "steps": [{**step, "time_limit": limit}]}
        return dataclasses.replace(std, service=service)

    old, new = guide(before, f"{limits[0]} 个工作日"), guide(after, f"{limits[1]} 个工作日")
    changes = _by(diff(cat, old, new), "申请材料")
    labels = {"form": "形式", "copies": "份数", "required": "必须提供", "note": "说明"}
    shown = {"required": lambda v: "是" if v else "否"}
    defaults = {"required": True}
    expected = [
        f"{label}：{shown.get(k, str)(before.get(k, defaults.get(k))) if k in before or k in defaults else '（无）'}"
        f" → {shown.get(k, str)(after.get(k, defaults.get(k))) if k in after or k in defaults else '（无）'}"
        for k, label in labels.items()
        if before.get(k, defaults.get(k)) != after.get(k, defaults.get(k))
    ]
    if expected:
        assert changes == {
            (CHANGED, "老年人能力评估报告"): changes[(CHANGED, "老年人能力评估报告")]
        }
        assert changes[(CHANGED, "老年人能力评估报告")].detail == "；".join(expected)
    else:
        assert changes == {}
    steps = _by(diff(cat, old, new), "办理流程")
    if limits[0] != limits[1]:
        assert (
            steps[(CHANGED, "受理")].detail == f"时限：{limits[0]} 个工作日 → {limits[1]} 个工作日"
        )
    else:
        assert (CHANGED, "受理") not in steps


def test_a_reworded_condition_is_shown_old_and_new(fixture_catalogue) -> None:
    cat = fixture_catalogue
    std = cat.standards["HNMZ/T 9002-2024"]
    conditions = list(std.service["conditions"])
    reworded = [conditions[0] + "，且居家生活", *conditions[1:]]
    new = dataclasses.replace(std, service={**std.service, "conditions": reworded})
    [change] = _by(diff(cat, std, new), "受理条件").values()
    assert (change.action, change.before, change.after) == (CHANGED, conditions[0], reworded[0])
