"""Standards recorded like the national platform (CCS, ICS, 起草人, official full text) and
public lists that connect (categories, related items both ways, open datasets, policies
with their text or official source), checked by `stdhub validate` on real trees."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from stdhub import addresses
from stdhub.project import load_catalogue

REPO = Path(__file__).resolve().parents[1]
CASES = Path(__file__).parent / "cases"
TODAY = dt.date(2026, 11, 28)


def _tree(tmp_path: Path) -> Path:
    """The `valid` case tree, to change one thing in."""
    root = tmp_path / "project"
    shutil.copytree(CASES / "valid", root)
    return root


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _problems(root: Path, datasets: Path | None = None) -> list[tuple[str, str, str]]:
    _, report = load_catalogue(root / "standards", today=TODAY, base=root, datasets=datasets)
    return [(p.code, p.message, p.hint) for p in report.problems]


STANDARD = "standards/management/HNMZ-T-0001-2024.yaml"
POLICIES = "standards/lists/policies.yaml"


def test_the_valid_tree_is_valid(tmp_path: Path) -> None:
    assert _problems(_tree(tmp_path)) == []


@pytest.mark.parametrize(
    ("field", "value", "code", "says"),
    [
        ("ccs", "I12", "S006", "`I12` 不符合格式"),  # CCS has no I (nor O)
        ("ccs", "a12", "S006", "`a12` 不符合格式"),
        ("ics", 3.08, "S003", "应为文本，实际是数字"),  # `ics: 03.080` unquoted in YAML
        ("ics", "3.80", "S006", "`3.80` 不符合格式"),
        ("official_url", "http://openstd.samr.gov.cn/x", "S006", "不符合格式"),
        ("drafters", "养老服务处", "S003", "应为列表"),
        ("drafter", ["养老服务处标准起草组"], "S001", "未知字段 `drafter`"),
    ],
)
def test_record_fields_are_checked(tmp_path, field, value, code, says) -> None:
    root = _tree(tmp_path)
    _edit(root / STANDARD, lambda d: d.update({field: value}))
    found = [(c, m, h) for c, m, h in _problems(root) if c == code]
    assert found and says in found[0][1], _problems(root)
    if field == "ics" and code == "S003":
        assert '把 `3.08` 改为 `"3.08"`' in found[0][2]  # as written by yaml.dump
    if field == "drafter":
        assert found[0][2] == "是不是写错了？把 `drafter` 改为 `drafters`"
    if field == "official_url":
        assert "https://" in found[0][2]


def test_record_fields_reach_the_model(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    values = {
        "ccs": "A12",
        "ics": "03.080.30",
        "drafters": ["养老服务处标准起草组"],
        "official_url": "https://openstd.samr.gov.cn/bzgk/gb/newGbInfo?hcno=ABC",
    }
    _edit(root / STANDARD, lambda d: d.update(values))
    cat, report = load_catalogue(root / "standards", today=TODAY, base=root)
    assert report.ok, report.as_text()
    std = cat.standards["HNMZ/T 0001-2024"]
    assert (std.ccs, std.ics, std.drafters, std.official_url) == tuple(values.values())
    assert addresses.official_text(std) == values["official_url"]


def test_a_national_standard_without_an_address_is_searched_by_its_number() -> None:
    cat, _ = load_catalogue(REPO / "standards", today=TODAY, base=REPO)
    gb = cat.standards["GB/T 2261.1-2003"]
    assert not gb.official_url
    assert addresses.official_text(gb) == (
        "https://std.samr.gov.cn/search/std?q=GB%2FT%202261.1-2003"
    )
    own = cat.standards["HNMZ/T 0003-2024"]
    assert addresses.official_text(own) == ""  # its full text is this site's print view
    assert addresses.standard_print(own) == "standards/HNMZ-T-0003-2024/full-text/"


def test_the_day_a_standard_ceased_comes_from_what_the_model_knows() -> None:
    cat, _ = load_catalogue(REPO / "standards", today=TODAY, base=REPO)
    old = cat.standards["GB/T 2260-2002"]
    assert old.ceased_on(cat.standards["GB/T 2260-2007"]) == dt.date(2008, 2, 1)  # 被代替 event
    assert cat.standards["GB/T 2260-2007"].ceased_on() is None
    withdrawn = [s for s in cat.standards.values() if s.status == "废止"]
    assert withdrawn and all(s.ceased_on() == s.dates.withdrawn for s in withdrawn)


def test_shipped_standards_carry_honest_records() -> None:
    """CCS, ICS and 起草人 on every department standard; 起草人 are roles or units, never
    a person's name (they all name a 起草组 of a unit of the department)."""
    cat, report = load_catalogue(REPO / "standards", today=TODAY, base=REPO)
    assert report.ok, report.as_text()
    own = [s for s in cat.standards.values() if s.id.startswith("HNMZ")]
    assert own and all(s.ccs and s.ics and s.drafters for s in own)
    assert all(d.endswith("标准起草组") and "民政厅" in d for s in own for d in s.drafters)
    # the one national standard with its official address in the YAML: an openstd address
    addressed = [s for s in cat.standards.values() if s.official_url]
    assert [s.id for s in addressed] == ["GB/T 3304-1991"]
    assert addressed[0].official_url.startswith("https://openstd.samr.gov.cn/bzgk/gb/newGbInfo?")


