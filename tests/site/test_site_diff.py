"""What changed between versions is computed from the two files."""

from __future__ import annotations

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
