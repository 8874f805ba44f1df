"""The shipped catalogue in `standards/`: clean, and as rich as issue 2 asks.

These tests read the real content with a fixed today (2026-11-28), so they fail when
someone removes a lifecycle case, breaks a reference, or lets the catalogue shrink
below the minimums the site and the open data are built and demonstrated on.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest

from stdhub.project import load_catalogue
from stdhub.standards.model import Catalogue, Standard
from stdhub.vocab import Kind, ListKind

REPO = Path(__file__).resolve().parent.parent
ROOT = REPO / "standards"
TODAY = dt.date(2026, 11, 28)
COMMON_SCHEMA = REPO / "src" / "stdhub" / "schemas" / "common.json"


@pytest.fixture(scope="module")
def loaded():
    return load_catalogue(ROOT, today=TODAY, base=REPO)


@pytest.fixture(scope="module")
def cat(loaded) -> Catalogue:
    return loaded[0]


def _both_texts(std: Standard) -> bool:
    return bool(std.interpretation) and bool(std.implementation_plan)


def test_no_errors_and_no_warnings(loaded) -> None:
    _, report = loaded
    assert report.errors == [], report.as_text()
    assert report.warnings == [], report.as_text()
    assert report.files_checked >= 40


def test_consultation_still_open_on_december_first() -> None:
    cat, report = load_catalogue(ROOT, today=dt.date(2026, 12, 1), base=REPO)
    assert not [p for p in report.warnings if p.code == "W001"], report.as_text()
    assert [s.id for s in cat.standards.values() if s.in_consultation(dt.date(2026, 12, 1))]


def test_at_least_24_standards_across_all_five_kinds(cat: Catalogue) -> None:
    kinds = Counter(s.kind for s in cat.standards.values())
    assert sum(kinds.values()) >= 24
    assert set(kinds) == set(Kind), kinds


def test_every_domain_is_covered(cat: Catalogue) -> None:
    enum = json.loads(COMMON_SCHEMA.read_text(encoding="utf-8"))["$defs"]["domain"]["enum"]
    used = {d for s in cat.standards.values() for d in s.domains}
    assert set(enum) <= used, set(enum) - used


def test_files_sit_in_the_folder_of_their_kind(cat: Catalogue) -> None:
    folder = {
        "数据标准": "data",
        "服务标准": "service",
        "办事指南": "service",
        "管理标准": "management",
        "技术标准": "management",
    }
    for std in cat.standards.values():
        assert Path(std.where.file).parts[1] == folder[std.kind], std.where.file


def test_at_least_six_code_lists_all_in_use_with_a_deprecated_code(cat: Catalogue) -> None:
    assert len(cat.code_lists) >= 6
    for cl in cat.code_lists.values():
        assert cat.code_list_users(cl.id), f"{cl.id} is used by no data element"
    deprecated = [c for cl in cat.code_lists.values() for c in cl.codes if c.is_deprecated]
    assert deprecated and all(c.deprecated.get("reason") for c in deprecated)
    assert any(cl.defined_in for cl in cat.code_lists.values()), "no inline code list"


def test_at_least_40_list_items_across_the_four_lists(cat: Catalogue) -> None:
    per_kind = Counter()
    for lst in cat.lists.values():
        per_kind[lst.kind] += len(lst.items)
    assert set(per_kind) == set(ListKind), per_kind
    assert all(n >= 5 for n in per_kind.values()), per_kind
    assert sum(per_kind.values()) >= 40


def test_list_items_name_the_standards_that_govern_them(cat: Catalogue) -> None:
    items = [item for lst in cat.lists.values() for item in lst.items]
    governed = [item for item in items if item.governed_by]
    assert len(governed) >= len(items) * 3 // 4
    # every service guide is the guide of at least one power-list item
    power = next(lst for lst in cat.lists.values() if lst.kind == "权力清单")
    named = {ref for item in power.items for ref in item.governed_by}
    guides = [s.id for s in cat.standards.values() if s.kind == "办事指南"]
    assert guides and set(guides) <= named, set(guides) - named


def test_policies_carry_document_number_issuer_and_validity(cat: Catalogue) -> None:
    policies = next(lst for lst in cat.lists.values() if lst.kind == "政策法规")
    for item in policies.items:
        assert {"document_number", "issuer", "validity"} <= set(item.fields), item.id
    assert any(item.fields["validity"] != "有效" for item in policies.items)


def test_lifecycle_drafts_and_one_open_consultation(cat: Catalogue) -> None:
    stds = list(cat.standards.values())
    assert sum(s.status == "草案" for s in stds) >= 2
    open_now = [s for s in stds if s.display_status(TODAY) == "征求意见中"]
    assert len(open_now) == 1
    (consulted,) = open_now
    assert consulted.dates.consultation_start == dt.date(2026, 11, 10)
    assert consulted.dates.consultation_end == dt.date(2026, 12, 31)
    assert isinstance(consulted.interpretation, str) and len(consulted.interpretation) > 300


def test_lifecycle_approved_not_yet_in_force(cat: Catalogue) -> None:
    coming = [s for s in cat.standards.values() if s.display_status(TODAY) == "即将实施"]
    assert coming
    assert all(s.status == "已批准" and s.dates.effective.year == 2027 for s in coming)


def test_lifecycle_department_standard_superseded_by_its_new_version(cat: Catalogue) -> None:
    pairs = [
        (old, cat.standards[old.superseded_by])
        for old in cat.standards.values()
        if old.status == "被代替" and old.level == "本单位规范"
    ]
    assert pairs
    for old, new in pairs:
        assert new.series == old.series and new.status == "现行"
        assert [v.id for v in cat.versions(old.series)] == [old.id, new.id]
        assert cat.latest(old.series) is new

        def clauses(std: Standard) -> dict[str, str]:
            """Numbered clauses; for a data standard, its data elements."""
            if std.kind == "数据标准":
                return {e.id: repr(e) for e in std.data_elements}
            return {c.number: f"{c.title}|{c.text}" for top in std.clauses for c in top.walk()}

        before, after = clauses(old), clauses(new)
        assert set(after) - set(before), "the new version adds no clause"
        assert any(before[n] != after[n] for n in set(before) & set(after)), "nothing changed"


def test_lifecycle_withdrawn_and_closed_consultations(cat: Catalogue) -> None:
    withdrawn = [s for s in cat.standards.values() if s.status == "废止"]
    assert withdrawn and all(s.dates.withdrawn for s in withdrawn)
    closed = [
        s
        for s in cat.standards.values()
        if s.consultation_outcome and s.dates.consultation_end and s.dates.consultation_end < TODAY
    ]
    assert len(closed) >= 3


def test_at_least_five_standards_with_interpretation_and_plan(cat: Catalogue) -> None:
    assert sum(_both_texts(s) for s in cat.standards.values()) >= 5


def test_identity_numbers_are_marked_personal(cat: Catalogue) -> None:
    element = cat.standards["GB 11643-1999"].element("GMSFHM")
    assert element is not None and element.personal
    for std in cat.standards.values():
        for el in std.data_elements:
            if "身份号码" in el.name or el.pattern == "^[0-9]{17}[0-9X]$":
                assert el.personal, f"{std.id} {el.id}"