def _service_list(root: Path, items: list[dict]) -> None:
    (root / "standards/lists/public-service-list.yaml").write_text(
        yaml.safe_dump(
            {
                "kind": "公共服务清单",
                "id": "public-service-list",
                "title": "公共服务清单",
                "updated": "2025-01-01",
                "items": items,
            },
            allow_unicode=True,
            sort_keys=False,
        ),
        encoding="utf-8",
    )


def test_a_public_service_needs_a_known_category(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    _service_list(
        root,
        [
            {"id": "GG-001", "name": "查询"},
            {"id": "GG-002", "name": "咨询", "category": "咨讯服务"},
        ],
    )
    problems = _problems(root)
    missing = [p for p in problems if p[0] == "S002"]
    assert missing and "缺少必填字段 `category`" in missing[0][1]
    assert "查询服务" in missing[0][2]  # the hint lists the categories
    wrong = [p for p in problems if p[0] == "S004"]
    assert wrong and wrong[0][2] == "是不是写错了？把 `咨讯服务` 改为 `咨询服务`"


def test_every_shipped_list_item_has_a_category_where_its_list_shows_one() -> None:
    for name in ("public-service-list", "power-list", "policies"):
        data = yaml.safe_load((REPO / "standards/lists" / f"{name}.yaml").read_text("utf-8"))
        assert all(item.get("category") for item in data["items"]), name


def test_a_dataset_named_by_a_list_item_is_checked(tmp_path: Path) -> None:
    """Checked against the real datasets folder: a misspelt name is a warning (the list is
    still published, without that link) with a did-you-mean."""
    root = _tree(tmp_path)
    _edit(root / POLICIES, lambda d: d["items"][0].update(datasets=["social-organisations"]))
    found = [p for p in _problems(root, datasets=REPO / "datasets") if p[0] == "W005"]
    assert len(found) == 1
    assert "`social-organisations` 不存在" in found[0][1]
    assert found[0][2] == "是不是写错了？把 `social-organisations` 改为 `social-organizations`"
    _edit(root / POLICIES, lambda d: d["items"][0].update(datasets=["social-organizations"]))
    assert _problems(root, datasets=REPO / "datasets") == []


def test_a_policy_without_text_or_source_is_an_error(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    _edit(root / POLICIES, lambda d: d["items"][0].pop("text"))
    assert [p[0] for p in _problems(root)] == ["S013"]
    _edit(root / POLICIES, lambda d: d["items"][0].update(url="https://flk.npc.gov.cn/"))
    assert _problems(root) == []


def test_related_items_link_both_ways(tmp_path: Path) -> None:
    root = _tree(tmp_path)

    def add(d: dict) -> None:
        d["items"][0]["related"] = ["ZC-002"]
        d["items"].append({"id": "ZC-002", "name": "办法", "category": "部门规章", "text": "正文"})
        d["items"].append(
            {"id": "ZC-003", "name": "通知", "category": "规范性文件", "text": "正文"}
        )

    _edit(root / POLICIES, add)
    cat, report = load_catalogue(root / "standards", today=TODAY, base=root)
    assert report.ok, report.as_text()
    _, first = cat.list_item("ZC-001")
    _, second = cat.list_item("ZC-002")
    _, third = cat.list_item("ZC-003")
    assert [i.id for _, i in cat.related_items(first)] == ["ZC-002"]
    assert [i.id for _, i in cat.related_items(second)] == ["ZC-001"]  # named by ZC-001
    assert cat.related_items(third) == []


def test_shipped_links_between_lists_resolve() -> None:
    cat, report = load_catalogue(REPO / "standards", today=TODAY, base=REPO)
    assert report.ok, report.as_text()
    items = [i for lst in cat.lists.values() for i in lst.items]
    related = [i for i in items if i.related]
    assert len(related) >= 20
    assert all(cat.list_item(r) for i in related for r in i.related)
    named = {name for i in items for name in i.datasets}
    assert named and named <= {p.name for p in (REPO / "datasets").iterdir() if p.is_dir()}
    policies = cat.lists["policies"].items
    assert all(p.text or str(p.fields.get("url", "")).startswith("https://") for p in policies)
